"""Drafting content plans from a brief, composed from the knowledge base (no LLM)."""

import re

from bot.domain.channels import Channel, ChannelRule
from bot.domain.knowledge_ids import CTA_ENTRY, TEMPLATE_ENTRY, entry_id
from bot.domain.language import Lang
from bot.domain.plan import FIELD_LIMITS, Content, ContentFormat, ContentPlan
from bot.domain.rules import Rulebook, check
from bot.domain.stages import AwarenessStage
from bot.domain.vocabulary import find_mentions
from bot.i18n import label, t
from bot.knowledge.entries import ContentIdea, EntryKind, KnowledgeEntry
from bot.knowledge.search import HybridRetriever
from bot.language import detect_language, localise
from bot.models import Brief
from bot.planning.intent import read_intent
from bot.planning.slots import fill
from bot.planning.team import TeamGuide, preferred_first


def suggested_format(rule: ChannelRule | None) -> ContentFormat:
    """Format details that sit comfortably inside a channel's rule."""
    if rule is None:
        return ContentFormat()
    duration = None
    if rule.duration_seconds and rule.duration_seconds.min is not None and rule.duration_seconds.max is not None:
        duration = round((rule.duration_seconds.min + rule.duration_seconds.max) / 2)
    words = None
    if rule.word_count and rule.word_count.min is not None:
        words = int(rule.word_count.min * 1.3 // 100 * 100) or int(rule.word_count.min)
        if rule.word_count.max is not None:
            words = round((rule.word_count.min + rule.word_count.max) / 2)
    elif rule.word_count and rule.word_count.max is not None:
        words = int(rule.word_count.max * 0.8)
    share = None
    if rule.min_image_share is not None:
        share = round(min(1.0, rule.min_image_share + 0.1), 2)
    images = None
    if rule.image_count and (rule.image_count.min is not None or rule.image_count.max is not None):
        low, high = rule.image_count.min, rule.image_count.max
        images = round((low + high) / 2) if low is not None and high is not None else int(low if high is None else high)
    return ContentFormat(duration_seconds=duration, word_count=words, image_share=share, image_count=images)


class DraftComposer:
    def __init__(self, retriever: HybridRetriever, rulebook: Rulebook):
        self.retriever = retriever
        self.rules = rulebook

    def draft(self, brief: Brief, team: TeamGuide | None = None, rules: Rulebook | None = None) -> ContentPlan:
        """A card for ``brief``; ``team`` is whom it is for (the segment's pains, motivations and
        preferred channels) and ``rules`` the team's rulebook, when it has rules of its own."""
        team, rules = team or TeamGuide(), rules or self.rules
        audience = team.audience
        lang = brief.lang or detect_language(" ".join([brief.goal, brief.product, brief.segment]))
        stage = self._stage(brief, lang, rules)
        stage_entry = self.retriever.entry(entry_id(stage), lang)
        if stage_entry is None:
            raise LookupError(f"the knowledge base has no entry for the {stage.value} stage")
        idea = self._idea(stage_entry, brief, lang, audience.preferred_channels)
        # The knowledge base's words are converted for a Traditional Chinese reader; what the
        # marketer typed (product, segment, goal, the team's profile) is kept exactly as written.
        known = (lambda text: localise(text, lang)) if lang is Lang.ZH_HANT else (lambda text: text)
        slots = {"product": brief.product or audience.product,
                 "segment": brief.segment or audience.segment or known(self._default_segment(idea.channel, lang))}
        description = fill(known(idea.description), **slots)
        if audience.described_product and audience.described_product.value:
            description += "\n" + t("draft.product_value", lang, product=audience.described_product.name,
                                    value=audience.described_product.value)
        if brief.goal:
            description += "\n" + t("draft.goal", lang, goal=brief.goal)
        understanding = fill(known(_pick(stage_entry.understandings, brief.variant)), **slots)
        # A journey speaks to a different pain and motivation at each stage.
        turn = brief.variant + list(AwarenessStage).index(stage)
        if audience.pains:
            understanding = t("draft.understanding_for_pain", lang, understanding=understanding,
                              pain=_pick(audience.pains, turn))
        feeling = fill(known(_pick(stage_entry.feelings, brief.variant)), **slots)
        if audience.motivations:
            feeling = t("draft.feeling_for_motivation", lang, feeling=feeling,
                        motivation=_pick(audience.motivations, turn))
        plan = ContentPlan(
            funnel_stage=brief.funnel_stage or rules.mapping.funnel_for(stage),
            stage=stage,
            content=Content(
                title=fill(known(idea.title), **slots)[: FIELD_LIMITS["title"]],
                description=description[: FIELD_LIMITS["description"]],
                format=suggested_format(rules.channel_rules.get(idea.channel)),
            ),
            channel=idea.channel,
            segment=slots["segment"][: FIELD_LIMITS["segment"]],
            understanding=understanding[: FIELD_LIMITS["understanding"]],
            feeling=feeling[: FIELD_LIMITS["feeling"]],
            action=self._cta(stage_entry, stage, brief.variant, brief.goal, idea, team.ctas.get(stage, []),
                             known)[: FIELD_LIMITS["action"]],
            next_stage=stage.next or AwarenessStage.ADVOCATE,
            lang=lang,
            campaign=brief.campaign,
        )
        return plan.model_copy(update={"findings": check(plan, rules)})

    def journey_briefs(self, brief: Brief, segment: str = "") -> list[Brief]:
        """One brief per 5A stage for the same product and segment (the brief's, else ``segment``):
        a journey without a segment follows one persona from its first card to its last."""
        lang = brief.lang or detect_language(" ".join([brief.goal, brief.product, brief.segment]))
        segment = brief.segment or segment or (localise(self.default_segment(lang), lang) if lang is Lang.ZH_HANT
                                    else self.default_segment(lang))
        return [brief.model_copy(update={"stage": stage, "funnel_stage": None, "channel": None, "segment": segment})
                for stage in AwarenessStage]

    def context_for(self, plan: ContentPlan) -> list[KnowledgeEntry]:
        """The entries a card rests on: its stage, its channel, CTA guidance and the template."""
        ids = [entry_id(value) for value in (plan.stage, plan.channel) if value] + [CTA_ENTRY, TEMPLATE_ENTRY]
        return [entry for entry_id_ in ids if (entry := self.retriever.entry(entry_id_, plan.lang))]

    def _stage(self, brief: Brief, lang: Lang, rules: Rulebook) -> AwarenessStage:
        if brief.stage:
            return brief.stage
        if brief.funnel_stage:
            return rules.mapping.awareness_for(brief.funnel_stage)
        if brief.goal:
            intent = read_intent(brief.goal)
            if intent.stage or intent.funnel:
                return intent.stage or rules.mapping.awareness_for(intent.funnel)
            for hit in self.retriever.search(brief.goal, lang, require_dense=False):
                if hit.entry.kind in (EntryKind.STAGE, EntryKind.FUNNEL) and hit.entry.stage:
                    return hit.entry.stage
        return AwarenessStage.AWARE

    def _idea(self, stage_entry: KnowledgeEntry, brief: Brief, lang: Lang,
              preferred: tuple[Channel, ...] = ()) -> ContentIdea:
        """The brief's channel's idea; else one of the stage's, the segment's preferred channels first."""
        ideas = preferred_first(stage_entry.ideas, preferred, lang)
        if brief.channel:
            matching = [idea for idea in ideas if idea.channel is brief.channel]
            if matching:
                return _pick(matching, brief.variant)
            return self._idea_for_other_channel(stage_entry, brief.channel, brief.variant, lang)
        if not ideas:
            raise LookupError(f"the {stage_entry.id} entry has no content ideas")
        return _pick(ideas, brief.variant)

    def _idea_for_other_channel(self, stage_entry, channel: Channel, variant: int, lang: Lang) -> ContentIdea:
        """A channel the stage entry has no idea for: a kind of content the stage calls for that
        does not belong to another channel, made in this channel's form."""
        fitting = [content for content in stage_entry.content_types
                   if {mention.value for mention in find_mentions(content) if isinstance(mention.value, Channel)}
                   <= {channel}] or stage_entry.content_types
        content_type = _escaped(_pick(fitting, variant))
        channel_entry = self.retriever.entry(entry_id(channel), lang)
        description = t("draft.adapted_description", lang.content_lang, content=content_type,
                        channel=label(channel, lang.content_lang),
                        channel_summary=_escaped(channel_entry.summary) if channel_entry else "")
        return ContentIdea(channel=channel, title=f"{content_type}[ · {{product}}][ · {{segment}}]",
                           description=description)

    def _cta(self, stage_entry: KnowledgeEntry, stage: AwarenessStage, variant: int, goal: str = "",
             idea: ContentIdea | None = None, team_ctas: list[str] | None = None, known=lambda text: text) -> str:
        """The CTA the brief's goal names (any stage's, in the knowledge base's words), else the
        team's own for the stage (as the team wrote it), else the idea's own, else the stage's CTA
        that the CTA check accepts, from the requested variant; ``known`` converts the knowledge
        base's words for the reader."""
        if goal and (named_by_goal := self._cta_in_goal(goal, stage_entry.lang)):
            return known(named_by_goal)
        if team_ctas:
            return _pick(team_ctas, variant)
        return known(self._knowledge_cta(stage_entry, stage, variant, idea))

    def _knowledge_cta(self, stage_entry: KnowledgeEntry, stage: AwarenessStage, variant: int,
                       idea: ContentIdea | None) -> str:
        if idea and idea.cta:
            return idea.cta
        ctas = stage_entry.ctas
        for offset in range(len(ctas)):
            candidate = ctas[(variant + offset) % len(ctas)]
            named = self.rules.cta_stages(candidate)
            if not named or stage in named:
                return candidate
        return _pick(ctas, variant)

    def _cta_in_goal(self, goal: str, lang: Lang) -> str | None:
        """The knowledge base's CTA that shares the most words with the goal ("… so that they book a
        demo" → "Book a demo"), when it shares at least two."""
        wanted = _words(goal)
        best, best_shared = None, 1
        for ctas in self.rules.stage_ctas.get(lang.content_lang, {}).values():
            for cta in ctas:
                shared = len(wanted & _words(cta))
                if shared > best_shared:
                    best, best_shared = cta, shared
        return best

    def default_segment(self, lang: Lang) -> str:
        """The segment a journey without one is written for: the first example persona."""
        return self._default_segment(None, lang)

    def _default_segment(self, channel: Channel | None, lang: Lang) -> str:
        """The first example persona that prefers the channel, else the first persona."""
        personas = [
            e for e in self.retriever.entries if e.kind is EntryKind.PERSONA and e.lang is lang.content_lang
        ]
        preferred = [p for p in personas if channel in p.channels] or personas
        if not preferred:
            return ""
        # Persona titles read "Persona: the budget-conscious start-up"; the segment is the name.
        return re.split(r"[:：]\s*", preferred[0].title, maxsplit=1)[-1][: FIELD_LIMITS["segment"]]




_WORD = re.compile(r"[a-z0-9]+|[\uac00-\ud7a3]+", re.IGNORECASE)
_HAN_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
# Words too common to tie a goal to a CTA.
_FILLER = {"the", "a", "an", "to", "for", "of", "and", "or", "our", "your", "their", "them", "they", "so", "that"}


def _words(text: str) -> set[str]:
    """Lower-case words; Chinese as overlapping character pairs, so 预约演示 shares 预约 and 演示."""
    lowered = text.lower()
    return {word for word in _WORD.findall(lowered) if word not in _FILLER} | set(_HAN_PAIR.findall(lowered))


def _escaped(text: str) -> str:
    """Text placed into a slot template, its braces and brackets kept literal."""
    return text.replace("{", "{{").replace("}", "}}").replace("[", "(").replace("]", ")").replace("|", "/")


def _pick(items: list, variant: int):
    return items[variant % len(items)] if items else ""
