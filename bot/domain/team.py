"""The team's own context: what it sells, to whom, through which channels, and the guidance it
adds to the built-in knowledge.

Everything here is optional: a workspace with an empty profile and no teachings is answered
exactly as planbot answers everyone. Names are the team's words and are shown as written.
"""

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from bot.domain.channels import Channel, ChannelRule, Range
from bot.domain.language import Lang
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.domain.vocabulary import parse_channel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class DuplicateName(ValueError):
    def __init__(self, field: str, name: str):
        super().__init__(f"{field}: the name {name!r} is used twice")
        self.field, self.name = field, name


class UnknownChannel(ValueError):
    def __init__(self, name: str, field: str = ""):
        super().__init__(f"{field + ': ' if field else ''}unknown channel {name!r}; use one of "
                         f"{', '.join(c.value for c in Channel)} or a channel of the team's own (name and kind)")
        self.name, self.field = name, field


class _Strict(BaseModel):
    # A key the team mistyped ("segement:") is an error naming it, not a silently lost value.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Product(_Strict):
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=10)  # what else people call it
    value: Line = ""        # the one-line value: "schedules a plant in minutes"
    problem: Line = ""      # the problem it solves
    category: Line = ""     # "production-scheduling SaaS"


class Motivation(_Strict):
    """Why a segment buys, and the number that shows it ("fewer late orders" — on-time rate)."""

    motivation: Line
    indicator: Line = ""


def resolve_channel(name: str, own: "list[TeamChannel] | None" = None) -> Channel:
    """A channel named by its value, an alias ("抖音", "newsletter") or one of the team's own."""
    for channel in own or []:
        if channel.name.casefold() == name.strip().casefold():
            return channel.kind
    try:
        return Channel(name.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        found = parse_channel(name)
        if found is None:
            raise UnknownChannel(name) from None
        return found


class TeamChannel(_Strict):
    """A channel the team runs, by its own name ("小红书 notes"), and the built-in channel it
    works like, whose rules and fit apply unless the team teaches its own."""

    name: Name
    kind: Channel

    @model_validator(mode="before")
    @classmethod
    def _from_a_name(cls, data):
        # "douyin" or "小红书" alone: the team runs a built-in channel, called what it calls it.
        if isinstance(data, str):
            return {"name": data, "kind": resolve_channel(data)}
        if isinstance(data, dict) and isinstance(data.get("kind"), str):
            return data | {"kind": resolve_channel(data["kind"])}
        return data


class Segment(_Strict):
    """A group of buyers named by what moves them, as the source material advises."""

    name: Name
    # Other names a question may use for the segment ("厂长", "plant managers").
    aliases: list[Name] = Field(default_factory=list, max_length=10)
    role: Line = ""
    pains: list[Line] = Field(default_factory=list, max_length=10)
    motivations: list[Motivation] = Field(default_factory=list, max_length=10)
    # Channel names as the team writes them; resolved against the profile's channels.
    channels: list[Name] = Field(default_factory=list, max_length=10)
    language: Lang | None = None

    @field_validator("motivations", mode="before")
    @classmethod
    def _plain_motivations(cls, value):
        # "- fewer late orders" is a motivation without an indicator.
        if isinstance(value, list):
            return [{"motivation": item} if isinstance(item, str) else item for item in value]
        return value


def _first_duplicate(names: list[str]) -> tuple[int, str] | None:
    """The position and name of the first name that repeats an earlier one (case aside)."""
    seen = set()
    for position, name in enumerate(names):
        if name.casefold() in seen:
            return position, name
        seen.add(name.casefold())
    return None


class TeamProfile(_Strict):
    products: list[Product] = Field(default_factory=list, max_length=20)
    segments: list[Segment] = Field(default_factory=list, max_length=30)
    channels: list[TeamChannel] = Field(default_factory=list, max_length=30)
    language: Lang | None = None

    @model_validator(mode="after")
    def _names_are_unique_and_channels_known(self) -> "TeamProfile":
        for field, names in (("products", [p.name for p in self.products]),
                             ("segments", [s.name for s in self.segments]),
                             ("channels", [c.name for c in self.channels])):
            if twice := _first_duplicate(names):
                raise DuplicateName(f"{field}[{twice[0]}].name", twice[1])
        for position, segment in enumerate(self.segments):
            for index, name in enumerate(segment.channels):
                try:
                    resolve_channel(name, self.channels)
                except UnknownChannel:
                    raise UnknownChannel(name, f"segments[{position}].channels[{index}]") from None
        return self

    @property
    def is_empty(self) -> bool:
        return not (self.products or self.segments or self.channels or self.language)

    def product(self, name: str) -> Product | None:
        return next((p for p in self.products if p.name.casefold() == name.strip().casefold()), None)

    def segment(self, name: str) -> Segment | None:
        return next((s for s in self.segments if s.name.casefold() == name.strip().casefold()), None)

    def preferred_channels(self, segment: Segment) -> list[Channel]:
        return list(dict.fromkeys(resolve_channel(name, self.channels) for name in segment.channels))

    def named_in(self, text: str, normalise: Callable[[str], str] = str.casefold
                 ) -> tuple[Product | None, Segment | None]:
        """The product and the segment ``text`` names by a name or an alias (the longest such name
        wins); ``normalise`` makes names and text comparable (case, Chinese script)."""
        normalised = normalise(text)
        return (_longest_named(self.products, normalised, normalise),
                _longest_named(self.segments, normalised, normalise))


def _longest_named(items, normalised_text: str, normalise: Callable[[str], str]):
    best, best_length = None, 0
    for item in items:
        for name in (item.name, *item.aliases):
            if len(name) > best_length and _names(normalise(name), normalised_text):
                best, best_length = item, len(name)
    return best


def _names(key: str, text: str) -> bool:
    """Whether ``text`` names ``key``: a Latin name as whole words (a plural too), others anywhere."""
    if key.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?:e?s)?(?![a-z0-9])", text) is not None
    return key in text


