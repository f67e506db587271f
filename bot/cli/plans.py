"""Plan commands: draft, check, and the plan log (save, list, show, edit, status, export, import,
coverage)."""

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import (
    JsonOption,
    LangOption,
    app,
    console,
    current_user,
    open_service,
    parse_lang,
    print_json,
)
from bot.errors import UserError

plans_app = typer.Typer(help="The team's plan log: save, review, export and import plans.")
app.add_typer(plans_app, name="plans")

FilterWords = Annotated[
    list[str] | None,
    typer.Argument(help="Filters: stage:ask channel:抖音 status:draft author:ann campaign:Q3 tag:x "
                   "since:2026-01-01 until:… mine all, and words to search for."),
]


def _parse(kind: str, value: str | None):
    """A stage, funnel stage or channel named by value or alias; unknown names are user errors."""
    from bot.service import PlanBotService

    return None if value is None else PlanBotService.parse_value(kind, value)


def _read_plan(path: Path):
    from bot.service import PlanBotService

    return PlanBotService.read_plan_file(path)


def _show_plans(plans, as_json: bool, lang=None) -> None:
    from bot.cli.render import plan_card, plan_record

    if as_json:
        for plan in plans:
            print_json(plan_record(plan))
        return
    for plan in plans:
        console.print(plan_card(plan, lang))


