"""The one API every face of planbot calls: the CLI and Slack.

Its signatures take and return the public models of ``bot.models`` only, so a face needs
nothing else of planbot; every decision (what a message asks for, which language to answer
in, what a brief means, who may do what) is made here or below.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from bot.config import Settings
from bot.domain.access import (
    Actor,
    PlanAction,
    PlanPlace,
    Refusal,
    Role,
    TeamAction,
    plan_refusal,
    status_action,
    team_refusal,
)
from bot.domain.digest import DigestSchedule
from bot.domain.experiment import Lever, next_experiment
from bot.domain.language import Lang
from bot.domain.plan import (
    ALLOWED_TRANSITIONS,
    CARD_FIELDS,
    EDITABLE_FIELDS,
    ContentPlan,
    Finding,
    FindingLevel,
    PlanStatus,
    StaleVersion,
    TransitionError,
)
from bot.domain.results import MeasuredPlan, funnel
from bot.domain.rules import Rulebook, check, has_errors
from bot.domain.stages import StageMapping
from bot.errors import UserError, from_result_validation_error, from_team_validation_error, from_validation_error
from bot.evaluation import read_items, read_questions, score, summarise
from bot.files import parse_json, parse_yaml, read_text
from bot.i18n import plans_markdown
from bot.knowledge.entries import files_fingerprint, load_entries
from bot.knowledge.rulebook import RULES_FILE, build_rulebook
from bot.knowledge.search import HybridRetriever
from bot.knowledge.store import KnowledgeStore
from bot.language import detect_language, message_language, readable
from bot.llm.model import ModelCalls, chat_model, log_usage
from bot.models import (
    Answer,
    AwarenessStage,
    BackupReport,
    Brief,
    ChannelDefaults,
    Conversation,
    CoverageReport,
    Digest,
    Draft,
    EvalResult,
    EvalSummary,
    Funnel,
    HistoryEvent,
    ImportReport,
    KnowledgeHit,
    ModelCheck,
    NextExperiment,
    OnConflict,
    PlanQuery,
    PlanResult,
    Readiness,
    Reminder,
    Reply,
    ReplyKind,
    SyncReport,
    Taught,
    Teaching,
    TeamProfile,
    TeamProfileView,
    Viewer,
)
from bot.planning.answer import AnswerComposer, source_ref
from bot.planning.calendar import by_publish_day, calendar_ics
from bot.planning.coverage import coverage_report
from bot.planning.draft import DraftComposer
from bot.planning.filters import parse_filters, parse_value
from bot.planning.intent import read_intent
from bot.planning.routing import read_draft_request, read_request
from bot.planning.schedule import latest_run, parse_schedule, team_today
from bot.planning.team import Audience, TeamContext, TeamGuide, audience_entry, team_guide
from bot.planning.team_records import TeamRecords, parse_profile, profile_yaml, read_profile_file
from bot.storage import backup
from bot.storage.browse import datasette_metadata
from bot.storage.plan_log import PlanLog, PlanNotFound
from bot.storage.results_log import ResultsLog, StaleResult, read_results_csv

PLAN_LOG_FILE = "plans.db"
# Whose eyes a channel's digest is for: nobody's own plans, only the channel's.
DIGEST_READER = "planbot:digest"

if TYPE_CHECKING:
    from bot.planning.llm import LlmPlanner

log = logging.getLogger(__name__)


class PlanBotService:
    def __init__(self, settings: Settings | None = None, mapping: StageMapping | None = None):
        self.settings = settings or Settings()
        self.mapping = mapping or StageMapping()
        self.store = KnowledgeStore(self.settings.chroma_dir, self.settings.collection,
                                    server_url=self.settings.chroma_url,
                                    poll_seconds=self.settings.knowledge_poll_seconds)
        self._composer: AnswerComposer | None = None
        self._drafter: DraftComposer | None = None
        self._plans: PlanLog | None = None
        self._results: ResultsLog | None = None
        self._team: TeamRecords | None = None
        self._llm: LlmPlanner | None = None
        self._chat_model = None  # langchain's BaseChatModel, with the calls it may make at once
        self._model_calls: ModelCalls | None = None
        self._llm_tried = False
        self._llm_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings | None = None) -> PlanBotService:
        """A service whose knowledge store matches knowledge/ (synced if missing or stale). On a
        shared Chroma server, what `kb sync` published there is used as it is (synced only when
        the server has none), so that an instance with other files does not undo it."""
        service = cls(settings)
        if not (service.settings.chroma_url and service.store.published_version()):
            service.sync_knowledge()
        return service

    def recheck_legacy_findings(self) -> int:
        """Check again the plans whose findings were stored as sentences (in one language) by an
        older planbot, so they are shown in each reader's language; returns how many. Runs when
        the plan log is first opened."""
        legacy = self.plans.ids_with_legacy_findings()
        if legacy:
            self.plans.replace_findings({plan_id: self.check(self.plans.get(plan_id)) for plan_id in legacy})
            log.info("checked %d plan(s) again whose findings predate finding codes", len(legacy))
        return len(legacy)

    def sharing_knowledge(self, settings: Settings) -> PlanBotService:
        """A service over other data (plan log, Slack state, model settings) that reads this one's
        knowledge store and retriever rather than loading the knowledge base again."""
        other = PlanBotService(settings, self.mapping)
        other.store, other._composer = self.store, self.composer
        return other

    def sync_knowledge(self) -> SyncReport:
        source = files_fingerprint(self.settings.knowledge_dir)
        held = self.store.synced_from(source)
        if held is not None:  # no file changed since the last sync: nothing to parse
            return SyncReport(unchanged=held)
        report = self.store.sync(load_entries(self.settings.knowledge_dir), source)
        if report.changed:
            # Everything built from the entries (retriever, rulebook, the model's planner) goes;
            # the chat model itself stays.
            self._composer = self._drafter = self._llm = None
        return report

    def prepare(self) -> None:
        """Build the retriever, the rulebook and the model now rather than inside the first request."""
        _ = self.rulebook
        _ = self.llm

    # --- backups ------------------------------------------------------------------------

    def back_up_plans(self, target: Path) -> BackupReport:
        """A consistent copy of the plan log (and the team records in it) at ``target``, also
        while a server writes to it."""
        snapshot = backup.back_up(self.plans.path, target)  # opened first: the file exists, migrated
        return BackupReport(path=str(target), plans=snapshot.plans, last_change=snapshot.last_change)

    def restore_plans(self, source: Path, force: bool = False) -> BackupReport:
        """The plan log replaced by the backup at ``source``: refused when the log has changes
        newer than the backup's (unless ``force``), or when it is no plan log of this planbot."""
        live = self._plan_log_file
        live.parent.mkdir(parents=True, exist_ok=True)
        if self._plans is not None:
            self._plans.close()
            self._plans = None
        snapshot = backup.restore(source, live, force=force)
        _ = self.plans  # opened again, and migrated when the backup is from an older planbot
        return BackupReport(path=str(live), plans=snapshot.plans, last_change=snapshot.last_change)

    def plan_log_for_browsing(self, lang: Lang) -> tuple[Path, dict]:
        """The plan log file (created and migrated if new) and the Datasette metadata that makes it
        readable in ``lang``."""
        path = self.plans.path  # opened first: the file exists, migrated
        return path, datasette_metadata(lang, database=path.stem)

    def readiness(self) -> Readiness:
        """Whether requests can be answered now (for a load balancer's readiness probe)."""
        knowledge = self._composer is not None and bool(self._composer.retriever.entries)
        database = self.plans.writable()
        detail = "; ".join(problem for problem, bad in (("knowledge not loaded", not knowledge),
                                                       ("plan log not writable", not database)) if bad)
        return Readiness(knowledge=knowledge, database=database, detail=detail)

    @property
    def composer(self) -> AnswerComposer:
        if self.store.refresh():  # another instance synced new knowledge to the shared server
            log.info("new knowledge on the Chroma server: retriever and rules rebuilt")
            self._composer = self._drafter = self._llm = None
        if self._composer is None:
            self._composer = AnswerComposer(HybridRetriever(self.store), self.mapping)
        return self._composer

    @property
    def rulebook(self) -> Rulebook:
        return self.drafter.rules

    @property
    def drafter(self) -> DraftComposer:
        retriever = self.composer.retriever  # first: new knowledge on a shared server resets the drafter
        if self._drafter is None:
            rules_file = self.settings.knowledge_dir / RULES_FILE
            self._drafter = DraftComposer(retriever, build_rulebook(retriever.entries, rules_file, self.mapping))
        return self._drafter

    @property
    def llm(self) -> LlmPlanner | None:
        """The model from PLANBOT_LLM, or None: unset, or not usable (the log says why). Built
        once, under a lock: concurrent first questions all get it."""
        if not self.settings.llm:
            return None
        with self._llm_lock:
            if self._llm is None and not self._llm_tried:
                self._llm_tried = True
                try:
                    self._chat_model = chat_model(self.settings.llm, self.settings.llm_timeout)
                    self._model_calls = ModelCalls(self.settings.llm_concurrency)
                except Exception as error:  # a missing provider package or key: answer without a model
                    log.warning("PLANBOT_LLM=%s is not usable, answering without it: %s", self.settings.llm, error)
            if self._llm is None and self._chat_model is not None:
                from bot.planning.llm import LlmPlanner  # langchain, only where a model is used

                self._llm = LlmPlanner(self._chat_model, self.rulebook, self.settings.llm_timeout,
                                       self._model_calls)
            return self._llm

    # --- conversation ------------------------------------------------------------------

    def language_of(self, text: str, reader: Lang | None = None) -> Lang:
        """The language to reply to ``text`` in: its own, or its reader's when it shows none."""
        return message_language(text, reader)

    def respond(self, text: str, conversation: Conversation | None = None,
                on_text: Callable[[str], None] | None = None) -> Reply:
        """What a free-text message asks for, answered: a question, a drafting request
        ("draft a webinar plan for …", "起草…"), or the coverage gaps. Every face routes its
        messages through here, so Slack and the terminal read the same text the same way."""
        conversation = conversation or Conversation()
        text = readable(text)
        lang = self.language_of(text, conversation.user_lang)
        kind = read_request(text)
        if kind is ReplyKind.HELP:
            return Reply(kind=kind, lang=lang)
        where = {"workspace": conversation.workspace, "channel": conversation.channel}
        if kind is ReplyKind.DRAFTS:
            return Reply(kind=kind, lang=lang, drafts=self.draft_from_text(text, lang, **where))
        if kind is ReplyKind.GAPS:
            asker = self.actor(conversation.workspace, conversation.user, conversation.channel) \
                if conversation.user else None
            return Reply(kind=ReplyKind.GAPS, lang=lang, gaps=self.coverage(asker).gaps)
        answer = self.ask(text, lang, previous=conversation.previous, on_text=on_text, **where)
        return Reply(kind=ReplyKind.ANSWER, lang=lang, answer=answer)

    def ask(self, question: str, lang: Lang | None = None, previous: Answer | None = None,
            on_text: Callable[[str], None] | None = None, stage: AwarenessStage | None = None,
            workspace: str = "", channel: str = "") -> Answer:
        """A grounded answer; ``previous`` (the conversation's last answer) carries a follow-up,
        and ``stage`` is one the asker picked (from an answer that was unsure between two).
        ``workspace`` and ``channel`` say whose team context applies: its product and segment
        (unless the question names others), its own rules and signals.

        With a model configured, it writes the answer from the same entries and ``on_text``
        receives the text as it streams.
        """
        question = readable(question)
        context = self.team.context(workspace, channel)
        guide = self._guide(context, context.audience(question))
        lang = lang or message_language(question, context.language)
        composed = self._composer_for(context).compose(question, lang, previous, stage=stage, team=guide)
        if self.llm is None:
            answer = composed.answer
        else:
            # The model writes for the team's product and segment too.
            team_entry = audience_entry(guide.audience, composed.answer.lang)
            if team_entry and composed.context:
                composed = replace(composed, context=[team_entry, *composed.context])
            answer = self.llm.answer(composed, [previous] if previous else [], on_text)
        if answer.body and composed.context and self.team.offer_setup_once(workspace):
            answer = answer.model_copy(update={"offer_team_setup": True})
        return answer

    def _guide(self, context: TeamContext, audience: Audience) -> TeamGuide:
        signals = self.team.signals(context.workspace, context.knowledge.teachings) if context.knowledge.signals \
            else None
        return team_guide(context, self.rulebook, audience, signals)

    def _composer_for(self, context: TeamContext) -> AnswerComposer:
        """The composer, or one pairing the funnel with the 5A path the team's way."""
        if not context.knowledge.mappings:
            return self.composer
        return AnswerComposer(self.composer.retriever, context.rulebook(self.rulebook).mapping)

    def search_knowledge(self, query: str, lang: Lang | None = None, k: int = 8) -> list[KnowledgeHit]:
        hits = self.composer.retriever.search(query, lang or detect_language(query), k=k)
        return [KnowledgeHit(id=entry.id, lang=entry.lang, doc_id=entry.doc_id, kind=entry.kind.value,
                             stage=entry.stage, channel=entry.channel, title=entry.title, score=hit.score)
                for hit in hits for entry in [hit.entry]]

    def draft(self, brief: Brief, workspace: str = "", channel: str = "") -> ContentPlan:
        """A complete card for the brief, with its check findings (none, for the stage's channels),
        written for the team's product and segment when ``workspace`` has a profile.

        With a model configured it drafts the card, within the same checks.
        """
        context = self.team.context(workspace, channel)
        audience = context.audience(brief.goal, product=brief.product, segment=brief.segment, for_a_card=True)
        rules, guide = context.rulebook(self.rulebook), self._guide(context, audience)
        segment_lang = audience.described_segment.language if audience.described_segment else None
        lang = brief.lang or segment_lang or context.language
        baseline = self.drafter.draft(brief.model_copy(update={"lang": lang}), guide, rules)
        if self.llm is None:
            return baseline
        team_entries = [entry for entry in [audience_entry(audience, baseline.lang),
                                            guide.rule_entry(baseline.channel, baseline.lang) if baseline.channel
                                            else None] if entry]
        return self.llm.draft(brief, baseline, [*team_entries, *self.drafter.context_for(baseline)], rules)

    def draft_journey(self, brief: Brief, workspace: str = "", channel: str = "") -> list[ContentPlan]:
        """One card per 5A stage for the same product and segment."""
        return [draft.plan for draft in self.drafts(brief, journey=True, workspace=workspace, channel=channel)]

    def drafts(self, brief: Brief, journey: bool = False, every_segment: bool = False, workspace: str = "",
               channel: str = "") -> list[Draft]:
        """The card for ``brief`` (one per 5A stage with ``journey``; that for each of the team's
        segments with ``every_segment``), each with the brief it answers, so that "another idea"
        can draft that brief's next variant."""
        segments = [segment.name for segment in self.team.profile(workspace).profile.segments] \
            if every_segment and workspace else []
        briefs = [brief.model_copy(update={"segment": name}) for name in segments] or [brief]
        if journey:
            context = self.team.context(workspace, channel)
            # One persona from the first card to the last: the segment is settled before the stages.
            briefs = [stage_brief for each in briefs for stage_brief in self.drafter.journey_briefs(
                each, context.audience(each.goal, each.product, each.segment, for_a_card=True).segment)]
        drafted = []
        for each in briefs:
            plan = self.draft(each, workspace, channel)
            drafted.append(Draft(plan=plan, brief=each.model_copy(update={"stage": plan.stage}),
                                 workspace=workspace, channel=channel))
        return drafted

    def draft_from_text(self, text: str, lang: Lang, workspace: str = "", channel: str = "") -> list[Draft]:
        """Drafts for a brief in a marketer's own words ("webinar for the Appeal stage",
        "--journey …", "--every-segment"): the stage, funnel stage and channel it names, the rest
        as the goal."""
        request = read_draft_request(text)
        intent = read_intent(request.brief_text)
        brief = Brief(stage=intent.stage, funnel_stage=intent.funnel, channel=intent.channel,
                      goal=request.brief_text[:500], lang=lang)
        return self.drafts(brief, journey=request.journey, every_segment=request.every_segment,
                           workspace=workspace, channel=channel)

    def draft_from_answer(self, answer: Answer, workspace: str = "", channel: str = "") -> Draft:
        """A card for the question an answer was about: its stage and channel, the question as goal."""
        brief = Brief(stage=answer.stage, funnel_stage=None if answer.stage else answer.funnel,
                      channel=answer.channel, goal=answer.question[:500], lang=answer.lang)
        return self.drafts(brief, workspace=workspace, channel=channel)[0]

    def another_idea(self, draft: Draft) -> Draft:
        brief = draft.brief.model_copy(update={"variant": draft.brief.variant + 1})
        return draft.model_copy(update={"plan": self.draft(brief, draft.workspace, draft.channel), "brief": brief})

    def with_partner_stage(self, plan: ContentPlan, changed: Literal["stage", "funnel_stage"],
                           workspace: str = "") -> ContentPlan:
        """The card with the stage that pairs with the one just picked (the team's mapping), and
        the next stage that follows it."""
        mapping = self._rules_for(workspace).mapping
        if changed == "funnel_stage" and plan.funnel_stage:
            stage = mapping.awareness_for(plan.funnel_stage)
            return plan.model_copy(update={"stage": stage, "next_stage": stage.next or plan.next_stage})
        if changed == "stage" and plan.stage:
            return plan.model_copy(update={"funnel_stage": mapping.funnel_for(plan.stage),
                                           "next_stage": plan.stage.next or plan.next_stage})
        return plan

    def check(self, plan: ContentPlan, workspace: str = "") -> list[Finding]:
        """The rule checks' findings for a card (shown in a reader's words by ``bot.i18n``), by
        the workspace's rules where it has its own."""
        return check(plan, self._rules_for(workspace))

    def _rules_for(self, workspace: str) -> Rulebook:
        return self.team.context(workspace).rulebook(self.rulebook) if workspace else self.rulebook

    # --- reading what people type ------------------------------------------------------

    @staticmethod
    def parse_value(kind: Literal["stage", "funnel", "channel", "status"], text: str):
        """A stage, funnel stage, channel or status named by its value or any alias; else a UserError."""
        return parse_value(kind, text)

    @staticmethod
    def parse_plan_query(words: str | list[str], me: str | None = None) -> PlanQuery:
        """`stage:ask channel:抖音 status:draft mine webinar` as a query over the plan log."""
        return parse_filters(words, me=me)

    @staticmethod
    def parse_funnel_query(words: str | list[str], me: str | None = None) -> tuple[PlanQuery, date | None,
                                                                                 date | None]:
        """Which plans' results a funnel counts (`segment:… channel:…`), and the period of the
        results (`since:` / `until:`, inclusive)."""
        query = parse_filters(words, me=me)
        return (query.model_copy(update={"created_from": None, "created_to": None}), query.created_from,
                query.created_to)

    # --- the team's own context -----------------------------------------------------------

    @property
    def team(self) -> TeamRecords:
        if self._team is None:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self._team = TeamRecords(self._plan_log_file, self.store,
                                     self.settings.team_knowledge_dir)
        return self._team

    def team_profile(self, workspace: str) -> TeamProfileView:
        return self.team.profile(workspace)

    def save_team_profile(self, workspace: str, profile: TeamProfile | dict, who: str,
                          base_version: int | None = None, actor: Actor | None = None) -> TeamProfileView:
        """Store a new version of the profile (an editor's or an admin's to change); with
        ``base_version``, refused if someone saved another version since (``stale_team_profile``)."""
        self._team_guard(actor, TeamAction.EDIT_PROFILE)
        if isinstance(profile, dict):
            profile = parse_profile(profile, "profile")
        return self.team.save_profile(workspace, profile, who, base_version)

    def import_team_profile(self, workspace: str, path: Path, who: str) -> TeamProfileView:
        """The profile from a YAML file, whole or not at all."""
        return self.team.save_profile(workspace, read_profile_file(path), who)

    def team_profile_yaml(self, workspace: str) -> str:
        return profile_yaml(self.team.profile(workspace).profile)

    @staticmethod
    def parse_team_profile(text: str) -> TeamProfile:
        return parse_profile(parse_yaml(text, "profile"), "profile")

    def channel_defaults(self, workspace: str, channel: str) -> ChannelDefaults:
        return self.team.defaults(workspace, channel)

    def set_channel_defaults(self, workspace: str, channel: str, defaults: ChannelDefaults | dict,
                             who: str, actor: Actor | None = None) -> ChannelDefaults:
        """What questions and drafts in ``channel`` are about unless they say otherwise."""
        self._team_guard(actor, TeamAction.SET_DEFAULTS)
        if isinstance(defaults, dict):
            try:
                defaults = ChannelDefaults.model_validate(defaults)
            except ValidationError as error:
                raise from_team_validation_error(error) from error
        return self.team.set_defaults(workspace, channel, defaults, who)

    def team_teachings(self, workspace: str) -> list[Taught]:
        return self.team.teachings(workspace)

    def teach(self, workspace: str, teaching: dict | Teaching, who: str, actor: Actor | None = None) -> Taught:
        """Add (or replace) a piece of the team's own guidance; it applies from the next request."""
        self._team_guard(actor, TeamAction.TEACH)
        return self.team.teach(workspace, teaching, who)

    def forget(self, workspace: str, key: str, who: str, actor: Actor | None = None) -> None:
        self._team_guard(actor, TeamAction.TEACH)
        self.team.forget(workspace, key, who)

    def team_file_problems(self) -> list[tuple[Path, UserError]]:
        """The team knowledge files that are not used, and why."""
        return self.team.refused_files()

    # --- the plan log ---------------------------------------------------------------------

    @property
    def _plan_log_file(self) -> Path:
        return self.settings.data_dir / PLAN_LOG_FILE

    @property
    def plans(self) -> PlanLog:
        if self._plans is None:
            self._plans = PlanLog(self._plan_log_file)
            self.recheck_legacy_findings()
        return self._plans

    def save_plan(self, plan: ContentPlan, who: str, keep_as_draft: bool = False, workspace: str = "",
                  actor: Actor | None = None) -> ContentPlan:
        """Check and save a card (by the workspace's rules). A card with errors is only kept as a
        draft, and only when asked. A new card is ``actor``'s, homed where they are; a saved one
        is changed only if they may edit it (``actor`` None: the command line, which may).

        Nothing is written when the card is refused.
        """
        workspace = actor.workspace if actor else workspace
        to_save = self._checked(plan, keep_as_draft, workspace).model_copy(update={"author": plan.author or who})
        if actor and plan.id is None:
            to_save = to_save.model_copy(update={"owner": actor.user, "workspace": actor.workspace,
                                                 "home": actor.home, "home_private": actor.channel_private})
        with _plan_log_errors(plan.id):
            return self.plans.save(to_save, who, self._plan_guard(actor, PlanAction.EDIT))

    def _checked(self, plan: ContentPlan, keep_as_draft: bool, workspace: str = "") -> ContentPlan:
        """The card with its findings; refused with errors unless it may stay a draft."""
        findings = self.check(plan, workspace)
        if has_errors(findings):
            if not keep_as_draft:
                raise UserError("plan_has_errors", count=_error_count(findings), findings=findings)
            if plan.status is not PlanStatus.DRAFT:
                plan = plan.model_copy(update={"status": PlanStatus.DRAFT})
        return plan.model_copy(update={"findings": findings})

    def get_plan(self, plan_id: int, actor: Actor | None = None) -> ContentPlan:
        """A saved plan, if ``actor`` may see it from where they are."""
        with _plan_log_errors(plan_id):
            plan = self.plans.get(plan_id)
            if guard := self._plan_guard(actor, PlanAction.VIEW):
                guard(plan)
            return plan

    def plan_history(self, plan_id: int, actor: Actor | None = None) -> list[HistoryEvent]:
        self.get_plan(plan_id, actor)
        return self.plans.history(plan_id)

    def edit_plan(self, plan_id: int, changes: dict[str, object], who: str, workspace: str = "",
                  actor: Actor | None = None) -> ContentPlan:
        """Apply field changes given by dotted name ("content.title", "channel"…), check, save.

        A draft keeps its errors (it stays a draft); a card further along may not gain any.
        """
        for dotted in changes:
            allowed = ", ".join(sorted(EDITABLE_FIELDS))
            if dotted in CARD_FIELDS - EDITABLE_FIELDS:
                raise UserError("not_editable", field=dotted, allowed=allowed)
            if dotted not in EDITABLE_FIELDS:
                raise UserError("unknown_field", field=dotted, allowed=allowed)

        def edited(current: ContentPlan) -> ContentPlan:
            data = current.model_dump(mode="json")
            for dotted, value in changes.items():
                ContentPlan.set_in(data, dotted, value)
            try:
                plan = ContentPlan.model_validate(data)
            except ValidationError as error:
                raise from_validation_error(error) from error
            return self._checked(plan, keep_as_draft=current.status is PlanStatus.DRAFT, workspace=workspace)

        # Read, changed and written in one write transaction: concurrent edits of other fields
        # are never undone, and the permission is checked on what is stored.
        workspace = actor.workspace if actor else workspace
        with _plan_log_errors(plan_id):
            return self.plans.modify(plan_id, edited, who, self._plan_guard(actor, PlanAction.EDIT))

    def set_plan_status(self, plan_id: int, status: PlanStatus, who: str, workspace: str = "",
                        actor: Actor | None = None) -> ContentPlan:
        """Move a plan along the workflow: submitting is its owner's or an editor's, approving and
        publishing an approver's (not their own plan, unless the workspace allows it), archiving
        the owner's or an approver's."""
        workspace = actor.workspace if actor else workspace
        plan = self.get_plan(plan_id, actor)
        guard = self._plan_guard(actor, lambda stored: status_action(stored.status, status))
        if guard:
            guard(plan)
        findings = self.check(plan, workspace) if status in _NEEDS_A_CLEAN_CARD else []
        if has_errors(findings):
            raise UserError("plan_has_errors", count=_error_count(findings), findings=findings)
        with _plan_log_errors(plan_id):
            return self.plans.set_status(plan_id, status, who, guard)

    def hand_over_plan(self, plan_id: int, owner: str, who: str, actor: Actor | None = None) -> ContentPlan:
        """Give a plan another owner (its owner or an admin may)."""
        with _plan_log_errors(plan_id):
            return self.plans.hand_over(plan_id, owner, who, self._plan_guard(actor, PlanAction.HAND_OVER))

    def list_plans(self, filters: PlanQuery | None = None, limit: int | None = 50, offset: int = 0,
                   actor: Actor | None = None):
        """The plans ``filters`` select that ``actor`` may see from where they are."""
        return self.plans.list(_visible(filters, actor), limit, offset)

    def count_plans(self, filters: PlanQuery | None = None, actor: Actor | None = None) -> int:
        return self.plans.count(_visible(filters, actor))

    def export_plans_csv(self, filters: PlanQuery | None, file, actor: Actor | None = None) -> int:
        return self.plans.export_csv(_visible(filters, actor), file)

    def export_plans_markdown(self, filters: PlanQuery | None, lang: Lang, actor: Actor | None = None) -> str:
        return plans_markdown(self.plans.list(_visible(filters, actor), limit=None), lang)

    # --- who may do what -------------------------------------------------------------------

    def actor(self, workspace: str, user: str, channel: str = "", *, workspace_admin: bool = False,
              channel_private: bool = False) -> Actor:
        """Who is asking, with their role in the workspace: the one set for them, else admin for
        the workspace's own admins and PLANBOT_ADMINS, else member."""
        return Actor(user=user, role=self.role_of(workspace, user, workspace_admin), workspace=workspace,
                     channel=channel, channel_private=channel_private,
                     one_workspace=not self.settings.many_workspaces)

    def role_of(self, workspace: str, user: str, workspace_admin: bool = False) -> Role:
        if workspace_admin or user in self.settings.admin_users:
            return Role.ADMIN
        return self.team.role(workspace, user) or Role.MEMBER

    def roles(self, workspace: str) -> dict[str, Role]:
        return self.team.roles(workspace)

    def set_role(self, workspace: str, user: str, role: Role | str, actor: Actor | None = None) -> Role:
        """Give ``user`` a role (admins only); "member" removes a role given before."""
        self._team_guard(actor, TeamAction.SET_ROLES)
        try:
            role = Role(str(role).lower())
        except ValueError:
            raise UserError("unknown_value", field="role", value=str(role),
                            allowed=", ".join(r.value for r in Role)) from None
        self.team.set_role(workspace, user, role, actor.user if actor else "cli")
        return role

    def allow_self_approval(self, workspace: str, allowed: bool, actor: Actor | None = None) -> None:
        self._team_guard(actor, TeamAction.SET_ROLES)
        self.team.set_self_approval(workspace, allowed, actor.user if actor else "cli")

    def _plan_guard(self, actor: Actor | None, action) -> Callable[[ContentPlan], None] | None:
        """A check of ``actor`` taking ``action`` (or the action a stored plan implies) on a stored
        plan, raising the refusal in words; None for the command line."""
        if actor is None:
            return None

        def guard(stored: ContentPlan) -> None:
            wanted = action(stored) if callable(action) else action
            place = PlanPlace(owner=stored.owner or stored.author, workspace=stored.workspace, home=stored.home,
                              home_private=stored.home_private)
            refusal = plan_refusal(actor, wanted, place, self.team.self_approval(actor.workspace))
            if refusal:
                raise refused(refusal, stored.id)
        return guard

    def _team_guard(self, actor: Actor | None, action: TeamAction) -> None:
        if actor is not None and (refusal := team_refusal(actor, action)):
            raise refused(refusal)

    def import_plans_csv(self, file, who: str, on_conflict: OnConflict | None = None,
                         workspace: str = "") -> ImportReport:
        """Every row of a CSV file, or none; ``on_conflict`` says what a row whose id is already
        in the log does (by default it is refused)."""
        def admitted(plan: ContentPlan) -> ContentPlan:
            # Through the same door as a save: checked again (the file's findings are not
            # trusted), and a card with errors can only be a draft.
            return self._checked(plan, keep_as_draft=True, workspace=workspace)

        try:
            return self.plans.import_csv(file, who, on_conflict, admitted)
        except OSError as error:
            raise UserError("unreadable_file", path=str(file), reason=error.strerror or str(error)) from error
        except UnicodeDecodeError as error:
            raise UserError("unreadable_file", path=str(file), reason=str(error)) from error

    def coverage(self, actor: Actor | None = None) -> CoverageReport:
        """The stage × channel counts of the plans ``actor`` may see, and the gaps."""
        return coverage_report(self.plans.coverage(_visible(None, actor)), self.rulebook)

    @staticmethod
    def coverage_png(report: CoverageReport, lang: Lang = Lang.EN) -> bytes:
        """The coverage heatmap as a PNG in the reader's language (matplotlib is loaded only when a
        chart is asked for)."""
        from bot.charts import coverage_png

        return coverage_png(report, lang)

    # --- the loop: publish days, results, the funnel, what to test next, digests ---------------

    @property
    def results(self) -> ResultsLog:
        if self._results is None:
            self._results = ResultsLog(self._plan_log_file)
        return self._results

    def calendar(self, filters: PlanQuery | None = None, actor: Actor | None = None) -> list[ContentPlan]:
        """The plans with a publish day that ``filters`` select and ``actor`` may see, by day."""
        return by_publish_day(self.list_plans(filters, limit=None, actor=actor))

    @staticmethod
    def calendar_ics(plans: list[ContentPlan], lang: Lang, workspace: str = "") -> bytes:
        return calendar_ics(plans, lang, workspace)

    def record_result(self, plan_id: int, figures: dict | PlanResult, who: str, actor: Actor | None = None,
                      base_version: int | None = None) -> PlanResult:
        """A published plan's figures for a period, by someone who may edit the plan. Recording the
        same period again is a new version; with ``base_version``, refused if another came first."""
        data = figures.model_dump(exclude={"who", "at", "version"}) if isinstance(figures, PlanResult) else figures
        self._taking_results(plan_id, actor)
        result = _validated_result(dict(data) | {"plan_id": plan_id})
        try:
            return self.results.record(result, who, base_version)
        except StaleResult as error:
            raise UserError("results_stale", plan_id=plan_id, version=error.current.version,
                            who=error.current.who) from None

    def import_results_csv(self, file, who: str, actor: Actor | None = None) -> list[PlanResult]:
        """Every row of a results CSV (plan_id, period_start, period_end, reach, engagement, clicks,
        moved, note), or none: a bad row is named with its number."""
        try:
            rows = read_results_csv(file)
        except OSError as error:
            raise UserError("unreadable_file", path=str(file), reason=error.strerror or str(error)) from error
        except UnicodeDecodeError as error:
            raise UserError("unreadable_file", path=str(file), reason=str(error)) from error
        checked = []
        for number, row in rows:
            try:
                plan_id = int(row.get("plan_id") or "")
            except ValueError:
                raise UserError("results_bad_row", row=number, cause=UserError("missing_field", field="plan_id")) \
                    from None
            try:
                self._taking_results(plan_id, actor)
                checked.append(_validated_result({key: value for key, value in row.items() if value != ""}
                                                 | {"plan_id": plan_id}))
            except UserError as error:
                raise UserError("results_bad_row", row=number, cause=error) from None
        return self.results.record_many(checked, who)

    def _taking_results(self, plan_id: int, actor: Actor | None) -> None:
        """Refuses, in words, unless the plan is published and ``actor`` may edit it."""
        plan = self.get_plan(plan_id, actor)
        if guard := self._plan_guard(actor, PlanAction.EDIT):
            guard(plan)
        if plan.status is not PlanStatus.PUBLISHED:
            raise UserError("results_before_publishing", plan_id=plan_id, status=plan.status.value)

    def plan_results(self, plan_id: int, actor: Actor | None = None) -> list[PlanResult]:
        """Every version of a plan's figures, oldest first."""
        self.get_plan(plan_id, actor)
        return self.results.history(plan_id)

    def funnel(self, filters: PlanQuery | None = None, since: date | None = None, until: date | None = None,
               actor: Actor | None = None) -> Funnel:
        """The 5A funnel of the results (in ``since``..``until``) of the plans ``filters`` select
        and ``actor`` may see: the steps' rates, PAR and BAR."""
        return _funnel_of(self._measured(filters, since, until, actor), filters, since, until)

    def next_experiment(self, filters: PlanQuery | None = None, since: date | None = None, until: date | None = None,
                        actor: Actor | None = None, lang: Lang = Lang.EN) -> NextExperiment:
        """The weakest step of the funnel, the lever to pull on it next (content, then channel,
        then strategy), and one or two drafted cards that would run that experiment."""
        measured = self._measured(filters, since, until, actor)
        current = _funnel_of(measured, filters, since, until)
        experiment = next_experiment(current, measured, self.rulebook.stage_channels)
        if experiment is None:
            return NextExperiment(funnel=current)
        workspace = actor.workspace if actor else ""
        segment = (filters or PlanQuery()).segment or experiment.segment
        brief = Brief(stage=experiment.stage, channel=experiment.channel, segment=segment, lang=lang,
                      variant=experiment.contents_tried)
        if experiment.lever is Lever.CONTENT:
            briefs = [brief, brief.model_copy(update={"variant": brief.variant + 1})]
        elif experiment.lever is Lever.CHANNEL:
            briefs = [brief.model_copy(update={"channel": channel, "variant": 0})
                      for channel in experiment.try_channels]
        else:
            briefs = [brief]
        drafts = [draft for each in briefs for draft in self.drafts(each, workspace=workspace,
                                                                    channel=actor.channel if actor else "")]
        retriever = self.composer.retriever
        entries = [entry for entry_id in experiment.sources if (entry := retriever.entry(entry_id, lang))]
        explanation, flags = self.llm.explain(_experiment_facts(experiment, current), entries, lang) \
            if self.llm is not None else ("", [])
        return NextExperiment(funnel=current, experiment=experiment, drafts=drafts, explanation=explanation,
                              flags=flags, sources=[source_ref(entry) for entry in entries])

    def _measured(self, filters: PlanQuery | None, since: date | None, until: date | None,
                  actor: Actor | None) -> list[MeasuredPlan]:
        query = (filters or PlanQuery()).model_copy(update={"include_archived": True})
        plans = {plan.id: plan for plan in self.list_plans(query, limit=None, actor=actor) if plan.stage}
        totals: dict[int, tuple[int, int]] = {}
        for result in self.results.current(list(plans), since, until):
            reach, moved = totals.get(result.plan_id, (0, 0))
            totals[result.plan_id] = (reach + result.reach, moved + result.moved)
        return [MeasuredPlan(plan_id=plan_id, stage=plans[plan_id].stage, channel=plans[plan_id].channel,
                             segment=plans[plan_id].segment, title=plans[plan_id].content.title, reach=reach,
                             moved=moved) for plan_id, (reach, moved) in totals.items()]

    @staticmethod
    def funnel_png(funnel_: Funnel, lang: Lang) -> bytes:
        """The funnel chart as a PNG in the reader's language."""
        from bot.charts import funnel_png

        return funnel_png(funnel_, lang)

    def due_reminders(self, now: datetime) -> list[Reminder]:
        """Plans to remind their owners of at ``now`` — the day before their publish day, and on it
        while still not published — each claimed once for every instance and restart."""
        today, may_remind = team_today(now, self.settings.timezone)
        if not may_remind:
            return []
        tomorrow = today + timedelta(days=1)
        query = PlanQuery(due_from=today, due_to=tomorrow)
        reminders = []
        for plan in self.plans.list(query, limit=None):
            if plan.status is PlanStatus.PUBLISHED or not plan.owner or not plan.workspace:
                continue
            on_the_day = plan.due == today
            key = f"reminder:{'today' if on_the_day else 'before'}:{plan.id}:{plan.due.isoformat()}"
            if self.results.claim_notice(key):
                reminders.append(Reminder(plan=plan, today=on_the_day, key=key))
        return reminders

    def release_notice(self, key: str) -> None:
        """A claimed reminder or digest that could not be delivered: the next run sends it."""
        self.results.release_notice(key)

    def set_digest(self, workspace: str, channel: str, words: str, actor: Actor | None = None,
                   lang: Lang | None = None) -> DigestSchedule | None:
        """`on [mon 09:00] [tz=…]` or `off` for a channel's digest (editors and up), written in
        ``lang`` (the language of whoever turns it on)."""
        self._team_guard(actor, TeamAction.SET_DIGEST)
        who = actor.user if actor else "cli"
        first, *rest = words.split() or ["on"]
        if first.lower() in ("off", "stop", "关", "關", "끄기"):
            self.team.set_digest(workspace, channel, None, who)
            return None
        schedule = parse_schedule(rest if first.lower() in ("on", "开", "開", "켜기") else [first, *rest],
                                  self.settings.timezone).model_copy(update={"lang": lang})
        self.team.set_digest(workspace, channel, schedule.model_dump(mode="json"), who)
        return schedule

    def due_digests(self, now: datetime) -> list[Digest]:
        """The digests whose time has come (and not gone too long ago), each claimed once for every
        instance and restart."""
        digests = []
        for workspace, channel, kept in self.team.digests():
            schedule = DigestSchedule.model_validate(kept)
            run = latest_run(schedule, now)
            if run is None:
                continue
            key = f"digest:{workspace}:{channel}:{run.isoformat()}"
            if self.results.claim_notice(key):
                digests.append(self.digest(workspace, channel, run.date(), schedule.lang).model_copy(
                    update={"key": key}))
        return digests

    def digest(self, workspace: str, channel: str, today: date, lang: Lang | None = None) -> Digest:
        """What a channel's digest says on ``today``: its plans due this week and waiting for
        review, the biggest coverage gaps and the weakest funnel step."""
        viewer = self.actor(workspace, DIGEST_READER, channel)
        monday = today - timedelta(days=today.weekday())
        due = [plan for plan in self.list_plans(PlanQuery(due_from=today, due_to=monday + timedelta(days=6)),
                                                limit=10, actor=viewer) if plan.status is not PlanStatus.PUBLISHED]
        in_review = self.list_plans(PlanQuery(status=PlanStatus.IN_REVIEW), limit=10, actor=viewer)
        profile = self.team.profile(workspace).profile
        lang = lang or profile.language or Lang.EN
        return Digest(workspace=workspace, channel=channel, lang=lang, due=due, in_review=in_review,
                      gaps=self.coverage(viewer).gaps[:5], weakest=self.funnel(actor=viewer).weakest())

    # --- evaluation and set-up checks --------------------------------------------------

    @staticmethod
    def read_plan_file(path: Path) -> ContentPlan:
        """A card from a JSON file (as `draft --json` writes it), read bounded; any problem with
        the file or the card is a user error naming it."""
        data = parse_json(read_text(path), str(path))
        try:
            return ContentPlan.model_validate(data)
        except ValidationError as error:
            raise from_validation_error(error) from error

    @staticmethod
    def questions_in(path: Path) -> list[str]:
        """The ``q`` of every line of a JSON-lines file, for batch answering."""
        return read_questions(path)

    def evaluate(self, path: Path) -> list[EvalResult]:
        """Every item of a question set, answered and scored."""
        return [score(item, self.ask(item.q)) for item in read_items(path)]

    @staticmethod
    def summarise_evaluation(results: list[EvalResult]) -> EvalSummary:
        return summarise(results)

    def check_model(self) -> ModelCheck:
        """Whether the model from PLANBOT_LLM answers a one-line prompt within its timeout."""
        settings = self.settings
        report = ModelCheck(configured=settings.llm, timeout=settings.llm_timeout)
        if not settings.llm:
            return report
        from bot.llm.prompts import load_prompt

        started = time.perf_counter()
        try:
            model = chat_model(settings.llm, settings.llm_timeout)
            reply = ModelCalls(1).call("doctor", settings.llm_timeout,
                                       lambda _cancelled: model.invoke(load_prompt("doctor").format_messages()))
        except Exception as error:  # an unknown provider fails in init_chat_model itself
            return report.model_copy(update={"error": str(error)})
        log_usage("doctor", reply)
        return report.model_copy(update={"answers": True, "seconds": time.perf_counter() - started,
                                         "reply": str(reply.content)[:60]})


