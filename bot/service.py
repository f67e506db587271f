"""The one API every face of planbot calls: the CLI today, Slack next."""

from bot.config import Settings
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, Finding
from bot.domain.rules import Rulebook
from bot.domain.stages import StageMapping
from bot.knowledge.entries import load_entries
from bot.knowledge.rulebook import RULES_FILE, build_rulebook
from bot.knowledge.search import Hit, HybridRetriever
from bot.knowledge.store import KnowledgeStore, SyncReport
from bot.language import detect_language
from bot.planning.answer import Answer, AnswerComposer
from bot.planning.draft import Brief, DraftComposer, check_plan


class PlanBotService:
    def __init__(self, settings: Settings | None = None, mapping: StageMapping | None = None):
        self.settings = settings or Settings()
        self.mapping = mapping or StageMapping()
        self.store = KnowledgeStore(self.settings.chroma_dir, self.settings.collection)
        self._composer: AnswerComposer | None = None
        self._drafter: DraftComposer | None = None

    @classmethod
    def open(cls, settings: Settings | None = None) -> "PlanBotService":
        """A service whose knowledge store matches knowledge/ (synced if missing or stale)."""
        service = cls(settings)
        service.sync_knowledge()
        return service

    def sync_knowledge(self) -> SyncReport:
        report = self.store.sync(load_entries(self.settings.knowledge_dir))
        if report.changed:
            self._composer = self._drafter = None
        return report

    @property
    def composer(self) -> AnswerComposer:
        if self._composer is None:
            self._composer = AnswerComposer(HybridRetriever(self.store), self.mapping)
        return self._composer

    @property
    def rulebook(self) -> Rulebook:
        return self.drafter.rules

    @property
    def drafter(self) -> DraftComposer:
        if self._drafter is None:
            retriever = self.composer.retriever
            rules_file = self.settings.knowledge_dir / RULES_FILE
            self._drafter = DraftComposer(retriever, build_rulebook(retriever.entries, rules_file, self.mapping))
        return self._drafter

    def ask(self, question: str, lang: Lang | None = None) -> Answer:
        return self.composer.answer(question, lang)

    def search_knowledge(self, query: str, lang: Lang | None = None, k: int = 8) -> list[Hit]:
        return self.composer.retriever.search(query, lang or detect_language(query), k=k)

    def draft(self, brief: Brief) -> ContentPlan:
        """A complete card for the brief, with its check findings (none, for the stage's channels)."""
        return self.drafter.draft(brief)

    def draft_journey(self, brief: Brief) -> list[ContentPlan]:
        return self.drafter.journey(brief)

    def check(self, plan: ContentPlan, lang: Lang | None = None) -> list[Finding]:
        return check_plan(plan, self.rulebook, lang)
