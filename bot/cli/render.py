"""Rich renderings of plans, findings, lists, history and coverage for the terminal."""

from rich.cells import cell_len as cell_width
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.i18n import (
    card_sentence,
    finding_fix,
    finding_message,
    format_summary,
    history_lines,
    label,
    t,
    teaching_text,
)
from bot.models import (
    AwarenessStage,
    ContentPlan,
    CoverageCell,
    CoverageReport,
    EvalSummary,
    Finding,
    FindingLevel,
    HistoryEvent,
    Lang,
    Reply,
    ReplyKind,
    Taught,
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


# The list's columns, least useful last: a narrow terminal drops them from the end until the
# title has room, but never the id or the title.
PLAN_LIST_COLUMNS = ("id", "title", "status", "stage", "channel", "updated", "author")
TITLE_ROOM = 24


def _plan_cell(column: str, plan: ContentPlan, lang: Lang) -> str:
    if column == "id":
        return str(plan.id)
    if column == "title":
        return plan.content.title
    if column == "updated":
        return plan.updated_at.strftime("%Y-%m-%d") if plan.updated_at else ""
    if column == "author":
        return plan.author
    value = getattr(plan, column)
    return label(value, lang) if value else ""


def plans_table(plans: list[ContentPlan], total: int, lang: Lang, width: int) -> Table | Text:
    """The plan list for a terminal ``width`` columns wide: the id and the title always show (a
    long title is cut with an ellipsis); the other columns go, least useful first, when narrow."""
    if not plans:
        return Text(t("cli.no_plans", lang))
    headers = {column: t(f"cli.column.{column}", lang) for column in PLAN_LIST_COLUMNS}
    cells = {column: [_plan_cell(column, plan, lang) for plan in plans] for column in PLAN_LIST_COLUMNS}
    whole = {column: max(cell_width(text) for text in [headers[column], *cells[column]])
             for column in PLAN_LIST_COLUMNS}

    def title_room(shown: list[str]) -> int:
        # 3 cells of border and padding per column, and one for the table's edge.
        return width - sum(whole[column] for column in shown if column != "title") - 3 * len(shown) - 1

    shown = list(PLAN_LIST_COLUMNS)
    while len(shown) > 2 and title_room(shown) < min(TITLE_ROOM, whole["title"]):
        shown.pop()
    table = Table(caption=t("cli.shown_of_total", lang, shown=len(plans), total=total))
    for column in shown:
        fixed = min(whole[column], max(title_room(shown), 8)) if column == "title" else whole[column]
        # Every column but the title keeps its whole width; the title is cut with an ellipsis.
        table.add_column(headers[column], no_wrap=True, overflow="ellipsis",
                         justify="right" if column == "id" else "left", width=fixed)
    rows = [[cells[column][index] for column in shown] for index in range(len(plans))]
    for row in rows:
        table.add_row(*row)
    return table


def reply_renderables(reply: Reply) -> list[RenderableType]:
    """What the terminal shows for a reply to a chat message."""
    if reply.answer:
        return [Markdown(reply.answer.text)]
    if reply.kind is ReplyKind.HELP:
        return [Markdown(t("cli.help", reply.lang).replace("\n", "  \n"))]
    if reply.drafts:
        return [plan_card(draft.plan) for draft in reply.drafts]
    return [Text(gaps_line(reply.gaps, reply.lang))]


def taught_table(taught: list[Taught], lang: Lang) -> Table:
    """What a team taught: its key, what it says in the reader's words, who taught it, from where."""
    table = Table(show_header=True, header_style="bold", expand=False)
    for heading in ("cli.taught_key", "cli.taught_teaching", "cli.taught_by"):
        table.add_column(t(heading, lang), overflow="fold")
    for item in taught:
        source = item.file or f"{item.taught_by} · v{item.version}"
        table.add_row(item.key, teaching_text(item.teaching, lang), source)
    return table


def gaps_line(gaps: list[CoverageCell], lang: Lang) -> str:
    return t("cli.gaps", lang, cells=", ".join(f"{label(g.stage, lang)} × {label(g.channel, lang)}" for g in gaps))


def history_text(events: list[HistoryEvent], lang: Lang) -> Text:
    return Text("\n".join(history_lines(events, lang)))


def coverage_table(report: CoverageReport, lang: Lang, width: int) -> Table:
    """Plan counts per 5A stage × channel, gaps marked. Channels become the rows when the terminal
    is too narrow for one column per channel (stages then use their short names)."""
    gaps = {(gap.stage, gap.channel) for gap in report.gaps}
    stages = list(dict.fromkeys(cell.stage for cell in report.cells))
    channels = report.channels

    def cell(stage, channel) -> Text:
        if (stage, channel) in gaps:
            return Text(t("cli.gap", lang), style="red")
        return Text(str(report.count(stage, channel)))

    stage_room = max((cell_width(label(stage, lang)) for stage in stages), default=0) + 3
    if stage_room + sum(cell_width(label(channel, lang)) + 3 for channel in channels) <= width:
        table = Table(title=t("cli.coverage_title", lang))
        table.add_column("", no_wrap=True)
        for channel in channels:
            table.add_column(label(channel, lang), justify="right", no_wrap=True)
        for stage in stages:
            table.add_row(label(stage, lang), *(cell(stage, channel) for channel in channels))
        return table
    table = Table(title=t("cli.coverage_title", lang))
    table.add_column(t("cli.channel", lang), no_wrap=True, overflow="ellipsis")
    for stage in stages:
        table.add_column(t(f"stage_short.{stage.value}", lang), justify="right", no_wrap=True)
    for channel in channels:
        table.add_row(label(channel, lang), *(cell(stage, channel) for stage in stages))
    return table


def evaluation_renderables(summary: EvalSummary) -> list[RenderableType]:
    """The score of a question set by language and by kind, then how the stages were read."""

    def share(passed: int, total: int) -> str:
        return f"{passed}/{total} ({100 * passed / total:.0f}%)" if total else "-"

    groups = Table(show_header=True)
    groups.add_column("")
    groups.add_column("passed", justify="right")
    for title, group in (("lang", summary.by_lang), ("kind", summary.by_kind)):
        for key, (passed, total) in sorted(group.items()):
            groups.add_row(f"{title} {key}", share(passed, total))
    renderables: list[RenderableType] = [groups]
    if summary.stage_total:
        answered = [*AwarenessStage, "none"]
        matrix = Table(title=f"stage: {share(summary.stage_right, summary.stage_total)}  (rows expected, "
                             "columns answered)")
        matrix.add_column("")
        for stage in answered:
            matrix.add_column(str(stage), justify="right")
        for expected in AwarenessStage:
            row = summary.confusion.get(expected, {})
            matrix.add_row(str(expected), *(str(row.get(stage, "")) for stage in answered))
        renderables.append(matrix)
    return renderables
