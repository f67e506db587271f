"""Scoring answers against a question set (the format of shared/eval/dev.jsonl)."""

import json
from pathlib import Path

from bot.models import Answer, EvalItem, EvalResult


def read_items(path: Path) -> list[EvalItem]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [EvalItem.model_validate_json(line) for line in lines if line.strip()]


def score(item: EvalItem, answer: Answer) -> EvalResult:
    """Every way the answer misses what the item expects; none means it passed."""
    misses = []
    if item.lang and answer.lang.value != item.lang:
        misses.append(f"lang {answer.lang.value} != {item.lang}")
    stage = answer.stage.value if answer.stage else None
    if item.stage and stage not in item.stage:
        misses.append(f"stage {stage} not in {item.stage}")
    channel = answer.channel.value if answer.channel else None
    if item.channel and channel != item.channel:
        misses.append(f"channel {channel} != {item.channel}")
    lowered = answer.text.lower()
    for needle in item.contains_all:
        if needle.lower() not in lowered:
            misses.append(f"answer lacks {needle!r}")
    if item.contains_any and not any(n.lower() in lowered for n in item.contains_any):
        misses.append(f"answer has none of {item.contains_any}")
    return EvalResult(item=item, misses=misses, answer=answer.as_record())


def read_questions(path: Path) -> list[str]:
    """The ``q`` of every JSON line, for batch answering."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]
