"""planbot's face in Slack: the service, Slack's own state, and how a reply becomes messages.

The listeners (``bot.slack.listeners``) receive this as ``planbot``; everything they decide is
asked of the service, and everything they post is built from what the service returns.
"""

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import lang_from_locale, t
from bot.models import Actor, Answer, Conversation, CoverageCell, Draft, Lang, Reply, ReplyKind
from bot.service import PlanBotService
from bot.slack.blocks import answer_blocks
from bot.slack.mrkdwn import to_mrkdwn
from bot.slack.plan_blocks import drafted_card, gap_lines
from bot.slack.safe import escape
from bot.slack.state import SlackState

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")

Post = Callable[..., object]


def workspace_of(body: dict) -> str:
    """The Slack workspace (team id) a request comes from, whatever its shape: a slash command or
    an event has ``team_id``, an interaction ``team.id``; "" when it names none."""
    if not isinstance(body, dict):
        return ""
    team = body.get("team")
    user = body.get("user")
    found = body.get("team_id") or (team.get("id") if isinstance(team, dict) else team) \
        or (user.get("team_id") if isinstance(user, dict) else None)
    return found if isinstance(found, str) else ""


def clean_text(raw: str) -> str:
    """The message without mentions of users (``<@U123>``) and surrounding space."""
    return _MENTION.sub(" ", raw or "").strip()


# Workspace admins and private channels change rarely: looked up once every few minutes.
REMEMBER_FOR_SECONDS = 300


class _Remembered:
    """Yes/no answers from the Web API, kept for a few minutes (thread-safe)."""

    def __init__(self):
        self._values: dict[tuple[str, ...], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], look_up: Callable[[], bool]) -> bool:
        now = time.monotonic()
        with self._lock:
            kept = self._values.get(key)
        if kept and now - kept[0] < REMEMBER_FOR_SECONDS:
            return kept[1]
        value = look_up()
        with self._lock:
            self._values[key] = (now, value)
        return value


@dataclass(frozen=True)
class SlackFace:
    service: PlanBotService
    state: SlackState
    remembered: _Remembered = field(default_factory=_Remembered, repr=False, compare=False)

    # -- whom we talk to --

    def user_lang(self, user: str | None, client: WebClient) -> Lang | None:
        """The user's Slack locale as a language (users.info, remembered for a day)."""
        if not user:
            return None
        locale = self.state.locale(user)
        if locale is None:
            try:
                response = client.users_info(user=user, include_locale=True)
                locale = (response.get("user") or {}).get("locale") or ""
            except SlackApiError as error:
                log.warning("users.info failed for a user: %s", error.response.get("error"))
                return None
            self.state.remember_locale(user, locale)
        return lang_from_locale(locale)

    def lang_of(self, user: str | None, client: WebClient) -> Lang:
        return self.user_lang(user, client) or Lang.EN

    def actor(self, client: WebClient, workspace: str, user: str, channel: str | None = "") -> Actor:
        """Who is acting, with their role: Slack's workspace admins and owners are admins; a plan
        made in a private channel is marked so (conversations.info; both remembered a while)."""
        return self.service.actor(workspace, user, channel or "",
                                  workspace_admin=self._is_workspace_admin(workspace, user, client),
                                  channel_private=self._is_private(workspace, channel or "", client))

    def _is_workspace_admin(self, workspace: str, user: str, client: WebClient) -> bool:
        def look_up() -> bool:
            try:
                found = client.users_info(user=user).get("user") or {}
            except SlackApiError as error:
                log.warning("users.info failed for a user: %s", error.response.get("error"))
                return False
            return bool(found.get("is_admin") or found.get("is_owner") or found.get("is_primary_owner"))
        return self.remembered.get(("admin", workspace, user), look_up)

    def _is_private(self, workspace: str, channel: str, client: WebClient) -> bool:
        if not channel or channel.startswith("D"):
            return False

        def look_up() -> bool:
            try:
                found = client.conversations_info(channel=channel).get("channel") or {}
            except SlackApiError as error:
                # Not in the channel, or no scope: treat it as private, the safe side.
                log.info("conversations.info failed: %s", error.response.get("error"))
                return True
            return bool(found.get("is_private") or found.get("is_im") or found.get("is_mpim"))
        return self.remembered.get(("private", workspace, channel), look_up)

    def lang_for(self, message: str, user: str | None, client: WebClient) -> Lang:
        """The language to reply to ``message`` in: its own, else its writer's."""
        return self.service.language_of(message, self.user_lang(user, client))

    # -- replies --

    def reply_to(self, message: str, *, user: str, channel: str, thread_ts: str, client: WebClient, post: Post,
                 workspace: str = "", on_text: Callable[[str], None] | None = None) -> None:
        """Whatever ``message`` asks for (an answer, drafts, the gaps), posted with ``post(text=…, blocks=…)``;
        ``on_text`` sees a model's answer as it streams. A follow-up leans on the thread's last answer;
        the workspace's team profile and the channel's defaults say whom it is about."""
        previous = self.state.last_turn(channel, thread_ts, workspace)
        conversation = Conversation(user_lang=self.user_lang(user, client),
                                    previous=Answer.model_validate(previous) if previous else None,
                                    workspace=workspace, channel=channel, user=user)
        reply = self.service.respond(message, conversation, on_text=on_text)
        self.post_reply(reply, post, user=user, channel=channel, thread_ts=thread_ts, workspace=workspace)

    def post_reply(self, reply: Reply, post: Post, *, user: str, channel: str, thread_ts: str,
                   workspace: str = "") -> None:
        if reply.kind is ReplyKind.ANSWER and reply.answer:
            self.post_answer(reply.answer, post, user=user, channel=channel, thread_ts=thread_ts, workspace=workspace)
        elif reply.kind is ReplyKind.HELP:
            post(text=escape(t("help", reply.lang)))
        elif reply.kind is ReplyKind.DRAFTS:
            for draft in reply.drafts:
                self.post_draft(post, user, draft)
        else:
            post(text=gaps_text(reply.gaps, reply.lang))

    def post_answer(self, answer: Answer, post: Post, *, user: str, channel: str, thread_ts: str,
                    workspace: str = "") -> None:
        """An answer with its buttons, kept as the thread's latest turn (follow-ups lean on it)."""
        turn_id = self.state.add_turn(channel, thread_ts, user, answer.question, answer.text, answer.lang.value,
                                      answer.model_dump(mode="json"), workspace)
        # The notification text is mrkdwn too, so that it shows no Markdown asterisks.
        post(text=to_mrkdwn(answer.body)[:3000], blocks=answer_blocks(answer, turn_id))

    def post_draft(self, post: Post, user: str, draft: Draft) -> None:
        """A drafted card with Save / Edit / Another idea; the draft is kept for those buttons."""
        draft_id = self.state.keep_draft(user, draft.model_dump(mode="json"))
        post(text=escape(draft.plan.content.title), blocks=drafted_card(draft.plan, draft_id))

    def kept_draft(self, draft_id: int, workspace: str) -> Draft | None:
        """A drafted card kept for its buttons, if it was drafted in ``workspace``."""
        kept = self.state.draft(draft_id, workspace)
        return Draft.model_validate(kept) if kept else None

    def answered_turn(self, turn_id: int, workspace: str) -> Answer | None:
        """An answer given in ``workspace``, for the buttons under it."""
        turn = self.state.turn(turn_id, workspace)
        return Answer.model_validate(turn["record"]) if turn else None


def gaps_text(gaps: list[CoverageCell], lang: Lang) -> str:
    return "\n".join([t("gaps_heading", lang), *gap_lines(gaps[:30], lang)])
