"""Buttons under an answer: draft a plan from it, the whole entry ("More"), the stage the asker
picks when the answer was unsure, and 👍 / 👎 feedback."""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.i18n import t
from bot.models import AwarenessStage
from bot.slack.blocks import mrkdwn_sections
from bot.slack.face import SlackFace, workspace_of
from bot.slack.listeners.actions.values import int_value, str_value


def on_helpful(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    _feedback(planbot, body, respond, client, "up")


def on_not_helpful(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    _feedback(planbot, body, respond, client, "down")


def _feedback(planbot: SlackFace, body: dict, respond: Respond, client: WebClient, vote: str) -> None:
    turn_id = int_value(body, "turn")
    answer = planbot.answered_turn(turn_id, workspace_of(body)) if turn_id is not None else None
    if answer is not None:
        planbot.state.add_feedback(turn_id, body["user"]["id"], vote, workspace_of(body))
    lang = answer.lang if answer else planbot.lang_of(body["user"]["id"], client)
    respond(response_type="ephemeral", replace_original=False, text=t("thanks", lang))


def on_draft_from_answer(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    answer = _answer_of(body, respond, client, planbot)
    if answer is None:
        return
    post, channel, _ = _reply_under(body, respond, client)
    planbot.post_draft(post, body["user"]["id"], planbot.service.draft_from_answer(answer, workspace_of(body), channel))


def _reply_under(body: dict, respond: Respond, client: WebClient):
    """How to post under the message a button sits on: in its thread, or ephemerally when the
    message itself was ephemeral (/content ask); and that thread's channel and ts ("" if none)."""
    container, message = body.get("container") or {}, body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    thread_ts = message.get("thread_ts") or message.get("ts") or ""
    if container.get("is_ephemeral") or not channel or not thread_ts:
        def post(**reply):
            respond(response_type="ephemeral", replace_original=False, **reply)
    else:
        def post(**reply):
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **reply)
    return post, channel, thread_ts


def _answer_of(body: dict, respond: Respond, client: WebClient, planbot: SlackFace):
    """The answer a button sits under, or None after telling the user (it is gone, or the value
    was tampered with)."""
    turn_id = int_value(body, "turn")
    answer = planbot.answered_turn(turn_id, workspace_of(body)) if turn_id is not None else None
    if answer is None:
        respond(response_type="ephemeral", replace_original=False,
                text=t("something_went_wrong", planbot.lang_of(body["user"]["id"], client)))
    return answer


def on_more(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    """The whole entry behind a short answer, to the one who asked for it."""
    answer = _answer_of(body, respond, client, planbot)
    if answer is None:
        return
    detail = answer.detail or answer.body
    respond(response_type="ephemeral", replace_original=False, text=t("more_button", answer.lang),
            blocks=[block.to_dict() for block in mrkdwn_sections(detail)])


def on_answer_at_stage(body: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    """The asker picked one of the two stages an answer offered: answer again at that stage, in the
    thread, so that follow-ups continue from it."""
    answer = _answer_of(body, respond, client, planbot)
    if answer is None:
        return
    try:
        stage = AwarenessStage(str_value(body, "stage") or "")
    except ValueError:
        respond(response_type="ephemeral", replace_original=False, text=t("something_went_wrong", answer.lang))
        return
    post, channel, thread_ts = _reply_under(body, respond, client)
    again = planbot.service.ask(answer.question, answer.lang, stage=stage, workspace=workspace_of(body),
                                channel=channel)
    planbot.post_answer(again, post, user=body["user"]["id"], channel=channel, thread_ts=thread_ts,
                        workspace=workspace_of(body))
