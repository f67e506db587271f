"""Closing the loop from the terminal: the publish calendar (and .ics), results per plan, the
5A funnel, and what to test next."""

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import JsonOption, app, console, current_user, open_service, print_json, user_lang
from bot.cli.plans import FilterWords, plans_app

results_app = typer.Typer(help="What published plans achieved: add, import and show results.")
app.add_typer(results_app, name="results")

FunnelWords = Annotated[
    list[str] | None,
    typer.Argument(help="Which plans: segment:… channel:… stage:… campaign:…; since:/until: the results' period."),
]


@plans_app.command("calendar")
def plans_calendar(
    filters: FilterWords = None,
    ics: Annotated[Path | None, typer.Option(help="Also write the publish dates to this .ics file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Plans by publish date (e.g. due:this-week, due:next-week, due:2026-12-01..2026-12-31)."""
    from bot.i18n import t
    from bot.i18n.loop import calendar_lines

    service, lang = open_service(), user_lang()
    plans = service.calendar(service.parse_plan_query(filters or [], me=current_user()))
    if ics:
        ics.write_bytes(service.calendar_ics(plans, lang, service.settings.workspace))
    if as_json:
        for plan in plans:
            print_json({"id": plan.id, "due": plan.due, "title": plan.content.title, "status": plan.status})
        return
    lines = calendar_lines(plans, lang) or [t("calendar.empty", lang)]
    for line in lines:
        console.print(line, markup=False, highlight=False)


@results_app.command("add")
def results_add(
    plan_id: int,
    period_from: Annotated[str, typer.Option("--from", help="First day of the period (YYYY-MM-DD).")],
    period_to: Annotated[str, typer.Option("--to", help="Last day of the period (YYYY-MM-DD).")],
    reach: Annotated[int, typer.Option(help="People the content reached.")],
    engagement: Annotated[int, typer.Option(help="Likes, comments, shares…")] = 0,
    clicks: Annotated[int, typer.Option(help="Clicks on the content's link.")] = 0,
    moved: Annotated[int, typer.Option(help="People who took the action, on to the next stage.")] = 0,
    note: Annotated[str, typer.Option(help="What else happened.")] = "",
) -> None:
    """Record a published plan's results for a period (again: a new version)."""
    from bot.i18n import t

    service, lang = open_service(), user_lang()
    recorded = service.record_result(plan_id, {"period_start": period_from, "period_end": period_to, "reach": reach,
                                               "engagement": engagement, "clicks": clicks, "moved": moved,
                                               "note": note}, current_user())
    console.print(t("results.recorded", lang, plan_id=plan_id, start=recorded.period_start.isoformat(),
                    end=recorded.period_end.isoformat(), version=recorded.version), markup=False)


@results_app.command("import")
def results_import(path: Path) -> None:
    """Import results from a CSV: plan_id, period_start, period_end, reach, engagement, clicks,
    moved, note — every row, or none."""
    recorded = open_service().import_results_csv(path, current_user())
    console.print(f"{len(recorded)} result(s) imported.")


@results_app.command("show")
def results_show(plan_id: int, as_json: JsonOption = False) -> None:
    """Every version of a plan's results."""
    from bot.i18n import t
    from bot.i18n.loop import result_lines

    lang = user_lang()
    recorded = open_service().plan_results(plan_id)
    if as_json:
        for result in recorded:
            print_json(result.model_dump(mode="json"))
        return
    for line in result_lines(recorded, lang) or [t("results.none", lang, plan_id=plan_id)]:
        console.print(line, markup=False, highlight=False)


@app.command()
def funnel(
    filters: FunnelWords = None,
    png: Annotated[Path | None, typer.Option(help="Also write the funnel chart to this PNG file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The 5A funnel from recorded results: the stage-to-stage rates, PAR and BAR."""
    from bot.i18n.loop import funnel_lines, funnel_scope

    service, lang = open_service(), user_lang()
    query, since, until = service.parse_funnel_query(filters or [], me=current_user())
    found = service.funnel(query, since, until)
    if png and found.measured:
        png.write_bytes(service.funnel_png(found, lang))
    if as_json:
        print_json(found.model_dump(mode="json") | {"par": found.par, "bar": found.bar,
                                                    "rates": {step.name: step.rate for step in found.steps}})
        return
    for line in funnel_lines(found, lang, funnel_scope(found, lang)):
        console.print(line.replace("*", ""), markup=False, highlight=False)


@app.command("next")
def next_experiment(filters: FunnelWords = None, save: Annotated[bool, typer.Option(
        help="Save the proposed cards to the plan log as drafts.")] = False) -> None:
    """What to test next: the weakest funnel step, the lever (content, then channel, then
    strategy), and the cards that would run it."""
    from bot.cli.render import plan_card
    from bot.i18n.loop import experiment_lines

    service, lang = open_service(), user_lang()
    query, since, until = service.parse_funnel_query(filters or [], me=current_user())
    suggestion = service.next_experiment(query, since, until, lang=lang)
    for line in experiment_lines(suggestion, lang):
        console.print(line.replace("*", ""), markup=False, highlight=False)
    for draft in suggestion.drafts:
        console.print(plan_card(draft.plan, lang))
        if save:
            saved = service.save_plan(draft.plan, current_user(), keep_as_draft=True)
            console.print(f"#{saved.id}")
