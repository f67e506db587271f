"""`/content <subcommand> …`: acknowledged at once, answered ephemerally."""

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.domain.plan import ContentPlan
from bot.errors import UserError
from bot.messages import describe
from bot.slack.i18n import text
from bot.slack.listeners import ack_at_once
from bot.slack.plan_flow import SlackPlans

COMMAND = "/content"


def register(app: App, plans: SlackPlans) -> None:
    conversation = plans.conversation

    def on_content(command: dict, respond: Respond, client: WebClient) -> None:
        words = (command.get("text") or "").strip()
        subcommand, _, rest = words.partition(" ")
        subcommand, rest = subcommand.lower(), rest.strip()
        user, channel = command.get("user_id"), command.get("channel_id", "")
        lang = conversation.language(rest or words, user, client)

        def reply(**message):
            respond(response_type="ephemeral", **message)

        try:
            if subcommand == "ask" and rest:
                conversation.reply(rest, user=user, channel=channel,
                                   thread_ts=f"command:{command.get('trigger_id', '')}", client=client, post=reply)
            elif subcommand == "ask":
                reply(text=text("empty_question", lang))
            elif subcommand == "draft":
                conversation.reply(f"draft {rest}", user=user, channel=channel, thread_ts="", client=client,
                                   post=reply)
            elif subcommand == "plan":
                plans.open_form(client, command["trigger_id"], ContentPlan(lang=lang), lang, {"channel": channel})
            elif subcommand == "plans":
                plans.list_plans(respond, user, rest, 0, lang, replace=False)
            elif subcommand == "export":
                plans.export(client, respond, user, channel, rest, lang)
            elif subcommand == "coverage":
                plans.coverage(client, respond, channel, lang)
            elif subcommand in ("", "help"):
                reply(text=text("help", lang))
            else:
                reply(text=text("unknown_command", lang, word=subcommand) + "\n\n" + text("help", lang))
        except UserError as error:
            reply(text=describe(error, lang))

    app.command(COMMAND)(ack=ack_at_once, lazy=[on_content])
