"""Buttons under an answer: draft a plan from it, and 👍 / 👎 feedback."""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.i18n import t
from bot.slack.face import SlackFace
from bot.slack.listeners.actions.values import int_value


def on_helpful(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    _feedback(planbot, body, respond, client, "up")


def on_not_helpful(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    _feedback(planbot, body, respond, client, "down")


def _feedback(planbot: SlackFace, body: dict, respond: Respond, client: WebClient, vote: str) -> None:
    turn_id = int_value(body, "turn")
    answer = planbot.answered_turn(turn_id) if turn_id is not None else None
    if answer is not None:
        planbot.state.add_feedback(turn_id, body["user"]["id"], vote)
    lang = answer.lang if answer else planbot.lang_of(body["user"]["id"], client)
    respond(response_type="ephemeral", replace_original=False, text=t("thanks", lang))


def on_draft_from_answer(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    turn_id = int_value(body, "turn")
    answer = planbot.answered_turn(turn_id) if turn_id is not None else None
    if answer is None:
        respond(response_type="ephemeral", replace_original=False,
                text=t("something_went_wrong", planbot.lang_of(body["user"]["id"], client)))
        return
    container, message = body.get("container", {}), body.get("message") or {}
    if container.get("is_ephemeral") or not message.get("ts"):
        def post(**card):
            respond(response_type="ephemeral", replace_original=False, **card)
    else:
        def post(**card):
            client.chat_postMessage(channel=body["channel"]["id"], thread_ts=message.get("thread_ts") or message["ts"],
                                    **card)
    planbot.post_draft(post, body["user"]["id"], planbot.service.draft_from_answer(answer))
