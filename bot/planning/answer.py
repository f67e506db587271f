"""Grounded answers composed from knowledge entries, with no LLM."""

from dataclasses import dataclass, replace

from bot.domain.knowledge_ids import BANT_ENTRY, entry_id
from bot.domain.language import Lang
from bot.domain.stages import StageMapping, qualify
from bot.i18n import channel_rule, label, t
from bot.i18n.formats import listing
from bot.knowledge.entries import EntryKind, KnowledgeEntry
from bot.knowledge.search import CANDIDATES, Hit, HybridRetriever
from bot.language import detect_language, localise
from bot.models import Answer, SourceRef
from bot.planning.intent import QuestionIntent, is_follow_up, read_intent

_STAGE_KINDS = (EntryKind.STAGE, EntryKind.FUNNEL)
# Entries that describe a means (a channel, a persona) rather than a situation.
_YIELDS_TO_STAGE = (EntryKind.CHANNEL_RULE, EntryKind.PERSONA)
# How far down the ranking a stage entry may be and still answer a situational question.
STAGE_WINDOW = 3


def source_ref(entry: KnowledgeEntry) -> SourceRef:
    return SourceRef(id=entry.id, kind=entry.kind.value, stage=entry.stage, channel=entry.channel, title=entry.title)


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


@dataclass(frozen=True)
class Composed:
    answer: Answer
    context: list[KnowledgeEntry]


# How many search hits beyond the entries an answer uses go to a model as context.
CONTEXT_HITS = 4


