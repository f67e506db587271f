"""Installed into many workspaces through Slack's OAuth flow (SLACK_CLIENT_ID / SECRET): each
workspace is installed through /slack/install and /slack/oauth_redirect (slack_sdk's SQLite
stores), answered with its own token, and sees only its own plans, profile, roles and feedback —
also when its user and channel ids are the same as another workspace's. Uninstalling removes
the installation."""

import io
import json
import logging
import re
import stat
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from conftest import sharing_knowledge
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

from bot.config import Settings
from bot.logs import WithoutTokens
from bot.models import PlanStatus
from bot.slack.install import INSTALL_PATH, OAUTH_REDIRECT_PATH, installations_path
from bot.slack.transports import EVENTS_PATH
from bot.storage.plan_log import PlanLog
from slack_e2e.conftest import bolt_app_with_work, serving
from slack_e2e.harness import SIGNING_SECRET, command_form, event_body, interactive_form, post
from slack_e2e.test_plans_in_slack import FORM, GOOD, state_of

CLIENT_ID, CLIENT_SECRET = "1111.2222", "oauth-client-secret-9f8e"
A, B = "TAGENCYA", "TCLIENTB"
USER, CHANNEL = "U123", "C111"  # the same ids in both workspaces, as an attacker would pick them
TITLE_A = "Zebra onboarding webinar for plant managers"


@pytest.fixture
def many(service, slack_api, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "chroma").symlink_to(service.settings.chroma_dir, target_is_directory=True)
    settings = Settings(data_dir=data, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                        SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack_api.url)
    workspaces = sharing_knowledge(service, settings)
    with bolt_app_with_work(settings, workspaces) as app, serving(app, workspaces) as url:
        yield SimpleNamespace(url=url, base=url.removesuffix(EVENTS_PATH), service=workspaces, settings=settings,
                              api=slack_api)


def get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def install(many, team: str) -> str:
    """Install planbot into ``team`` as its admin would: the install page (which sets the state
    cookie), Slack's consent (stood in: a code), then Slack's redirect back. The bot token."""
    status, page, headers = get(many.base + INSTALL_PATH)
    assert status == 200 and "slack.com/oauth/v2/authorize" in page
    state = re.search(r"state=([\w-]+)", page).group(1)
    cookie = headers["Set-Cookie"].split(";")[0]
    code = many.api.installable(team)
    status, page, _ = get(f"{many.base}{OAUTH_REDIRECT_PATH}?code={code}&state={state}", {"Cookie": cookie})
    assert status == 200, page
    bot = store(many).find_bot(enterprise_id=None, team_id=team)
    assert bot is not None
    return bot.bot_token


def store(many) -> SQLite3InstallationStore:
    return SQLite3InstallationStore(database=str(installations_path(many.settings)), client_id=CLIENT_ID)


def command(many, team: str, text: str, name: str, replies: bool = True) -> str:
    """``/content text`` from ``team``; what planbot replied at the response_url."""
    status, _ = post(many.url, command_form(text, many.api.response_url(name), user=USER, channel=CHANNEL,
                                            team=team), FORM)
    assert status == 200
    if not replies:
        return ""
    return json.dumps([call.body for call in many.api.wait_for(f"response_url/hooks/{name}")], ensure_ascii=False)


def interact(many, team: str, payload: dict) -> tuple[int, str]:
    return post(many.url, interactive_form(payload | {"team": {"id": team}, "user": {"id": USER},
                                                       "api_app_id": "A111"}), FORM)


def save_a_plan_through_the_card_modal(many, team: str) -> None:
    command(many, team, "plan", f"plan-{team}", replies=False)
    view = many.api.wait_for("views.open")[-1].body["view"]
    status, body = interact(many, team, {"type": "view_submission", "trigger_id": "t.2",
                                         "view": view | {"id": "V1", "hash": "h",
                                                         "state": state_of(view, GOOD | {"content.title": TITLE_A})}})
    assert status == 200 and body == ""
    many.api.wait_for("views.publish")  # saved: App Home refreshed


