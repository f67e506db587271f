"""What planbot does with a message in Slack, whichever listener received it.

A message is a question (answered from the knowledge base), a drafting request ("draft a
plan for …"), or a request for the coverage gaps; the language is the message's, or the
user's Slack locale when the message does not show one.
"""

import logging
import re
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.labels import label
from bot.domain.language import Lang
from bot.language import detect_language, localise
from bot.planning.answer import Answer
from bot.planning.draft import Brief
from bot.planning.intent import read_intent
from bot.service import PlanBotService
from bot.slack.blocks import answer_blocks
from bot.slack.i18n import slack_locale_language
from bot.slack.plan_blocks import drafted_card
from bot.storage.slack_state import SlackState

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_HAN_OR_HANGUL = re.compile(r"[\u4e00-\u9fff\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_DRAFT_REQUEST = re.compile(r"^\s*(draft|起草|草拟|草擬|写一份|寫一份|초안)", re.IGNORECASE)
_JOURNEY = re.compile(r"--journey\b|\bjourney\b|全旅程|整个旅程|整個旅程|전체 여정", re.IGNORECASE)
_GAPS_REQUEST = re.compile(r"\bgaps?\b|空白|缺口|빈틈|공백", re.IGNORECASE)

Post = Callable[..., object]


def clean_text(raw: str) -> str:
    """The message without mentions of users (``<@U123>``) and surrounding space."""
    return _MENTION.sub(" ", raw or "").strip()


class SlackConversation:
    def __init__(self, service: PlanBotService, state: SlackState):
        self.service = service
        self.state = state

    # -- language --

    def language(self, message: str, user: str | None, client: WebClient) -> Lang:
        """The message's own language when it shows one, else the user's Slack locale."""
        if _HAN_OR_HANGUL.search(message) or len(_LATIN_WORD.findall(message)) >= 3:
            return detect_language(message)
        return self.user_language(user, client) or detect_language(message)

    def user_language(self, user: str | None, client: WebClient) -> Lang | None:
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
        return slack_locale_language(locale)

    # -- replies --

    def reply(self, message: str, *, user: str, channel: str, thread_ts: str, client: WebClient,
              post: Post, on_text: Callable[[str], None] | None = None) -> None:
        """Answer, draft or show gaps for one message, posting with ``post(text=…, blocks=…)``;
        ``on_text`` sees a model's answer as it streams."""
        lang = self.language(message, user, client)
        if _DRAFT_REQUEST.search(message):
            journey = bool(_JOURNEY.search(message))
            brief = self.brief_from_text(_JOURNEY.sub(" ", message), lang)
            plans = self.service.draft_journey(brief) if journey else [self.service.draft(brief)]
            for plan in plans:
                self.post_draft(post, user, plan, brief.model_copy(update={"stage": plan.stage}))
        elif _GAPS_REQUEST.search(message) and not read_intent(message).names_subject:
            post(text=self.gaps_text(lang))
        else:
            answer, blocks = self.answer(message, lang, user=user, channel=channel, thread_ts=thread_ts,
                                         on_text=on_text)
            post(text=answer.body[:3000], blocks=blocks)

    def answer(self, question: str, lang: Lang, *, user: str, channel: str, thread_ts: str,
               on_text: Callable[[str], None] | None = None) -> tuple[Answer, list[dict]]:
        previous_record = self.state.last_turn(channel, thread_ts)
        previous = Answer.model_validate(previous_record) if previous_record else None
        answer = self.service.ask(question, lang, previous=previous, on_text=on_text)
        turn_id = self.state.add_turn(channel, thread_ts, user, question, answer.text, lang.value,
                                      answer.model_dump(mode="json"))
        return answer, answer_blocks(answer, turn_id)

    def brief_from_text(self, message: str, lang: Lang) -> Brief:
        """A brief from free text: the stage, funnel stage and channel it names, the rest as goal."""
        goal = _DRAFT_REQUEST.sub(" ", message).strip()
        intent = read_intent(goal)
        return Brief(stage=intent.stage, funnel_stage=intent.funnel, channel=intent.channel, goal=goal[:500],
                     lang=lang)

    def brief_from_turn(self, turn_id: int) -> Brief | None:
        """A brief from an answered question: its stage and channel, the question as the goal."""
        turn = self.state.turn(turn_id)
        if turn is None:
            return None
        answer = Answer.model_validate(turn["record"])
        return Brief(stage=answer.stage, funnel_stage=None if answer.stage else answer.funnel,
                     channel=answer.channel, goal=answer.question[:500], lang=answer.lang)

    def post_draft(self, post: Post, user: str, plan, brief: Brief) -> None:
        """A drafted card with Save / Edit / Another idea; the draft is kept for those buttons."""
        draft_id = self.state.keep_draft(user, plan.model_dump(mode="json"), brief.model_dump(mode="json"))
        post(text=plan.content.title, blocks=drafted_card(plan, draft_id))

    def gaps_text(self, lang: Lang) -> str:
        report = self.service.coverage()
        lines = [f"• {label(gap.stage, lang)} × {label(gap.channel, lang)}" for gap in report.gaps[:30]]
        heading = {Lang.EN: "Stage × channel cells with no active plan yet:",
                   Lang.ZH_HANS: "还没有任何有效计划的“阶段 × 渠道”组合：",
                   Lang.KO: "아직 활성 계획이 없는 단계 × 채널 조합:"}[lang.content_lang]
        return localise("\n".join([heading, *lines]), lang)
