"""Filling, drafting and reviewing plans in Slack, end to end through the HTTP transport."""

import json

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.storage.plan_log import PlanLog
from slack_e2e.harness import command_form, interactive_form, post

FORM = "application/x-www-form-urlencoded"
GOOD = {
    "funnel_stage": "raw_lead", "stage": "aware", "content.title": "The hour your team loses every day",
    "content.format.duration_seconds": 75, "channel": "short_video", "segment": "plant managers",
    "understanding": "manual scheduling costs an hour a day", "feeling": "from unaware to curious",
    "action": "Follow us for the trend report", "next_stage": "appeal", "campaign": "Q1 launch",
    "due": "2026-12-15",
}


def command(url, api, text, name="cmd", user="U123"):
    status, body = post(url, command_form(text, api.response_url(name), user=user), FORM)
    assert status == 200
    return body


def click(url, api, action_id, value, user="U123", name="click", message=None, view=None, block_id="b"):
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T111"}, "api_app_id": "A111",
               "trigger_id": "trigger.1", "response_url": api.response_url(name),
               "container": {"type": "message", "channel_id": "C111", "message_ts": "1.1", "is_ephemeral": True},
               "channel": {"id": "C111"},
               "actions": [{"action_id": action_id, "block_id": block_id, "value": value, "type": "button",
                            "action_ts": "1"}]}
    if message:
        payload["message"] = message
    if view:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view["id"]}
    assert post(url, interactive_form(payload), FORM)[0] == 200


def state_of(view: dict, values: dict) -> dict:
    state = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        initial = (element.get("initial_option") or {}).get("value") or element.get("initial_value") \
            or element.get("initial_date")
        value = values.get(block_id, initial)
        kind = element["type"]
        if kind == "static_select":
            typed = {"type": kind, "selected_option": {"value": value} if value else None}
        elif kind == "datepicker":
            typed = {"type": kind, "selected_date": value}
        else:
            typed = {"type": kind, "value": None if value is None else str(value)}
        state[block_id] = {element["action_id"]: typed}
    return {"values": state}


def submit(url, view: dict, values: dict, user="U123") -> tuple[int, str]:
    payload = {"type": "view_submission", "team": {"id": "T111"}, "user": {"id": user}, "api_app_id": "A111",
               "trigger_id": "trigger.2",
               "view": view | {"id": "V123", "hash": "h1", "state": state_of(view, values)}}
    return post(url, interactive_form(payload), FORM)


def assert_valid_view(view: dict):
    View(**view).validate_json()


def open_form(url, api) -> dict:
    command(url, api, "plan")
    view = api.wait_for("views.open")[-1].body["view"]
    assert_valid_view(view)
    return view


@pytest.fixture
def log(slack_settings):
    return PlanLog(slack_settings.data_dir / "plans.db")


def test_content_plan_opens_the_card_modal_with_every_blank(slack_url, slack_api):
    view = open_form(slack_url, slack_api)
    blocks = {block["block_id"] for block in view["blocks"]}
    assert {"funnel_stage", "stage", "content.title", "content.description", "content.format.duration_seconds",
            "content.format.word_count", "content.format.image_share", "channel", "segment", "understanding",
            "feeling", "action", "next_stage", "campaign", "due"} <= blocks
    assert slack_api.calls_to("views.open")[-1].body["trigger_id"]


