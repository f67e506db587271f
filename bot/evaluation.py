"""Scoring answers against a question set (the format of shared/eval/dev.jsonl)."""

from pathlib import Path

from pydantic import ValidationError

from bot.errors import UserError
from bot.files import parse_json, read_text
from bot.models import Answer, EvalItem, EvalResult, EvalSummary


def read_items(path: Path) -> list[EvalItem]:
    items = []
    for number, line in _numbered_lines(path):
        try:
            items.append(EvalItem.model_validate(parse_json(line, f"{path}, line {number}")))
        except ValidationError as error:
            raise UserError("unreadable_file", path=f"{path}, line {number}",
                            reason=error.errors()[0]["msg"]) from None
    return items


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    return [(number, line) for number, line in enumerate(read_text(path).splitlines(), start=1) if line.strip()]


def score(item: EvalItem, answer: Answer) -> EvalResult:
    """Every way the answer misses what the item expects; none means it passed."""
    misses = []
    if item.lang and answer.lang.value != item.lang:
        misses.append(f"lang {answer.lang.value} != {item.lang}")
    if item.not_found and answer.sources:
        misses.append(f"answered from {answer.sources[0].id} instead of finding nothing")
    if not item.not_found and not answer.sources:
        misses.append("found nothing")
    stage = answer.stage.value if answer.stage else None
    if item.stage and stage not in item.stage:
        misses.append(f"stage {stage} not in {item.stage}")
    channel = answer.channel.value if answer.channel else None
    if item.channel and channel != item.channel:
        misses.append(f"channel {channel} != {item.channel}")
    funnel = answer.funnel.value if answer.funnel else None
    if item.funnel and funnel != item.funnel:
        misses.append(f"funnel {funnel} != {item.funnel}")
    lowered = answer.text.lower()
    for needle in item.contains_all:
        if needle.lower() not in lowered:
            misses.append(f"answer lacks {needle!r}")
    if item.contains_any and not any(n.lower() in lowered for n in item.contains_any):
        misses.append(f"answer has none of {item.contains_any}")
    return EvalResult(item=item, misses=misses, answer=answer.as_record())


def read_questions(path: Path) -> list[str]:
    """The ``q`` of every JSON line, for batch answering."""
    questions = []
    for number, line in _numbered_lines(path):
        record = parse_json(line, f"{path}, line {number}")
        if not isinstance(record, dict) or not isinstance(record.get("q"), str):
            raise UserError("unreadable_file", path=f"{path}, line {number}", reason='no "q" text on this line')
        questions.append(record["q"])
    return questions


def summarise(results: list[EvalResult]) -> EvalSummary:
    """Pass counts by language and by kind, stage accuracy, and the stage confusion matrix
    (expected → answered) of the items that expect a stage."""
    summary = EvalSummary(total=len(results), passed=sum(result.passed for result in results))
    for result in results:
        for group, key in ((summary.by_lang, result.item.lang or "-"), (summary.by_kind, result.item.kind or "-")):
            counts = group.setdefault(key, [0, 0])
            counts[0] += result.passed
            counts[1] += 1
        if result.item.stage:
            answered = result.answer.get("stage") or "none"
            summary.stage_total += 1
            summary.stage_right += answered in result.item.stage
            expected = answered if answered in result.item.stage else result.item.stage[0]
            row = summary.confusion.setdefault(expected, {})
            row[answered] = row.get(answered, 0) + 1
    return summary