_NEEDS_A_CLEAN_CARD = {PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.PUBLISHED}


def _visible(filters: PlanQuery | None, actor: Actor | None) -> PlanQuery | None:
    """The query narrowed to what ``actor`` may see (the command line sees everything)."""
    if actor is None or actor.operator:
        return filters
    viewer = Viewer(user=actor.user, workspace=actor.workspace, channel=actor.channel,
                    one_workspace=actor.one_workspace)
    return (filters or PlanQuery()).model_copy(update={"visible_to": viewer})


def _validated_result(data: dict) -> PlanResult:
    try:
        return PlanResult.model_validate(data)
    except ValidationError as error:
        raise from_result_validation_error(error) from None


def _experiment_facts(experiment, current: Funnel) -> dict:
    """What a model is told of a decided experiment: the experiment itself, and the funnel's rates."""
    return experiment.model_dump(mode="json", exclude={"sources"}) | {
        "rates": {step.name.value: step.rate for step in current.steps}, "par": current.par, "bar": current.bar}


def _funnel_of(measured: list[MeasuredPlan], filters: PlanQuery | None, since: date | None,
               until: date | None) -> Funnel:
    narrowed = filters or PlanQuery()
    return funnel(measured, segment=narrowed.segment, channel=narrowed.channel, period_start=since,
                  period_end=until)


