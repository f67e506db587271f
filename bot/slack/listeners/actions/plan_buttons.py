"""Buttons on saved plans: Edit, Open, Add results, the status workflow, and paging through the list."""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack import loop_posts, plan_posts
from bot.slack.face import SlackFace, workspace_of
from bot.slack.listeners.actions.values import button_value, int_value, origin_channel
from bot.slack.modal import ModalMetadata, open_plan_form


def _actor(planbot: SlackFace, client: WebClient, body: dict):
    return planbot.actor(client, workspace_of(body), body["user"]["id"], origin_channel(body))


def on_edit(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    plan = planbot.service.get_plan(int_value(body, "plan") or 0, _actor(planbot, client, body))
    open_plan_form(client, body["trigger_id"], plan,
                   ModalMetadata(lang=plan.lang, plan_id=plan.id, version=plan.version, channel=origin_channel(body)))


def on_open(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    plan_posts.show(planbot, respond, _actor(planbot, client, body), int_value(body, "plan") or 0,
                    planbot.lang_of(body["user"]["id"], client))


def on_set_status(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    user = body["user"]["id"]
    status = planbot.service.parse_value("status", str(button_value(body).get("status", "")))
    plan_posts.set_status(planbot, client, respond, _actor(planbot, client, body), int_value(body, "plan") or 0,
                          status, planbot.lang_of(user, client))


def on_page(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    user = body["user"]["id"]
    plan_posts.list_plans(planbot, respond, _actor(planbot, client, body), str(button_value(body).get("filters", "")),
                          int_value(body, "offset") or 0, planbot.lang_of(user, client), replace=True)


def on_add_results(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    loop_posts.open_results_form(planbot, client, body["trigger_id"], _actor(planbot, client, body),
                                 int_value(body, "plan") or 0, planbot.lang_of(body["user"]["id"], client))