def test_each_workspace_installs_through_oauth_and_is_answered_with_its_own_token(many):
    token_a, token_b = install(many, A), install(many, B)
    assert token_a != token_b
    assert stat.S_IMODE(installations_path(many.settings).stat().st_mode) == 0o600

    for team, token in ((A, token_a), (B, token_b)):
        event = {"type": "app_mention", "user": USER, "text": "<@UBOT> how long should a short video be?",
                 "ts": f"17.{team}", "channel": CHANNEL}
        body = json.dumps(event_body(event, team=team))
        assert post(many.url, body, "application/json")[0] == 200
        answer = [call for call in many.api.wait_for("chat.postMessage", count=1 if team == A else 2)
                  if call.body.get("thread_ts") == f"17.{team}"]
        assert answer and answer[0].headers["Authorization"] == f"Bearer {token}"


def test_a_workspace_that_never_installed_is_told_to_install_and_nothing_else_happens(many):
    install(many, A)
    reply = command(many, "TNOTHERE", "plans", "stranger")
    assert "install" in reply.lower()
    many.api.settle(0.5)
    assert not many.api.calls_to("chat.postMessage") and not many.api.calls_to("views.open")


def test_an_install_with_a_forged_state_or_a_bad_code_is_refused_and_saves_nothing(many):
    status, page, headers = get(many.base + INSTALL_PATH)
    state = re.search(r"state=([\w-]+)", page).group(1)
    cookie = headers["Set-Cookie"].split(";")[0]
    code = many.api.installable(A)
    # Another browser (no cookie), a state never issued, a code Slack refuses, a cancelled consent.
    attempts = [(f"?code={code}&state={state}", {}),
                (f"?code={code}&state=forged", {"Cookie": cookie.split("=")[0] + "=forged"}),
                (f"?code=invalid&state={state}", {"Cookie": cookie}),
                ("?error=access_denied", {})]
    for query, sent in attempts:
        status, page, _ = get(many.base + OAUTH_REDIRECT_PATH + query, sent)
        assert status in (200, 400, 401) and "Traceback" not in page
    assert store(many).find_bot(enterprise_id=None, team_id=A) is None


def test_workspace_b_never_sees_workspace_a_plans_profile_roles_or_feedback(many):
    install(many, A)
    install(many, B)
    service = many.service
    save_a_plan_through_the_card_modal(many, A)
    log = PlanLog(many.settings.data_dir / "plans.db")
    [plan] = log.list()
    assert plan.workspace == A and plan.content.title == TITLE_A
    # A plan from before planbot told workspaces apart, homed in the same channel id: no workspace's.
    log.save(plan.model_copy(update={"id": None, "workspace": "", "content": plan.content.model_copy(
        update={"title": "Zebra legacy plan"})}), "migration")
    service.save_team_profile(A, {"products": [{"name": "ZebraCRM", "value": "scheduling in one screen"}]}, "UADMIN")
    service.set_role(A, "UEDITOR", "editor")

    # A sees its own plan, so what B is shown below is not for want of a plan to show.
    assert TITLE_A in command(many, A, "plans", "a-list")
    for text, name in (("plans", "b-list"), ("plans zebra", "b-search"), ("plans mine", "b-mine"),
                       ("plans status:draft", "b-drafts"), ("roles", "b-roles"), ("teach list", "b-taught"),
                       (f"plans #{plan.id}", "b-by-id")):
        reply = command(many, B, text, name)
        assert "Zebra" not in reply and "UEDITOR" not in reply, (text, reply)

    command(many, B, "export", "b-export", replies=False)
    many.api.wait_for("files.completeUploadExternal")
    [exported] = many.api.uploads.values()
    assert b"Zebra" not in exported and b"plant managers" not in exported

    # App Home for the same user id in B: none of A's plans, and B has no team profile.
    publishes = len(many.api.calls_to("views.publish"))
    assert post(many.url, json.dumps(event_body({"type": "app_home_opened", "user": USER, "tab": "home",
                                                 "channel": "D1"}, team=B)), "application/json")[0] == 200
    home = many.api.wait_for("views.publish", count=publishes + 1)[-1]
    assert "Zebra" not in json.dumps(home.body["view"], ensure_ascii=False)

    # A's plan, named by id from B: not shown, not approved, not archived.
    presses = {"open_plan": {"plan": plan.id}, "edit_plan": {"plan": plan.id},
               "set_status": {"plan": plan.id, "status": "archived"}}
    for action_id, value in presses.items():
        status, _ = interact(many, B, {"type": "block_actions", "trigger_id": "t.3",
                                       "response_url": many.api.response_url(f"b-plan-{action_id}"),
                                       "container": {"type": "message", "channel_id": CHANNEL, "message_ts": "1.1",
                                                     "is_ephemeral": True}, "channel": {"id": CHANNEL},
                                       "actions": [{"action_id": action_id, "block_id": "b", "type": "button",
                                                    "value": json.dumps(value), "action_ts": "1"}]})
        assert status == 200
    many.api.settle(0.5)
    assert service.get_plan(plan.id).status is PlanStatus.DRAFT
    assert not any("Zebra" in json.dumps(call.body, ensure_ascii=False) for call in many.api.calls
                   if "/hooks/b-plan" in call.method or call.method == "views.open")
    assert service.team_profile(B).profile.products == [] and service.roles(B) == {}
    assert service.team_profile(A).profile.products[0].name == "ZebraCRM"


