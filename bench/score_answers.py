"""Score answers saved by `planbot ask --json --batch` (of any planbot version) against a
question set, with today's scoring: how an older version did on a new set.

    planbot ask --json --batch eval/marketers-holdout.jsonl > answers.jsonl
    python bench/score_answers.py eval/marketers-holdout.jsonl answers.jsonl
"""

import json
import sys
from pathlib import Path

from rich.console import Console

from bot.cli.render import evaluation_renderables
from bot.evaluation import read_items, score, summarise
from bot.models import Answer, SourceRef


def main(items_path: Path, answers_path: Path) -> None:
    items = read_items(items_path)
    records = [json.loads(line) for line in answers_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(records) != len(items):
        sys.exit(f"{len(items)} questions but {len(records)} answers")
    results = []
    for item, record in zip(items, records, strict=True):
        answer = Answer(question=item.q, body=record["answer"], lang=record["lang"], stage=record.get("stage"),
                        funnel=record.get("funnel"), channel=record.get("channel"),
                        sources=[SourceRef(**source) for source in record.get("sources", [])])
        results.append(score(item, answer))
    console = Console()
    for result in results:
        if not result.passed:
            console.print(f"MISS {result.item.id} {result.item.q}  — {'; '.join(result.misses)}", markup=False)
    summary = summarise(results)
    for renderable in evaluation_renderables(summary):
        console.print(renderable)
    console.print(f"score: {summary.passed}/{summary.total}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
