"""The team's context in Slack: opening its modals, a channel's defaults, and what it has taught."""

import shlex

from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import label, t, teaching_text
from bot.models import Actor, Lang
from bot.slack.face import SlackFace
from bot.slack.safe import escape, mentioned_user, person
from bot.slack.team_form import TeamFormMetadata, setup_view, teach_view

DEFAULTS_KEYS = ("product", "segment", "language")


def open_setup(planbot: SlackFace, client: WebClient, trigger_id: str, workspace: str, lang: Lang,
               channel: str | None) -> None:
    view = planbot.service.team_profile(workspace)
    client.views_open(trigger_id=trigger_id, view=setup_view(
        view.profile, lang, TeamFormMetadata(lang=lang, channel=channel, version=view.version)))


def open_teach(client: WebClient, trigger_id: str, lang: Lang, channel: str | None) -> None:
    client.views_open(trigger_id=trigger_id, view=teach_view(lang, TeamFormMetadata(lang=lang, channel=channel)))


def defaults_text(planbot: SlackFace, actor: Actor, words: str, lang: Lang) -> str:
    """`/content defaults [product=… segment=… language=…]`: set (when given) and show the channel's
    defaults; `/content defaults clear` removes them."""
    service, workspace, channel, user = planbot.service, actor.workspace, actor.channel, actor.user
    current = service.channel_defaults(workspace, channel)
    if words.strip().lower() in ("clear", "reset", "none"):
        current = service.set_channel_defaults(workspace, channel, {}, user, actor)
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
        current = service.set_channel_defaults(workspace, channel, current.model_dump(mode="json") | changes, user,
                                               actor)
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



def roles_text(planbot: SlackFace, actor: Actor, words: str, lang: Lang) -> str:
    """`/content roles` lists the roles given; `/content roles @user editor` gives one (admins);
    `/content roles self-approval on|off` lets approvers approve their own plans, or not."""
    service, parts = planbot.service, words.split()
    if len(parts) == 2 and parts[0].lower() == "self-approval" and parts[1].lower() in ("on", "off"):
        service.allow_self_approval(actor.workspace, parts[1].lower() == "on", actor)
        return t("self_approval_on" if parts[1].lower() == "on" else "self_approval_off", lang)
    if len(parts) == 2 and (user := mentioned_user(parts[0])):
        role = service.set_role(actor.workspace, user, parts[1], actor)
        return t("role_given", lang, user=person(user), role=label(role, lang))
    if parts:
        return t("roles_usage", lang)
    given = service.roles(actor.workspace)
    lines = [f"• {person(user)}: {label(role, lang)}" for user, role in sorted(given.items())]
    return "\n".join([t("roles_heading", lang, role=label(actor.role, lang)), *lines] if lines
                     else [t("roles_heading", lang, role=label(actor.role, lang)), t("roles_none", lang)])
