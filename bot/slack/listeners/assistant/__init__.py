"""The AI-app view (Bolt's Assistant): suggested prompts, a thread title, a status while working."""

import logging

from slack_bolt import App, Assistant, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import t
from bot.slack.face import SlackFace, clean_text
from bot.slack.listeners import ack_at_once, bind
from bot.slack.streaming import ThreadStream
from bot.slack.work import WORK_KEY

log = logging.getLogger(__name__)


def on_thread_started(payload: dict, say: Say, set_suggested_prompts: SetSuggestedPrompts, context,
                      client: WebClient, planbot: SlackFace) -> None:
    user = context.user_id or payload.get("assistant_thread", {}).get("user_id")
    lang = planbot.lang_of(user, client)
    say(t("greeting", lang))
    set_suggested_prompts(prompts=[
        {"title": t(key, lang), "message": t(key, lang)}
        for key in ("prompt_ask_stage", "prompt_draft", "prompt_gaps")
    ])


def on_user_message(payload: dict, say: Say, set_status: SetStatus, set_title: SetTitle, context,
                    client: WebClient, planbot: SlackFace) -> None:
    question = clean_text(payload.get("text", ""))
    if not question or not planbot.state.claim(f"message:{payload['channel']}:{payload['ts']}",
                                               owner=context.get(WORK_KEY, "")):
        return
    lang = planbot.lang_for(question, context.user_id, client)
    try:
        set_title(question[:100])
        set_status(t("thinking", lang))
    except SlackApiError as error:
        # A plain DM thread is no assistant thread; the answer matters more than the status.
        log.info("assistant status not set: %s", error.response.get("error"))
    thread_ts = payload.get("thread_ts") or payload["ts"]
    stream = ThreadStream(client, payload["channel"], thread_ts) if planbot.service.settings.llm else None
    planbot.reply_to(question, user=context.user_id, channel=payload["channel"], thread_ts=thread_ts,
                     client=client, post=stream.post if stream else (lambda **message: say(**message)),
                     workspace=context.team_id or context.enterprise_id or "",
                     on_text=stream.on_text if stream else None)


def register(app: App, planbot: SlackFace) -> None:
    assistant = Assistant()
    assistant.thread_started(lazy=[bind(on_thread_started, planbot)])(ack_at_once)
    assistant.user_message(lazy=[bind(on_user_message, planbot)])(ack_at_once)
    app.use(assistant)
