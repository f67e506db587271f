"""The team's context in Slack: opening its modals, a channel's defaults, and what it has taught."""

import shlex

from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import t, teaching_text
from bot.models import Lang
from bot.slack.face import SlackFace
from bot.slack.safe import escape
from bot.slack.team_form import TeamFormMetadata, setup_view, teach_view

DEFAULTS_KEYS = ("product", "segment", "language")


def open_setup(planbot: SlackFace, client: WebClient, trigger_id: str, workspace: str, lang: Lang,
               channel: str | None) -> None:
    view = planbot.service.team_profile(workspace)
    client.views_open(trigger_id=trigger_id, view=setup_view(
        view.profile, lang, TeamFormMetadata(lang=lang, channel=channel, version=view.version)))


def open_teach(client: WebClient, trigger_id: str, lang: Lang, channel: str | None) -> None:
    client.views_open(trigger_id=trigger_id, view=teach_view(lang, TeamFormMetadata(lang=lang, channel=channel)))


def defaults_text(planbot: SlackFace, workspace: str, channel: str, words: str, user: str, lang: Lang) -> str:
    """`/content defaults [product=… segment=… language=…]`: set (when given) and show the channel's
    defaults; `/content defaults clear` removes them."""
    service = planbot.service
    current = service.channel_defaults(workspace, channel)
    if words.strip().lower() in ("clear", "reset", "none"):
        current = service.set_channel_defaults(workspace, channel, {}, user)
    elif words.strip():
        try:
            pairs = [word.partition("=") for word in shlex.split(words)]
        except ValueError as error:
            raise UserError("team_invalid", field="defaults", reason=str(error)) from None
        changes = {}
        for key, sign, value in pairs:
            if not sign or key not in DEFAULTS_KEYS:
                raise UserError("team_unknown_key", field=key or words)
            changes[key] = value or None if key == "language" else value
        current = service.set_channel_defaults(workspace, channel, current.model_dump(mode="json") | changes, user)
    if current.is_empty:
        return t("defaults_none", lang)
    return t("defaults_are", lang, product=escape(current.product or "—"), segment=escape(current.segment or "—"),
             language=current.language.value if current.language else "—")


def taught_text(planbot: SlackFace, workspace: str, lang: Lang) -> str:
    taught = planbot.service.team_teachings(workspace)
    if not taught:
        return t("taught_none", lang)
    lines = [f"• {escape(teaching_text(item.teaching, lang))} · `{escape(item.key)}`" for item in taught[:40]]
    return "\n".join([t("taught_heading", lang), *lines])
