"""A semantic router over the knowledge base's signals.

A signal is a short phrase, written in an entry's front matter, that a marketer might use to
describe a situation the entry is about ("buyers compare us with competitors" for the Ask
stage). A question is compared with every signal of its language: each signal scores its
cosine similarity to the question plus a share of how well the question's words match it
(BM25, relative to the best-matching signal), and an entry scores the mean of its best few
signals, so that one signal phrased like the question cannot carry an entry alone. On top, the
entry takes a share of how well the question's words match all of its signals together: a
question whose several details each echo a different signal of one stage ("downloaded the
quote, booked a demo, asked for a trial") counts them all, where one signal's words (a product
name that happens to sit in another stage's signal) only count once. The best signal is kept
as the reason. Teams change what routes where by editing signals and running `planbot kb sync`.

The weights were chosen on the tuning sets in eval/ (bench/router_sweep.py); near the chosen
ones the stage accuracy there stays within a few questions of its best.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.domain.language import Lang
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.store import SignalVectors

# How much the lexical match with one signal adds to its cosine similarity, at most.
LEXICAL_WEIGHT = 0.3
# How much the lexical match with all of an entry's signals adds to the entry's score, at most.
ENTRY_LEXICAL_WEIGHT = 0.2
# How many of an entry's best signals its score is the mean of.
SIGNALS_PER_ENTRY = 4


@dataclass(frozen=True)
class SignalMatch:
    """An entry's score for a question, and the signal of that entry closest to it."""

    entry_doc_id: str
    score: float
    signal: str
    # The score from the entry's best signals alone, without its words matched as a whole.
    signals_score: float = 0.0
    # Whether the question has one of the entry's cues (set by the retriever, which reads them).
    cued: bool = False


class SignalRouter:
    def __init__(self, signals: SignalVectors, lexical_weight: float = LEXICAL_WEIGHT,
                 signals_per_entry: int = SIGNALS_PER_ENTRY, cache_dir: Path | None = None,
                 entry_lexical_weight: float = ENTRY_LEXICAL_WEIGHT):
        self._signals = signals
        self._lexical_weight, self._signals_per_entry = lexical_weight, signals_per_entry
        self._entry_lexical_weight = entry_lexical_weight
        self._langs = np.array([doc_id.rsplit("@", 1)[1] for doc_id in signals.entry_doc_ids])
        self._entries = sorted(set(signals.entry_doc_ids))
        position_of = {doc_id: position for position, doc_id in enumerate(self._entries)}
        self._entry_of = np.array([position_of[doc_id] for doc_id in signals.entry_doc_ids], dtype=int)
        compared = signals.compared_texts or signals.texts
        self._lexical = LexicalIndex(compared, cache_dir)
        signals_of: list[list[str]] = [[] for _ in self._entries]
        for text, entry in zip(compared, self._entry_of, strict=True):
            signals_of[entry].append(text)
        self._entry_lexical = LexicalIndex(["\n".join(texts) for texts in signals_of], cache_dir)
        self._entry_langs = np.array([doc_id.rsplit("@", 1)[1] for doc_id in self._entries])
        self._position_of = position_of

    def route(self, query_text: str, query_vector: np.ndarray, lang: Lang) -> list[SignalMatch]:
        """Every entry with signals in ``lang``, best first."""
        if not self._entries:
            return []
        allowed = self._langs == lang.value
        if not allowed.any():
            return []
        similarity = self._signals.vectors @ query_vector
        similarity = similarity + self._lexical_weight * self._relative(self._lexical.scores(query_text), allowed)
        similarity = np.where(allowed, similarity, -np.inf)
        best_of_entry: dict[int, list[int]] = {}
        for position in np.argsort(-similarity):
            if not allowed[position]:
                break
            best = best_of_entry.setdefault(int(self._entry_of[position]), [])
            if len(best) < self._signals_per_entry:
                best.append(int(position))
        entry_lexical = self._relative(self._entry_lexical.scores(query_text), self._entry_langs == lang.value)
        matches = []
        for entry, positions in best_of_entry.items():
            signals_score = float(np.mean(similarity[positions]))
            matches.append(SignalMatch(self._entries[entry],
                                       signals_score + self._entry_lexical_weight * float(entry_lexical[entry]),
                                       self._signals.texts[positions[0]], signals_score))
        return sorted(matches, key=lambda match: -match.score)

    def best_clause(self, clauses: list[str], entry_doc_id: str) -> int | None:
        """Which of a question's ``clauses`` holds most of the words of the entry's signals taken
        together (None when none holds any, or the entry has no signals here)."""
        entry = self._position_of.get(entry_doc_id)
        if entry is None or not clauses:
            return None
        scores = [float(self._entry_lexical.scores(clause)[entry]) for clause in clauses]
        best = int(np.argmax(scores))
        return best if scores[best] > 0 else None

    @staticmethod
    def _relative(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """BM25 scores as shares of the best allowed one (all zero when nothing matches)."""
        top = float(scores[allowed].max()) if scores.size and allowed.any() else 0.0
        return scores / top if top > 0 else np.zeros_like(scores)
