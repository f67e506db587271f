"""App Home's buttons: a new card, a question, a brief to draft from, the team's profile and
guidance."""

from slack_sdk import WebClient

from bot.models import ContentPlan
from bot.slack import team_posts
from bot.slack.face import SlackFace, workspace_of
from bot.slack.listeners.actions.values import origin_channel
from bot.slack.modal import (
    ASK_MODAL,
    DRAFT_MODAL,
    ModalMetadata,
    open_plan_form,
    open_text_modal,
)


def on_new_plan(body: dict, client: WebClient, planbot: SlackFace) -> None:
    lang = planbot.lang_of(body["user"]["id"], client)
    open_plan_form(client, body["trigger_id"], ContentPlan(lang=lang), ModalMetadata(lang=lang))


def on_ask(body: dict, client: WebClient, planbot: SlackFace) -> None:
    open_text_modal(client, body["trigger_id"], ASK_MODAL, planbot.lang_of(body["user"]["id"], client))


def on_draft(body: dict, client: WebClient, planbot: SlackFace) -> None:
    open_text_modal(client, body["trigger_id"], DRAFT_MODAL, planbot.lang_of(body["user"]["id"], client))


def on_team_setup(body: dict, client: WebClient, planbot: SlackFace) -> None:
    """App Home's "Team profile", or the offer under a workspace's first answer."""
    lang = planbot.lang_of(body["user"]["id"], client)
    team_posts.open_setup(planbot, client, body["trigger_id"], workspace_of(body), lang, origin_channel(body))


def on_teach(body: dict, client: WebClient, planbot: SlackFace) -> None:
    team_posts.open_teach(client, body["trigger_id"], planbot.lang_of(body["user"]["id"], client),
                          origin_channel(body))
