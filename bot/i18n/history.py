"""A plan's history read as sentences: who did what, and each field's old and new value."""

from collections.abc import Callable
from typing import Any

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import HistoryAction, HistoryEvent, PlanStatus
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.i18n.catalog import t
from bot.i18n.formats import listing
from bot.i18n.labels import field_label, label

_VOCABULARY_FIELDS = {"stage": AwarenessStage, "next_stage": AwarenessStage, "funnel_stage": FunnelStage,
                      "channel": Channel, "status": PlanStatus}
_NOT_WORTH_SAYING = {"findings"}  # derived from the card; a change in them follows from the others


def _shown(field: str, value: Any, lang: Lang) -> str:
    if field in _VOCABULARY_FIELDS and value:
        return label(_VOCABULARY_FIELDS[field](value), lang)
    if field == "content.format.image_share" and isinstance(value, int | float):
        return f"{value * 100:g}%"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _change(field: str, old: Any, new: Any, lang: Lang) -> str:
    name = field_label(field, lang)
    if new in (None, "", []):
        return t("history.cleared", lang, field=name)
    if old in (None, "", []):
        return t("history.set", lang, field=name, new=_shown(field, new, lang))
    return t("history.change", lang, field=name, old=_shown(field, old, lang), new=_shown(field, new, lang))


def history_lines(events: list[HistoryEvent], lang: Lang, who: Callable[[str], str] = str) -> list[str]:
    """Each change as a dated sentence, oldest first; ``who`` shows a person (a Slack mention, say)."""
    return [f"{event.at:%Y-%m-%d %H:%M} · {describe_event(event, lang, who, first=index == 0)}"
            for index, event in enumerate(events)]


def describe_event(event: HistoryEvent, lang: Lang, who: Callable[[str], str] = str, first: bool = False) -> str:
    """One change as a sentence: "ann changed the title from “A” to “B”"; ``first`` when it made
    the plan."""
    person = who(event.who)
    if event.action is HistoryAction.CREATED or (first and event.action is HistoryAction.IMPORTED):
        return t("history.imported" if event.action is HistoryAction.IMPORTED else "history.created", lang,
                 who=person)
    if event.action is HistoryAction.STATUS:
        old, new = event.changes.get("status", (None, None))
        return t("history.status", lang, who=person, old=_shown("status", old, lang), new=_shown("status", new, lang))
    changes = [_change(field, old, new, lang) for field, (old, new) in event.changes.items()
               if field not in _NOT_WORTH_SAYING]
    if not changes and "findings" in event.changes:
        changes = [t("history.rechecked", lang)]
    if event.action is HistoryAction.IMPORTED:
        return t("history.updated_by_import", lang, who=person, changes=listing(changes, lang))
    return t("history.edited", lang, who=person, changes=listing(changes, lang))
