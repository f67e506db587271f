"""Grounded answers composed from knowledge entries, with no LLM."""

from dataclasses import dataclass, replace

from bot.domain.bant import CRITERION_TERMS
from bot.domain.knowledge_ids import BANT_ENTRY, entry_id
from bot.domain.language import Lang
from bot.domain.stages import AwarenessStage, StageMapping
from bot.i18n import channel_rule, label, t
from bot.i18n.formats import heading, listing
from bot.knowledge.entries import EntryKind, KnowledgeEntry
from bot.knowledge.router import SignalMatch
from bot.knowledge.search import CANDIDATES, Hit, HybridRetriever
from bot.language import detect_language, localise
from bot.models import Answer, SourceRef
from bot.planning.intent import QuestionIntent, is_follow_up, read_intent, situation_text
from bot.planning.situation import ROUTE_MIN, StageReading, named_stage, routed_stage, stage_of
from bot.planning.slots import fill
from bot.planning.team import TeamGuide, preferred_first

_STAGE_KINDS = (EntryKind.STAGE, EntryKind.FUNNEL)
# Entries that describe a means (a channel, a persona) rather than a situation.
_YIELDS_TO_STAGE = (EntryKind.CHANNEL_RULE, EntryKind.PERSONA)
# How far down the ranking a stage entry may be and still answer a situational question.
STAGE_WINDOW = 3
# A method entry whose keywords the question has may answer it while scoring this much below
# the best stage: "of the people who know us, how many end up recommending us — which metric?"
# reads like a stage but asks for the BAR. (On the tuning sets 0.15–0.3 score within two
# questions of each other.)
METHOD_MARGIN = 0.2
# How far below a method entry's signals a stage's may score for its answer to name the stage
# too (on the tuning sets: up to 0.25 for questions about improving a stage or about onboarding
# numbers, 0.39 and more for "does every piece need a CTA?").
STAGE_BESIDE_METHOD = 0.35
# How many content ideas a stage answer leads with.
IDEAS_SHOWN = 3


def source_ref(entry: KnowledgeEntry) -> SourceRef:
    return SourceRef(id=entry.id, kind=entry.kind.value, stage=entry.stage, channel=entry.channel, title=entry.title)


# Stand-ins for what the asker typed while the answer is converted to Traditional Chinese, so
# that a product or segment name is shown exactly as written.
PRODUCT_MARK, SEGMENT_MARK = "\ue000", "\ue001"
# Between texts converted in one call.
TEXT_BREAK = "\ue002"


def _next_stage_line(stage: AwarenessStage, lang: Lang) -> str:
    next_stage = stage.next
    return heading(t("answer.next_stage", lang), lang) + label(next_stage, lang) if next_stage \
        else t("answer.last_stage", lang)


