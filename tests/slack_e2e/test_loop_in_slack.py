"""Closing the loop in Slack, end to end through the HTTP transport: results recorded through the
"Add results" modal land in SQLite and change the funnel; the funnel chart and the .ics are
uploaded; what to test next comes with cards; a channel's digest is posted once per period,
also across a restart and with two instances; reminders reach the plan's owner once."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.models import AwarenessStage, Channel, Content, ContentFormat, ContentPlan, FunnelStage, PlanStatus
from bot.slack.app import slack_state
from bot.slack.face import SlackFace
from bot.slack.loop_posts import send_scheduled
from bot.slack.schedule import start_schedule, workspace_clients
from bot.storage.plan_log import PlanLog
from slack_e2e.conftest import bolt_app_with_work
from slack_e2e.harness import TEAM, command_form, event_body, interactive_form, post
from slack_e2e.test_plans_in_slack import FORM


def published_plan(service, stage=AwarenessStage.ASK, channel=Channel.WEBINAR, title="Live demo webinar",
                   due: date | None = None, status=PlanStatus.PUBLISHED) -> ContentPlan:
    actor = service.actor(TEAM, "U123", "C111")
    plan = ContentPlan(funnel_stage=FunnelStage.SQL, stage=stage, next_stage=AwarenessStage.ACT, channel=channel,
                       content=Content(title=title, format=ContentFormat(duration_seconds=2700)),
                       segment="plant managers", understanding="how the tool fits their plant",
                       feeling="from unsure to confident", action="Book a demo", due=due)
    saved = service.save_plan(plan, "U123", keep_as_draft=True, actor=actor)
    workflow = [PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.PUBLISHED]
    for each in workflow[:workflow.index(status) + 1] if status in workflow else []:
        service.set_plan_status(saved.id, each, "lead")
    return service.get_plan(saved.id)


def command(url, api, text, name, user="U123"):
    status, _ = post(url, command_form(text, api.response_url(name), user=user), FORM)
    assert status == 200


def replies(api, name) -> str:
    return json.dumps([call.body for call in api.wait_for(f"response_url/hooks/{name}")], ensure_ascii=False)


def press(url, api, action_id, value, name, user="U123"):
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": TEAM}, "api_app_id": "A111",
               "trigger_id": f"trigger.{name}", "response_url": api.response_url(name),
               "container": {"type": "message", "channel_id": "C111", "message_ts": "1.1", "is_ephemeral": True},
               "channel": {"id": "C111"},
               "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": json.dumps(value),
                            "action_ts": "1"}]}
    assert post(url, interactive_form(payload), FORM)[0] == 200


def submit_results(url, view: dict, figures: dict) -> dict:
    state = {}
    for block in view["blocks"]:
        element = block["element"]
        typed = figures.get(block["block_id"], element.get("initial_date"))
        key = "selected_date" if element["type"] == "datepicker" else "value"
        state[block["block_id"]] = {element["action_id"]: {"type": element["type"],
                                                           key: None if typed is None else str(typed)}}
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U123"}, "api_app_id": "A111",
               "view": view | {"id": "V9", "hash": "h", "state": {"values": state}}}
    status, body = post(url, interactive_form(payload), FORM)
    assert status == 200
    return json.loads(body) if body else {}


def test_results_from_the_modal_land_in_sqlite_and_change_the_funnel(slack_url, slack_api, slack_service,
                                                                     slack_settings):
    plan = published_plan(slack_service)
    command(slack_url, slack_api, "funnel", "before")
    assert "No results" in replies(slack_api, "before")

    command(slack_url, slack_api, f"plans #{plan.id}", "open-it")  # the plan, with its Add results button
    press(slack_url, slack_api, "open_plan", {"plan": plan.id}, "opened")
    opened = replies(slack_api, "opened")
    assert "add_results" in opened
    press(slack_url, slack_api, "add_results", {"plan": plan.id}, "add")
    view = slack_api.wait_for("views.open")[-1].body["view"]
    assert view["callback_id"] == "plan_results"

    refused = submit_results(slack_url, view, {"reach": 100, "moved": 400})
    assert refused["response_action"] == "errors" and "moved" in refused["errors"]
    assert PlanLog(slack_settings.data_dir / "plans.db").get(plan.id).status is PlanStatus.PUBLISHED
    assert slack_service.plan_results(plan.id) == []  # refused: nothing written

    assert submit_results(slack_url, view, {"reach": 400, "clicks": 90, "moved": 30}) == {}
    [recorded] = slack_service.plan_results(plan.id)
    assert (recorded.reach, recorded.moved, recorded.who) == (400, 30, "U123")
    slack_api.wait_for("chat.postEphemeral")  # "results saved", to the one who saved them

    command(slack_url, slack_api, "funnel", "after")
    upload = slack_api.wait_for("files.completeUploadExternal")[-1].body
    assert "7.5%" in upload["initial_comment"]  # commitment: 30 of 400
    [png] = [data for data in slack_api.uploads.values() if data.startswith(b"\x89PNG")]
    assert len(png) > 1000


def test_the_calendar_uploads_an_ics_and_next_proposes_cards(slack_url, slack_api, slack_service):
    today = date.today()
    plan = published_plan(slack_service, due=today + timedelta(days=2), status=PlanStatus.APPROVED)
    command(slack_url, slack_api, "calendar", "calendar")
    slack_api.wait_for("files.completeUploadExternal")
    [ics] = slack_api.uploads.values()
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == today + timedelta(days=2) and f"#{plan.id}" in str(event["summary"])

    measured = published_plan(slack_service, title="Demo day")
    slack_service.record_result(measured.id, {"period_start": "2026-11-01", "period_end": "2026-11-30",
                                              "reach": 300, "moved": 3}, "U123")
    command(slack_url, slack_api, "next", "next")
    slack_api.wait_for("response_url/hooks/next", count=3)  # the experiment, then two cards
    said = replies(slack_api, "next")
    assert "change the content" in said and "save_draft" in said


@pytest.fixture
def digest_channel(slack_url, slack_api):
    slack_api.workspace_admins.add("U123")
    command(slack_url, slack_api, "digest on daily 09:00 tz=UTC", "digest-on")
    assert "every day at 09:00" in replies(slack_api, "digest-on")


def test_a_member_may_not_turn_the_digest_on(slack_url, slack_api):
    command(slack_url, slack_api, "digest on", "member", user="UMEMBER")
    assert "editor" in replies(slack_api, "member")


def test_the_digest_is_posted_once_per_period_across_a_restart_and_two_instances(
        digest_channel, bolt_app, slack_api, slack_service, slack_settings):
    published_plan(slack_service, title="Waiting for review", status=PlanStatus.IN_REVIEW)
    morning = datetime.now(UTC).replace(hour=9, minute=30, second=0, microsecond=0)
    first = SlackFace(slack_service, slack_state(slack_settings))
    clients = workspace_clients(bolt_app, slack_settings)
    assert send_scheduled(first, clients, morning) == 1
    [digest] = [call for call in slack_api.calls_to("chat.postMessage") if call.body.get("channel") == "C111"]
    assert "Waiting for review" in json.dumps(digest.body["blocks"]) and "open_plan" in json.dumps(digest.body)

    # planbot restarted (a new app on the same data), and a second instance beside it.
    with bolt_app_with_work(slack_settings, slack_service) as restarted:
        again = SlackFace(slack_service, slack_state(slack_settings))
        assert send_scheduled(again, workspace_clients(restarted, slack_settings), morning) == 0
        assert send_scheduled(first, clients, morning + timedelta(minutes=20)) == 0
    assert send_scheduled(first, clients, morning + timedelta(days=1)) == 1  # the next day's
    assert len([c for c in slack_api.calls_to("chat.postMessage") if c.body.get("channel") == "C111"]) == 2


def test_the_scheduler_in_serve_sends_a_reminder_to_the_owner_once(bolt_app, slack_api, slack_service,
                                                                   slack_settings):
    # Reminders go out from 09:00 in the team's time zone: a zone where that time has come.
    zone = next(f"Etc/GMT{-offset:+d}" for offset in range(-12, 15)
                if 9 <= datetime.now(ZoneInfo(f"Etc/GMT{-offset:+d}")).hour <= 22)
    slack_service.settings.timezone = zone
    tomorrow = datetime.now(ZoneInfo(zone)).date() + timedelta(days=1)
    plan = published_plan(slack_service, title="Launch post", due=tomorrow, status=PlanStatus.APPROVED)
    scheduler = start_schedule(bolt_app, slack_settings, slack_service, every_seconds=0.2)
    try:
        [reminder] = [call for call in slack_api.wait_for("chat.postMessage") if call.body.get("channel") == "U123"]
        slack_api.settle(1.0)
    finally:
        scheduler.shutdown(wait=True)
    assert f"#{plan.id}" in reminder.body["text"] and "tomorrow" in reminder.body["text"]
    assert len([c for c in slack_api.calls_to("chat.postMessage") if c.body.get("channel") == "U123"]) == 1


def test_app_home_shows_what_publishes_soon_and_the_weakest_step(slack_url, slack_api, slack_service):
    soon = published_plan(slack_service, title="Pricing clinic", due=date.today() + timedelta(days=3),
                          status=PlanStatus.APPROVED)
    measured = published_plan(slack_service, title="Demo day")
    slack_service.record_result(measured.id, {"period_start": "2026-11-01", "period_end": "2026-11-30",
                                              "reach": 200, "moved": 9}, "U123")
    event = {"type": "app_home_opened", "user": "U123", "tab": "home", "channel": "D1"}
    assert post(slack_url, json.dumps(event_body(event)), "application/json")[0] == 200
    home = json.dumps(slack_api.wait_for("views.publish")[-1].body["view"], ensure_ascii=False)
    assert f"#{soon.id} Pricing clinic" in home and "Weakest funnel step" in home and "4.5%" in home
