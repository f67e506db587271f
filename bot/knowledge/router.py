"""A semantic router over the knowledge base's signals.

A signal is a short phrase, written in an entry's front matter, that a marketer might use to
describe a situation the entry is about ("buyers compare us with competitors" for the Ask
stage). A question is compared with every signal of its language: each signal scores its
cosine similarity to the question plus a share of how well the question's words match it
(BM25, relative to the best-matching signal), and an entry scores the mean of its best few
signals, so that one signal phrased like the question cannot carry an entry alone. The best
signal is kept as the reason. Teams change what routes where by editing signals and running
`planbot kb sync`.

The weights were chosen on the tuning sets in eval/ (bench/router_sweep.py); across 0.3–0.5
and 3–5 signals the stage accuracy there stays within a few questions of its best.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.domain.language import Lang
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.store import SignalVectors

# How much the lexical match adds to the cosine similarity, at most.
LEXICAL_WEIGHT = 0.4
# How many of an entry's best signals its score is the mean of.
SIGNALS_PER_ENTRY = 3


@dataclass(frozen=True)
class SignalMatch:
    """An entry's score for a question, and the signal of that entry closest to it."""

    entry_doc_id: str
    score: float
    signal: str


class SignalRouter:
    def __init__(self, signals: SignalVectors, lexical_weight: float = LEXICAL_WEIGHT,
                 signals_per_entry: int = SIGNALS_PER_ENTRY, cache_dir: Path | None = None):
        self._signals = signals
        self._lexical_weight, self._signals_per_entry = lexical_weight, signals_per_entry
        self._langs = np.array([doc_id.rsplit("@", 1)[1] for doc_id in signals.entry_doc_ids])
        self._entries = sorted(set(signals.entry_doc_ids))
        position_of = {doc_id: position for position, doc_id in enumerate(self._entries)}
        self._entry_of = np.array([position_of[doc_id] for doc_id in signals.entry_doc_ids], dtype=int)
        self._lexical = LexicalIndex(signals.compared_texts or signals.texts, cache_dir)

    def route(self, query_text: str, query_vector: np.ndarray, lang: Lang) -> list[SignalMatch]:
        """Every entry with signals in ``lang``, best first."""
        if not self._entries:
            return []
        allowed = self._langs == lang.value
        if not allowed.any():
            return []
        similarity = self._signals.vectors @ query_vector
        lexical = self._lexical.scores(query_text)
        top = float(lexical[allowed].max()) if lexical.size else 0.0
        if top > 0:
            similarity = similarity + self._lexical_weight * lexical / top
        similarity = np.where(allowed, similarity, -np.inf)
        best_of_entry: dict[int, list[int]] = {}
        for position in np.argsort(-similarity):
            if not allowed[position]:
                break
            best = best_of_entry.setdefault(int(self._entry_of[position]), [])
            if len(best) < self._signals_per_entry:
                best.append(int(position))
        matches = [
            SignalMatch(self._entries[entry], float(np.mean(similarity[positions])), self._signals.texts[positions[0]])
            for entry, positions in best_of_entry.items()
        ]
        return sorted(matches, key=lambda match: -match.score)
