"""The team's own context in Slack, end to end through the HTTP transport: the profile set up in
its modal, a channel's defaults, a taught rule, and what answers, drafts and checks make of them."""

import json

import pytest

from bot.storage.plan_log import PlanLog
from bot.storage.team_log import RecordKind, TeamLog
from slack_e2e.harness import TEAM
from slack_e2e.test_http_events import mention, send_event
from slack_e2e.test_plans_in_slack import GOOD, assert_valid_view, click, command, submit

PRODUCTS = "FlowPlan | schedules a whole plant in minutes | late orders from hand-made schedules | scheduling SaaS"
SEGMENTS = ("工厂厂长 / 厂长 | plant manager | 交期总是延误; 排产全靠Excel | 准时交付 (准时交付率); 少加班"
            " | 小红书, 抖音 | zh-Hans\n"
            "IT managers | IT lead | another integration to maintain | fewer systems (tickets per month) | webinar")
CHANNELS = "小红书\n抖音\nFactory WeChat group | community"


@pytest.fixture(autouse=True)
def admin(slack_api):
    """U123 is one of Slack's workspace admins, so planbot's admin; U456 is a member."""
    slack_api.workspace_admins.add("U123")


def open_modal(url, api, text, count):
    command(url, api, text, name=f"open-{count}")
    view = api.wait_for("views.open", count=count)[count - 1].body["view"]
    assert_valid_view(view)
    return view


def set_up_profile(url, api) -> dict:
    view = open_modal(url, api, "setup", 1)
    status, body = submit(url, view, {"products": PRODUCTS, "segments": SEGMENTS, "channels": CHANNELS,
                                      "language": "zh-Hans"})
    assert (status, body) == (200, "")
    return view


def answer_text(api, count=1) -> str:
    return json.dumps(api.wait_for("chat.postMessage", count=count)[count - 1].body, ensure_ascii=False)


def test_setup_then_a_question_and_a_draft_in_a_channel_with_defaults_are_for_that_product_and_segment(
        slack_url, slack_api, slack_settings):
    set_up_profile(slack_url, slack_api)
    confirmation = slack_api.wait_for("chat.postEphemeral")[0].body
    assert confirmation["channel"] == "C111" and "version 1" in confirmation["text"]
    with TeamLog(slack_settings.data_dir / "plans.db") as team_log:
        stored = team_log.current(TEAM, RecordKind.PROFILE)
    assert stored.who == "U123" and [s["name"] for s in stored.body["segments"]] == ["工厂厂长", "IT managers"]
    assert stored.body["segments"][0]["motivations"][0] == {"motivation": "准时交付", "indicator": "准时交付率"}
    assert stored.body["segments"][0]["aliases"] == ["厂长"]

    command(slack_url, slack_api, "defaults segment=工厂厂长", name="defaults")
    shown = slack_api.wait_for("response_url/hooks/defaults")[0].body["text"]
    assert "工厂厂长" in shown

    send_event(slack_url, mention("厂长们还不知道排产可以自动化，该发什么内容？"))
    answer = answer_text(slack_api)
    assert "FlowPlan" in answer and "工厂厂长" in answer and "交期总是延误" in answer
    # The segment's preferred channels lead the ideas: 小红书 (a social post), then 抖音 (short video).
    ideas = answer[answer.index("内容建议"):]
    assert ideas.index("社交媒体帖子") < ideas.index("短视频")

    command(slack_url, slack_api, "draft 吸引阶段的内容", name="draft")
    card = json.dumps(slack_api.wait_for("response_url/hooks/draft")[0].body, ensure_ascii=False)
    assert "FlowPlan" in card and "工厂厂长" in card and ("交期总是延误" in card or "排产全靠Excel" in card)

    # A segment the question names wins over the channel's default.
    send_event(slack_url, mention("What should IT managers comparing vendors get from us?", ts="1700000000.000300"))
    answer = answer_text(slack_api, count=2)
    assert "IT managers" in answer and "another integration to maintain" in answer and "工厂厂长" not in answer


