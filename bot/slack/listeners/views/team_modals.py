"""The team modals' submissions: the profile and a teaching, validated and saved in the
acknowledgement (a mistake is shown inline, on its line), then confirmed to the user."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import t, teaching_text
from bot.slack.face import SlackFace, workspace_of
from bot.slack.plan_posts import publish_home, tell
from bot.slack.safe import escape
from bot.slack.team_form import metadata_of, profile_data, profile_errors, teach_errors, teaching_data

# What the acknowledgement saved, for the confirmation after it.
SAVED = "planbot_team_saved"


def save_profile(ack: Ack, body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    view, metadata = body["view"], metadata_of(body["view"])
    try:
        saved = planbot.service.save_team_profile(workspace_of(body), profile_data(view), body["user"]["id"],
                                                  base_version=metadata.version, actor=_actor(planbot, client, body))
    except UserError as error:
        ack(response_action="errors", errors=profile_errors(error, metadata.lang))
        return
    context[SAVED] = t("team_saved", metadata.lang, version=saved.version)
    ack()


def save_teaching(ack: Ack, body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    view, metadata = body["view"], metadata_of(body["view"])
    try:
        taught = planbot.service.teach(workspace_of(body), teaching_data(view), body["user"]["id"],
                                       actor=_actor(planbot, client, body))
    except UserError as error:
        ack(response_action="errors", errors=teach_errors(error, metadata.lang))
        return
    context[SAVED] = t("taught", metadata.lang, teaching=escape(teaching_text(taught.teaching, metadata.lang)))
    ack()


def _actor(planbot: SlackFace, client: WebClient, body: dict):
    return planbot.actor(client, workspace_of(body), body["user"]["id"], metadata_of(body["view"]).channel)


def confirm(body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    if (message := context.get(SAVED)) is None:
        return
    user = body["user"]["id"]
    tell(client, user, metadata_of(body["view"]).channel, message)
    publish_home(planbot, client, user, workspace_of(body))
