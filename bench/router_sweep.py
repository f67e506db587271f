"""How the stage router's two weights move its accuracy: the share of the lexical match added to
each signal's cosine similarity, and how many of an entry's best signals its score averages.

    python bench/router_sweep.py eval/marketers-tune.jsonl

Counts, for every question that expects a stage (BANT descriptions and off-topic ones aside:
they are not the router's to place), whether the best-scoring stage is one it accepts. Tune on
the tuning half only; the held-out half is for reporting.
"""

import sys
import tempfile
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.evaluation import read_items
from bot.knowledge.entries import EntryKind
from bot.knowledge.lexical import LexicalIndex
from bot.language import detect_language
from bot.service import PlanBotService

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7)
SIGNAL_COUNTS = (1, 2, 3, 4, 5)


def main(path: Path) -> None:
    service = PlanBotService.open(Settings(data_dir=Path(tempfile.mkdtemp(prefix="planbot-sweep-"))))
    retriever = service.composer.retriever
    signals = service.store.signal_vectors()
    stage_of = {entry.doc_id: entry.stage for entry in retriever.entries if entry.kind is EntryKind.STAGE}
    signal_stage = np.array([stage_of.get(doc_id) for doc_id in signals.entry_doc_ids], dtype=object)
    signal_lang = np.array([doc_id.rsplit("@", 1)[1] for doc_id in signals.entry_doc_ids])
    lexical = LexicalIndex(signals.texts)
    cases = []
    for item in read_items(path):
        if not item.stage or item.kind in ("bant", "off_topic"):
            continue
        query = retriever.query(item.q, detect_language(item.q))
        allowed = (signal_lang == query.lang.value) & (signal_stage != None)  # noqa: E711
        cases.append((item.stage, allowed, signals.vectors @ query.vector, lexical.scores(query.text)))
    print(f"{len(cases)} questions; rows: lexical weight, columns: signals averaged per entry")
    print("weight " + "".join(f"{count:>8}" for count in SIGNAL_COUNTS))
    for weight in WEIGHTS:
        row = []
        for count in SIGNAL_COUNTS:
            right = 0
            for expected, allowed, cosine, lexical_scores in cases:
                top = lexical_scores[allowed].max()
                score = cosine + (weight * lexical_scores / top if top > 0 else 0)
                per_stage = {}
                for position in np.flatnonzero(allowed):
                    per_stage.setdefault(signal_stage[position], []).append(score[position])
                best = max(per_stage, key=lambda stage: np.mean(sorted(per_stage[stage])[-count:]))
                right += best.value in expected
            row.append(right)
        print(f"{weight:>6} " + "".join(f"{right:>8}" for right in row))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
