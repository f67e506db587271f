"""`/content <subcommand> …`: acknowledged at once, answered ephemerally."""

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.slack.conversation import SlackConversation
from bot.slack.i18n import text
from bot.slack.listeners import ack_at_once

COMMAND = "/content"


def register(app: App, conversation: SlackConversation) -> None:
    def on_content(command: dict, respond: Respond, client: WebClient) -> None:
        words = (command.get("text") or "").strip()
        subcommand, _, rest = words.partition(" ")
        subcommand, rest = subcommand.lower(), rest.strip()
        user, channel = command.get("user_id"), command.get("channel_id", "")
        lang = conversation.language(rest or words, user, client)
        if subcommand == "ask":
            if not rest:
                respond(response_type="ephemeral", text=text("empty_question", lang))
                return
            conversation.reply(
                rest, user=user, channel=channel, thread_ts=f"command:{command.get('trigger_id', '')}",
                client=client, post=lambda **message: respond(response_type="ephemeral", **message),
            )
        elif subcommand == "draft":
            conversation.reply(
                f"draft {rest}", user=user, channel=channel, thread_ts="", client=client,
                post=lambda **message: respond(response_type="ephemeral", **message),
            )
        elif subcommand in ("", "help"):
            respond(response_type="ephemeral", text=text("help", lang))
        else:
            respond(response_type="ephemeral",
                    text=text("unknown_command", lang, word=subcommand) + "\n\n" + text("help", lang))

    app.command(COMMAND)(ack=ack_at_once, lazy=[on_content])
