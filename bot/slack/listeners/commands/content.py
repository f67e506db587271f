"""`/content <subcommand> …`: acknowledged at once, answered ephemerally. Each subcommand calls
the service for what it names; nothing is re-encoded as a chat message."""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import t
from bot.models import ContentPlan
from bot.slack import loop_posts, plan_posts, team_posts
from bot.slack.face import SlackFace, workspace_of
from bot.slack.modal import ModalMetadata, open_plan_form
from bot.slack.plan_posts import plan_number
from bot.slack.safe import error_text, escape

COMMAND = "/content"


def on_content(command: dict, respond: Respond, client: WebClient, planbot: SlackFace) -> None:
    words = (command.get("text") or "").strip()
    subcommand, _, rest = words.partition(" ")
    subcommand, rest = subcommand.lower(), rest.strip()
    user, channel, workspace = command.get("user_id"), command.get("channel_id", ""), workspace_of(command)
    lang = planbot.lang_for(rest or words, user, client)

    def reply(**message):
        respond(response_type="ephemeral", **message)

    try:
        if subcommand == "ask" and rest:
            planbot.reply_to(rest, user=user, channel=channel, thread_ts=f"command:{command.get('trigger_id', '')}",
                             client=client, post=reply, workspace=workspace)
        elif subcommand == "ask":
            reply(text=t("empty_question", lang))
        elif subcommand == "draft":
            for draft in planbot.service.draft_from_text(rest, lang, workspace, channel):
                planbot.post_draft(reply, user, draft)
        elif subcommand == "plan":
            open_plan_form(client, command["trigger_id"], ContentPlan(lang=lang),
                           ModalMetadata(lang=lang, channel=channel))
        elif subcommand == "plans":
            plan_posts.list_plans(planbot, respond, planbot.actor(client, workspace, user, channel), rest, 0, lang,
                                  replace=False)
        elif subcommand == "export":
            plan_posts.export(planbot, client, respond, planbot.actor(client, workspace, user, channel), rest, lang)
        elif subcommand == "handover":
            reply(text=plan_posts.hand_over(planbot, planbot.actor(client, workspace, user, channel), rest, lang))
        elif subcommand == "roles":
            reply(text=team_posts.roles_text(planbot, planbot.actor(client, workspace, user, channel), rest, lang))
        elif subcommand == "coverage":
            plan_posts.coverage(planbot, client, respond, planbot.actor(client, workspace, user, channel), lang)
        elif subcommand == "calendar":
            loop_posts.calendar(planbot, client, respond, planbot.actor(client, workspace, user, channel), rest, lang)
        elif subcommand == "funnel":
            loop_posts.funnel(planbot, client, respond, planbot.actor(client, workspace, user, channel), rest, lang)
        elif subcommand == "next":
            loop_posts.next_experiment(planbot, respond, planbot.actor(client, workspace, user, channel), rest, lang)
        elif subcommand == "results" and (number := plan_number(rest)):
            loop_posts.results(planbot, client, respond, planbot.actor(client, workspace, user, channel), number,
                               lang)
        elif subcommand == "results":
            reply(text=t("results_usage", lang))
        elif subcommand == "digest":
            reply(text=loop_posts.set_digest(planbot, planbot.actor(client, workspace, user, channel), rest, lang))
        elif subcommand in ("setup", "team") and not rest:
            team_posts.open_setup(planbot, client, command["trigger_id"], workspace, lang, channel)
        elif subcommand == "teach" and rest.lower() == "list":
            reply(text=team_posts.taught_text(planbot, workspace, lang))
        elif subcommand == "teach":
            team_posts.open_teach(client, command["trigger_id"], lang, channel)
        elif subcommand == "defaults":
            reply(text=team_posts.defaults_text(planbot, planbot.actor(client, workspace, user, channel), rest, lang))
        elif subcommand in ("", "help"):
            reply(text=escape(t("help", lang)))
        else:
            reply(text=escape(t("unknown_command", lang, word=subcommand) + "\n\n" + t("help", lang)))
    except UserError as error:
        reply(text=error_text(error, lang))
