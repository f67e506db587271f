"""The AI-app view (Bolt's Assistant): suggested prompts, a thread title, a status while working."""

import logging

from slack_bolt import App, Assistant, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.language import Lang
from bot.slack.conversation import SlackConversation, clean_text
from bot.slack.i18n import text
from bot.slack.listeners import ack_at_once
from bot.slack.streaming import ThreadStream

log = logging.getLogger(__name__)


def register(app: App, conversation: SlackConversation) -> None:
    assistant = Assistant()

    def on_thread_started(payload: dict, say: Say, set_suggested_prompts: SetSuggestedPrompts, context,
                          client: WebClient) -> None:
        user = context.user_id or payload.get("assistant_thread", {}).get("user_id")
        lang = conversation.user_language(user, client) or Lang.EN
        say(text("greeting", lang))
        set_suggested_prompts(prompts=[
            {"title": text(key, lang), "message": text(key, lang)}
            for key in ("prompt_ask_stage", "prompt_draft", "prompt_gaps")
        ])

    def on_user_message(payload: dict, say: Say, set_status: SetStatus, set_title: SetTitle, context,
                        client: WebClient) -> None:
        question = clean_text(payload.get("text", ""))
        if not question or not conversation.state.claim(f"message:{payload['channel']}:{payload['ts']}"):
            return
        lang = conversation.language(question, context.user_id, client)
        try:
            set_title(question[:100])
            set_status(text("thinking", lang))
        except SlackApiError as error:
            # A plain DM thread is no assistant thread; the answer matters more than the status.
            log.info("assistant status not set: %s", error.response.get("error"))
        thread_ts = payload.get("thread_ts") or payload["ts"]
        stream = ThreadStream(client, payload["channel"], thread_ts) if conversation.service.settings.llm else None
        conversation.reply(question, user=context.user_id, channel=payload["channel"], thread_ts=thread_ts,
                           client=client, post=stream.post if stream else (lambda **message: say(**message)),
                           on_text=stream.on_text if stream else None)

    assistant.thread_started(lazy=[on_thread_started])(ack_at_once)
    assistant.user_message(lazy=[on_user_message])(ack_at_once)
    app.use(assistant)
