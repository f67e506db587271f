"""Inside the card modal: picking a stage pre-selects its partner; Go back leaves the warnings."""

from slack_sdk import WebClient

from bot.slack.face import SlackFace
from bot.slack.modal import go_back, repick


def on_pick_stage(body: dict, client: WebClient, planbot: SlackFace) -> None:
    repick(planbot, client, body)


def on_go_back(body: dict, client: WebClient, planbot: SlackFace) -> None:
    go_back(planbot, client, body)
