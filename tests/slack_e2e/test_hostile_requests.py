"""The HTTP port as an attacker meets it: unsigned junk is refused before it is parsed, anything
Slack signed gets an answer that is never a 500, and nothing stored changes."""

import http.client
import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slack_e2e.harness import command_form, interactive_form, post

FORM = "application/x-www-form-urlencoded"
ACTION_IDS = ["feedback_up", "feedback_down", "draft_from_answer", "save_draft", "edit_draft", "another_idea",
              "edit_plan", "open_plan", "set_status", "plans_page", "pick_funnel", "pick_stage", "plan_go_back",
              "open_plan_modal", "home_ask", "home_draft", "more_from_answer", "answer_at_stage_0", "answer_at_stage_1",
              "open_team_setup", "open_teach", "setup_from_answer", "add_results"]
VIEW_IDS = ["plan_form", "plan_confirm", "ask_modal", "draft_modal", "team_setup", "team_teach", "plan_results"]
SUBCOMMANDS = ["", "ask ", "plans ", "roles ", "roles <@U1|x> ", "handover #1 ", "defaults ", "teach ", "setup",
               "export ", "draft ", "calendar ", "funnel ", "next ", "results ", "digest ", "digest on "]


@pytest.mark.parametrize("body, content_type", [
    ("[1, 2, 3]", "application/json"), ("not json at all", "application/json"), ("payload=%7B%7Bbroken", FORM),
    ("", "application/json"), ("x" * 10_000, FORM),
])
def test_unsigned_junk_is_refused_before_it_is_parsed(slack_url, body, content_type):
    assert post(slack_url, body, content_type, signed=False)[0] == 401
    status, _ = post(slack_url, body, content_type, signed=False,
                     headers={"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=abc"})
    assert status == 401


def test_a_body_too_large_is_refused_unread(slack_url):
    # Only the headers are sent: the refusal must come without waiting for the 2 MB they announce.
    address = urllib.parse.urlsplit(slack_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.putrequest("POST", address.path)
    connection.putheader("Content-Type", FORM)
    connection.putheader("Content-Length", str(2 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


@pytest.mark.parametrize("payload", [
    {"type": "view_submission"}, {"type": "view_submission", "user": {"id": "U1"}},
    {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "plan_form"}},
    {"type": "view_submission", "user": {"id": "U1"},
     "view": {"callback_id": "plan_form", "private_metadata": "{bad", "state": {"values": {
         "content.format.duration_seconds": {"value": {"type": "number_input", "value": "abc"}}}}}},
    {"type": "block_actions", "user": {"id": "U1"},
     "actions": [{"action_id": "set_status", "value": '{"plan": 1, "status": "bogus"}'}]},
    {"type": "block_actions", "actions": [{"action_id": "edit_plan", "value": "{}"}]},
    {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "open_plan_modal"}]},
])
def test_a_signed_but_malformed_payload_is_answered_without_a_500(slack_url, payload):
    status, _ = post(slack_url, interactive_form(payload), FORM)
    assert status in (200, 400, 404)  # 404: Bolt has no listener for it


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["action", "view", "command"]), action=st.sampled_from(ACTION_IDS),
       view=st.sampled_from(VIEW_IDS),
       value=st.one_of(st.none(), st.text(max_size=30), st.dictionaries(
           st.sampled_from(["plan", "draft", "turn", "status", "offset", "filters"]),
           st.one_of(st.integers(-10**30, 10**30), st.text(max_size=10), st.none()), max_size=3).map(json.dumps)),
       user=st.one_of(st.none(), st.just({"id": "U1"}), st.just({}), st.just("U1")),
       text=st.tuples(st.sampled_from(SUBCOMMANDS), st.text(max_size=60)).map("".join))
def test_any_signed_payload_shape_gets_an_answer_that_is_not_a_500(slack_url, slack_api, log, kind, action,
                                                                     view, value, user, text):
    before = [plan.model_dump() for plan in log.list()]
    if kind == "command":
        body = command_form(text, slack_api.response_url("fuzz"))
        status, _ = post(slack_url, body, FORM)
    else:
        payload = {"type": "block_actions" if kind == "action" else "view_submission", "team": {"id": "T111"},
                   "trigger_id": "t.1", "response_url": slack_api.response_url("fuzz")}
        if user is not None:
            payload["user"] = user
        if kind == "action":
            payload["actions"] = [{"action_id": action, "block_id": "b", "value": value, "type": "button"}]
        else:
            payload["view"] = {"id": "V1", "callback_id": view, "private_metadata": value or "",
                               "state": {"values": {"text": {"value": {"type": "plain_text_input", "value": text}}}}}
        status, _ = post(slack_url, urllib.parse.urlencode({"payload": json.dumps(payload)}), FORM)
    assert status != 500 and status < 500
    if kind != "command":
        assert [plan.model_dump() for plan in log.list()] == before


@pytest.fixture
def log(slack_settings):
    from bot.storage.plan_log import PlanLog

    return PlanLog(slack_settings.data_dir / "plans.db")


def test_logs_carry_no_request_bodies_or_tokens_above_debug(slack_url, slack_api, caplog):
    import logging
    import time

    caplog.set_level(logging.INFO)
    secret_value = {"type": "block_actions", "user": {"id": "U1"},
                    "actions": [{"action_id": "nobody-listens", "value": "SECRET-VALUE-123"}]}
    post(slack_url, interactive_form(secret_value), FORM)
    post(slack_url, command_form("ask SECRET-QUESTION-456", slack_api.response_url("logs")), FORM)
    post(slack_url, "payload=SECRET-UNSIGNED-789", FORM, signed=False)
    slack_api.wait_for("response_url/hooks/logs")
    time.sleep(0.5)
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno > logging.DEBUG)
    assert "SECRET" not in logged and "xoxb-test-token" not in logged and "test-signing-secret" not in logged
