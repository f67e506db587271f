"""Who may do what, end to end through the HTTP transport: every plan action × every role × own or
someone else's plan × from the plan's channel, from another one, or with the plan in a private
channel. The expectations are written out here from the rules as a team reads them, not computed
by planbot's own access code."""

import json
import time

import pytest

from bot.models import AwarenessStage, Channel, Content, ContentFormat, ContentPlan, FunnelStage, PlanStatus
from bot.storage.plan_log import PlanLog
from slack_e2e.harness import TEAM, command_form, interactive_form, post
from slack_e2e.test_plans_in_slack import FORM, state_of

ROLES = {"member": "UMEM", "editor": "UEDI", "approver": "UAPP", "admin": "UADM"}
SOMEONE_ELSE = "UOTHER"
# (plan's home, private?, where the actor acts from)
PLACES = {"its channel": ("C111", False, "C111"), "another channel": ("C111", False, "C222"),
          "outside its private channel": ("CPRIV", True, "C222")}
ACTIONS = ("view", "edit", "submit", "approve", "publish", "archive", "list", "export")
RANK = {"member": 0, "editor": 1, "approver": 2, "admin": 3}


def expected(action: str, role: str, own: bool, place: str) -> bool:
    """The rules: a plan is seen in its channel, and by its owner anywhere but outside a private
    channel; owners and editors edit and submit; approvers approve and publish, never their own;
    owners and approvers archive."""
    seen = place == "its channel" or (own and place == "another channel")
    if not seen:
        return False
    if action in ("view", "list", "export"):
        return True
    if action in ("edit", "submit"):
        return own or RANK[role] >= RANK["editor"]
    if action in ("approve", "publish"):
        return RANK[role] >= RANK["approver"] and not own
    return own or RANK[role] >= RANK["approver"]  # archive


STARTS_AT = {"submit": PlanStatus.DRAFT, "approve": PlanStatus.IN_REVIEW, "publish": PlanStatus.APPROVED,
             "archive": PlanStatus.DRAFT}
GOES_TO = {"submit": "in_review", "approve": "approved", "publish": "published", "archive": "archived"}


def card(title: str, owner: str, home: str, private: bool, status: PlanStatus) -> ContentPlan:
    return ContentPlan(
        funnel_stage=FunnelStage.RAW_LEAD, stage=AwarenessStage.AWARE, next_stage=AwarenessStage.APPEAL,
        content=Content(title=title, format=ContentFormat(duration_seconds=75)), channel=Channel.SHORT_VIDEO,
        segment="plant managers", understanding="manual scheduling costs an hour a day",
        feeling="from unaware to curious", action="Follow us for the trend report", status=status,
        owner=owner, author=owner, workspace=TEAM, home=home, home_private=private)


def press(url, api, action_id: str, value: dict, user: str, channel: str, name: str) -> None:
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": TEAM}, "api_app_id": "A111",
               "trigger_id": f"trigger.{name}", "response_url": api.response_url(name),
               "container": {"type": "message", "channel_id": channel, "message_ts": "1.1", "is_ephemeral": True},
               "channel": {"id": channel},
               "actions": [{"action_id": action_id, "block_id": "b", "value": json.dumps(value), "type": "button",
                            "action_ts": "1"}]}
    assert post(url, interactive_form(payload), FORM)[0] == 200


def slash(url, api, text: str, user: str, channel: str, name: str) -> None:
    assert post(url, command_form(text, api.response_url(name), user=user, channel=channel), FORM)[0] == 200


def reply_to(api, name: str) -> str:
    return json.dumps(api.wait_for(f"response_url/hooks/{name}")[0].body, ensure_ascii=False)


@pytest.fixture
def workspace(slack_api, slack_service, slack_settings):
    slack_api.private_channels.add("CPRIV")
    for role, user in ROLES.items():
        slack_service.set_role(TEAM, user, role)
    with PlanLog(slack_settings.data_dir / "plans.db") as log:
        yield log


@pytest.mark.parametrize("role", ROLES)
def test_every_action_is_allowed_exactly_as_the_rules_say(slack_url, slack_api, workspace, role):
    """One app per role; within it, own and other's plans from each place, fresh plans each time."""
    cases = [(own, place) for own in (True, False) for place in PLACES]
    seen = {case: outcomes(slack_url, slack_api, workspace, role, *case) for case in cases}
    assert seen == {(own, place): {action: expected(action, role, own, place) for action in ACTIONS}
                    for own, place in cases}


