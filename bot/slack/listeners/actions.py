"""Buttons under an answer: draft a plan from it, and 👍 / 👎 feedback."""

import json

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.domain.language import Lang
from bot.slack.blocks import (
    DRAFT_FROM_ANSWER,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
)
from bot.slack.conversation import SlackConversation
from bot.slack.i18n import text
from bot.slack.listeners import ack_at_once


def _turn_id(body: dict) -> int | None:
    try:
        return int(json.loads(body["actions"][0]["value"])["turn"])
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def register(app: App, conversation: SlackConversation) -> None:
    def user_lang(body: dict, client: WebClient) -> Lang:
        return conversation.user_language(body.get("user", {}).get("id"), client) or Lang.EN

    def feedback(vote: str):
        def on_feedback(body: dict, respond: Respond, client: WebClient) -> None:
            turn_id = _turn_id(body)
            if turn_id is not None:
                conversation.state.add_feedback(turn_id, body["user"]["id"], vote)
            turn = conversation.state.turn(turn_id) if turn_id is not None else None
            lang = Lang(turn["record"]["lang"]) if turn else user_lang(body, client)
            respond(response_type="ephemeral", replace_original=False, text=text("thanks", lang))

        return on_feedback

    app.action(FEEDBACK_UP)(ack=ack_at_once, lazy=[feedback("up")])
    app.action(FEEDBACK_DOWN)(ack=ack_at_once, lazy=[feedback("down")])

    def on_draft(body: dict, respond: Respond, client: WebClient) -> None:
        turn_id = _turn_id(body)
        brief = conversation.brief_from_turn(turn_id) if turn_id is not None else None
        if brief is None:
            respond(response_type="ephemeral", replace_original=False,
                    text=text("something_went_wrong", user_lang(body, client)))
            return
        container, message = body.get("container", {}), body.get("message") or {}
        if container.get("is_ephemeral") or not message.get("ts"):
            def post(**card):
                respond(response_type="ephemeral", replace_original=False, **card)
        else:
            def post(**card):
                client.chat_postMessage(channel=body["channel"]["id"],
                                        thread_ts=message.get("thread_ts") or message["ts"], **card)
        conversation.post_draft(post, body["user"]["id"], conversation.service.draft(brief), brief)

    app.action(DRAFT_FROM_ANSWER)(ack=ack_at_once, lazy=[on_draft])
