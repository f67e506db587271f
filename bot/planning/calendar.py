"""The publish calendar: plans by their publish day (the card's due date), as an iCalendar file
that Google Calendar, Outlook and Apple Calendar import."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.domain.plan import ContentPlan
from bot.i18n import label, t
from bot.models import Lang

PRODUCT_ID = "-//planbot//publish calendar//EN"


def calendar_ics(plans: list[ContentPlan], lang: Lang, workspace: str = "", now: datetime | None = None) -> bytes:
    """One all-day event per plan with a publish day; the same plan keeps its UID, so importing
    the file again updates the events instead of doubling them."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t("calendar.name", lang))
    stamp = now or datetime.now(UTC)
    for plan in by_publish_day(plans):
        event = Event()
        event.add("uid", f"plan-{plan.id}@{workspace or 'planbot'}")
        event.add("dtstamp", stamp)
        event.add("dtstart", plan.due)
        event.add("dtend", plan.due + timedelta(days=1))
        event.add("summary", f"#{plan.id} {plan.content.title}".strip())
        event.add("description", _description(plan, lang))
        event.add("categories", [label(part, lang) for part in (plan.stage, plan.channel) if part is not None])
        event.add("status", "CONFIRMED" if plan.status.value in ("approved", "published") else "TENTATIVE")
        calendar.add_component(event)
    return calendar.to_ical()


def _description(plan: ContentPlan, lang: Lang) -> str:
    parts = [
        (t("calendar.stage", lang), label(plan.stage, lang) if plan.stage else ""),
        (t("calendar.channel", lang), label(plan.channel, lang) if plan.channel else ""),
        (t("calendar.segment", lang), plan.segment),
        (t("calendar.action", lang), plan.action),
        (t("calendar.status", lang), label(plan.status, lang)),
        (t("calendar.owner", lang), plan.owner),
    ]
    return "\n".join(f"{name}: {value}" for name, value in parts if value)


def by_publish_day(plans: list[ContentPlan]) -> list[ContentPlan]:
    """The plans with a publish day, in the order of their days (then their ids)."""
    return sorted((plan for plan in plans if plan.due), key=lambda plan: (plan.due, plan.id or 0))
