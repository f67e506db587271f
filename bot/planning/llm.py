"""Answers and drafts through a chat model, never worse than the rule-based ones.

Answers: the model writes from the retrieved entries only and cites them by id; citations of
entries that were not retrieved are dropped and flagged, an answer that cites none is not
used, and the rule-based answer's facts always follow the model's text. Drafts: the model
fills the ContentPlan itself (structured output), the same rule checks run, errors go back for
one repair round, and a card that still fails gives way to the rule-based draft. Any timeout,
provider error, malformed output or empty answer falls back to the rule-based result, and the
log says why.
"""

import json
import logging
import re
import threading
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.output_parsers import PydanticOutputParser
from pydantic import ValidationError

from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, Finding, FindingLevel, PlanStatus
from bot.domain.rules import Rulebook, check, has_errors
from bot.i18n import finding_fix, finding_message, t
from bot.knowledge.entries import KnowledgeEntry
from bot.llm.model import LlmFailure, ModelCalls, log_usage, stream_text
from bot.llm.prompts import load_prompt
from bot.models import Answer, Brief
from bot.planning.answer import Composed, source_ref

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {Lang.EN: "English", Lang.ZH_HANS: "Simplified Chinese",
                  Lang.ZH_HANT: "Traditional Chinese as written in Taiwan", Lang.KO: "Korean"}
_CITATION = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")


def _entry_data(entry: KnowledgeEntry) -> dict:
    data = {"id": entry.id, "kind": entry.kind.value, "title": entry.title, "summary": entry.summary,
            "points": entry.points}
    for name in ("stage", "funnel", "channel"):
        if getattr(entry, name):
            data[name] = getattr(entry, name).value
    for name in ("content_types", "ctas", "channels", "stages"):
        if getattr(entry, name):
            data[name] = [getattr(v, "value", v) for v in getattr(entry, name)]
    if entry.rule:
        data["rule"] = entry.rule.model_dump(exclude_none=True)
    return data


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _finding_data(finding: Finding, lang: Lang) -> dict:
    """A finding as the model reads it: the data, and what it means in the card's language."""
    return finding.model_dump(mode="json") | {"message": finding_message(finding, lang),
                                                "fix": finding_fix(finding, lang)}


def check_citations(text: str, allowed: set[str]) -> tuple[str, list[str], list[str]]:
    """(text without invented citations, the ids it cites validly, the ids it invented)."""
    cited, invented = [], []

    def keep_or_drop(match: re.Match) -> str:
        entry_id = match.group(1)
        if entry_id in allowed:
            cited.append(entry_id)
            return match.group(0)
        invented.append(entry_id)
        return ""

    cleaned = _CITATION.sub(keep_or_drop, text)
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip(), list(dict.fromkeys(cited)), invented


_MARKDOWN_LINK = re.compile(r"!?\[(?P<words>[^\]]*)\]\((?P<url>[^)\s]+)[^)]*\)")
_SLACK_LINK = re.compile(r"<(?P<url>(?:https?|mailto|ftp)[^|>\s]*)(?:\|(?P<words>[^>]*))?>", re.IGNORECASE)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\]]+", re.IGNORECASE)


def drop_foreign_links(text: str, allowed: set[str]) -> tuple[str, list[str]]:
    """(text with every link that is not in ``allowed`` reduced to its words, the links dropped).

    A model may be steered into adding a link (a phishing page, say); planbot's answers link
    only to what its knowledge base links to."""
    dropped: list[str] = []

    def keep_words(match: re.Match) -> str:
        if match.group("url") in allowed:
            return match.group(0)
        dropped.append(match.group("url"))
        return match.group("words") or ""

    def drop_bare(match: re.Match) -> str:
        if match.group(0) in allowed:
            return match.group(0)
        dropped.append(match.group(0))
        return "[link removed]"

    text = _SLACK_LINK.sub(keep_words, _MARKDOWN_LINK.sub(keep_words, text))
    return _BARE_URL.sub(drop_bare, text), dropped


def knowledge_links(entries) -> set[str]:
    """Every URL the given knowledge entries contain."""
    return {url for entry in entries for url in _BARE_URL.findall(entry.search_text())}


