"""Hybrid search: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""

import threading
from collections.abc import Hashable
from dataclasses import dataclass, replace

import numpy as np

from bot.domain.language import Lang
from bot.knowledge.entries import EntryKind, KnowledgeEntry
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.router import SignalMatch, SignalRouter
from bot.knowledge.store import KnowledgeStore, SignalVectors
from bot.language import clauses, to_simplified

# Reciprocal-rank fusion constant; 60 is the value from the original RRF paper and is not
# sensitive at our corpus size.
RRF_K = 60
CANDIDATES = 20
# Cosine distance past which a dense neighbour is unrelated. On the shipped knowledge base,
# questions about the domain land at 0.6–0.82 and off-topic ones ("what's the weather?") at
# 0.84 and beyond; questions that name a domain term skip this test.
MAX_DENSE_DISTANCE = 0.83
# How many teams' routers (the knowledge base's signals plus a team's) a process keeps built.
TEAM_ROUTERS_KEPT = 16
# What a cue adds to its entry's signal score: enough to tip a close call between neighbouring
# stages (their scores are often within a few hundredths), not to overrule a clear reading. On
# the tuning sets 0.08 → 0.12 gained five questions and fewer sure-but-wrong stages; 0.2 gains
# three more, by overruling readings.
CUE_BOOST = 0.12
# The longest clause of a question an answer quotes back as what decided its stage: characters
# of Chinese or Korean; Latin text may take twice as many (a word is several letters).
QUOTED_CLAUSE_MAX = 60


@dataclass(frozen=True)
class Query:
    text: str
    lang: Lang
    vector: np.ndarray | None


@dataclass(frozen=True)
class Hit:
    entry: KnowledgeEntry
    score: float


class HybridRetriever:
    """Searches the entries of one language; Traditional Chinese searches the Simplified ones."""

    def __init__(self, store: KnowledgeStore, use_dense: bool = True, use_lexical: bool = True):
        self.store = store
        self.entries = store.entries()
        self.by_doc_id = {entry.doc_id: entry for entry in self.entries}
        self._langs = np.array([entry.lang.value for entry in self.entries])
        self._written_in = {entry.lang for entry in self.entries}
        self._lexical = LexicalIndex([entry.search_text() for entry in self.entries], store.lexical_cache_dir)
        self.use_dense = use_dense
        self.use_lexical = use_lexical
        self._signals = store.signal_vectors() if use_dense else None
        self._router = SignalRouter(self._signals, cache_dir=store.lexical_cache_dir) if use_dense else None
        self._team_routers: dict[tuple, SignalRouter] = {}
        self._team_lock = threading.Lock()

    def entry(self, entry_id: str, lang: Lang) -> KnowledgeEntry | None:
        """One entry in ``lang``, falling back to English where a translation is missing."""
        for candidate in (lang.content_lang, Lang.EN):
            found = self.by_doc_id.get(f"{entry_id}@{candidate.value}")
            if found:
                return found
        return None

    def searched_lang(self, lang: Lang) -> Lang:
        """The language whose entries answer ``lang``: its own, Simplified for Traditional
        Chinese, English where the knowledge base has no translation."""
        return lang.content_lang if lang.content_lang in self._written_in else Lang.EN

    def query(self, text: str, lang: Lang) -> "Query":
        """The question as the entries of its language are searched with: converted to Simplified
        for Traditional Chinese, and embedded once for every ranking that needs it."""
        return self.queries([text], lang)[0]

    def queries(self, texts: list[str], lang: Lang) -> list["Query"]:
        """Several texts as queries, embedded in one call to the encoder."""
        texts = [to_simplified(text) for text in texts] if lang is Lang.ZH_HANT else texts
        vectors = self.store.embed_queries(texts) if self.use_dense else [None] * len(texts)
        return [Query(text, self.searched_lang(lang), vector) for text, vector in zip(texts, vectors, strict=True)]

    def route(self, query: "Query", team_signals: SignalVectors | None = None) -> list[SignalMatch]:
        """The entries whose signals the question is closest to, best first (none without dense
        search: signals are matched by meaning). ``team_signals`` are a team's own, compared
        beside the knowledge base's."""
        if self._router is None or query.vector is None:
            return []
        router = self._router if not team_signals or not team_signals.texts else self._team_router(team_signals)
        matches = router.route(query.text, query.vector, query.lang)
        cued = [replace(match, score=match.score + CUE_BOOST, signals_score=match.signals_score + CUE_BOOST,
                        cued=True)
                if (entry := self.by_doc_id.get(match.entry_doc_id)) and entry.cued_by(query.text) else match
                for match in matches]
        return sorted(cued, key=lambda match: -match.score)

    def deciding_words(self, question: str, lang: Lang, entry_doc_id: str) -> str:
        """The clause of ``question``, as the asker wrote it, that most echoes the entry's signals:
        what an answer quotes as having decided the stage. "" when the question is one clause
        (quoting it all back says nothing) or no clause echoes them."""
        pieces = clauses(question)
        if len(pieces) < 2 or self._router is None:
            return ""
        compared = [to_simplified(piece) for piece in pieces] if lang is Lang.ZH_HANT else pieces
        best = self._router.best_clause(compared, entry_doc_id)
        if best is None:
            return ""
        room = QUOTED_CLAUSE_MAX * (2 if pieces[best].isascii() else 1)
        return pieces[best] if len(pieces[best]) <= room else ""

    def _team_router(self, team_signals: SignalVectors) -> SignalRouter:
        key = tuple(team_signals.texts), tuple(team_signals.entry_doc_ids)
        with self._team_lock:
            router = self._team_routers.get(key)
            if router is None:
                # A handful of teams per process; the oldest goes when one more is needed.
                if len(self._team_routers) >= TEAM_ROUTERS_KEPT:
                    self._team_routers.pop(next(iter(self._team_routers)))
                router = self._team_routers[key] = SignalRouter(self._signals + team_signals)
        return router

    def search(
        self, query: "str | Query", lang: Lang, k: int = 8, require_dense: bool = True
    ) -> list[Hit]:
        """The best entries for ``query`` in ``lang``.

        With ``require_dense``, a query that nothing is close to in meaning gets no hits,
        however many characters it shares with the entries.
        """
        if isinstance(query, str):
            query = self.query(query, lang)
        content_lang = query.lang
        rankings: list[list[str]] = []
        if self.use_dense:
            dense = [(doc_id, distance) for doc_id, distance in
                     self.store.dense_rank(query.vector, content_lang.value, k=CANDIDATES)
                     if self.by_doc_id[doc_id].kind is not EntryKind.OFF_TOPIC]
            if require_dense and (not dense or dense[0][1] > MAX_DENSE_DISTANCE):
                return []
            rankings.append([doc_id for doc_id, _ in dense])
        if self.use_lexical:
            positions = self._lexical.rank(
                query.text, allowed=self._langs == content_lang.value, k=CANDIDATES
            )
            rankings.append([self.entries[i].doc_id for i in positions])
        fused = [Hit(self.by_doc_id[doc_id], score) for doc_id, score in fuse_rankings(rankings)]
        # The off-topic entry marks what planbot does not answer; it answers nothing itself.
        return [hit for hit in fused if hit.entry.kind is not EntryKind.OFF_TOPIC][:k]


def fuse_rankings(rankings: list[list[Hashable]]) -> list[tuple[Hashable, float]]:
    """Reciprocal-rank fusion: each ranking adds 1 / (RRF_K + rank) to an item's score; best first."""
    fused: dict[Hashable, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused.items(), key=lambda pair: -pair[1])
