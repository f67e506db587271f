"""Drafting content plans from a brief, composed from the knowledge base (no LLM)."""

import re

from bot.domain.channels import Channel, ChannelRule
from bot.domain.knowledge_ids import CTA_ENTRY, TEMPLATE_ENTRY, entry_id
from bot.domain.language import Lang
from bot.domain.plan import FIELD_LIMITS, Content, ContentFormat, ContentPlan
from bot.domain.rules import Rulebook, check
from bot.domain.stages import AwarenessStage
from bot.i18n import t
from bot.knowledge.entries import ContentIdea, EntryKind, KnowledgeEntry
from bot.knowledge.search import HybridRetriever
from bot.language import detect_language, localise
from bot.models import Brief
from bot.planning.intent import read_intent
from bot.planning.slots import fill


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
    share = None
    if rule.min_image_share is not None:
        share = round(min(1.0, rule.min_image_share + 0.1), 2)
    return ContentFormat(duration_seconds=duration, word_count=words, image_share=share)


class DraftComposer:
    def __init__(self, retriever: HybridRetriever, rulebook: Rulebook):
        self.retriever = retriever
        self.rules = rulebook

    def draft(self, brief: Brief) -> ContentPlan:
        lang = brief.lang or detect_language(" ".join([brief.goal, brief.product, brief.segment]))
        stage = self._stage(brief, lang)
        stage_entry = self.retriever.entry(entry_id(stage), lang)
        if stage_entry is None:
            raise LookupError(f"the knowledge base has no entry for the {stage.value} stage")
        idea = self._idea(stage_entry, brief, lang)
        # The knowledge base's words are converted for a Traditional Chinese reader; what the
        # marketer typed (product, segment, goal) is kept exactly as written.
        known = (lambda text: localise(text, lang)) if lang is Lang.ZH_HANT else (lambda text: text)
        slots = {"product": brief.product,
                 "segment": brief.segment or known(self._default_segment(idea.channel, lang))}
        description = fill(known(idea.description), **slots)
        if brief.goal:
            description += "\n" + t("draft.goal", lang, goal=brief.goal)
        plan = ContentPlan(
            funnel_stage=brief.funnel_stage or self.rules.mapping.funnel_for(stage),
            stage=stage,
            content=Content(
                title=fill(known(idea.title), **slots)[: FIELD_LIMITS["title"]],
                description=description[: FIELD_LIMITS["description"]],
                format=suggested_format(self.rules.channel_rules.get(idea.channel)),
            ),
            channel=idea.channel,
            segment=slots["segment"],
            understanding=fill(known(_pick(stage_entry.understandings, brief.variant)), **slots),
            feeling=fill(known(_pick(stage_entry.feelings, brief.variant)), **slots),
            action=known(self._cta(stage_entry, stage, brief.variant)),
            next_stage=stage.next or AwarenessStage.ADVOCATE,
            lang=lang,
            campaign=brief.campaign,
        )
        return plan.model_copy(update={"findings": check(plan, self.rules)})

    @staticmethod
    def journey_briefs(brief: Brief) -> list[Brief]:
        """One brief per 5A stage for the same product and segment."""
        return [brief.model_copy(update={"stage": stage, "funnel_stage": None, "channel": None})
                for stage in AwarenessStage]

    def context_for(self, plan: ContentPlan) -> list[KnowledgeEntry]:
        """The entries a card rests on: its stage, its channel, CTA guidance and the template."""
        ids = [entry_id(value) for value in (plan.stage, plan.channel) if value] + [CTA_ENTRY, TEMPLATE_ENTRY]
        return [entry for entry_id_ in ids if (entry := self.retriever.entry(entry_id_, plan.lang))]

    def _stage(self, brief: Brief, lang: Lang) -> AwarenessStage:
        if brief.stage:
            return brief.stage
        if brief.funnel_stage:
            return self.rules.mapping.awareness_for(brief.funnel_stage)
        if brief.goal:
            intent = read_intent(brief.goal)
            if intent.stage or intent.funnel:
                return intent.stage or self.rules.mapping.awareness_for(intent.funnel)
            for hit in self.retriever.search(brief.goal, lang, require_dense=False):
                if hit.entry.kind in (EntryKind.STAGE, EntryKind.FUNNEL) and hit.entry.stage:
                    return hit.entry.stage
        return AwarenessStage.AWARE

    def _idea(self, stage_entry: KnowledgeEntry, brief: Brief, lang: Lang) -> ContentIdea:
        ideas = stage_entry.ideas
        if brief.channel:
            matching = [idea for idea in ideas if idea.channel is brief.channel]
            if matching:
                return _pick(matching, brief.variant)
            return self._idea_for_other_channel(stage_entry, brief.channel, brief.variant, lang)
        if not ideas:
            raise LookupError(f"the {stage_entry.id} entry has no content ideas")
        return _pick(ideas, brief.variant)

    def _idea_for_other_channel(self, stage_entry, channel: Channel, variant: int, lang: Lang) -> ContentIdea:
        """A channel the stage entry has no idea for: the stage's content, in that channel's form."""
        content_type = _pick(stage_entry.content_types, variant)
        channel_entry = self.retriever.entry(entry_id(channel), lang)
        summary = channel_entry.summary if channel_entry else ""
        escaped = content_type.replace("{", "{{").replace("}", "}}")
        return ContentIdea(channel=channel, title=f"{escaped}[ · {{product}}]", description=summary)

    def _cta(self, stage_entry: KnowledgeEntry, stage: AwarenessStage, variant: int) -> str:
        """The stage's CTA that the CTA check accepts, starting from the requested variant."""
        ctas = stage_entry.ctas
        for offset in range(len(ctas)):
            candidate = ctas[(variant + offset) % len(ctas)]
            named = self.rules.cta_stages(candidate)
            if not named or stage in named:
                return candidate
        return _pick(ctas, variant)

    def _default_segment(self, channel: Channel, lang: Lang) -> str:
        """The first example persona that prefers the channel, else the first persona."""
        personas = [
            e for e in self.retriever.entries if e.kind is EntryKind.PERSONA and e.lang is lang.content_lang
        ]
        preferred = [p for p in personas if channel in p.channels] or personas
        if not preferred:
            return ""
        # Persona titles read "Persona: the budget-conscious start-up"; the segment is the name.
        return re.split(r"[:：]\s*", preferred[0].title, maxsplit=1)[-1][: FIELD_LIMITS["segment"]]




def _pick(items: list, variant: int):
    return items[variant % len(items)] if items else ""
