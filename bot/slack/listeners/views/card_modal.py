"""The card modal's submission: checked once, in the acknowledgement (errors inline, warnings
as a "save anyway?" view); a clean card is saved after the acknowledgement."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.models import ContentPlan
from bot.slack.face import SlackFace, workspace_of
from bot.slack.modal import (
    ModalMetadata,
    confirmed_plan,
    review_submission,
    submission_response,
)
from bot.slack.plan_posts import save_and_confirm

# Where the acknowledgement leaves a clean card for the save that follows it. Bolt copies the
# request context for lazy listeners after the acknowledgement has run (process_before_response).
CLEAN_CARD = "planbot_clean_card"


def check_on_submit(ack: Ack, body: dict, context: BoltContext, planbot: SlackFace) -> None:
    # The answer to a submission must travel in the ack: the checks run here, in milliseconds.
    review = review_submission(planbot, body)
    response = submission_response(planbot, body, review)
    if not response and review.plan is not None:
        context[CLEAN_CARD] = review.plan.model_dump(mode="json")
    ack(**response)


def save_checked(body: dict, client: WebClient, context: BoltContext, planbot: SlackFace) -> None:
    # Errors and warnings were answered by the acknowledgement; only a clean card is saved here.
    if (card := context.get(CLEAN_CARD)) is None:
        return
    _save(planbot, client, body, ContentPlan.model_validate(card))


def save_confirmed(body: dict, client: WebClient, planbot: SlackFace) -> None:
    _save(planbot, client, body, confirmed_plan(planbot, body))


def _save(planbot: SlackFace, client: WebClient, body: dict, plan: ContentPlan) -> None:
    metadata = ModalMetadata.of(body["view"])
    actor = planbot.actor(client, workspace_of(body), body["user"]["id"], metadata.channel)
    save_and_confirm(planbot, client, plan, actor, metadata.lang, metadata.channel)
