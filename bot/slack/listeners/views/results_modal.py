"""The "Add results" modal's submission: checked and recorded in the acknowledgement (a refusal
is shown inline, on its field), then confirmed to the user."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import t
from bot.slack.face import SlackFace, workspace_of
from bot.slack.plan_posts import tell
from bot.slack.results_form import figures_of, form_errors, metadata_of

RECORDED = "planbot_results_recorded"


def record(ack: Ack, body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    view, metadata = body["view"], metadata_of(body["view"])
    user = body["user"]["id"]
    actor = planbot.actor(client, workspace_of(body), user, metadata.channel)
    try:
        recorded = planbot.service.record_result(metadata.plan_id, figures_of(view), user, actor=actor)
    except UserError as error:
        ack(response_action="errors", errors=form_errors(error, metadata.lang))
        return
    context[RECORDED] = t("results.recorded", metadata.lang, plan_id=recorded.plan_id,
                          start=recorded.period_start.isoformat(), end=recorded.period_end.isoformat(),
                          version=recorded.version)
    ack()


def confirm(body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    if (message := context.get(RECORDED)) is not None:
        tell(client, body["user"]["id"], metadata_of(body["view"]).channel, message)
