"""The loop's commands through Typer's runner: results, the funnel, the calendar and `next`."""

import json

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from bot.cli import app, main

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def published(env, stage: str, channel: str, due: str) -> int:
    card = json.loads(run("draft", "--stage", stage, "--channel", channel, "--json"))
    card["due"] = due
    path = env / f"{stage}.json"
    path.write_text(json.dumps(card), encoding="utf-8")
    plan_id = int(json.loads(run("plans", "save", str(path), "--json"))["id"])
    for status in ("in_review", "approved", "published"):
        run("plans", "status", str(plan_id), status)
    return plan_id


def test_results_then_the_funnel_and_what_to_test_next(cli_env, monkeypatch):
    aware = published(cli_env, "aware", "short_video", "2026-12-01")
    ask = published(cli_env, "ask", "webinar", "2026-12-03")
    run("results", "add", str(aware), "--from", "2026-11-01", "--to", "2026-11-30", "--reach", "2000", "--moved", "300")
    run("results", "add", str(ask), "--from", "2026-11-01", "--to", "2026-11-30", "--reach", "200", "--moved", "6")
    assert "reach 2,000" in run("results", "show", str(aware))
    funnel = json.loads(run("funnel", "--json"))
    assert funnel["rates"]["attraction"] == pytest.approx(0.15) and funnel["rates"]["commitment"] == pytest.approx(0.03)
    assert "3.0%" in run("funnel") and "commitment" in run("funnel")
    suggestion = run("next")
    assert "change the content" in suggestion.lower() and "webinar" in suggestion.lower()
    # Figures that contradict each other: one line, exit code 1, nothing written.
    monkeypatch.setattr("sys.argv", ["planbot", "results", "add", str(ask), "--from", "2026-12-01", "--to",
                                     "2026-12-07", "--reach", "5", "--moved", "50"])
    with pytest.raises(SystemExit) as refused:
        main()
    assert refused.value.code != 0
    assert len(run("results", "show", str(ask)).strip().splitlines()) == 1


def test_the_calendar_lists_publish_dates_and_writes_an_ics(cli_env):
    first = published(cli_env, "aware", "short_video", "2026-12-01")
    published(cli_env, "appeal", "webinar", "2026-12-09")
    listed = run("plans", "calendar", "due:2026-11-30..2026-12-06")
    assert f"2026-12-01 · #{first}" in listed and "2026-12-09" not in listed
    ics = cli_env / "calendar.ics"
    run("plans", "calendar", "--ics", str(ics))
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert [str(event.decoded("dtstart")) for event in events] == ["2026-12-01", "2026-12-09"]