class LlmPlanner:
    def __init__(self, model: BaseChatModel, rulebook: Rulebook, timeout: float, calls: ModelCalls | None = None):
        self.model = model
        self.rules = rulebook
        self.timeout = timeout
        self.calls = calls or ModelCalls(1)

    # -- answers --

    def answer(self, composed: Composed, history: list[Answer] | None = None,
               on_text: Callable[[str], None] | None = None) -> Answer:
        """The model's cited answer followed by the rule-based facts, or the rule-based answer."""
        rule_based = composed.answer
        if not composed.context:
            return rule_based
        lang = rule_based.lang
        messages = load_prompt("answer").format_messages(
            language=LANGUAGE_NAMES[lang],
            history=_json([{"question": turn.question, "answer": turn.body[:1500]} for turn in history or []]),
            entries=_json([_entry_data(entry) for entry in composed.context]),
            question=_json(rule_based.question),
        )
        allowed_links = knowledge_links(composed.context)
        if on_text is not None:
            # What streams to a reader is held to the same rule as the final answer.
            stream, on_text = on_text, lambda partial: stream(drop_foreign_links(partial, allowed_links)[0])
        try:
            text = self.calls.call("answer", self.timeout, lambda cancelled: self._reply(messages, on_text, cancelled))
        except LlmFailure as failure:
            log.warning("llm answer fell back to the rule-based one: %s", failure)
            return rule_based.model_copy(update={"flags": [f"fallback: {failure}"]})
        by_id = {entry.id: entry for entry in composed.context}
        text, cited, invented = check_citations(text or "", set(by_id))
        text, foreign = drop_foreign_links(text, allowed_links)
        flags = [f"dropped citation: {entry_id}" for entry_id in invented] + [f"dropped link: {url}" for url in foreign]
        if foreign:
            log.warning("llm answer carried %d link(s) not in the knowledge base; removed", len(foreign))
        if invented:
            log.warning("llm answer cited entries that were not retrieved: %s", ", ".join(invented))
        if not text or not cited:
            log.warning("llm answer fell back to the rule-based one: %s", "empty" if not text else "uncited")
            return rule_based.model_copy(update={"flags": flags + ["fallback: " + ("empty" if not text else
                                                                                   "uncited")]})
        heading = t("answer.from_knowledge", lang)
        sources = [source_ref(by_id[entry_id]) for entry_id in cited]
        sources += [s for s in rule_based.sources if s.id not in cited]
        return rule_based.model_copy(update={
            "body": f"{text}\n\n**{heading}**\n\n{rule_based.body}", "sources": sources, "flags": flags,
        })

    def _reply(self, messages: list[BaseMessage], on_text: Callable[[str], None] | None,
               cancelled: threading.Event) -> str:
        if on_text is not None:
            return stream_text(self.model, messages, on_text, cancelled)
        message = self.model.invoke(messages)
        log_usage("answer", message)
        return message.content if isinstance(message.content, str) else ""

    # -- the next experiment --

    def explain(self, experiment: dict, entries: list[KnowledgeEntry], lang: Lang) -> tuple[str, list[str]]:
        """The model's reasons for an experiment that is already decided, cited from ``entries``:
        (text, flags); ("", flags) when it fails the checks (no valid citation, a timeout…), and the
        rule-based reasons stand alone."""
        messages = load_prompt("experiment").format_messages(
            language=LANGUAGE_NAMES[lang], experiment=_json(experiment),
            entries=_json([_entry_data(entry) for entry in entries]))
        try:
            text = self.calls.call("experiment", self.timeout, lambda cancelled: self._reply(messages, None, cancelled))
        except LlmFailure as failure:
            log.warning("llm experiment reasons fell back to the rule-based ones: %s", failure)
            return "", [f"fallback: {failure}"]
        text, cited, invented = check_citations(text or "", {entry.id for entry in entries})
        text, foreign = drop_foreign_links(text, knowledge_links(entries))
        flags = [f"dropped citation: {entry_id}" for entry_id in invented] + [f"dropped link: {url}" for url in foreign]
        if not text or not cited:
            reason = "empty" if not text else "uncited"
            log.warning("llm experiment reasons fell back to the rule-based ones: %s", reason)
            return "", [*flags, f"fallback: {reason}"]
        return text, flags

    # -- drafts --

    def draft(self, brief: Brief, baseline: ContentPlan, context: list[KnowledgeEntry],
              rules: Rulebook | None = None) -> ContentPlan:
        """The model's card if it passes the checks (``rules``, else planbot's; after at most one
        repair), else ``baseline``."""
        rules = rules or self.rules
        lang = baseline.lang
        messages = load_prompt("draft").format_messages(
            language=LANGUAGE_NAMES[lang], brief=_json(brief.model_dump(mode="json", exclude_none=True)),
            entries=_json([_entry_data(entry) for entry in context]),
            baseline=_json(baseline.model_dump(mode="json", exclude={"id", "findings", "created_at",
                                                                     "updated_at", "author", "status"})),
        )
        try:
            card = self._card(messages, lang)
            findings = check(card, rules)
            if has_errors(findings):
                log.info("llm draft broke %d rule(s); asking for one repair", len(findings))
                messages += [AIMessage(content=card.model_dump_json()),
                             *load_prompt("repair").format_messages(findings=_json(
                                 [_finding_data(finding, lang) for finding in findings]))]
                card = self._card(messages, lang)
                findings = check(card, rules)
            if has_errors(findings):
                raise LlmFailure("draft: the repaired card still breaks the rules")
        except LlmFailure as failure:
            log.warning("llm draft fell back to the rule-based one: %s", failure)
            tip = Finding(level=FindingLevel.TIP, rule="llm", field="content.title", code="llm_fallback")
            return baseline.model_copy(update={"findings": [*baseline.findings, tip]})
        return card.model_copy(update={"findings": findings})

    def _card(self, messages: list[BaseMessage], lang: Lang) -> ContentPlan:
        card = self.calls.call("draft", self.timeout, lambda _cancelled: self._structured(messages))
        # What the model may not decide: the card starts as a fresh draft in the asked language.
        return card.model_copy(update={"id": None, "status": PlanStatus.DRAFT, "findings": [], "lang": lang,
                                       "author": "", "created_at": None, "updated_at": None})

    def _structured(self, messages: list[BaseMessage]) -> ContentPlan:
        try:
            structured = self.model.with_structured_output(ContentPlan, include_raw=True)
        except NotImplementedError:
            return self._parsed(messages)
        result = structured.invoke(messages)
        log_usage("draft", result.get("raw"))
        if result.get("parsing_error") or result.get("parsed") is None:
            raise LlmFailure(f"draft: malformed output ({result.get('parsing_error')})")
        return result["parsed"]

    def _parsed(self, messages: list[BaseMessage]) -> ContentPlan:
        """For models without structured output: the schema in the prompt, the reply parsed."""
        parser = PydanticOutputParser(pydantic_object=ContentPlan)
        message = self.model.invoke([*messages, HumanMessage(content=parser.get_format_instructions())])
        log_usage("draft", message)
        try:
            return parser.parse(message.content if isinstance(message.content, str) else "")
        except (ValueError, ValidationError) as error:
            raise LlmFailure(f"draft: malformed output ({error})") from error
