"""One request's team context: whom a question or a draft is for, and the team's rulebook.

What a question names wins over the channel's defaults, which win over the profile's only
product; a product or segment the team has not described is still used, by its name, as the
question wrote it.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.domain.channels import Channel
from bot.domain.knowledge_ids import entry_id
from bot.domain.language import Lang
from bot.domain.plan import FIELD_LIMITS
from bot.domain.rules import Rulebook
from bot.domain.stages import AwarenessStage, StageMapping
from bot.domain.team import (
    ChannelDefaults,
    Product,
    Segment,
    TeamChannelRule,
    TeamKnowledge,
    TeamProfile,
    resolve_channel,
)
from bot.i18n import channel_rule, t
from bot.knowledge.entries import ContentIdea, EntryKind, KnowledgeEntry
from bot.knowledge.store import SignalVectors
from bot.language import to_simplified
from bot.planning.intent import read_product_and_segment

# The id a team's own rule is cited by: the built-in entry's id it stands beside, marked (in the
# form a model's citations take, [team-channel-social-post]).
TEAM_PREFIX = "team-"
AUDIENCE_ENTRY = f"{TEAM_PREFIX}audience"


def team_source(channel: Channel) -> str:
    return f"{TEAM_PREFIX}{entry_id(channel)}"


@lru_cache(maxsize=1024)
def _comparable(text: str) -> str:
    """Text as names are compared in it: case folded, Chinese in Simplified (厂长 = 廠長)."""
    return to_simplified(text).casefold() if _HAN.search(text) else text.casefold()


_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Audience:
    """Whom one question or draft is for."""

    product: str = ""
    segment: str = ""
    described_product: Product | None = None
    described_segment: Segment | None = None
    preferred_channels: tuple[Channel, ...] = ()

    @property
    def pains(self) -> list[str]:
        return self.described_segment.pains if self.described_segment else []

    @property
    def motivations(self) -> list[str]:
        return [m.motivation for m in self.described_segment.motivations] if self.described_segment else []


@dataclass(frozen=True)
class TeamRuleNote:
    """A team rule that stands in for a built-in one, so the answer can say so."""

    team_name: str
    rule: TeamChannelRule
    replaces_built_in: bool


@dataclass(frozen=True)
class TeamContext:
    workspace: str = ""
    profile: TeamProfile = field(default_factory=TeamProfile)
    knowledge: TeamKnowledge = field(default_factory=TeamKnowledge)
    defaults: ChannelDefaults = field(default_factory=ChannelDefaults)

    @property
    def language(self) -> Lang | None:
        return self.defaults.language or self.profile.language

    def audience(self, text: str = "", product: str = "", segment: str = "", for_a_card: bool = False) -> Audience:
        """Whom ``text`` is about: the product and segment given (a brief's own), else those it
        names (by the profile's names, then by how it says it), else the channel's defaults, else
        the profile's only product. A card needs a segment: ``for_a_card`` falls back to the
        profile's first one rather than to a textbook persona."""
        named_product, named_segment = self.profile.named_in(text, _comparable) if text else (None, None)
        said_product, said_segment = read_product_and_segment(text) if text else ("", "")
        only_product = self.profile.products[0].name if len(self.profile.products) == 1 else ""
        product_name = (product or (named_product.name if named_product else "") or said_product
                        or self.defaults.product or only_product)[:100]
        first_segment = self.profile.segments[0].name if for_a_card and self.profile.segments else ""
        segment_name = (segment or (named_segment.name if named_segment else "") or said_segment
                        or self.defaults.segment or first_segment)[:FIELD_LIMITS["segment"]]
        described_segment = self.profile.segment(segment_name) if segment_name else None
        preferred = tuple(self.profile.preferred_channels(described_segment)) if described_segment else ()
        return Audience(product=product_name, segment=segment_name,
                        described_product=self.profile.product(product_name) if product_name else None,
                        described_segment=described_segment, preferred_channels=preferred)

    def rule_channel(self, rule: TeamChannelRule) -> Channel | None:
        try:
            return resolve_channel(rule.channel, self.profile.channels)
        except ValueError:
            return None

    def channel_rule_notes(self, built_in: Rulebook) -> dict[Channel, TeamRuleNote]:
        notes = {}
        for rule in self.knowledge.channel_rules:
            channel = self.rule_channel(rule)
            if channel is None:
                continue
            replaced = channel in built_in.channel_rules and built_in.channel_rules[channel] != rule.rule
            notes[channel] = TeamRuleNote(rule.channel, rule, replaced)
        return notes

    def ctas_by_stage(self) -> dict[AwarenessStage, list[str]]:
        ctas: dict[AwarenessStage, list[str]] = {}
        for taught in self.knowledge.ctas:
            ctas.setdefault(taught.stage, []).append(taught.cta)
        return ctas

    def rulebook(self, built_in: Rulebook) -> Rulebook:
        """The built-in rulebook with the team's rules in place of the ones they cover."""
        if not self.knowledge.teachings:
            return built_in
        notes = self.channel_rule_notes(built_in)
        mapping = built_in.mapping.funnel_to_awareness | {
            taught.funnel_stage: taught.stage for taught in self.knowledge.mappings}
        team_ctas = self.ctas_by_stage()
        stage_ctas = {lang: {stage: [*team_ctas.get(stage, []), *ctas] for stage, ctas in by_stage.items()}
                      for lang, by_stage in built_in.stage_ctas.items()}
        keywords = {stage: [*built_in.cta_keywords.get(stage, []), *team_ctas.get(stage, [])]
                    for stage in {*built_in.cta_keywords, *team_ctas}}
        return built_in.with_changes(
            mapping=StageMapping(funnel_to_awareness=mapping),
            channel_rules=built_in.channel_rules | {channel: note.rule.rule for channel, note in notes.items()},
            channel_rule_sources=built_in.channel_rule_sources | {channel: team_source(channel) for channel in notes},
            stage_ctas=stage_ctas,
            cta_keywords=keywords,
        )


@dataclass(frozen=True)
class TeamGuide:
    """What an answer or a draft takes from the team context."""

    audience: Audience = field(default_factory=Audience)
    rule_notes: dict[Channel, TeamRuleNote] = field(default_factory=dict)
    ctas: dict[AwarenessStage, list[str]] = field(default_factory=dict)
    signals: SignalVectors | None = None

    def rule_entry(self, channel: Channel, lang: Lang) -> KnowledgeEntry | None:
        """The team's rule for a channel as an entry of its own, cited as the team's."""
        note = self.rule_notes.get(channel)
        if note is None:
            return None
        return KnowledgeEntry(
            id=team_source(channel), kind=EntryKind.CHANNEL_RULE, lang=lang.content_lang,
            title=t("answer.team_rule_title", lang.content_lang, channel=note.team_name),
            summary=note.rule.note or channel_rule(note.rule.rule, lang.content_lang),
            channel=channel, rule=note.rule.rule)


def audience_entry(audience: Audience, lang: Lang) -> KnowledgeEntry | None:
    """Whom the team sells to, as an entry a model is given beside the knowledge base's (and may
    cite); None when the team described neither the product nor the segment."""
    product, segment = audience.described_product, audience.described_segment
    if product is None and segment is None:
        return None
    points = [t("team_entry.pain", lang.content_lang, pain=pain) for pain in audience.pains]
    points += [t("team_entry.motivation", lang.content_lang, motivation=m.motivation, indicator=m.indicator)
               if m.indicator else t("team_entry.motivation_alone", lang.content_lang, motivation=m.motivation)
               for m in (segment.motivations if segment else [])]
    if product and product.problem:
        points.append(t("team_entry.problem", lang.content_lang, product=product.name, problem=product.problem))
    summary = " · ".join(part for part in [
        f"{product.name}: {product.value}" if product and product.value else (product.name if product else ""),
        f"{segment.name} ({segment.role})" if segment and segment.role else (segment.name if segment else ""),
    ] if part)
    return KnowledgeEntry(id=AUDIENCE_ENTRY, kind=EntryKind.PERSONA, lang=lang.content_lang,
                          title=t("team_entry.title", lang.content_lang), summary=summary, points=points)


def team_guide(context: TeamContext, built_in: Rulebook, audience: Audience,
               signals: SignalVectors | None = None) -> TeamGuide:
    return TeamGuide(audience=audience, rule_notes=context.channel_rule_notes(built_in), ctas=context.ctas_by_stage(),
                     signals=signals)


# Channels of the Chinese market: a WeChat official account is where a Chinese B2B audience
# reads long articles, and few English or Korean readers publish one.
_CHINESE_MARKET_CHANNELS = frozenset({Channel.WECHAT_ARTICLE})
_CHINESE = (Lang.ZH_HANS, Lang.ZH_HANT)


def preferred_first(ideas: list[ContentIdea], channels, lang: Lang) -> list[ContentIdea]:
    """The ideas in the order of the channels they use; those in no listed channel follow as they
    were, except that a reader of another language than Chinese gets a Chinese-market channel's
    idea last unless it was asked for."""
    order = [channel for channel in channels if channel]

    def rank(idea: ContentIdea) -> int:
        if idea.channel in order:
            return order.index(idea.channel)
        return len(order) + (lang not in _CHINESE and idea.channel in _CHINESE_MARKET_CHANNELS)

    return sorted(ideas, key=rank)