def refused(refusal: Refusal, plan_id: int | None = None) -> UserError:
    """A refusal as the error its reader is told: what they may not do and who may."""
    if refusal.action is PlanAction.VIEW:
        return UserError("not_visible", plan_id=plan_id)
    if refusal.own_plan:
        return UserError("not_own_approval", plan_id=plan_id)
    params = {"action": refusal.action.value, "role": refusal.role.value}
    if refusal.owner:
        return UserError("not_allowed_but_owner", plan_id=plan_id, owner=refusal.owner, **params)
    return UserError("not_allowed", **params)


def _error_count(findings: list[Finding]) -> int:
    return sum(1 for finding in findings if finding.level is FindingLevel.ERROR)


@contextmanager
def _plan_log_errors(plan_id: int | None):
    """The plan log's refusals as errors a user can act on."""
    try:
        yield
    except PlanNotFound as error:
        raise UserError("plan_not_found", plan_id=error.plan_id) from error
    except OverflowError as error:  # an id past SQLite's integers names no plan either
        raise UserError("plan_not_found", plan_id=plan_id) from error
    except TransitionError as error:
        raise _transition_error(plan_id, error) from error
    except StaleVersion as error:
        raise UserError("stale_plan", plan_id=error.plan_id, who=error.changed_by) from error


def _transition_error(plan_id: int | None, error: TransitionError) -> UserError:
    allowed = ", ".join(sorted(status.value for status in ALLOWED_TRANSITIONS[error.current]))
    return UserError("transition", plan_id=plan_id, current=error.current.value, wanted=error.wanted.value,
                     allowed=allowed)

