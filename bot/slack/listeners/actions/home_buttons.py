"""App Home's buttons: a new card, a question, a brief to draft from."""

from slack_sdk import WebClient

from bot.models import ContentPlan
from bot.slack.face import SlackFace
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
