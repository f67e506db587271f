"""Reading a filter typed by a person: `stage:ask channel:抖音 status:draft mine webinar`."""

import shlex
from datetime import date

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

FILTER_KEYS = ("stage", "funnel", "channel", "status", "author", "campaign", "tag", "since", "until")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise UserError("bad_date", value=value) from error


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


def parse_filters(words: str | list[str], me: str | None = None) -> PlanQuery:
    """`key:value` words narrow the list; `mine` means author:me; `all` includes archived plans;
    any other word is searched for in the plans' text."""
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
        else:
            fields[key] = value
    if text:
        fields["text"] = " ".join(text)
    return PlanQuery(**fields)
