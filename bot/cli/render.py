"""Rich renderings of plans, findings, lists, history and coverage for the terminal."""

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.i18n import card_sentence, finding_fix, finding_message, format_summary, label
from bot.models import (
    ContentPlan,
    CoverageCell,
    CoverageReport,
    Finding,
    FindingLevel,
    Lang,
    Reply,
)

_LEVEL_STYLE = {FindingLevel.ERROR: "bold red", FindingLevel.WARNING: "yellow", FindingLevel.TIP: "cyan"}


def findings_table(findings: list[Finding], lang: Lang) -> Table:
    table = Table(show_header=True, header_style="bold", expand=False)
    for column in ("level", "field", "finding", "fix", "rule"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        table.add_row(Text(finding.level.value, style=_LEVEL_STYLE[finding.level]), finding.field,
                      finding_message(finding, lang), finding_fix(finding, lang), finding.rule)
    return table


def finding_record(finding: Finding, lang: Lang) -> dict:
    """A finding as `--json` prints it: its data, and what it says in ``lang``."""
    return {"level": finding.level.value, "rule": finding.rule, "field": finding.field,
            "message": finding_message(finding, lang), "fix": finding_fix(finding, lang),
            "code": finding.code, "params": finding.params}


def plan_record(plan: ContentPlan) -> dict:
    """A plan as `--json` prints it (and `check` and `plans save` read it back)."""
    return plan.model_dump(mode="json") | {"findings": [finding_record(f, plan.lang) for f in plan.findings]}


def plan_card(plan: ContentPlan, lang: Lang | None = None) -> Panel:
    lang = lang or plan.lang
    title = f"#{plan.id} " if plan.id else ""
    title += plan.content.title or "(untitled)"
    parts = [Text.from_markup(card_sentence(plan, lang, emphasis=lambda t: f"[bold]{_escape(t)}[/]"))]
    if plan.content.description:
        parts.append(Text(plan.content.description, style="dim"))
    details = [label(plan.status, lang)]
    if summary := format_summary(plan, lang):
        details.append(summary)
    details += [value for value in (plan.campaign, plan.owner, ", ".join(plan.tags)) if value]
    if plan.due:
        details.append(plan.due.isoformat())
    parts.append(Text(" · ".join(details), style="italic"))
    if plan.findings:
        parts.append(findings_table(plan.findings, lang))
    return Panel(Group(*parts), title=title, title_align="left")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def plans_table(plans: list[ContentPlan], total: int, lang: Lang) -> Table:
    table = Table(caption=f"{len(plans)} / {total}")
    table.add_column("#", justify="right")
    for name in ("status", "stage", "channel", "title", "author", "updated"):
        table.add_column(name, overflow="ellipsis", no_wrap=name != "title")
    for plan in plans:
        table.add_row(
            str(plan.id), label(plan.status, lang), label(plan.stage, lang) if plan.stage else "",
            label(plan.channel, lang) if plan.channel else "", plan.content.title, plan.author,
            plan.updated_at.strftime("%Y-%m-%d") if plan.updated_at else "",
        )
    return table


def reply_renderables(reply: Reply) -> list[RenderableType]:
    """What the terminal shows for a reply to a chat message."""
    if reply.answer:
        return [Markdown(reply.answer.text)]
    if reply.drafts:
        return [plan_card(draft.plan) for draft in reply.drafts]
    return [Text(gaps_line(reply.gaps, reply.lang))]


def gaps_line(gaps: list[CoverageCell], lang: Lang) -> str:
    return "gaps: " + ", ".join(f"{label(g.stage, lang)} × {label(g.channel, lang)}" for g in gaps)


def history_table(events) -> Table:
    table = Table("when", "who", "what", "changes")
    for event in events:
        changes = "; ".join(f"{field}: {old!r} → {new!r}" for field, (old, new) in event.changes.items())
        table.add_row(event.at.strftime("%Y-%m-%d %H:%M"), event.who, event.action.value, changes)
    return table


def coverage_table(report: CoverageReport, lang: Lang) -> Table:
    table = Table(title="5A × channel")
    table.add_column("")
    channels = report.channels
    for channel in channels:
        table.add_column(label(channel, lang), justify="right")
    gaps = {(gap.stage, gap.channel) for gap in report.gaps}
    for stage in dict.fromkeys(cell.stage for cell in report.cells):
        cells = []
        for channel in channels:
            count = report.count(stage, channel)
            cells.append(Text("gap", style="red") if (stage, channel) in gaps else Text(str(count)))
        table.add_row(label(stage, lang), *cells)
    return table
