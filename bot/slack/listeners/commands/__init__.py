"""Slash commands: `/content <subcommand> …`."""

from slack_bolt import App

from bot.slack.face import SlackFace
from bot.slack.listeners import lazily
from bot.slack.listeners.commands import content


def register(app: App, planbot: SlackFace) -> None:
    lazily(app.command(content.COMMAND), content.on_content, planbot)