@app.command()
def draft(
    stage: Annotated[str | None, typer.Option(help="5A stage (aware, appeal, ask, act, advocate, an alias).")] = None,
    funnel: Annotated[str | None, typer.Option(help="Sales stage (raw_lead, mql, sql, revenue, retention).")] = None,
    channel: Annotated[str | None, typer.Option(help="Channel (short_video, 公众号, webinar…).")] = None,
    segment: Annotated[str, typer.Option(help="Who the content is for.")] = "",
    product: Annotated[str, typer.Option(help="The product's name.")] = "",
    goal: Annotated[str, typer.Option(help="What the content should achieve, in your words.")] = "",
    campaign: Annotated[str, typer.Option(help="Campaign the plan belongs to.")] = "",
    lang: LangOption = None,
    journey: Annotated[bool, typer.Option("--journey", help="One card per 5A stage.")] = False,
    every_segment: Annotated[bool, typer.Option("--every-segment", help="The same for each segment of the team "
                                                "profile.")] = False,
    variant: Annotated[int, typer.Option(help="Another idea: 1, 2, … picks the next one.")] = 0,
    save: Annotated[bool, typer.Option("--save", help="Save the draft(s) to the plan log.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Draft a content plan card from a brief, grounded in the knowledge base."""
    from bot.models import Brief

    brief = Brief(stage=_parse("stage", stage), funnel_stage=_parse("funnel", funnel),
                  channel=_parse("channel", channel), segment=segment, product=product, goal=goal,
                  campaign=campaign, lang=parse_lang(lang), variant=variant)
    service = open_service()
    workspace = service.settings.workspace
    plans = [draft.plan for draft in service.drafts(brief, journey=journey, every_segment=every_segment,
                                                    workspace=workspace)]
    if save:
        plans = [service.save_plan(plan, current_user(), keep_as_draft=True, workspace=workspace) for plan in plans]
    _show_plans(plans, as_json)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A plan as JSON (the `--json` form of a plan).")],
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a plan against the channel, stage and template rules; exits 1 on errors."""
    from bot.cli.render import finding_record, findings_table
    from bot.models import has_errors

    plan = _read_plan(file)
    service = open_service()
    findings = service.check(plan, service.settings.workspace)
    shown_in = parse_lang(lang) or plan.lang
    if as_json:
        print_json([finding_record(finding, shown_in) for finding in findings])
    elif findings:
        console.print(findings_table(findings, shown_in))
    else:
        console.print("✓")
    if has_errors(findings):
        raise typer.Exit(1)


@plans_app.command("save")
def plans_save(
    file: Annotated[Path, typer.Argument(help="A plan as JSON; with an id it updates that plan.")],
    keep_as_draft: Annotated[bool, typer.Option("--keep-as-draft", help="Save even with errors, as a draft.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check and save a plan. A plan with errors is refused unless kept as a draft."""
    service = open_service()
    plan = service.save_plan(_read_plan(file), current_user(), keep_as_draft=keep_as_draft,
                             workspace=service.settings.workspace)
    _show_plans([plan], as_json)


@plans_app.command("list")
def plans_list(
    filters: FilterWords = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List plans, newest first."""
    from bot.cli.app import user_lang
    from bot.cli.render import plans_table

    service = open_service()
    where = service.parse_plan_query(filters or [], me=current_user())
    plans = service.list_plans(where, limit, offset)
    if as_json:
        _show_plans(plans, True)
    else:
        console.print(plans_table(plans, service.count_plans(where), user_lang(), console.width))


@plans_app.command("show")
def plans_show(plan_id: int, as_json: JsonOption = False) -> None:
    """One plan with its findings and history."""
    from bot.cli.app import user_lang
    from bot.cli.render import history_text, plan_record

    service = open_service()
    plan, history = service.get_plan(plan_id), service.plan_history(plan_id)
    if as_json:
        print_json(plan_record(plan) | {"history": [e.model_dump(mode="json") for e in history]})
        return
    _show_plans([plan], False)
    console.print(history_text(history, user_lang()))


def _change(assignment: str) -> tuple[str, object]:
    field, separator, raw = assignment.partition("=")
    if not separator or not field:
        raise typer.BadParameter(f"expected FIELD=VALUE, got {assignment!r}")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or too deep, or a number too long): the text itself
        value = raw
    if field in ("stage", "next_stage", "funnel_stage", "channel") and isinstance(value, str) and value:
        kind = "channel" if field == "channel" else "funnel" if field == "funnel_stage" else "stage"
        value = _parse(kind, value).value
    return field, value


@plans_app.command("edit")
def plans_edit(
    plan_id: int,
    changes: Annotated[list[str], typer.Argument(help='FIELD=VALUE, e.g. content.title="New title" '
                                                 "content.format.duration_seconds=75 channel=抖音")],
    as_json: JsonOption = False,
) -> None:
    """Change fields of a plan; the change is recorded in its history."""
    service = open_service()
    plan = service.edit_plan(plan_id, dict(_change(c) for c in changes), current_user(), service.settings.workspace)
    _show_plans([plan], as_json)


@plans_app.command("status")
def plans_status(
    plan_id: int,
    status: Annotated[str, typer.Argument(help="draft, in_review, approved, published or archived.")],
    as_json: JsonOption = False,
) -> None:
    """Move a plan along the workflow (draft → in_review → approved → published → archived)."""
    service = open_service()
    wanted = service.parse_value("status", status)
    _show_plans([service.set_plan_status(plan_id, wanted, current_user(), service.settings.workspace)], as_json)


@plans_app.command("hand-over")
def plans_hand_over(
    plan_id: int,
    owner: Annotated[str, typer.Argument(help="The new owner (a Slack user id, or a name in the CLI).")],
    as_json: JsonOption = False,
) -> None:
    """Give a plan another owner; recorded in its history."""
    _show_plans([open_service().hand_over_plan(plan_id, owner, current_user())], as_json)


@plans_app.command("export")
def plans_export(
    filters: FilterWords = None,
    format: Annotated[str, typer.Option("--format", help="csv or markdown.")] = "csv",
    output: Annotated[Path | None, typer.Option(help="File to write (default: standard output).")] = None,
    lang: LangOption = None,
) -> None:
    """Export plans as CSV (for spreadsheets and re-import) or Markdown (for reading)."""
    import sys

    from bot.cli.app import user_lang

    service = open_service()
    where = service.parse_plan_query(filters or [], me=current_user())
    if format == "csv":
        count = service.export_plans_csv(where, output or sys.stdout)
    elif format in ("markdown", "md"):
        text = service.export_plans_markdown(where, parse_lang(lang) or user_lang())
        count = text.count("\n## #")
        output.write_text(text, encoding="utf-8") if output else sys.stdout.write(text)
    else:
        raise typer.BadParameter("use csv or markdown", param_hint="--format")
    if output:
        console.print(f"{count} plan(s) → {output}")


@plans_app.command("import")
def plans_import(
    file: Path,
    on_conflict: Annotated[str, typer.Option(
        "--on-conflict", help="A row whose id is already in the log: skip it, update that plan, or add it as new.",
    )] = "skip",
) -> None:
    """Import plans from CSV (the export format; UTF-8 or GB18030): every row, or none if any is bad."""
    from bot.models import OnConflict

    try:
        choice = OnConflict(on_conflict)
    except ValueError:
        raise typer.BadParameter("use skip, update or new", param_hint="--on-conflict") from None
    service = open_service()
    report = service.import_plans_csv(file, current_user(), choice, service.settings.workspace)
    if not report.ok:
        for error in report.errors:
            console.print(f"row {error.row}: {error.message}", markup=False)
        raise UserError("import_failed", count=len(report.errors))
    console.print(f"{report.imported} plan(s) imported: {', '.join(map(str, report.ids)) or '-'}; "
                  f"{len(report.updated)} updated, {len(report.skipped)} skipped (already in the log).")


@plans_app.command("coverage")
def plans_coverage(
    png: Annotated[Path | None, typer.Option(help="Also write the heatmap to this PNG file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """How many active plans each 5A stage × channel has, and the gaps the knowledge base flags."""
    from bot.cli.app import user_lang
    from bot.cli.render import coverage_table, gaps_line

    service = open_service()
    report = service.coverage()
    if png:
        png.write_bytes(service.coverage_png(report, user_lang()))
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    console.print(coverage_table(report, user_lang(), console.width))
    console.print(gaps_line(report.gaps, user_lang()))
