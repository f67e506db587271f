"""Buttons on a drafted card: Save, Edit (in the card modal), Another idea."""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import UserError
from bot.models import Draft
from bot.slack.face import SlackFace, workspace_of
from bot.slack.listeners.actions.values import int_value, origin_channel
from bot.slack.modal import ModalMetadata, open_plan_form
from bot.slack.plan_posts import confirm, publish_home


def _kept_draft(planbot: SlackFace, body: dict) -> tuple[int, Draft]:
    draft_id = int_value(body, "draft") or 0
    draft = planbot.kept_draft(draft_id, workspace_of(body))
    if draft is None:
        raise UserError("plan_not_found", plan_id="draft")
    return draft_id, draft


def on_save(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    _, draft = _kept_draft(planbot, body)
    user = body["user"]["id"]
    actor = planbot.actor(client, workspace_of(body), user, origin_channel(body) or draft.channel)
    saved = planbot.service.save_plan(draft.plan.model_copy(update={"author": user}), user, keep_as_draft=True,
                                      actor=actor)
    confirm(planbot, client, saved, user, draft.plan.lang, origin_channel(body))
    publish_home(planbot, client, user, draft.workspace)


def on_edit(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    draft_id, draft = _kept_draft(planbot, body)
    open_plan_form(client, body["trigger_id"], draft.plan,
                   ModalMetadata(lang=draft.plan.lang, draft=draft_id, channel=origin_channel(body)))


def on_another_idea(body: dict, client: WebClient, respond: Respond, planbot: SlackFace) -> None:
    _, draft = _kept_draft(planbot, body)
    planbot.post_draft(lambda **card: respond(response_type="ephemeral", replace_original=True, **card),
                       body["user"]["id"], planbot.service.another_idea(draft))
