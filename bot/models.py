"""The models the faces (Slack, the CLI) see: what they send to the service and what comes back.

The domain's vocabulary and card are re-exported here so that a face needs this module and
``bot.service`` only. Everything here carries data, not sentences in one language: the faces
render it for their reader with the message catalogue.
"""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.domain.access import Actor, Role
from bot.domain.channels import Channel, Range
from bot.domain.experiment import Experiment, Lever
from bot.domain.language import Lang
from bot.domain.plan import (
    ALLOWED_TRANSITIONS,
    FIELD_LIMITS,
    Content,
    ContentFormat,
    ContentPlan,
    Finding,
    FindingLevel,
    HistoryAction,
    HistoryEvent,
    PlanStatus,
)
from bot.domain.results import Funnel, FunnelStep, PlanResult, StepName
from bot.domain.rules import has_errors
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.domain.team import (
    ChannelDefaults,
    Motivation,
    Product,
    Segment,
    Teaching,
    TeachingKind,
    TeamChannel,
    TeamChannelRule,
    TeamCta,
    TeamMapping,
    TeamProfile,
    TeamSignal,
)
from bot.i18n import t

__all__ = [
    "Funnel",
    "FunnelStep",
    "PlanResult",
    "StepName",
    "Experiment",
    "Lever",
    "ALLOWED_TRANSITIONS",
    "Actor",
    "Role",
    "ChannelDefaults",
    "Motivation",
    "Product",
    "Segment",
    "Taught",
    "Teaching",
    "TeachingKind",
    "TeamChannel",
    "TeamChannelRule",
    "TeamCta",
    "TeamMapping",
    "TeamProfile",
    "TeamProfileView",
    "TeamSignal",
    "FIELD_LIMITS",
    "Answer",
    "AwarenessStage",
    "Brief",
    "Channel",
    "Content",
    "ContentFormat",
    "ContentPlan",
    "Conversation",
    "CoverageCell",
    "CoverageReport",
    "Draft",
    "EvalItem",
    "EvalResult",
    "EvalSummary",
    "Finding",
    "FindingLevel",
    "FunnelStage",
    "HistoryAction",
    "HistoryEvent",
    "ImportReport",
    "ImportRowError",
    "KnowledgeHit",
    "Lang",
    "ModelCheck",
    "OnConflict",
    "PlanQuery",
    "Viewer",
    "PlanStatus",
    "Range",
    "Reply",
    "ReplyKind",
    "SourceRef",
    "StageAlternative",
    "SyncReport",
    "has_errors",
]


class SourceRef(BaseModel):
    """A knowledge entry an answer rests on."""

    id: str
    kind: str
    stage: AwarenessStage | None = None
    channel: Channel | None = None
    title: str


class StageAlternative(BaseModel):
    """A stage an answer was not sure about: the runner-up, with what in the question points to it."""

    stage: AwarenessStage
    reason: str
    score: float


class Answer(BaseModel):
    question: str
    body: str
    lang: Lang
    stage: AwarenessStage | None = None
    funnel: FunnelStage | None = None
    channel: Channel | None = None
    sources: list[SourceRef] = []
    # How sure the stage is, 0–1 (None when no stage is involved), and the close runner-up.
    confidence: float | None = None
    alternatives: list[StageAlternative] = []
    # The whole entry behind a short answer (`--full`, Slack's "More"); empty when the body is all.
    detail: str = ""
    # What a reader of the logs should know: dropped citations, a fallback and its reason.
    flags: list[str] = []
    # The first answer in a workspace with no team profile offers to set one up.
    offer_team_setup: bool = False

    @classmethod
    def not_found(cls, question: str, lang: Lang) -> "Answer":
        return cls(question=question, body=t("answer.not_found", lang), lang=lang)

    @property
    def text(self) -> str:
        """The answer as Markdown: the body, then the sources it rests on."""
        return self._with_sources(self.body)

    @property
    def full_text(self) -> str:
        """The answer with the whole entry behind it (`ask --full`, Slack's "More")."""
        return self._with_sources(f"{self.body}\n\n---\n\n{self.detail}" if self.detail else self.body)

    def _with_sources(self, body: str) -> str:
        if not self.sources:
            return body
        ids = ", ".join(source.id for source in self.sources)
        return f"{body}\n\n_{t('answer.sources', self.lang)}: {ids}_"

    def as_record(self) -> dict:
        """The machine-readable form `planbot ask --json` prints."""
        return self.model_dump(mode="json", include={"lang", "stage", "channel", "confidence",
                                                     "alternatives"}) | {
            "answer": self.text,
            "funnel": self.funnel.value if self.funnel else None,
            "sources": [source.model_dump(mode="json") for source in self.sources],
        }


