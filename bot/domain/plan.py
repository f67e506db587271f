"""The content plan card and its status workflow."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.stages import AwarenessStage, FunnelStage


class PlanStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    ARCHIVED = "archived"


ALLOWED_TRANSITIONS: dict[PlanStatus, frozenset[PlanStatus]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.IN_REVIEW, PlanStatus.ARCHIVED}),
    PlanStatus.IN_REVIEW: frozenset({PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.ARCHIVED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.IN_REVIEW, PlanStatus.PUBLISHED, PlanStatus.ARCHIVED}),
    PlanStatus.PUBLISHED: frozenset({PlanStatus.ARCHIVED}),
    PlanStatus.ARCHIVED: frozenset({PlanStatus.DRAFT}),
}


class StaleVersion(ValueError):
    """An edit started from a version of the plan that someone has changed since."""

    def __init__(self, plan_id: int, current: int, changed_by: str):
        super().__init__(f"plan {plan_id} is at version {current} (changed by {changed_by})")
        self.plan_id, self.current, self.changed_by = plan_id, current, changed_by


class TransitionError(ValueError):
    def __init__(self, current: PlanStatus, wanted: PlanStatus):
        super().__init__(f"a plan cannot go from {current.value} to {wanted.value}")
        self.current = current
        self.wanted = wanted


def check_transition(current: PlanStatus, wanted: PlanStatus) -> None:
    if wanted not in ALLOWED_TRANSITIONS[current]:
        raise TransitionError(current, wanted)


# The code of a finding stored as sentences, by planbot before findings had codes.
LEGACY_FINDING = "legacy"


class FindingLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    TIP = "tip"


class Finding(BaseModel):
    """One result of the rule checks, citing the knowledge entry the rule comes from.

    What it says is a ``code`` and language-neutral ``params``; the reader's words come from the
    message catalogue when it is shown (``bot.i18n.finding_message``).
    """

    level: FindingLevel
    rule: str
    field: str
    code: str
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _read_legacy_sentences(cls, data: Any) -> Any:
        # Plans saved before findings had codes stored the sentences themselves; they are shown
        # as they were until the plan is checked again.
        if isinstance(data, dict) and "code" not in data and "message" in data:
            data = {key: value for key, value in data.items() if key not in ("message", "fix")} | {
                "code": LEGACY_FINDING, "params": {"message": data["message"], "fix": data.get("fix", "")}}
        return data


class ContentFormat(BaseModel):
    duration_seconds: int | None = Field(default=None, ge=0, le=24 * 3600)
    word_count: int | None = Field(default=None, ge=0, le=1_000_000)
    image_share: float | None = Field(default=None, ge=0, le=1)
    image_count: int | None = Field(default=None, ge=0, le=1000)


# Longest text a field accepts: long enough for a real plan, short enough for a Slack card.
FIELD_LIMITS = {
    "title": 150,
    "description": 2000,
    "segment": 200,
    "understanding": 500,
    "feeling": 300,
    "action": 300,
    "owner": 100,
    "campaign": 100,
    "tag": 40,
}


class Content(BaseModel):
    title: str = Field(default="", max_length=FIELD_LIMITS["title"])
    description: str = Field(default="", max_length=FIELD_LIMITS["description"])
    format: ContentFormat = Field(default_factory=ContentFormat)


class ContentPlan(BaseModel):
    """At funnel stage ___ (5A stage ___), content ___ reaches segment ___ through channel ___;
    prospects gain understanding ___ and feeling ___, and take action ___, moving to stage ___."""

    model_config = ConfigDict(str_strip_whitespace=True)

    id: int | None = None
    funnel_stage: FunnelStage | None = None
    stage: AwarenessStage | None = None
    content: Content = Field(default_factory=Content)
    channel: Channel | None = None
    segment: str = Field(default="", max_length=FIELD_LIMITS["segment"])
    understanding: str = Field(default="", max_length=FIELD_LIMITS["understanding"])
    feeling: str = Field(default="", max_length=FIELD_LIMITS["feeling"])
    action: str = Field(default="", max_length=FIELD_LIMITS["action"])
    next_stage: AwarenessStage | None = None
    lang: Lang = Lang.EN
    owner: str = Field(default="", max_length=FIELD_LIMITS["owner"])
    campaign: str = Field(default="", max_length=FIELD_LIMITS["campaign"])
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=FIELD_LIMITS["tag"])]] = Field(
        default_factory=list, max_length=20
    )
    due: date | None = None
    status: PlanStatus = PlanStatus.DRAFT
    findings: list[Finding] = Field(default_factory=list)
    author: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # How many times the plan log has written this card (0: never); an edit names the version it
    # started from, so that it cannot silently undo someone else's.
    version: int = Field(default=0, ge=0)
    # Where the plan lives (see bot.domain.access): the Slack workspace and the channel it was
    # made in ("" for DMs and the command line), and whether that channel is private.
    workspace: str = Field(default="", max_length=40)
    home: str = Field(default="", max_length=40)
    home_private: bool = False

    def value_at(self, dotted: str) -> Any:
        """The value of a field named by its dotted path, e.g. ``content.format.duration_seconds``."""
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value

    @staticmethod
    def set_in(data: dict, dotted: str, value: Any) -> None:
        """Set a dotted field in a card's dict form (``model_dump``), making the parents it needs."""
        *parents, last = dotted.split(".")
        for part in parents:
            data = data.setdefault(part, {})
        data[last] = value

    @staticmethod
    def get_in(data: dict, dotted: str) -> Any:
        """A dotted field of a card's dict form."""
        for part in dotted.split("."):
            data = data[part]
        return data


class HistoryAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    STATUS = "status"
    IMPORTED = "imported"
    HANDED_OVER = "handed_over"


class HistoryEvent(BaseModel):
    """One change to a plan: who made it, when, and each field's old and new value."""

    at: datetime
    who: str
    action: HistoryAction
    # {dotted ContentPlan field: (old, new)}, values as they appear in the card's JSON form.
    changes: dict[str, tuple[Any, Any]]


def _dotted_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    fields = []
    for name, info in model.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            fields += _dotted_fields(info.annotation, f"{prefix}{name}.")
        else:
            fields.append(prefix + name)
    return fields


# Whose a plan is and where it lives: set when it is first saved, changed only by handing it over.
PLACE_FIELDS = ("owner", "workspace", "home", "home_private")

# Every field of the card by its dotted name, and those an edit may change: the log keeps the
# bookkeeping, the workflow moves the status, the checks write the findings, and the owner and
# author change hands only on purpose.
CARD_FIELDS = frozenset(_dotted_fields(ContentPlan))
EDITABLE_FIELDS = CARD_FIELDS - {"id", "owner", "author", "created_at", "updated_at", "version", "status",
                                 "findings", *PLACE_FIELDS}
