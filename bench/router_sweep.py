"""How the stage router's weights move its accuracy: the share of the lexical match added to
each signal's cosine similarity, how many of an entry's best signals its score averages, and
the share of the lexical match with all of an entry's signals added on top (one table each).

    python bench/router_sweep.py eval/marketers-tune.jsonl

Routes every question that expects a stage (BANT descriptions and off-topic ones aside: they
are not the router's to place) as the answer composer does — its situation, the shipped
SignalRouter with the weights swept, routed_stage — and counts whether the stage is one it
accepts. Tune on the tuning sets only; the held-out half is for reporting.
"""

import sys
import tempfile
from pathlib import Path

from bot.config import Settings
from bot.evaluation import read_items
from bot.knowledge.router import SignalRouter
from bot.language import detect_language
from bot.planning.intent import situation_text
from bot.planning.situation import routed_stage
from bot.service import PlanBotService

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7)
SIGNAL_COUNTS = (1, 2, 3, 4, 5)
ENTRY_WEIGHTS = (0.0, 0.1, 0.2, 0.3)


def main(path: Path) -> None:
    service = PlanBotService.open(Settings(data_dir=Path(tempfile.mkdtemp(prefix="planbot-sweep-"))))
    retriever = service.composer.retriever
    signals = service.store.signal_vectors()
    cases = [(item.stage, retriever.query(situation_text(item.q), detect_language(item.q)))
             for item in read_items(path) if item.stage and item.kind not in ("bant", "off_topic")]
    print(f"{len(cases)} questions; rows: lexical weight, columns: signals averaged per entry")
    for entry_weight in ENTRY_WEIGHTS:
        print(f"\nentry lexical weight {entry_weight}")
        print("weight " + "".join(f"{count:>8}" for count in SIGNAL_COUNTS))
        for weight in WEIGHTS:
            row = []
            for count in SIGNAL_COUNTS:
                router = SignalRouter(signals, lexical_weight=weight, signals_per_entry=count,
                                      entry_lexical_weight=entry_weight)
                right = 0
                for expected, query in cases:
                    reading = routed_stage(router.route(query.text, query.vector, query.lang),
                                           retriever.by_doc_id, service.mapping)
                    right += reading.stage is not None and reading.stage.value in expected
                row.append(right)
            print(f"{weight:>6} " + "".join(f"{right:>8}" for right in row))

if __name__ == "__main__":
    main(Path(sys.argv[1]))