class Brief(BaseModel):
    """What a marketer asks a draft for; every part is optional."""

    product: str = Field(default="", max_length=100)
    segment: str = Field(default="", max_length=FIELD_LIMITS["segment"])
    funnel_stage: FunnelStage | None = None
    stage: AwarenessStage | None = None
    channel: Channel | None = None
    goal: str = Field(default="", max_length=500)
    lang: Lang | None = None
    campaign: str = Field(default="", max_length=FIELD_LIMITS["campaign"])
    variant: int = Field(default=0, ge=0, description="Which idea to take: 'another idea' counts up.")


class Draft(BaseModel):
    """A drafted card and the brief it answers ("another idea" drafts the brief's next variant)."""

    plan: ContentPlan
    brief: Brief
    # Whose team context it was drafted in, so that another idea is drafted in the same one.
    workspace: str = ""
    channel: str = ""


class Conversation(BaseModel):
    """Where a message was written, as far as the service needs to know.

    ``user_lang`` is the language the face knows its user reads (a Slack locale, the terminal's
    locale); a message that shows its own language is answered in that one. ``previous`` is the
    answer before this message in the same thread, which a follow-up leans on.
    """

    user_lang: Lang | None = None
    previous: Answer | None = None
    # Whose team context applies (a Slack workspace, "local" for the terminal) and in which channel.
    workspace: str = ""
    channel: str = ""
    # Who asks: what a reply counts or lists is what they may see. "" is the terminal's user, who
    # runs planbot and sees every plan.
    user: str = ""


class TeamProfileView(BaseModel):
    """A workspace's profile as stored: the version an edit must start from, and who saved it."""

    workspace: str
    profile: TeamProfile = Field(default_factory=TeamProfile)
    version: int = 0
    saved_by: str = ""
    saved_at: datetime | None = None


class Taught(BaseModel):
    """One piece of a team's own guidance, where it comes from and its version."""

    key: str
    teaching: Teaching
    version: int = 1
    taught_by: str = ""
    taught_at: datetime | None = None
    # The team knowledge file it was read from ("" when taught in Slack or the CLI).
    file: str = ""


class CoverageCell(BaseModel):
    stage: AwarenessStage
    channel: Channel
    plans: int


class CoverageReport(BaseModel):
    """Active plans per 5A stage × channel, and the empty cells the knowledge base says fit."""

    cells: list[CoverageCell]
    gaps: list[CoverageCell]

    def count(self, stage: AwarenessStage, channel: Channel) -> int:
        return next((c.plans for c in self.cells if c.stage == stage and c.channel == channel), 0)

    @property
    def channels(self) -> list[Channel]:
        """The channels to show: those with plans or a gap, in vocabulary order."""
        shown = {cell.channel for cell in self.cells if cell.plans} | {gap.channel for gap in self.gaps}
        return [channel for channel in Channel if channel in shown]


class Viewer(BaseModel):
    """Whose eyes a list is for: the plans homed in ``channel`` and the user's own, never a
    private channel's plans outside it (see ``bot.domain.access.can_see``)."""

    user: str
    workspace: str = ""
    channel: str = ""
    one_workspace: bool = True  # as Actor.one_workspace


class PlanQuery(BaseModel):
    """Which plans to list. Every field given narrows the result; all of them are optional."""

    visible_to: Viewer | None = None

    stage: AwarenessStage | None = None
    funnel_stage: FunnelStage | None = None
    channel: Channel | None = None
    # None means every status but archived (unless include_archived).
    status: PlanStatus | None = None
    include_archived: bool = False
    author: str | None = None
    campaign: str | None = None
    segment: str | None = None  # the card's segment, in any letter case
    tag: str | None = None
    # Inclusive calendar days, in UTC.
    created_from: date | None = None
    created_to: date | None = None
    # Inclusive publish days (the card's due date); either end may be open.
    due_from: date | None = None
    due_to: date | None = None
    text: str | None = None