def outcomes(url, api, log, role: str, own: bool, place: str) -> dict[str, bool]:
    actor = ROLES[role]
    home, private, where = PLACES[place]
    owner = actor if own else SOMEONE_ELSE
    case = f"{int(own)}{place.replace(' ', '')}"
    titles = {action: f"{action} plan {case} of {owner}" for action in ACTIONS}
    plans = {action: log.save(card(titles[action], owner, home, private, STARTS_AT.get(action, PlanStatus.DRAFT)),
                              owner).id for action in ACTIONS}
    outcome = {}

    press(url, api, "open_plan", {"plan": plans["view"]}, actor, where, f"view{case}")
    outcome["view"] = titles["view"] in reply_to(api, f"view{case}")

    before = {method: len(api.calls_to(method)) for method in ("views.open", "chat.postMessage", "chat.postEphemeral")}
    press(url, api, "edit_plan", {"plan": plans["edit"]}, actor, where, f"edit{case}")
    if first_new(api, before, "views.open", f"response_url/hooks/edit{case}") == "views.open":
        form = api.calls_to("views.open")[-1].body["view"]
        submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": actor}, "api_app_id": "A111",
                      "trigger_id": "t", "view": form | {"id": "V1", "hash": "h",
                                                         "state": state_of(form, {"content.title": "Changed"})}}
        assert post(url, interactive_form(submission), FORM)[0] == 200
        first_new(api, before, "chat.postMessage", "chat.postEphemeral")
    outcome["edit"] = log.get(plans["edit"]).content.title == "Changed"

    for action in ("submit", "approve", "publish", "archive"):
        press(url, api, "set_status", {"plan": plans[action], "status": GOES_TO[action]}, actor, where,
              f"{action}{case}")
        reply_to(api, f"{action}{case}")
        outcome[action] = log.get(plans[action]).status.value == GOES_TO[action]

    slash(url, api, "plans all", actor, where, f"list{case}")
    outcome["list"] = titles["list"] in reply_to(api, f"list{case}")

    uploads = set(api.uploads)
    slash(url, api, "export all", actor, where, f"export{case}")
    api.wait_for("files.completeUploadExternal", count=len(uploads) + 1)
    exported = b"".join(data for key, data in api.uploads.items() if key not in uploads).decode("utf-8-sig")
    outcome["export"] = titles["export"] in exported
    return outcome


def first_new(api, before: dict[str, int], *methods: str, timeout: float = 10) -> str:
    """Which of ``methods`` planbot called first since ``before`` (call counts), waiting for one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for method in methods:
            if len(api.calls_to(method)) > before.get(method, 0):
                return method
        time.sleep(0.02)
    raise AssertionError(f"none of {methods} was called")


def test_roles_are_given_by_admins_only_and_refusals_say_who_may(slack_url, slack_api, slack_service):
    slack_api.workspace_admins.add("UBOSS")
    slash(slack_url, slack_api, "roles <@UNEW|new> approver", "UMEM", "C111", "by-member")
    assert "admin" in reply_to(slack_api, "by-member") and slack_service.roles(TEAM) == {}
    slash(slack_url, slack_api, "roles <@UNEW|new> approver", "UBOSS", "C111", "by-admin")
    assert "<@UNEW>" in reply_to(slack_api, "by-admin")
    assert {user: role.value for user, role in slack_service.roles(TEAM).items()} == {"UNEW": "approver"}
    slash(slack_url, slack_api, "roles", "UNEW", "C111", "listed")
    listed = reply_to(slack_api, "listed")
    assert "<@UNEW>: approver" in listed and "(yours: approver)" in listed


def test_a_plan_is_handed_over_by_its_owner_and_then_is_the_new_owner_s(slack_url, slack_api, workspace):
    plan = workspace.save(card("handed plan", "UMEM", "C111", False, PlanStatus.DRAFT), "UMEM")
    slash(slack_url, slack_api, f"handover #{plan.id} <@UOTHER|other>", "UEDI", "C111", "not-owner")
    assert "admin" in reply_to(slack_api, "not-owner") and workspace.get(plan.id).owner == "UMEM"
    slash(slack_url, slack_api, f"handover #{plan.id} <@UOTHER|other>", "UMEM", "C111", "owner")
    assert "<@UOTHER>" in reply_to(slack_api, "owner") and workspace.get(plan.id).owner == "UOTHER"
    assert workspace.history(plan.id)[-1].who == "UMEM"


def test_coverage_counts_only_the_plans_the_asker_may_see(slack_service, workspace):
    workspace.save(card("secret plan", SOMEONE_ELSE, "CPRIV", True, PlanStatus.DRAFT), SOMEONE_ELSE)
    inside = slack_service.actor(TEAM, "UMEM", "CPRIV", channel_private=True)
    outside = slack_service.actor(TEAM, "UMEM", "C222")
    assert slack_service.coverage(inside).count(AwarenessStage.AWARE, Channel.SHORT_VIDEO) == 1
    assert slack_service.coverage(outside).count(AwarenessStage.AWARE, Channel.SHORT_VIDEO) == 0
