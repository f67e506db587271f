"""App Home: the user's plans, those waiting for review and the biggest gaps."""

from slack_sdk import WebClient

from bot.slack.face import SlackFace, workspace_of
from bot.slack.plan_posts import publish_home


def on_home_opened(event: dict, body: dict, client: WebClient, planbot: SlackFace) -> None:
    if event.get("tab") == "home":
        publish_home(planbot, client, event["user"], workspace_of(body))