class ImportRowError(BaseModel):
    row: int = Field(description="spreadsheet row number: the header is row 1, data starts at 2")
    message: str


class OnConflict(StrEnum):
    """What an import does with a row whose id is already in the log."""

    SKIP = "skip"      # keep the plan in the log as it is
    UPDATE = "update"  # change the plan in the log to the row (recorded in its history)
    NEW = "new"        # add the row as a new plan with a new id


class ImportReport(BaseModel):
    imported: int = 0
    ids: list[int] = Field(default_factory=list)
    updated: list[int] = Field(default_factory=list)
    skipped: list[int] = Field(default_factory=list)
    errors: list[ImportRowError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class SyncReport(BaseModel):
    """What a knowledge sync changed, by entry id (``id@lang``)."""

    added: list[str] = []
    updated: list[str] = []
    removed: list[str] = []
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class BackupReport(BaseModel):
    """A plan log file written by a backup or a restore: where, how many plans, its last change."""

    path: str
    plans: int
    last_change: str = ""


class Readiness(BaseModel):
    """Whether planbot can answer now: its knowledge loaded and its plan log writable."""

    knowledge: bool
    database: bool
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.knowledge and self.database


class KnowledgeHit(BaseModel):
    """A knowledge entry found by a search, with its fused score."""

    id: str
    lang: Lang
    doc_id: str
    kind: str
    stage: AwarenessStage | None = None
    channel: Channel | None = None
    title: str
    score: float


class EvalItem(BaseModel):
    """One question of an evaluation set (the format of shared/eval/dev.jsonl)."""

    id: str
    q: str
    lang: str | None = None
    stage: list[str] | None = None
    channel: str | None = None
    contains_all: list[str] = []
    contains_any: list[str] = []
    funnel: str | None = None
    # Off-topic: the answer must say it found nothing rather than guess.
    not_found: bool = False
    # What kind of question it is (situation, bant, metric, …), for the report by kind.
    kind: str | None = None


class EvalResult(BaseModel):
    item: EvalItem
    misses: list[str]
    answer: dict

    @property
    def passed(self) -> bool:
        return not self.misses


class EvalSummary(BaseModel):
    """A question set's score: [passed, total] by language and by kind, and how stages were read."""

    total: int
    passed: int
    by_lang: dict[str, list[int]] = {}
    by_kind: dict[str, list[int]] = {}
    stage_total: int = 0
    stage_right: int = 0
    # expected stage → answered stage ("none" when the answer named no stage) → count
    confusion: dict[str, dict[str, int]] = {}


class ModelCheck(BaseModel):
    """Whether the configured model answers: what `planbot doctor` reports."""

    configured: str | None = None
    timeout: float = 0
    answers: bool = False
    seconds: float = 0
    reply: str = ""
    error: str = ""


class ReplyKind(StrEnum):
    ANSWER = "answer"
    DRAFTS = "drafts"
    GAPS = "gaps"
    HELP = "help"      # a greeting or "what can you do?": each face shows what it offers


class Reply(BaseModel):
    """What the service made of a message: an answer, drafted cards, or the coverage gaps."""

    kind: ReplyKind
    lang: Lang
    answer: Answer | None = None
    drafts: list[Draft] = []
    gaps: list[CoverageCell] = []


class NextExperiment(BaseModel):
    """What to test next: the funnel it was read from, the experiment (None until some step has
    results), and the cards that would run it."""

    funnel: Funnel
    experiment: Experiment | None = None
    drafts: list[Draft] = []
    sources: list[SourceRef] = []  # the knowledge entries the suggestion rests on, in its language
    # With a model configured: its reasons, cited and checked; the rule-based ones follow them.
    explanation: str = ""
    flags: list[str] = []


class Reminder(BaseModel):
    """A plan's publish day is tomorrow (``today`` False) or today, and it is not published yet."""

    plan: ContentPlan
    today: bool
    key: str  # what was claimed, to release it when the reminder cannot be delivered


class Digest(BaseModel):
    """A channel's scheduled summary: what is due, what waits for review, the biggest gaps, the
    weakest funnel step."""

    workspace: str
    channel: str
    lang: Lang
    due: list[ContentPlan] = []
    in_review: list[ContentPlan] = []
    gaps: list[CoverageCell] = []
    weakest: FunnelStep | None = None
    key: str = ""