def test_a_five_minute_short_video_gets_inline_errors_and_nothing_is_saved(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    status, body = submit(slack_url, view, GOOD | {"content.format.duration_seconds": 300})
    response = json.loads(body)
    assert status == 200 and response["response_action"] == "errors"
    assert "60–90" in response["errors"]["content.format.duration_seconds"]
    assert log.count() == 0


def test_an_over_long_field_is_an_inline_error_in_the_user_language(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    metadata = json.loads(view["private_metadata"]) | {"lang": "zh-Hans"}
    view = view | {"private_metadata": json.dumps(metadata)}
    _, body = submit(slack_url, view, GOOD | {"segment": "长" * 300})
    errors = json.loads(body)["errors"]
    assert "太长" in errors["segment"] and log.count() == 0


def test_a_good_card_is_saved_confirmed_and_shown_on_app_home_then_edited(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    status, body = submit(slack_url, view, GOOD)
    assert status == 200 and body == ""
    confirmation = slack_api.wait_for("chat.postMessage")[0].body
    for block in confirmation["blocks"]:
        Block.parse(block).validate_json()
    [plan] = log.list()
    assert (plan.stage.value, plan.channel.value, plan.content.format.duration_seconds, plan.author,
            plan.campaign, plan.due.isoformat()) == ("aware", "short_video", 75, "U123", "Q1 launch", "2026-12-15")
    assert confirmation["channel"] == "C111" and "<@U123>" in json.dumps(confirmation["blocks"])
    home = slack_api.wait_for("views.publish")[0].body
    assert home["user_id"] == "U123" and "The hour your team loses every day" in json.dumps(home["view"])
    assert_valid_view(home["view"])

    edit = [b for b in confirmation["blocks"] if b["type"] == "actions"][0]["elements"][0]
    click(slack_url, slack_api, edit["action_id"], edit["value"])
    prefilled = slack_api.wait_for("views.open", count=2)[1].body["view"]
    title = next(b for b in prefilled["blocks"] if b["block_id"] == "content.title")
    assert title["element"]["initial_value"] == "The hour your team loses every day"
    submit(slack_url, prefilled, {"content.title": "The hidden hour"})
    slack_api.wait_for("chat.postMessage", count=2)
    assert log.get(plan.id).content.title == "The hidden hour"
    history = log.history(plan.id)
    assert [e.action.value for e in history] == ["created", "edited"]
    assert tuple(history[1].changes["content.title"]) == ("The hour your team loses every day", "The hidden hour")


def test_choosing_a_funnel_stage_preselects_the_5a_stage_and_keeps_what_was_typed(slack_url, slack_api):
    view = open_form(slack_url, slack_api)
    typed = {"content.title": "Typed title", "funnel_stage": "sql"}
    payload = {"type": "block_actions", "user": {"id": "U123"}, "team": {"id": "T111"}, "api_app_id": "A111",
               "trigger_id": "t", "container": {"type": "view", "view_id": "V123"},
               "view": view | {"id": "V123", "hash": "h1", "state": state_of(view, typed)},
               "actions": [{"action_id": "pick_funnel", "block_id": "funnel_stage", "type": "static_select",
                            "selected_option": {"value": "sql"}, "action_ts": "1"}]}
    post(slack_url, interactive_form(payload), FORM)
    updated = slack_api.wait_for("views.update")[0].body
    blocks = {b["block_id"]: b["element"] for b in updated["view"]["blocks"]}
    assert blocks["stage"]["initial_option"]["value"] == "ask"
    assert blocks["next_stage"]["initial_option"]["value"] == "act"
    assert blocks["content.title"]["initial_value"] == "Typed title"
    assert updated["view_id"] == "V123"


def test_warnings_offer_save_anyway_and_go_back(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    _, body = submit(slack_url, view, GOOD | {"channel": "community", "content.format.duration_seconds": None})
    response = json.loads(body)
    assert response["response_action"] == "update"
    warnings = response["view"]
    assert_valid_view(warnings)
    assert warnings["submit"]["text"] == "Save anyway" and "community" in json.dumps(warnings)
    back = [b for b in warnings["blocks"] if b["type"] == "actions"][0]["elements"][0]
    click(slack_url, slack_api, back["action_id"], back.get("value", ""), view=warnings | {"id": "V123",
                                                                                            "hash": "h2"})
    again = slack_api.wait_for("views.update")[0].body["view"]
    assert next(b for b in again["blocks"] if b["block_id"] == "channel")["element"]["initial_option"][
        "value"] == "community"
    status, body = submit(slack_url, warnings | {"id": "V123"}, {})
    assert status == 200 and body == ""
    slack_api.wait_for("chat.postMessage")
    assert log.list()[0].channel.value == "community"


def test_plans_list_open_and_the_status_workflow(slack_url, slack_api, log, slack_service):
    slack_service.set_role("T111", "U777", "approver")
    view = open_form(slack_url, slack_api)
    submit(slack_url, view, GOOD)
    confirmation = slack_api.wait_for("chat.postMessage")[0]
    command(slack_url, slack_api, "plans stage:aware", name="list")
    listing = slack_api.wait_for("response_url/hooks/list")[0].body
    for block in listing["blocks"]:
        Block.parse(block).validate_json()
    buttons = {e["action_id"] + ":" + json.loads(e["value"]).get("status", "")
               for b in listing["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert "set_status:in_review" in buttons and "set_status:approved" not in buttons

    plan = log.list()[0]
    click(slack_url, slack_api, "set_status", json.dumps({"plan": plan.id, "status": "published"}), name="bad",
          user="U777")
    refused = slack_api.wait_for("response_url/hooks/bad")[0].body
    assert "cannot become published" in refused["text"] and log.get(plan.id).status.value == "draft"

    # The owner submits it; an approver (not the owner) approves it.
    for status, user in (("in_review", "U123"), ("approved", "U777")):
        click(slack_url, slack_api, "set_status", json.dumps({"plan": plan.id, "status": status}), name=status,
              user=user)
        slack_api.wait_for(f"response_url/hooks/{status}")
    assert log.get(plan.id).status.value == "approved"
    posted = slack_api.wait_for("chat.postMessage", count=3)
    confirmation_ts = posted[0].body  # the stand-in gave the confirmation a ts; notes thread under it
    notes = [call.body for call in posted[1:]]
    assert all(note["channel"] == "C111" and note.get("thread_ts") for note in notes)
    assert "approved" in notes[-1]["text"] and confirmation_ts

    click(slack_url, slack_api, "open_plan", json.dumps({"plan": plan.id}), name="open")
    opened = slack_api.wait_for("response_url/hooks/open")[0].body
    assert "status" in json.dumps(opened["blocks"]) and confirmation


def test_errors_are_ephemeral_and_in_the_user_language(slack_url, slack_api):
    slack_api.locales["U888"] = "ko-KR"
    command(slack_url, slack_api, "plans channel:fax", name="filter", user="U888")
    assert "알 수 없는 채널" in slack_api.wait_for("response_url/hooks/filter")[0].body["text"]
    click(slack_url, slack_api, "open_plan", json.dumps({"plan": 999}), user="U888", name="gone")
    assert "#999 계획이 없습니다." in slack_api.wait_for("response_url/hooks/gone")[0].body["text"]


def test_a_drafted_card_can_be_saved_and_another_idea_replaces_it(slack_url, slack_api, log):
    command(slack_url, slack_api, "draft a webinar for the Appeal stage", name="draft")
    card = slack_api.wait_for("response_url/hooks/draft")[0].body
    for block in card["blocks"]:
        Block.parse(block).validate_json()
    buttons = {e["action_id"]: e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert set(buttons) == {"save_draft", "edit_draft", "another_idea"}
    click(slack_url, slack_api, "another_idea", buttons["another_idea"], name="another")
    another = slack_api.wait_for("response_url/hooks/another")[0].body
    assert another["replace_original"] is True
    assert json.dumps(another["blocks"]) != json.dumps(card["blocks"])
    click(slack_url, slack_api, "save_draft", buttons["save_draft"], name="save")
    slack_api.wait_for("chat.postMessage")
    [saved] = log.list()
    assert saved.stage.value == "appeal" and saved.channel.value == "webinar" and saved.author == "U123"


def test_a_journey_draft_posts_one_card_per_stage(slack_url, slack_api):
    command(slack_url, slack_api, "draft --journey AcmeFlow for plant managers", name="journey")
    cards = slack_api.wait_for("response_url/hooks/journey", count=5)
    assert len(cards) == 5


def test_coverage_uploads_a_png_with_the_gaps_and_export_uploads_csv(slack_url, slack_api):
    command(slack_url, slack_api, "coverage", name="coverage")
    completed = slack_api.wait_for("files.completeUploadExternal")[0].body
    assert completed["channel_id"] == "C111" and "Aware" in completed["initial_comment"]
    [png] = list(slack_api.uploads.values())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    command(slack_url, slack_api, "export", name="export")
    slack_api.wait_for("files.completeUploadExternal", count=2)
    csv_bytes = [data for data in slack_api.uploads.values() if not data.startswith(b"\x89PNG")][0]
    assert csv_bytes.decode("utf-8-sig").startswith("id,")


def test_app_home_is_published_when_opened(slack_url, slack_api):
    from slack_e2e.harness import event_body

    event = {"type": "app_home_opened", "user": "U123", "channel": "D111", "tab": "home", "event_ts": "1"}
    post(slack_url, json.dumps(event_body(event)), "application/json")
    home = slack_api.wait_for("views.publish")[0].body["view"]
    assert_valid_view(home)
    actions = [e["action_id"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["open_plan_modal", "home_draft", "home_ask", "open_team_setup", "open_teach"]
    assert "No team profile yet" in json.dumps(home)


def test_editing_a_long_drafted_card_keeps_the_modal_metadata_small(slack_url, slack_api, log):
    command(slack_url, slack_api, "draft a webinar for the Appeal stage " + "with many details " * 25, name="long")
    card = slack_api.wait_for("response_url/hooks/long")[0].body
    buttons = {e["action_id"]: e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]}
    click(slack_url, slack_api, "edit_draft", buttons["edit_draft"], name="edit")
    view = slack_api.wait_for("views.open")[0].body["view"]
    assert len(view["private_metadata"]) < 3000
    status, body = submit(slack_url, view, {"content.format.duration_seconds": None})
    slack_api.wait_for("chat.postMessage")
    assert log.list()[0].channel.value == "webinar"


def test_an_edit_with_warnings_saved_anyway_keeps_the_edit(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    submit(slack_url, view, GOOD)
    confirmation = slack_api.wait_for("chat.postMessage")[0].body
    edit = [b for b in confirmation["blocks"] if b["type"] == "actions"][0]["elements"][0]
    click(slack_url, slack_api, edit["action_id"], edit["value"])
    prefilled = slack_api.wait_for("views.open", count=2)[1].body["view"]
    _, body = submit(slack_url, prefilled, {"channel": "community"})
    warnings = json.loads(body)["view"]
    assert submit(slack_url, warnings | {"id": "V123"}, {}) == (200, "")
    slack_api.wait_for("chat.postMessage", count=2)
    [plan] = log.list()
    assert plan.channel.value == "community" and [e.action.value for e in log.history(plan.id)] == [
        "created", "edited"]


HOSTILE = "<!channel> @here read <https://evil.example/login|your invoice> &amp; <@U999>"


def parsed_texts(value) -> list[str]:
    """Every text Slack parses for mentions and links: a message's text and mrkdwn objects
    (plain_text shows everything literally)."""
    found = []
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            found.append(value["text"])
        for key, inner in value.items():
            if key in ("text", "initial_comment") and isinstance(inner, str) and value.get("type") is None:
                found.append(inner)
            else:
                found += parsed_texts(inner)
    elif isinstance(value, list):
        for inner in value:
            found += parsed_texts(inner)
    return found


def test_what_people_type_reaches_slack_as_text_that_mentions_and_links_nobody(slack_url, slack_api, log):
    view = open_form(slack_url, slack_api)
    status, _ = submit(slack_url, view, GOOD | {"content.title": HOSTILE[:150], "segment": "@everyone <!here>"})
    assert status == 200
    slack_api.wait_for("chat.postMessage")
    slack_api.wait_for("views.publish")
    texts = parsed_texts([call.body for call in slack_api.calls])
    assert any("&lt;!channel&gt;" in text for text in texts)
    for unsafe in ("<!channel>", "<!here>", "<https://evil", "<@U999>", "@here", "@everyone"):
        assert not [text for text in texts if unsafe in text], unsafe
    [plan] = log.list()
    assert plan.content.title == HOSTILE[:150]  # stored as typed; only what is posted is escaped


def test_two_editors_of_one_plan_the_second_is_refused_with_a_way_to_reopen_and_nothing_is_lost(
        slack_url, slack_api, log, slack_service):
    slack_service.set_role("T111", "U456", "editor")
    submit(slack_url, open_form(slack_url, slack_api), GOOD)
    slack_api.wait_for("chat.postMessage")
    [plan] = log.list()
    edit_value = json.dumps({"plan": plan.id})
    click(slack_url, slack_api, "edit_plan", edit_value, user="U123")
    form_of_ann = slack_api.wait_for("views.open", count=2)[1].body["view"]
    click(slack_url, slack_api, "edit_plan", edit_value, user="U456")
    form_of_bo = slack_api.wait_for("views.open", count=3)[2].body["view"]

    submit(slack_url, form_of_bo, {"content.title": "Bo's title"}, user="U456")
    slack_api.wait_for("chat.postMessage", count=2)
    assert submit(slack_url, form_of_ann, {"content.title": "Ann's title"}, user="U123")[0] == 200
    refusal = slack_api.wait_for("chat.postEphemeral")[0].body
    assert refusal["user"] == "U123" and "<@U456>" in refusal["text"]
    button = [block for block in refusal["blocks"] if block["type"] == "actions"][0]["elements"][0]
    assert button["action_id"] == "edit_plan" and json.loads(button["value"]) == {"plan": plan.id}
    assert log.get(plan.id).content.title == "Bo's title"
    assert [(event.who, event.action.value) for event in log.history(plan.id)] == [
        ("U123", "created"), ("U456", "edited")]
