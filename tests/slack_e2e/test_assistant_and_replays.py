"""The AI-app view, every real-shaped payload Bolt's own tests send, and rate limits."""

import copy
import json
import urllib.parse

import pytest

from bot.config import PROJECT_ROOT
from slack_e2e.harness import command_form, event_body, interactive_form, post

PAYLOADS = PROJECT_ROOT.parent / "shared" / "slack-payloads" / "bolt-python-scenarios.json"


def test_an_assistant_thread_gets_a_greeting_and_suggested_prompts_in_the_user_language(slack_url, slack_api):
    slack_api.locales["U321"] = "zh-CN"
    event = {"type": "assistant_thread_started", "event_ts": "1700000001.000001",
             "assistant_thread": {"user_id": "U321", "channel_id": "D321", "thread_ts": "1700000001.000001",
                                  "context": {"channel_id": "C111", "team_id": "T111"}}}
    post(slack_url, json.dumps(event_body(event)), "application/json")
    prompts = slack_api.wait_for("assistant.threads.setSuggestedPrompts")[0].body
    titles = [prompt["title"] for prompt in prompts["prompts"]]
    assert titles[0] == "问询阶段适合什么内容？" and len(titles) == 3
    greeting = slack_api.wait_for("chat.postMessage")[0].body
    assert greeting["thread_ts"] == "1700000001.000001" and "你好" in greeting["text"]


def test_a_question_in_an_assistant_thread_sets_title_and_status_then_answers(slack_url, slack_api):
    event = {"type": "message", "channel_type": "im", "channel": "D321", "user": "U321",
             "text": "Which content fits the Ask stage?", "ts": "1700000002.000002",
             "thread_ts": "1700000001.000001", "event_ts": "1700000002.000002"}
    post(slack_url, json.dumps(event_body(event)), "application/json")
    status = slack_api.wait_for("assistant.threads.setStatus")[0].body
    assert status["status"] and slack_api.wait_for("assistant.threads.setTitle")
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert answer["thread_ts"] == "1700000001.000001" and "trial" in answer["text"].lower()


def test_show_gaps_lists_the_stage_channel_cells_without_plans(slack_url, slack_api):
    event = {"type": "message", "channel_type": "im", "channel": "D321", "user": "U321",
             "text": "Show gaps in our plans", "ts": "1700000003.000003", "event_ts": "1700000003.000003"}
    post(slack_url, json.dumps(event_body(event)), "application/json")
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert "Aware × short video" in answer["text"]


def _replayable():
    if not PAYLOADS.exists():
        return []
    return json.loads(PAYLOADS.read_text(encoding="utf-8"))


@pytest.mark.skipif(not PAYLOADS.exists(), reason="no shared Slack payloads beside the repo")
def test_every_real_shaped_payload_is_acknowledged_and_only_questions_are_answered(slack_url, slack_api):
    answered_kinds = set()
    for number, item in enumerate(_replayable()):
        body = copy.deepcopy(item["body"])
        if "response_url" in body:
            body["response_url"] = slack_api.response_url(f"replay{number}")
        if item["type"] == "event_callback":
            body["event_id"] = f"EvReplay{number:04d}"
            status, _ = post(slack_url, json.dumps(body), "application/json")
        elif item["type"] == "url_verification":
            status, _ = post(slack_url, json.dumps(body), "application/json")
        else:
            status, _ = post(slack_url, interactive_form(body), "application/x-www-form-urlencoded")
        assert status in (200, 404), (item["source"], item["type"], status)
        before = len(slack_api.calls_to("chat.postMessage"))
        slack_api.settle(quiet=0.3)
        if len(slack_api.calls_to("chat.postMessage")) > before:
            answered_kinds.add((item["event"], item["subtype"]))
    # Edits, deletions, bot messages, reactions and membership changes are never answered.
    assert not answered_kinds & {("message", "message_changed"), ("message", "message_deleted"),
                                 ("message", "bot_message"), ("reaction_added", None),
                                 ("member_joined_channel", None), ("member_left_channel", None)}
    assert ("app_mention", None) in answered_kinds


def test_a_rate_limited_call_is_retried_after_the_wait_slack_asks_for(slack_url, slack_api):
    slack_api.rate_limit_next("chat.postMessage", retry_after=1)
    post(slack_url, json.dumps(event_body({
        "type": "message", "channel_type": "im", "channel": "D9", "user": "U9", "text": "What is BANT?",
        "ts": "1700000004.000004", "event_ts": "1700000004.000004"})), "application/json")
    calls = slack_api.wait_for("chat.postMessage", count=2)
    assert calls[0].body == calls[1].body


def test_a_command_with_a_malformed_body_is_refused_without_side_effects(slack_url, slack_api):
    form = command_form("ask hi", slack_api.response_url("x"))
    broken = urllib.parse.urlencode({"payload": "{not json"})
    status, _ = post(slack_url, broken, "application/x-www-form-urlencoded")
    assert status in (400, 404)
    assert post(slack_url, form[: len(form) // 2], "application/x-www-form-urlencoded")[0] in (200, 404)
    slack_api.settle(quiet=0.5)
    assert slack_api.calls_to("chat.postMessage") == []