class ChannelDefaults(_Strict):
    """What questions and drafts in one Slack channel are about unless they say otherwise."""

    product: str = Field(default="", max_length=100)
    segment: str = Field(default="", max_length=100)
    language: Lang | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.product or self.segment or self.language)


class TeachingKind(StrEnum):
    CHANNEL_RULE = "channel_rule"
    CTA = "cta"
    SIGNAL = "signal"
    MAPPING = "mapping"


class _Teaching(_Strict):
    note: Line = ""  # why the team does it this way, shown with the rule


class TeamChannelRule(_Teaching):
    """The team's own format rule for a channel: "小红书 notes: 6–9 images, at most 1,000 characters"."""

    kind: Literal[TeachingKind.CHANNEL_RULE] = TeachingKind.CHANNEL_RULE
    channel: Name
    duration_seconds: Range | None = None
    word_count: Range | None = None
    min_image_share: float | None = Field(default=None, ge=0, le=1)
    image_count: Range | None = None

    @model_validator(mode="after")
    def _says_something(self) -> "TeamChannelRule":
        if self.rule == ChannelRule():
            raise ValueError("a channel rule needs at least one of duration_seconds, word_count, "
                             "min_image_share, image_count")
        for name in ("duration_seconds", "word_count", "image_count"):
            span = getattr(self, name)
            if span and span.min is not None and span.max is not None and span.min > span.max:
                raise ValueError(f"{name}: min is above max")
        return self

    @property
    def rule(self) -> ChannelRule:
        return ChannelRule(duration_seconds=self.duration_seconds, word_count=self.word_count,
                           min_image_share=self.min_image_share, image_count=self.image_count)

    @property
    def key(self) -> str:
        return self.channel.casefold()


class TeamCta(_Teaching):
    """A call to action the team uses at a stage, put first in drafts and answers."""

    kind: Literal[TeachingKind.CTA] = TeachingKind.CTA
    stage: AwarenessStage
    cta: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

    @property
    def key(self) -> str:
        return f"{self.stage.value}:{self.cta.casefold()}"


class TeamSignal(_Teaching):
    """A phrase that, for this team, places a prospect at a stage ("asks for the invoice title")."""

    kind: Literal[TeachingKind.SIGNAL] = TeachingKind.SIGNAL
    stage: AwarenessStage
    signal: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)]
    language: Lang | None = None

    @property
    def key(self) -> str:
        return f"{self.stage.value}:{self.signal.casefold()}"


class TeamMapping(_Teaching):
    """Which 5A stage one of the team's funnel stages pairs with."""

    kind: Literal[TeachingKind.MAPPING] = TeachingKind.MAPPING
    funnel_stage: FunnelStage
    stage: AwarenessStage

    @property
    def key(self) -> str:
        return self.funnel_stage.value


Teaching = Annotated[TeamChannelRule | TeamCta | TeamSignal | TeamMapping, Field(discriminator="kind")]


class TeamKnowledge(BaseModel):
    """Everything a team has taught, current versions only."""

    teachings: list[Teaching] = Field(default_factory=list)

    @property
    def channel_rules(self) -> list[TeamChannelRule]:
        return [t for t in self.teachings if isinstance(t, TeamChannelRule)]

    @property
    def ctas(self) -> list[TeamCta]:
        return [t for t in self.teachings if isinstance(t, TeamCta)]

    @property
    def signals(self) -> list[TeamSignal]:
        return [t for t in self.teachings if isinstance(t, TeamSignal)]

    @property
    def mappings(self) -> list[TeamMapping]:
        return [t for t in self.teachings if isinstance(t, TeamMapping)]