def test_answers_and_feedback_stay_in_their_workspace(many):
    install(many, A)
    install(many, B)
    body = json.dumps(event_body({"type": "app_mention", "user": USER, "ts": "18.1", "channel": CHANNEL,
                                  "text": "<@UBOT> which content fits the Ask stage?"}, team=A))
    assert post(many.url, body, "application/json")[0] == 200
    answer = many.api.wait_for("chat.postMessage")[0].body
    vote = next(element for block in answer["blocks"] if block["type"] == "actions"
                for element in block["elements"] if element["action_id"] == "feedback_up")
    for team, name in ((A, "a-vote"), (B, "b-vote")):
        interact(many, team, {"type": "block_actions", "trigger_id": "t.4", "response_url": many.api.response_url(name),
                              "container": {"type": "message", "channel_id": CHANNEL, "message_ts": "18.2"},
                              "channel": {"id": CHANNEL}, "message": answer | {"ts": "18.2", "thread_ts": "18.1"},
                              "actions": [vote | {"block_id": "b", "action_ts": "1"}]})
        many.api.wait_for(f"response_url/hooks/{name}")
    from bot.slack.state import SlackState

    state = SlackState(many.settings.data_dir / "slack.db")
    assert [row["user"] for row in state.feedback(A)] == [USER] and state.feedback(B) == []


def test_uninstalling_or_revoking_removes_only_that_workspace_installation(many):
    install(many, A)
    install(many, B)
    uninstalled = event_body({"type": "app_uninstalled"}, team=A)
    assert post(many.url, json.dumps(uninstalled), "application/json")[0] == 200
    assert store(many).find_bot(enterprise_id=None, team_id=A) is None
    assert store(many).find_bot(enterprise_id=None, team_id=B) is not None
    revoked = event_body({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}, team=B)
    assert post(many.url, json.dumps(revoked), "application/json")[0] == 200
    assert store(many).find_bot(enterprise_id=None, team_id=B) is None
    assert "install" in command(many, A, "plans", "after-uninstall").lower()


def test_no_token_or_secret_reaches_the_log_even_at_debug(many):
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.addFilter(WithoutTokens())
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        token = install(many, A)
        command(many, A, "ask how long should a short video be?", "logged")
        many.api.settle(0.5)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    logged = captured.getvalue()
    assert "oauth.v2.access" in logged  # slack_sdk did log the exchange, and its answer
    assert token not in logged and CLIENT_SECRET not in logged and "xoxb-" + A not in logged


def test_the_manifest_asks_for_the_scopes_the_install_flow_asks_for():
    import yaml

    from bot.config import PROJECT_ROOT
    from bot.slack.install import BOT_SCOPES

    manifest = yaml.safe_load((PROJECT_ROOT / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert manifest["oauth_config"]["redirect_urls"][0].endswith(OAUTH_REDIRECT_PATH)
    assert {"app_uninstalled", "tokens_revoked"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
