"""End to end through the HTTP transport: signed requests in, Web API calls out to a stand-in."""

import json
import re
import time

import pytest
from conftest import sharing_knowledge
from slack_sdk.models.blocks import Block

from slack_e2e.harness import (
    BOT_ID,
    BOT_USER,
    command_form,
    event_body,
    interactive_form,
    post,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def send_event(url, event, event_id=None, headers=None):
    body = event_body(event, event_id)
    status, _ = post(url, json.dumps(body), "application/json", headers=headers)
    return status, body


def mention(text, ts="1700000000.000100", channel="C111", user="U123", thread_ts=None):
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
             "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text, ts="1700000000.000200", channel="D111", user="U123"):
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "event_ts": ts}


def assert_valid_blocks(blocks):
    assert blocks and len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()


def test_url_verification_answers_the_challenge(slack_url):
    body = {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification"}
    status, text = post(slack_url, json.dumps(body), "application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in text


def test_a_chinese_mention_is_answered_in_its_thread_in_chinese(slack_url, slack_api):
    status, _ = send_event(slack_url, mention("短视频应该拍多长？"))
    assert status == 200
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert answer["channel"] == "C111" and answer["thread_ts"] == "1700000000.000100"
    assert_valid_blocks(answer["blocks"])
    rendered = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "60" in rendered and "90" in rendered and HAN.search(answer["text"])
    assert "**" not in rendered  # Markdown became mrkdwn
    assert [c.body["name"] for c in slack_api.calls_to("reactions.add")] == ["eyes"]
    slack_api.wait_for("reactions.remove")


def test_a_direct_message_in_english_is_answered_in_english(slack_url, slack_api):
    send_event(slack_url, direct_message("Which content fits the Ask stage?"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert answer["channel"] == "D111" and answer["thread_ts"] == "1700000000.000200"
    assert "free trial" in answer["text"].lower() and not HAN.search(answer["text"])
    actions = [b for b in answer["blocks"] if b["type"] == "actions"][0]
    assert [e["action_id"] for e in actions["elements"]] == [
        "draft_from_answer", "more_from_answer", "feedback_up", "feedback_down"]


def test_a_retried_delivery_gets_no_second_answer(slack_url, slack_api):
    event = mention("Which content fits the Ask stage?")
    _, body = send_event(slack_url, event)
    slack_api.wait_for("chat.postMessage")
    status, _ = post(slack_url, json.dumps(body), "application/json",
                     headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert status == 200
    slack_api.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_a_retry_after_a_restart_is_still_dropped(slack_settings, slack_service, slack_api):
    from slack_e2e.conftest import bolt_app_with_work, serving

    with bolt_app_with_work(slack_settings, slack_service) as app, serving(app) as url:
        _, body = send_event(url, mention("What is BANT?"))
        slack_api.wait_for("chat.postMessage")
    with bolt_app_with_work(slack_settings, slack_service) as app, serving(app) as url:
        post(url, json.dumps(body), "application/json", headers={"X-Slack-Retry-Num": "2"})
        slack_api.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_the_twin_message_event_of_a_mention_gets_no_second_answer(slack_url, slack_api):
    ts = "1700000000.000300"
    send_event(slack_url, mention("What is an MQL?", ts=ts, channel="D222"))
    twin = direct_message(f"<@{BOT_USER}> What is an MQL?", ts=ts, channel="D222")
    send_event(slack_url, twin)
    slack_api.wait_for("chat.postMessage")
    slack_api.settle()
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_its_own_and_other_bots_messages_get_nothing(slack_url, slack_api):
    own = direct_message("Which content fits the Ask stage?") | {"user": BOT_USER, "bot_id": BOT_ID}
    other = direct_message("Which content fits the Ask stage?", ts="1700000000.000400") | {
        "subtype": "bot_message", "bot_id": "B999", "user": None}
    edit = {"type": "message", "subtype": "message_changed", "channel": "D111", "channel_type": "im",
            "ts": "1700000000.000500", "message": {"text": "Which content fits the Ask stage?", "user": "U123"}}
    for event in (own, other, edit):
        assert send_event(slack_url, event)[0] == 200
    slack_api.settle()
    assert slack_api.calls_to("chat.postMessage") == []


def test_a_forged_or_stale_signature_is_refused_and_causes_nothing(slack_url, slack_api):
    body = json.dumps(event_body(mention("What is BANT?")))
    assert post(slack_url, body, "application/json", secret="not-the-secret")[0] == 401
    assert post(slack_url, body, "application/json", timestamp=int(time.time()) - 3600)[0] == 401
    assert post(slack_url, body, "application/json", signed=False)[0] == 401
    slack_api.settle()
    assert [c.method for c in slack_api.calls] in ([], ["auth.test"])


def test_help_and_unknown_subcommands_explain_usage_in_the_user_language(slack_url, slack_api):
    slack_api.locales["U777"] = "ko-KR"
    status, body = post(slack_url, command_form("help", slack_api.response_url("help"), user="U777"),
                        "application/x-www-form-urlencoded")
    assert status == 200 and body == ""
    help_text = slack_api.wait_for("response_url/hooks/help")[0].body
    assert help_text["response_type"] == "ephemeral" and "/content ask" in help_text["text"]
    assert HANGUL.search(help_text["text"])
    post(slack_url, command_form("frobnicate", slack_api.response_url("unknown")), "application/x-www-form-urlencoded")
    unknown = slack_api.wait_for("response_url/hooks/unknown")[0].body
    assert "frobnicate" in unknown["text"] and "/content ask" in unknown["text"]


def test_content_ask_answers_ephemerally_with_blocks(slack_url, slack_api):
    post(slack_url, command_form("ask 公众号文章写多长比较好？", slack_api.response_url("ask")),
         "application/x-www-form-urlencoded")
    reply = slack_api.wait_for("response_url/hooks/ask")[0].body
    assert reply["response_type"] == "ephemeral"
    assert_valid_blocks(reply["blocks"])
    assert "30%" in json.dumps(reply["blocks"], ensure_ascii=False)


def test_feedback_is_stored_with_the_question_and_answer(slack_url, slack_api, slack_settings):
    send_event(slack_url, direct_message("How long should a short video be?"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    button = [b for b in answer["blocks"] if b["type"] == "actions"][0]["elements"][1]
    payload = {"type": "block_actions", "user": {"id": "U123"}, "team": {"id": "T111"}, "api_app_id": "A111",
               "container": {"type": "message", "message_ts": "1", "channel_id": "D111", "is_ephemeral": False},
               "channel": {"id": "D111"}, "message": {"ts": "1700000000.001001", "text": answer["text"]},
               "response_url": slack_api.response_url("feedback"), "trigger_id": "1.2.3",
               "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button",
                            "block_id": "b", "action_ts": "1"}]}
    assert post(slack_url, interactive_form(payload), "application/x-www-form-urlencoded")[0] == 200
    slack_api.wait_for("response_url/hooks/feedback")
    from bot.slack.state import SlackState

    stored = SlackState(slack_settings.data_dir / "slack.db").feedback()
    assert stored[0]["vote"] == "up" and stored[0]["question"] == "How long should a short video be?"
    assert "60" in stored[0]["answer"]


def test_draft_from_an_answer_posts_a_card_in_the_thread(slack_url, slack_api):
    send_event(slack_url, direct_message("Which content fits the Ask stage?"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    button = [b for b in answer["blocks"] if b["type"] == "actions"][0]["elements"][0]
    payload = {"type": "block_actions", "user": {"id": "U123"}, "team": {"id": "T111"}, "api_app_id": "A111",
               "container": {"type": "message", "message_ts": "1700000000.009", "channel_id": "D111",
                             "is_ephemeral": False},
               "channel": {"id": "D111"}, "message": {"ts": "1700000000.009", "thread_ts": "1700000000.000200"},
               "response_url": slack_api.response_url("draft"), "trigger_id": "1.2.3",
               "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button",
                            "block_id": "b", "action_ts": "1"}]}
    post(slack_url, interactive_form(payload), "application/x-www-form-urlencoded")
    card = slack_api.wait_for("chat.postMessage", count=2)[1].body
    assert card["thread_ts"] == "1700000000.000200"
    assert_valid_blocks(card["blocks"])
    assert "Ask" in json.dumps(card["blocks"])


def test_a_follow_up_in_the_thread_keeps_its_stage(slack_url, slack_api):
    send_event(slack_url, mention("Which content fits the Ask stage?", ts="1700000000.000700"))
    slack_api.wait_for("chat.postMessage")
    send_event(slack_url, mention("and which channel?", ts="1700000000.000800", thread_ts="1700000000.000700"))
    follow_up = slack_api.wait_for("chat.postMessage", count=2)[1].body
    assert follow_up["thread_ts"] == "1700000000.000700"
    assert "Ask" in json.dumps(follow_up["blocks"])


def test_the_language_of_a_short_message_comes_from_the_user_locale(slack_url, slack_api):
    slack_api.locales["U555"] = "zh-TW"
    send_event(slack_url, direct_message("CTA?", user="U555"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert "行動號召" in answer["text"]


def test_with_a_model_the_answer_streams_into_the_thread_then_gets_its_blocks(
        service, slack_settings, slack_api, monkeypatch):

    from openai_stand_in import OpenAIStandIn

    from slack_e2e.conftest import bolt_app_with_work, serving

    model = OpenAIStandIn()
    monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = slack_settings.model_copy(update={"llm": "openai:gpt-4o-mini"})
    llm_service = sharing_knowledge(service, settings)
    try:
        with bolt_app_with_work(settings, llm_service) as app, serving(app) as url:
            send_event(url, direct_message("Which content fits the Ask stage?"))
            first = slack_api.wait_for("chat.postMessage")[0].body
            final = slack_api.wait_for("chat.update")[-1].body
            assert first["thread_ts"] == "1700000000.000200" and "blocks" not in first
            assert final["blocks"] and "The knowledge base covers this" in json.dumps(final["blocks"])
            assert_valid_blocks(final["blocks"])
            assert model.requests[0]["stream"] is True
    finally:
        model.close()


@pytest.mark.parametrize("problem", ["invalid_auth", "unreachable"])
def test_serve_with_a_bad_token_or_no_slack_says_what_to_fix_in_one_line(slack_api, slack_settings, monkeypatch,
                                                                        capsys, problem):
    from bot.cli import main

    for name, value in (("PLANBOT_DATA_DIR", str(slack_settings.data_dir)), ("SLACK_BOT_TOKEN", "xoxb-bad"),
                        ("SLACK_SIGNING_SECRET", "s"), ("PLANBOT_LANG", "en")):
        monkeypatch.setenv(name, value)
    if problem == "invalid_auth":
        slack_api.auth_error = "invalid_auth"
        monkeypatch.setenv("SLACK_API_URL", slack_api.url)
    else:
        monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setattr("sys.argv", ["planbot", "serve", "--http", "--port", "0"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    said = capsys.readouterr().err
    assert exit_info.value.code == 2 and "Traceback" not in said
    assert ("refused the bot token (invalid_auth)" if problem == "invalid_auth" else "Cannot reach Slack") in said


def _press(slack_url, slack_api, button, name, channel="D111", thread_ts="1700000000.000200"):
    payload = {"type": "block_actions", "user": {"id": "U123"}, "team": {"id": "T111"}, "api_app_id": "A111",
               "container": {"type": "message", "message_ts": "1700000000.009", "channel_id": channel,
                             "is_ephemeral": False},
               "channel": {"id": channel}, "message": {"ts": "1700000000.009", "thread_ts": thread_ts},
               "response_url": slack_api.response_url(name), "trigger_id": "1.2.3",
               "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button",
                            "block_id": "b", "action_ts": "1"}]}
    assert post(slack_url, interactive_form(payload), "application/x-www-form-urlencoded")[0] == 200


def _buttons(message):
    return {element["action_id"]: element for block in message["blocks"] if block["type"] == "actions"
            for element in block["elements"]}


def test_more_shows_the_whole_stage_entry_to_the_one_who_asked(slack_url, slack_api):
    send_event(slack_url, direct_message("Which content fits the Ask stage?"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert "**" not in answer["text"]
    _press(slack_url, slack_api, _buttons(answer)["more_from_answer"], "more")
    more = slack_api.wait_for("response_url/hooks/more")[0].body
    assert more["response_type"] == "ephemeral" and more["replace_original"] is False
    assert_valid_blocks(more["blocks"])
    assert "Content that fits" in json.dumps(more["blocks"])


def test_an_unsure_answer_offers_both_stages_and_the_pick_continues_the_thread(slack_url, slack_api):
    send_event(slack_url, direct_message("prospects liked our webinar, what next?"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    assert_valid_blocks(answer["blocks"])
    picks = [button for action_id, button in _buttons(answer).items() if action_id.startswith("answer_at_stage_")]
    assert len(picks) == 2 and "Not sure" in answer["text"]
    chosen = json.loads(picks[1]["value"])["stage"]
    _press(slack_url, slack_api, picks[1], "pick")
    again = slack_api.wait_for("chat.postMessage", count=2)[1].body
    assert again["thread_ts"] == "1700000000.000200" and "Not sure" not in again["text"]
    assert f"*{chosen.capitalize()}*" in again["text"]