def test_a_taught_channel_rule_is_cited_in_the_next_answer_and_produces_a_finding(slack_url, slack_api,
                                                                                  slack_settings):
    set_up_profile(slack_url, slack_api)
    teach = open_modal(slack_url, slack_api, "teach", 2)
    status, body = submit(slack_url, teach, {"kind": "channel_rule", "channel": "小红书", "images": "6–9",
                                             "words": "≤1000", "note": "笔记是刷的，不是读的"})
    assert (status, body) == (200, "")

    send_event(slack_url, mention("小红书笔记要配几张图？"))
    answer = slack_api.wait_for("chat.postMessage")[0].body
    text = json.dumps(answer, ensure_ascii=False)
    assert "6–9" in text and "team-channel-social-post" in text and "笔记是刷的" in text

    form = open_modal(slack_url, slack_api, "plan", 3)
    breaking = GOOD | {"stage": "appeal", "funnel_stage": "mql", "next_stage": "ask", "channel": "social_post",
                       "content.format.duration_seconds": None, "content.format.image_count": 12,
                       "content.format.word_count": 800, "action": "Read more customer stories"}
    status, body = submit(slack_url, form, breaking)
    response = json.loads(body)
    assert status == 200 and response["response_action"] == "update", response
    assert "6–9" in json.dumps(response["view"], ensure_ascii=False)
    assert PlanLog(slack_settings.data_dir / "plans.db").count() == 0


def test_bad_profile_and_rule_input_is_shown_on_its_line_and_nothing_is_saved(slack_url, slack_api, slack_settings):
    view = open_modal(slack_url, slack_api, "setup", 1)
    status, body = submit(slack_url, view, {"segments": "Buyers | CFO\nbuyers | CEO"})
    errors = json.loads(body)["errors"]
    assert status == 200 and "Line 2" in errors["segments"] and "buyers" in errors["segments"]
    _, body = submit(slack_url, view, {"channels": "fax machine"})
    assert "fax machine" in json.loads(body)["errors"]["channels"]

    teach = open_modal(slack_url, slack_api, "teach", 2)
    _, body = submit(slack_url, teach, {"kind": "channel_rule", "channel": "小红书", "images": "six to nine"})
    assert "number" in json.loads(body)["errors"]["images"]
    with TeamLog(slack_settings.data_dir / "plans.db") as team_log:
        assert team_log.current(TEAM, RecordKind.PROFILE) is None
        assert team_log.all_current(TEAM, RecordKind.TEACHING) == []


def test_the_second_of_two_admins_editing_the_profile_is_refused_not_overwriting(slack_url, slack_api,
                                                                               slack_settings):
    slack_api.workspace_admins.add("U456")
    first = open_modal(slack_url, slack_api, "setup", 1)
    second = open_modal(slack_url, slack_api, "setup", 2)
    assert submit(slack_url, first, {"products": "FlowPlan"})[1] == ""
    status, body = submit(slack_url, second, {"products": "SomethingElse"}, user="U456")
    assert status == 200 and "U123" in json.loads(body)["errors"]["products"]
    with TeamLog(slack_settings.data_dir / "plans.db") as team_log:
        assert [p["name"] for p in team_log.current(TEAM, RecordKind.PROFILE).body["products"]] == ["FlowPlan"]


def test_the_first_answer_in_a_workspace_with_no_profile_offers_to_set_one_up_once(slack_url, slack_api):
    send_event(slack_url, mention("which content fits the Ask stage?"))
    first = slack_api.wait_for("chat.postMessage")[0].body
    offer = [b for b in first["blocks"] if b.get("accessory", {}).get("action_id") == "setup_from_answer"]
    assert offer
    send_event(slack_url, mention("and which channel?", ts="1700000000.000300"))
    second = slack_api.wait_for("chat.postMessage", count=2)[1].body
    assert "setup_from_answer" not in json.dumps(second)

    click(slack_url, slack_api, "setup_from_answer", "setup")
    opened = slack_api.wait_for("views.open")[0].body["view"]
    assert opened["callback_id"] == "team_setup"
