"""Events: mentions and direct messages, and App Home being opened."""

from slack_bolt import App

from bot.slack.face import SlackFace
from bot.slack.listeners import lazily
from bot.slack.listeners.events import app_home, messages


def register(app: App, planbot: SlackFace) -> None:
    lazily(app.event("app_mention"), messages.on_mention, planbot)
    lazily(app.event("message"), messages.on_message, planbot)
    lazily(app.event("app_home_opened"), app_home.on_home_opened, planbot)