class AnswerComposer:
    def __init__(self, retriever: HybridRetriever, mapping: StageMapping | None = None):
        self.retriever = retriever
        self.mapping = mapping or StageMapping()

    def compose(self, question: str, lang: Lang | None = None, previous: Answer | None = None) -> "Composed":
        """The answer and the entries it was composed from, with the next best hits after them.

        ``previous`` is the answer before it in the same conversation, whose stage (and channel)
        a follow-up such as "and which channel?" keeps.
        """
        lang = lang or detect_language(question)
        intent = read_intent(question)
        if previous and not intent.names_subject and is_follow_up(question):
            intent = replace(
                intent, stage=previous.stage, funnel=None if previous.stage else previous.funnel,
                channel=intent.channel or (previous.channel if intent.asks_about_format else None),
            )
        hits = self.retriever.search(
            question, lang, k=CANDIDATES, require_dense=not intent.names_domain_term
        )
        lead = self._choose_lead(intent, hits, lang)
        if lead is None:
            return Composed(Answer.not_found(question, lang), [])

        stage, funnel = intent.stage, intent.funnel
        if intent.bant_count is not None:
            funnel = qualify(intent.bant_count)
        if funnel and not stage:
            stage = self.mapping.awareness_for(funnel)
        if not stage and lead.kind in _STAGE_KINDS:
            stage = lead.stage
        if not stage and lead.kind is EntryKind.CHANNEL_RULE and intent.asks_only_which_stage_a_channel_fits \
                and lead.stages:
            # The body names every stage the channel fits; the first is where it is strongest.
            stage = lead.stages[0]
        channel = intent.channel or lead.channel

        used: list[KnowledgeEntry] = [lead]
        # Composed in the language the knowledge is written in, then converted as a whole.
        sections = self._compose(lead, intent, lang.content_lang, stage, funnel, channel, used)
        sources = [source_ref(e) for e in {e.doc_id: e for e in used}.values()]
        body = localise("\n\n".join(part for part in sections if part), lang)
        answer = Answer(
            question=question, body=body, lang=lang, stage=stage, funnel=funnel, channel=channel,
            sources=sources,
        )
        context = list({e.doc_id: e for e in [*used, *(hit.entry for hit in hits[:CONTEXT_HITS])]}.values())
        return Composed(answer, context)

    def _choose_lead(
        self, intent: QuestionIntent, hits: list[Hit], lang: Lang
    ) -> KnowledgeEntry | None:
        """The entry the answer is built around.

        A named BANT count, funnel stage or 5A stage decides it; a named channel does when
        the question is about the channel's format. Otherwise the best hit leads, except that
        a situation ("what should we send them next?") is answered by its stage: a channel or
        persona entry gives way to a stage entry ranked close behind it.
        """
        named = None
        if intent.bant_count is not None:
            named = BANT_ENTRY
        elif intent.funnel:
            named = entry_id(intent.funnel)
        elif intent.stage:
            named = entry_id(intent.stage)
        elif intent.channel and intent.asks_about_format and not intent.asks_for_stage:
            named = entry_id(intent.channel)
        elif intent.asks_only_which_stage_a_channel_fits:
            # "Which stage is a webinar for?" is the channel entry's to answer: it names every
            # stage the channel fits. A situation ("onboarding emails") is answered by its stage.
            named = entry_id(intent.channel)
        if named and (entry := self.retriever.entry(named, lang)):
            return entry
        if not hits:
            return None
        stage_hits = [hit.entry for hit in hits if hit.entry.kind in _STAGE_KINDS]
        if intent.wants_stage_entry and stage_hits:
            return stage_hits[0]
        best = hits[0].entry
        if best.kind in _YIELDS_TO_STAGE:
            close_behind = [hit.entry for hit in hits[:STAGE_WINDOW] if hit.entry.kind in _STAGE_KINDS]
            if close_behind:
                return close_behind[0]
        return best

    def _compose(self, lead, intent, lang, stage, funnel, channel, used) -> list[str]:
        if intent.bant_count is not None and funnel:
            verdict = t("answer.bant_verdict", lang, count=intent.bant_count, funnel=label(funnel, lang))
            return [verdict, lead.summary, _bullets(lead.points)]
        if lead.kind is EntryKind.STAGE:
            return self._stage_sections(lead, lang, channel, used)
        if lead.kind is EntryKind.FUNNEL and lead.funnel:
            mapped = self.mapping.awareness_for(lead.funnel)
            parts = [
                t("answer.pairing", lang, funnel=label(lead.funnel, lang), stage=label(mapped, lang)),
                lead.summary,
                _bullets(lead.points),
            ]
            if stage_entry := self.retriever.entry(entry_id(mapped), lang):
                used.append(stage_entry)
                parts.append(self._list_line("answer.content_types", stage_entry.content_types, lang))
                parts.append(self._list_line("answer.ctas", stage_entry.ctas, lang))
            return parts
        if lead.kind is EntryKind.CHANNEL_RULE:
            parts = [f"**{lead.title}**", lead.summary, _bullets(lead.points)]
            if rule := channel_rule(lead.rule, lang):
                parts.append(f"**{t('answer.rule', lang)}:** {rule}")
            if lead.stages:
                stages = ", ".join(label(s, lang) for s in lead.stages)
                parts.append(f"**{t('answer.fits_stages', lang)}:** {stages}")
            return parts
        return [f"**{lead.title}**", lead.summary, _bullets(lead.points)]

    def _stage_sections(self, lead, lang, channel, used) -> list[str]:
        funnel = self.mapping.funnel_for(lead.stage)
        header = t("answer.stage_is", lang, stage=label(lead.stage, lang),
                   funnel=label(funnel, lang) if funnel else "-")
        channel_lines = []
        channels = list(dict.fromkeys(([channel] if channel else []) + lead.channels))
        for value in channels:
            entry = self.retriever.entry(entry_id(value), lang)
            rule = channel_rule(entry.rule, lang) if entry else ""
            if entry and (rule or value is channel):
                used.append(entry)
            channel_lines.append(f"{label(value, lang)}" + (f" ({rule})" if rule else ""))
        next_stage = lead.stage.next
        next_line = (
            f"**{t('answer.next_stage', lang)}:** {label(next_stage, lang)}"
            if next_stage
            else t("answer.last_stage", lang)
        )
        return [
            header,
            lead.summary,
            self._list_line("answer.content_types", lead.content_types, lang),
            f"**{t('answer.channels', lang)}:** " + listing(channel_lines, lang),
            self._list_line("answer.ctas", lead.ctas, lang),
            self._list_line("answer.metrics", lead.metrics, lang),
            next_line,
        ]

    @staticmethod
    def _list_line(key: str, items: list[str], lang: Lang) -> str:
        if not items:
            return ""
        return f"**{t(key, lang)}:** " + listing(items, lang)
