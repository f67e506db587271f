"""Listeners for plans: the card modal and its selects, drafted-card buttons, the review list,
status buttons, and App Home."""

import json
import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, PlanStatus
from bot.errors import UserError
from bot.messages import describe
from bot.slack.listeners import ack_at_once
from bot.slack.plan_blocks import (
    ANOTHER_IDEA,
    EDIT_DRAFT,
    EDIT_PLAN,
    HOME_ASK,
    HOME_DRAFT,
    OPEN_PLAN,
    OPEN_PLAN_MODAL,
    PAGE,
    SAVE_DRAFT,
    SET_STATUS,
)
from bot.slack.plan_flow import ASK_MODAL, DRAFT_MODAL, SlackPlans
from bot.slack.plan_form import (
    GO_BACK,
    PICK_FUNNEL,
    PICK_STAGE,
    PLAN_CONFIRM,
    PLAN_FORM,
)

log = logging.getLogger(__name__)


def _value(body: dict) -> dict:
    try:
        return json.loads(body["actions"][0].get("value") or "{}")
    except (KeyError, IndexError, ValueError):
        return {}


def _origin_channel(body: dict) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def register(app: App, plans: SlackPlans) -> None:
    def lang_of(body: dict, client: WebClient) -> Lang:
        return plans.conversation.user_language(body["user"]["id"], client) or Lang.EN

    def guarded(work):
        """Tell the user, in their language, what was wrong with what they asked for."""
        def run(body: dict, client: WebClient, respond: Respond, **kwargs) -> None:
            try:
                work(body=body, client=client, respond=respond, **kwargs)
            except UserError as error:
                respond(response_type="ephemeral", replace_original=False,
                        text=describe(error, lang_of(body, client)))
        run.__name__ = work.__name__
        return run

    # The card modal ----------------------------------------------------------------------

    def on_pick(body: dict, client: WebClient) -> None:
        plans.repick(client, body)

    app.action(PICK_FUNNEL)(ack=ack_at_once, lazy=[on_pick])
    app.action(PICK_STAGE)(ack=ack_at_once, lazy=[on_pick])

    def check_on_submit(ack: Ack, body: dict) -> None:
        # The answer to a submission must travel in the ack: the checks run here, in milliseconds.
        ack(**plans.submission_response(body))

    def save_on_submit(body: dict, client: WebClient) -> None:
        # The ack answered errors or warnings itself; only a clean card is saved from here.
        if plans.is_clean(body):
            plans.save(client, body)

    def save_confirmed(body: dict, client: WebClient) -> None:
        plans.save(client, body)

    app.view(PLAN_FORM)(ack=check_on_submit, lazy=[save_on_submit])
    app.view(PLAN_CONFIRM)(ack=ack_at_once, lazy=[save_confirmed])

    def on_go_back(body: dict, client: WebClient) -> None:
        plans.go_back(client, body)

    app.action(GO_BACK)(ack=ack_at_once, lazy=[on_go_back])

    # Drafted cards -----------------------------------------------------------------------

    def kept_draft(body: dict):
        kept = plans.drafted(int(_value(body).get("draft", 0)))
        if kept is None:
            raise UserError("plan_not_found", plan_id="draft")
        return kept

    @guarded
    def on_save_draft(body: dict, client: WebClient, respond: Respond) -> None:
        plan, _ = kept_draft(body)
        user = body["user"]["id"]
        saved = plans.service.save_plan(plan.model_copy(update={"author": user}), user, keep_as_draft=True)
        plans.confirm(client, saved, user, plan.lang, _origin_channel(body))
        plans.publish_home(client, user)

    @guarded
    def on_edit_draft(body: dict, client: WebClient, respond: Respond) -> None:
        plan, _ = kept_draft(body)
        plans.open_form(client, body["trigger_id"], plan, plan.lang,
                        {"draft": _value(body)["draft"], "channel": _origin_channel(body)})

    @guarded
    def on_another_idea(body: dict, client: WebClient, respond: Respond) -> None:
        _, brief = kept_draft(body)
        brief = brief.model_copy(update={"variant": brief.variant + 1})
        plans.conversation.post_draft(
            lambda **card: respond(response_type="ephemeral", replace_original=True, **card),
            body["user"]["id"], plans.service.draft(brief), brief)

    app.action(SAVE_DRAFT)(ack=ack_at_once, lazy=[on_save_draft])
    app.action(EDIT_DRAFT)(ack=ack_at_once, lazy=[on_edit_draft])
    app.action(ANOTHER_IDEA)(ack=ack_at_once, lazy=[on_another_idea])

    # Saved plans and review ------------------------------------------------------------------

    @guarded
    def on_edit_plan(body: dict, client: WebClient, respond: Respond) -> None:
        plan = plans.service.get_plan(int(_value(body).get("plan", 0)))
        plans.open_form(client, body["trigger_id"], plan, plan.lang,
                        {"plan_id": plan.id, "channel": _origin_channel(body)})

    @guarded
    def on_open_plan(body: dict, client: WebClient, respond: Respond) -> None:
        plans.show(respond, int(_value(body).get("plan", 0)), lang_of(body, client))

    @guarded
    def on_set_status(body: dict, client: WebClient, respond: Respond) -> None:
        value = _value(body)
        plans.set_status(client, respond, body["user"]["id"], int(value.get("plan", 0)),
                         PlanStatus(value.get("status")), lang_of(body, client))

    @guarded
    def on_page(body: dict, client: WebClient, respond: Respond) -> None:
        value = _value(body)
        plans.list_plans(respond, body["user"]["id"], value.get("filters", ""), int(value.get("offset", 0)),
                         lang_of(body, client), replace=True)

    app.action(EDIT_PLAN)(ack=ack_at_once, lazy=[on_edit_plan])
    app.action(OPEN_PLAN)(ack=ack_at_once, lazy=[on_open_plan])
    app.action(SET_STATUS)(ack=ack_at_once, lazy=[on_set_status])
    app.action(PAGE)(ack=ack_at_once, lazy=[on_page])

    # App Home ----------------------------------------------------------------------------

    def on_home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab") == "home":
            plans.publish_home(client, event["user"])

    app.event("app_home_opened")(ack=ack_at_once, lazy=[on_home_opened])

    def on_home_button(body: dict, client: WebClient) -> None:
        action, lang = body["actions"][0]["action_id"], lang_of(body, client)
        if action == OPEN_PLAN_MODAL:
            plans.open_form(client, body["trigger_id"], ContentPlan(lang=lang), lang, {})
        else:
            plans.open_text_modal(client, body["trigger_id"], ASK_MODAL if action == HOME_ASK else DRAFT_MODAL, lang)

    for action_id in (OPEN_PLAN_MODAL, HOME_ASK, HOME_DRAFT):
        app.action(action_id)(ack=ack_at_once, lazy=[on_home_button])

    def on_text_modal(body: dict, client: WebClient) -> None:
        user = body["user"]["id"]
        message = (body["view"]["state"]["values"]["text"]["value"].get("value") or "").strip()
        if not message:
            return
        prefix = "draft " if body["view"]["callback_id"] == DRAFT_MODAL else ""
        plans.conversation.reply(prefix + message, user=user, channel=user, thread_ts=f"home:{body['view']['id']}",
                                 client=client, post=lambda **reply: client.chat_postMessage(channel=user, **reply))

    app.view(ASK_MODAL)(ack=ack_at_once, lazy=[on_text_modal])
    app.view(DRAFT_MODAL)(ack=ack_at_once, lazy=[on_text_modal])

