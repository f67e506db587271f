"""The loop's data in the reader's words: the funnel, the next experiment, results, the publish
calendar and reminders. Plain lines with *bold* marks; each face escapes what users typed."""

from collections.abc import Callable
from datetime import date

from bot.domain.digest import DAILY, DigestSchedule
from bot.domain.experiment import Lever
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan
from bot.domain.results import Funnel, FunnelStep, PlanResult
from bot.i18n.catalog import t
from bot.i18n.labels import label

_LEVER_MESSAGES = {Lever.CONTENT: "experiment.content", Lever.CHANNEL: "experiment.channel",
                   Lever.STRATEGY: "experiment.strategy"}
_DAY_NAMES = {"mon": "day.mon", "tue": "day.tue", "wed": "day.wed", "thu": "day.thu", "fri": "day.fri",
              "sat": "day.sat", "sun": "day.sun"}


def percent(rate: float | None) -> str:
    """12.5%; two significant digits below 1% (PAR and BAR are small: 0.26%); "—" unmeasured."""
    if rate is None:
        return "—"
    value = rate * 100
    return f"{value:.1f}%" if value >= 1 or value == 0 else f"{value:.2g}%"


def step_line(step: FunnelStep, lang: Lang) -> str:
    names = {"step": label(step.name, lang), "from_stage": t(f"stage_short.{step.from_stage.value}", lang),
             "to_stage": t(f"stage_short.{step.to_stage.value}", lang)}
    if step.rate is None:
        return t("funnel.step_unmeasured", lang, **names)
    return t("funnel.step", lang, **names, rate=percent(step.rate), moved=f"{step.moved:,}",
             reached=f"{step.reached:,}", plans=step.plans)


def funnel_lines(funnel: Funnel, lang: Lang, scope: str = "") -> list[str]:
    """The funnel as a heading, a line per step, PAR and BAR, and its weakest step."""
    lines = [t("funnel.title", lang, scope=scope or t("funnel.scope_all", lang))]
    if not funnel.measured:
        return [*lines, t("funnel.empty", lang)]
    lines += [f"• {step_line(step, lang)}" for step in funnel.steps]
    lines.append(t("funnel.ratios", lang, par=percent(funnel.par), bar=percent(funnel.bar)))
    if weakest := funnel.weakest():
        lines.append(t("funnel.weakest", lang, step=label(weakest.name, lang)))
    return lines


def funnel_scope(funnel: Funnel, lang: Lang) -> str:
    """What the funnel covers: its segment, channel and period, as set."""
    parts = [funnel.segment or "", label(funnel.channel, lang) if funnel.channel else ""]
    if funnel.period_start or funnel.period_end:
        parts.append(period_text(funnel.period_start, funnel.period_end))
    return " · ".join(part for part in parts if part)


def period_text(start: date | None, end: date | None) -> str:
    """2026-11-01 – 2026-11-30, an open end as "…"."""
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"


def experiment_lines(suggestion, lang: Lang) -> list[str]:
    """What to test next and why (``suggestion`` is a NextExperiment)."""
    experiment = suggestion.experiment
    if experiment is None:
        return [t("experiment.none", lang)]
    step = experiment.step
    lever = t(_LEVER_MESSAGES[experiment.lever], lang, stage=label(experiment.stage, lang),
              channel=label(experiment.channel, lang) if experiment.channel else "—",
              channels=t("list_separator", lang).join(label(channel, lang) for channel in experiment.try_channels)
              or "—",
              tried=experiment.contents_tried, step=label(step.name, lang))
    titles = [source.title for source in suggestion.sources] or experiment.sources
    why = t("experiment.why", lang, step=label(step.name, lang), rate=percent(step.rate),
            sources=t("list_separator", lang).join(titles))
    return [lever, suggestion.explanation, why] if suggestion.explanation else [lever, why]


def result_lines(results: list[PlanResult], lang: Lang, person: Callable[[str], str] = str) -> list[str]:
    return [t("results.history_line", lang, start=r.period_start.isoformat(), end=r.period_end.isoformat(),
              reach=f"{r.reach:,}", engagement=f"{r.engagement:,}", clicks=f"{r.clicks:,}", moved=f"{r.moved:,}",
              version=r.version, who=person(r.who)) for r in results]


def calendar_lines(plans: list[ContentPlan], lang: Lang, title: Callable[[str], str] = str) -> list[str]:
    """A line per plan with a publish day, by day: `2026-12-03 · #12 Title (short video, approved)`."""
    lines = []
    for plan in plans:
        where = ", ".join(label(part, lang) for part in (plan.channel, plan.status) if part is not None)
        lines.append(f"{plan.due.isoformat()} · #{plan.id} {title(plan.content.title)} ({where})")
    return lines


def reminder_text(plan: ContentPlan, today: bool, lang: Lang, title: Callable[[str], str] = str) -> str:
    return t("reminder.today" if today else "reminder.before", lang, id=plan.id, title=title(plan.content.title),
             due=plan.due.isoformat() if plan.due else "", status=label(plan.status, lang))


def schedule_text(schedule: DigestSchedule | None, lang: Lang) -> str:
    if schedule is None:
        return t("digest.off", lang)
    if schedule.day == DAILY:
        return t("digest.on_daily", lang, at=schedule.at, tz=schedule.tz)
    return t("digest.on_weekly", lang, day=t(_DAY_NAMES[schedule.day], lang), at=schedule.at, tz=schedule.tz)
