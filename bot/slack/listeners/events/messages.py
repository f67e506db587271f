"""Mentions and direct messages: answered in the thread, once, with a reaction while working."""

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import t
from bot.slack.face import SlackFace, clean_text, workspace_of
from bot.slack.streaming import ThreadStream
from bot.slack.work import WORK_KEY

log = logging.getLogger(__name__)

WORKING_REACTION = "eyes"
# Message subtypes that are not a person asking something: edits, deletions, joins, bots…
_ANSWERABLE_SUBTYPES = {None, "thread_broadcast", "file_share"}


def on_mention(event: dict, body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    answer_message(planbot, event, client, workspace_of(body), context.get(WORK_KEY, ""))


def on_message(event: dict, body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    # In channels the app_mention event carries the question; here only direct messages.
    if event.get("channel_type") == "im":
        answer_message(planbot, event, client, workspace_of(body), context.get(WORK_KEY, ""))


def answer_message(planbot: SlackFace, event: dict, client: WebClient, workspace: str = "", work: str = "") -> None:
    if event.get("bot_id") or event.get("subtype") not in _ANSWERABLE_SUBTYPES or not event.get("user"):
        return
    channel, ts = event["channel"], event["ts"]
    # Slack may deliver one message twice (app_mention and message): answer it once. The work
    # that claimed it may claim it again, when it is resumed after a crash.
    if not planbot.state.claim(f"message:{channel}:{ts}", owner=work):
        return
    question = clean_text(event.get("text", ""))
    thread_ts = event.get("thread_ts") or ts
    if not question:
        return
    _react(client, "reactions_add", channel, ts)
    try:
        if planbot.service.settings.llm:
            stream = ThreadStream(client, channel, thread_ts)
            post, on_text = stream.post, stream.on_text
        else:
            def post(**message):
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            on_text = None
        planbot.reply_to(question, user=event["user"], channel=channel, thread_ts=thread_ts, client=client,
                         post=post, workspace=workspace, on_text=on_text)
    except Exception:
        log.exception("answering a message failed")
        lang = planbot.lang_for(question, event["user"], client)
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=t("something_went_wrong", lang))
    finally:
        _react(client, "reactions_remove", channel, ts)


def _react(client: WebClient, method: str, channel: str, ts: str) -> None:
    """The sign of work; a missing reactions scope must not stop the answer."""
    try:
        getattr(client, method)(channel=channel, timestamp=ts, name=WORKING_REACTION)
    except SlackApiError as error:
        log.info("%s failed: %s", method, error.response.get("error"))
