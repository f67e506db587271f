"""Reading a filter typed by a person: `stage:ask channel:抖音 status:draft mine webinar`."""

import shlex
from datetime import date, timedelta

from bot.domain.channels import Channel
from bot.domain.plan import PlanStatus
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.domain.vocabulary import (
    parse_awareness_stage,
    parse_channel,
    parse_funnel_stage,
)
from bot.errors import UserError
from bot.i18n.labels import normalised, printed_names
from bot.models import PlanQuery

FILTER_KEYS = ("stage", "funnel", "channel", "status", "author", "campaign", "tag", "since", "until", "due",
               "segment")

# `due:` words, in each language a team writes them; each names inclusive days from today.
_DUE_WORDS = {
    "today": ("today", "今天", "今日", "오늘"),
    "tomorrow": ("tomorrow", "明天", "明日", "내일"),
    "this-week": ("this-week", "week", "本周", "这周", "本週", "這週", "이번주", "이번-주"),
    "next-week": ("next-week", "下周", "下週", "다음주", "다음-주"),
    "overdue": ("overdue", "逾期", "过期", "過期", "지연"),
}


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise UserError("bad_date", value=value) from error


def due_days(value: str, today: date) -> tuple[date | None, date | None]:
    """The inclusive days a `due:` value names: a word (this week, next week, today, tomorrow,
    overdue), a day, or `FROM..TO`. Weeks start on Monday."""
    word = next((name for name, spellings in _DUE_WORDS.items() if value.lower() in spellings), None)
    monday = today - timedelta(days=today.weekday())
    if word == "today":
        return today, today
    if word == "tomorrow":
        return today + timedelta(days=1), today + timedelta(days=1)
    if word == "this-week":
        return monday, monday + timedelta(days=6)
    if word == "next-week":
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if word == "overdue":
        return None, today - timedelta(days=1)
    start, separator, end = value.partition("..")
    if separator:
        return (_date(start) if start else None), (_date(end) if end else None)
    return _date(value), _date(value)


def _status(value: str) -> PlanStatus:
    try:
        return PlanStatus(value.lower().replace(" ", "_").replace("-", "_"))
    except ValueError as error:
        allowed = ", ".join(status.value for status in PlanStatus)
        raise UserError("unknown_value", field="status", value=value, allowed=allowed) from error


_KINDS = {"stage": AwarenessStage, "funnel": FunnelStage, "channel": Channel, "status": PlanStatus}


def parse_value(kind: str, text: str) -> AwarenessStage | FunnelStage | Channel | PlanStatus:
    """A 5A stage, funnel stage, channel or status named by its value or an alias; unknown names
    are user errors that list what is accepted."""
    printed = printed_names(_KINDS[kind]).get(normalised(text))
    if printed is not None:
        return printed
    if kind == "status":
        return _status(text)
    parsed = {"stage": parse_awareness_stage, "funnel": parse_funnel_stage, "channel": parse_channel}[kind](text)
    if parsed is None:
        if kind == "channel":
            raise UserError("unknown_channel", value=text, allowed=", ".join(c.value for c in Channel))
        raise UserError("unknown_stage", value=text)
    return parsed


def parse_filters(words: str | list[str], me: str | None = None, today: date | None = None) -> PlanQuery:
    """`key:value` words narrow the list; `mine` means author:me; `all` includes archived plans;
    `due:this-week` (or a day, or `FROM..TO`) the plans to publish then; any other word is
    searched for in the plans' text."""
    if isinstance(words, str):
        try:
            words = shlex.split(words)
        except ValueError:
            words = words.split()
    fields: dict = {}
    text: list[str] = []
    for word in words:
        key, separator, value = word.partition(":")
        key = key.lower()
        if not separator or key not in FILTER_KEYS or not value:
            if word.lower() == "mine" and me:
                fields["author"] = me
            elif word.lower() in ("all", "archived"):
                fields["include_archived"] = True
            else:
                text.append(word)
            continue
        if key == "stage":
            try:
                fields["stage"] = parse_value("stage", value)
            except UserError:
                fields["funnel_stage"] = parse_value("funnel", value)
        elif key == "funnel":
            fields["funnel_stage"] = parse_value("funnel", value)
        elif key == "channel":
            fields["channel"] = parse_value("channel", value)
        elif key == "status":
            fields["status"] = parse_value("status", value)
        elif key in ("since", "until"):
            fields["created_from" if key == "since" else "created_to"] = _date(value)
        elif key == "due":
            fields["due_from"], fields["due_to"] = due_days(value, today or date.today())
        else:
            fields[key] = value
    if text:
        fields["text"] = " ".join(text)
    return PlanQuery(**fields)