def _joined(sections: list[str]) -> str:
    return "\n\n".join(part for part in sections if part)


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

    def compose(self, question: str, lang: Lang | None = None, previous: Answer | None = None,
                stage: AwarenessStage | None = None, team: TeamGuide | None = None) -> "Composed":
        """The answer and the entries it was composed from, with the next best hits after them.

        ``previous`` is the answer before it in the same conversation, whose stage (and channel)
        a follow-up such as "and which channel?" keeps. ``stage`` answers at that stage whatever
        the question reads as (the asker picked it). ``team`` is whom the question is for (its
        product and segment fill the content ideas) and the team's own rules and signals.
        """
        team = team or TeamGuide()
        product, segment = team.audience.product, team.audience.segment
        lang = lang or detect_language(question)
        intent = read_intent(question)
        if stage:
            intent = replace(intent, stage=stage, funnel=None, bant_count=None)
        if previous and not intent.names_subject and is_follow_up(question):
            intent = replace(
                intent, stage=previous.stage, funnel=None if previous.stage else previous.funnel,
                channel=intent.channel or (previous.channel if intent.asks_about_format else None),
            )
        situation = situation_text(question)
        query, situation_query = self.retriever.queries([question, situation], lang) \
            if situation != question else [self.retriever.query(question, lang)] * 2
        named = named_stage(intent, question, self.mapping, read_criteria=stage is None)
        hits = self.retriever.search(query, lang, k=CANDIDATES,
                                     require_dense=not (intent.names_domain_term or named))
        routes = self.retriever.route(situation_query, team.signals)
        # Nothing in the knowledge base is close in meaning: found nothing, unless the situation
        # reads like a stage's signals ("a 3-vendor bakeoff, POC next week").
        if not hits and not named and not (routes and self.retriever.by_doc_id[routes[0].entry_doc_id].kind
                                           in _STAGE_KINDS):
            return Composed(Answer.not_found(question, lang), [])
        reading = named or routed_stage(routes, self.retriever.by_doc_id, self.mapping)
        lead = self._choose_lead(intent, reading, routes, hits, lang, query.text)
        if lead is None:
            return Composed(Answer.not_found(question, lang), [])
        reading = self._reading_for(lead, reading, intent, routes)
        if reading.reason and reading.match:
            reading = replace(reading, said=self.retriever.deciding_words(question, lang, reading.match.entry_doc_id))
        stage, funnel = reading.stage, reading.funnel
        channel = intent.channel or lead.channel
        if intent.channels_to_choose and lead.kind is EntryKind.STAGE:
            fitting = [value for value in intent.channels_to_choose if value in lead.channels]
            channel = min(fitting, key=lead.channels.index) if fitting else intent.channels_to_choose[0]

        used: list[KnowledgeEntry] = [lead]
        # Composed in the language the knowledge is written in, then converted as a whole.
        content_lang = lang.content_lang
        sections, detail = self._compose(lead, intent, reading, content_lang, stage, channel, used, team)
        sources = [source_ref(e) for e in {e.doc_id: e for e in used}.values()]
        # One conversion for the body, its detail and the runner-up's reason (OpenCC is the
        # slowest step of a Traditional Chinese answer).
        texts = [_joined(sections), _joined(detail), *(alternative.reason for alternative in reading.alternatives)]
        body, detail_text, *reasons = (
            text.replace(PRODUCT_MARK, product).replace(SEGMENT_MARK, segment)
            for text in localise(TEXT_BREAK.join(texts), lang).split(TEXT_BREAK))
        answer = Answer(
            question=question, body=body, lang=lang, stage=stage, funnel=funnel,
            channel=channel, sources=sources,
            confidence=reading.confidence if stage else None,
            alternatives=[alternative.model_copy(update={"reason": reason})
                          for alternative, reason in zip(reading.alternatives, reasons, strict=True)] if stage else [],
            detail=detail_text,
        )
        context = list({e.doc_id: e for e in [*used, *(hit.entry for hit in hits[:CONTEXT_HITS])]}.values())
        return Composed(answer, context)

    def _choose_lead(
        self, intent: QuestionIntent, reading: StageReading, routes: list[SignalMatch], hits: list[Hit], lang: Lang,
        searched_text: str,
    ) -> KnowledgeEntry | None:
        """The entry the answer is built around.

        A named BANT count, funnel stage or 5A stage decides it; a named channel does when
        the question is about the channel's format. Otherwise the entry whose signals the
        question is closest to leads: a stage (the router's reading), or another entry with
        signals (the metrics, the test-and-iterate order…) that matches better than any stage and
        whose keywords the question has.
        Without a close signal the best search hit leads, except that a situation is answered by
        its stage: a channel or persona entry gives way to a stage entry ranked close behind it.
        """
        named = None
        if reading.bant_met is not None or (intent.names_bant and not reading.named):
            named = BANT_ENTRY
        elif reading.named:
            named = entry_id(reading.funnel) if reading.funnel and not intent.stage else entry_id(reading.stage)
        elif intent.channel and intent.asks_about_format and not intent.asks_for_stage \
                and not intent.channels_to_choose and not intent.asks_what_to_put:
            named = entry_id(intent.channel)
        elif intent.asks_only_which_stage_a_channel_fits:
            # "Which stage is a webinar for?" is the channel entry's to answer: it names every
            # stage the channel fits. A situation ("onboarding emails") is answered by its stage.
            named = entry_id(intent.channel)
        if named and (entry := self.retriever.entry(named, lang)):
            return entry
        if routes and self.retriever.by_doc_id[routes[0].entry_doc_id].kind is EntryKind.OFF_TOPIC \
                and not (intent.names_concept or intent.asks_about_content or intent.channels_to_choose):
            # Closer to lunch orders and expense reports than to any marketing situation, and
            # naming no stage or journey term: a channel word alone ("translate this email")
            # does not make it a content question; "what goes on the webinar's agenda?" does, and so
            # does choosing between two channels.
            return None
        routes = [match for match in routes
                  if self.retriever.by_doc_id[match.entry_doc_id].kind is not EntryKind.OFF_TOPIC]
        if intent.channels_to_choose and reading.stage:
            # "Webinar or short video for people comparing vendors?" is answered by the stage.
            return self.retriever.entry(entry_id(reading.stage), lang)
        if routes and routes[0].score >= ROUTE_MIN:
            for match in routes:
                entry = self.retriever.by_doc_id[match.entry_doc_id]
                if match.score < reading.score - METHOD_MARGIN:
                    break
                if entry.kind not in _STAGE_KINDS and entry.admits(searched_text):
                    return entry
            if reading.stage and (entry := self.retriever.entry(entry_id(reading.stage), lang)):
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

    def _compose(self, lead, intent, reading: StageReading, lang, stage, channel, used,
                 team: TeamGuide) -> tuple[list[str], list[str]]:
        """The answer's sections, and the whole entry's when the answer is the short form."""
        if reading.bant_met is not None and reading.funnel:
            met = [t(f"bant.{name}", lang) for name in CRITERION_TERMS if name in reading.criteria_met]
            verdict = [t("answer.bant_verdict", lang, count=reading.bant_met, funnel=label(reading.funnel, lang)),
                       t("answer.bant_met", lang, criteria=listing(met, lang)) if met else t("answer.bant_none", lang)]
            stage_entry = self.retriever.entry(entry_id(reading.stage), lang)
            if stage_entry is None:
                return [*verdict, lead.summary, _bullets(lead.points)], []
            used.append(stage_entry)
            short = self._stage_short(stage_entry, lang, [channel], used, team)
            return [*verdict, *short], [lead.summary, _bullets(lead.points),
                                        *self._stage_sections(stage_entry, lang, channel, used, team)]
        if lead.kind is EntryKind.STAGE:
            short = [self._verdict(lead, reading, lang),
                     self._channel_choice(lead, intent.channels_to_choose, lang, team)]
            # Ideas for the channels the asker weighs come first, the best fitting one leading.
            short += self._stage_short(lead, lang, [channel, *intent.channels_to_choose], used, team)
            return short, self._stage_sections(lead, lang, channel, used, team)
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
            return parts, []
        if lead.kind is EntryKind.CHANNEL_RULE:
            parts = [f"**{lead.title}**", lead.summary, _bullets(lead.points)]
            if lead.channel and (team_line := self._team_rule_line(lead.channel, lang, used, team)):
                parts.insert(1, team_line)
            if rule := channel_rule(lead.rule, lang):
                parts.append(heading(t('answer.rule', lang), lang) + rule)
            if lead.stages:
                stages = ", ".join(label(s, lang) for s in lead.stages)
                parts.append(heading(t('answer.fits_stages', lang), lang) + stages)
            return parts, []
        parts = [f"**{lead.title}**", lead.summary, _bullets(lead.points)]
        if intent.channel and intent.asks_about_format \
                and (channel_entry := self.retriever.entry(entry_id(intent.channel), lang)) \
                and (rule := channel_rule(channel_entry.rule, lang)):
            # "What CTA, and how long should the clip be?": the guidance, and the channel's rule too.
            used.append(channel_entry)
            parts.append(heading(f"{t('answer.rule', lang)} · {label(intent.channel, lang)}", lang) + rule)
        if stage and reading.reason:
            # An answer about a method (how to improve, what to measure) for a situation that
            # sits at a stage also says which stage.
            stage_entry = self.retriever.entry(entry_id(stage), lang)
            if stage_entry:
                parts.append(self._verdict(stage_entry, reading, lang))
        return parts, []

    def _reading_for(self, lead: KnowledgeEntry, reading: StageReading, intent: QuestionIntent,
                     routes: list[SignalMatch]) -> StageReading:
        """The stage an answer built around ``lead`` states: the lead's own when it is a stage entry
        chosen by search; the first a channel fits when asked which stage it is for; none for
        another channel question, or for a method question that describes no situation."""
        if not reading.named and lead.kind in _STAGE_KINDS and stage_of(lead, self.mapping) != reading.stage:
            return StageReading(stage_of(lead, self.mapping), lead.funnel)
        if lead.kind is EntryKind.CHANNEL_RULE:
            if intent.asks_only_which_stage_a_channel_fits and lead.stages:
                # The body names every stage the channel fits; the first is where it is strongest.
                return StageReading(lead.stages[0])
            # "TikTok clips for people who've never heard of us: what length?" — the rule, and the
            # stage the audience is at when the question says so clearly, at a stage the channel fits.
            described = reading.sure and reading.score >= ROUTE_MIN and reading.stage in lead.stages
            return reading if reading.named or described else StageReading()
        if lead.kind not in _STAGE_KINDS and not reading.named and reading.bant_met is None \
                and not self._describes_a_situation(reading, lead, routes):
            return StageReading()
        return reading

    @staticmethod
    def _describes_a_situation(reading: StageReading, lead: KnowledgeEntry, routes: list[SignalMatch]) -> bool:
        """Whether a question answered by a method entry also describes a prospect's situation, so
        that the answer says its stage too: the stage reads clearly, or its signals match nearly
        as well as the method's ("our awareness campaign is tanking, nobody has heard of us" —
        how to improve, at Aware; not "how do I draw a journey map?"). A concept of every stage (the
        5A metrics) names one only when the question has one of its cues ("they are all comparing
        vendors"): "how many of those who know us recommend us?" echoes the Appeal and Advocate
        signals, but asks for the BAR, not for where a prospect is."""
        if not reading.reason or reading.score < ROUTE_MIN:
            return False
        if lead.kind is EntryKind.CONCEPT and lead.stage is None:
            return bool(reading.match and reading.match.cued)
        lead_score = next((match.signals_score for match in routes if match.entry_doc_id == lead.doc_id), None)
        stage_score = reading.match.signals_score if reading.match else reading.score
        return reading.sure or lead_score is None or lead_score - stage_score <= STAGE_BESIDE_METHOD

    def _channel_rule(self, channel, lang: Lang, team: TeamGuide) -> tuple[KnowledgeEntry | None, str]:
        """A channel's entry and its rule in words ("" when it has none): the team's own when it
        has one, marked as the team's."""
        if team_entry := team.rule_entry(channel, lang):
            return team_entry, t("answer.team_rule_short", lang, rule=channel_rule(team_entry.rule, lang))
        entry = self.retriever.entry(entry_id(channel), lang)
        return entry, channel_rule(entry.rule, lang) if entry else ""

    def _team_rule_line(self, channel, lang: Lang, used: list, team: TeamGuide) -> str:
        """The team's rule for a channel, and what it replaces of planbot's ("" when it has none)."""
        team_entry = team.rule_entry(channel, lang)
        if team_entry is None:
            return ""
        used.append(team_entry)
        rule = channel_rule(team_entry.rule, lang)
        # The summary is the team's note on the rule, or the rule itself when it gave none.
        line = heading(team_entry.title, lang) + rule
        if team_entry.summary != rule:
            line += f" ({team_entry.summary})"
        built_in = self.retriever.entry(entry_id(channel), lang)
        if team.rule_notes[channel].replaces_built_in and built_in and built_in.rule:
            line += "\n" + t("answer.team_rule_replaces", lang, rule=channel_rule(built_in.rule, lang))
        return line

    @staticmethod
    def _audience_line(team: TeamGuide, lang: Lang) -> str:
        """Whom the ideas are for: the segment's pains and motivations, as the team described them."""
        audience = team.audience
        if not (audience.pains or audience.motivations):
            return ""
        parts = [t("answer.for_segment_product", lang, segment=SEGMENT_MARK, product=PRODUCT_MARK) if audience.product
                 else t("answer.for_segment", lang, segment=SEGMENT_MARK)]
        if audience.pains:
            parts.append(t("answer.segment_pains", lang, pains=listing(audience.pains, lang)))
        if audience.motivations:
            parts.append(t("answer.segment_motivations", lang, motivations=listing(audience.motivations, lang)))
        return " ".join(parts)

    def _funnel_label(self, stage_entry: KnowledgeEntry, lang: Lang) -> str:
        funnel = self.mapping.funnel_for(stage_entry.stage)
        return label(funnel, lang) if funnel else "-"

    def _stage_header(self, stage_entry: KnowledgeEntry, lang: Lang) -> str:
        """"Stage: **Ask** (sales funnel: SQL)"."""
        return t("answer.stage_is", lang, stage=label(stage_entry.stage, lang),
                 funnel=self._funnel_label(stage_entry, lang))

    def _verdict(self, stage_entry: KnowledgeEntry, reading: StageReading, lang: Lang) -> str:
        """The stage in one sentence with what in the question decided it, and a close runner-up."""
        if not reading.reason:
            return self._stage_header(stage_entry, lang)
        stage, funnel = label(stage_entry.stage, lang), self._funnel_label(stage_entry, lang)
        lines = [t("answer.verdict_said", lang, stage=stage, funnel=funnel, said=reading.said) if reading.said
                 else t("answer.verdict", lang, stage=stage, funnel=funnel, signal=reading.reason)]
        lines += [t("answer.unsure", lang, stage=label(alternative.stage, lang), signal=alternative.reason)
                  for alternative in reading.alternatives]
        return "\n".join(lines)

    def _channel_choice(self, stage_entry: KnowledgeEntry, channels, lang: Lang, team: TeamGuide) -> str:
        """Which of the channels the asker weighs fit the stage, best first, with their rules."""
        lines = []
        fitting = sorted((value for value in channels if value in stage_entry.channels), key=stage_entry.channels.index)
        for position, value in enumerate(fitting):
            _, rule = self._channel_rule(value, lang, team)
            key = "answer.channel_fits_best" if position == 0 else "answer.channel_fits_too"
            lines.append(t(key, lang, channel=label(value, lang), stage=label(stage_entry.stage, lang),
                           rule=f" ({rule})" if rule else ""))
        lines += [t("answer.channel_not_listed", lang, channel=label(value, lang), stage=label(stage_entry.stage, lang))
                  for value in channels if value not in stage_entry.channels]
        return "\n".join(lines)

    def _stage_short(self, stage_entry: KnowledgeEntry, lang: Lang, channels: list, used,
                     team: TeamGuide) -> list[str]:
        """At most three content ideas with their channel's rule and a CTA (the asked channels'
        first, then the segment's preferred ones), the metric to watch, and the next stage."""
        product, segment = team.audience.product, team.audience.segment
        ideas = preferred_first(stage_entry.ideas, [*channels, *team.audience.preferred_channels], lang)
        lines = []
        for position, idea in enumerate(ideas[:IDEAS_SHOWN]):
            entry, rule = self._channel_rule(idea.channel, lang, team)
            if rule:
                used.append(entry)
            text = fill(idea.title if segment else idea.description,
                        product=PRODUCT_MARK if product else "", segment=SEGMENT_MARK if segment else "")
            cta = idea.cta or (stage_entry.ctas[position % len(stage_entry.ctas)] if stage_entry.ctas else "")
            name = label(idea.channel, lang)
            ruled = f"**{name[:1].upper()}{name[1:]}**" + (f" ({rule})" if rule else "")
            parts = [ruled + t("unit.colon", lang) + text]
            if cta:
                parts.append(f"CTA: {cta}")
            lines.append(" · ".join(parts))
        sections = [self._audience_line(team, lang),
                    heading(t("answer.ideas", lang), lang).rstrip() + "\n" + _bullets(lines) if lines else ""]
        if team_ctas := team.ctas.get(stage_entry.stage):
            sections.append(heading(t("answer.team_ctas", lang), lang) + listing(team_ctas, lang))
        if stage_entry.metrics:
            # The first measure, and the stage's own Kotler rate, which its list ends with.
            watched = list(dict.fromkeys([stage_entry.metrics[0], stage_entry.metrics[-1]]))
            sections.append(heading(t('answer.watch', lang), lang) + listing(watched, lang))
        sections.append(_next_stage_line(stage_entry.stage, lang))
        sections.append(f"_{t('answer.more_hint', lang)}_")
        return sections

    def _stage_sections(self, lead, lang, channel, used, team: TeamGuide) -> list[str]:
        channel_lines = []
        channels = list(dict.fromkeys(([channel] if channel else []) + lead.channels))
        for value in channels:
            entry, rule = self._channel_rule(value, lang, team)
            if entry and (rule or value is channel):
                used.append(entry)
            channel_lines.append(f"{label(value, lang)}" + (f" ({rule})" if rule else ""))
        return [
            self._stage_header(lead, lang),
            lead.summary,
            self._list_line("answer.content_types", lead.content_types, lang),
            heading(t('answer.channels', lang), lang) + listing(channel_lines, lang),
            self._list_line("answer.ctas", lead.ctas, lang),
            self._list_line("answer.metrics", lead.metrics, lang),
            _next_stage_line(lead.stage, lang),
        ]

    @staticmethod
    def _list_line(key: str, items: list[str], lang: Lang) -> str:
        if not items:
            return ""
        return heading(t(key, lang), lang) + listing(items, lang)
