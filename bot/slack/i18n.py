"""The words of the Slack face, per knowledge language (Traditional Chinese is converted)."""

from bot.domain.language import Lang
from bot.language import to_traditional

_TEXTS: dict[str, dict[Lang, str]] = {
    "help": {
        Lang.EN: "*planbot* plans content along the customer journey (5A: Aware → Appeal → Ask → Act → Advocate).\n"
        "• `/content ask <question>` — ask about stages, channels, CTAs (or mention me, or DM me)\n"
        "• `/content draft <brief>` — draft a content plan card\n"
        "• `/content help` — this help\n"
        "Examples: `/content ask which content fits the Ask stage?` · `/content ask 短视频多长最好？`",
        Lang.ZH_HANS: "*planbot* 帮你沿着客户旅程规划内容（5A：了解 → 吸引 → 问询 → 行动 → 拥护）。\n"
        "• `/content ask <问题>` — 询问阶段、渠道、行动号召（也可以 @我 或私信我）\n"
        "• `/content draft <简要说明>` — 起草一张内容计划卡\n"
        "• `/content help` — 显示本帮助\n"
        "例如：`/content ask 问询阶段适合什么内容？` · `/content ask 公众号文章要写多长？`",
        Lang.KO: "*planbot*은 고객 여정(5A: 인지 → 호감 → 질문 → 행동 → 옹호)에 맞춰 콘텐츠를 계획합니다.\n"
        "• `/content ask <질문>` — 단계, 채널, CTA에 대해 묻기 (멘션이나 DM도 됩니다)\n"
        "• `/content draft <요청>` — 콘텐츠 계획 카드 초안 만들기\n"
        "• `/content help` — 이 도움말\n"
        "예: `/content ask 질문 단계에 맞는 콘텐츠는?` · `/content ask 숏폼 영상은 몇 초가 좋나요?`",
    },
    "unknown_command": {
        Lang.EN: "I don't know `/content {word}`.",
        Lang.ZH_HANS: "无法识别 `/content {word}`。",
        Lang.KO: "`/content {word}` 명령은 없습니다.",
    },
    "empty_question": {
        Lang.EN: "What would you like to know? For example: `/content ask which content fits the Ask stage?`",
        Lang.ZH_HANS: "想问什么？例如：`/content ask 问询阶段适合什么内容？`",
        Lang.KO: "무엇이 궁금한가요? 예: `/content ask 질문 단계에 맞는 콘텐츠는?`",
    },
    "draft_button": {Lang.EN: "Draft a plan from this", Lang.ZH_HANS: "据此起草计划", Lang.KO: "이 답으로 계획 초안"},
    "helpful": {Lang.EN: "Helpful", Lang.ZH_HANS: "有帮助", Lang.KO: "도움 됨"},
    "not_helpful": {Lang.EN: "Not helpful", Lang.ZH_HANS: "没帮助", Lang.KO: "도움 안 됨"},
    "thanks": {
        Lang.EN: "Thanks for the feedback — it helps us improve the answers.",
        Lang.ZH_HANS: "感谢反馈，我们会据此改进回答。",
        Lang.KO: "피드백 감사합니다. 답변 개선에 반영하겠습니다.",
    },
    "stage": {Lang.EN: "Stage", Lang.ZH_HANS: "阶段", Lang.KO: "단계"},
    "channel": {Lang.EN: "Channel", Lang.ZH_HANS: "渠道", Lang.KO: "채널"},
    "sources": {Lang.EN: "Sources", Lang.ZH_HANS: "来源", Lang.KO: "출처"},
    "thinking": {Lang.EN: "is looking it up…", Lang.ZH_HANS: "正在查找…", Lang.KO: "찾아보는 중…"},
    "greeting": {
        Lang.EN: "Hi! Ask me which content fits a stage, how long a channel's content should be, or ask "
        "me to draft a plan.",
        Lang.ZH_HANS: "你好！可以问我某个阶段适合什么内容、某个渠道的内容该多长，或者让我起草一份计划。",
        Lang.KO: "안녕하세요! 단계별로 맞는 콘텐츠, 채널별 콘텐츠 길이를 묻거나 계획 초안을 요청해 보세요.",
    },
    "prompt_ask_stage": {
        Lang.EN: "Which content fits the Ask stage?", Lang.ZH_HANS: "问询阶段适合什么内容？",
        Lang.KO: "질문 단계에는 어떤 콘텐츠가 맞나요?",
    },
    "prompt_draft": {
        Lang.EN: "Draft a plan for a webinar at the Appeal stage", Lang.ZH_HANS: "为吸引阶段起草一份网络研讨会计划",
        Lang.KO: "호감 단계 웨비나 계획 초안을 만들어 줘",
    },
    "prompt_gaps": {
        Lang.EN: "Show gaps in our plans", Lang.ZH_HANS: "看看我们的计划有哪些空白", Lang.KO: "우리 계획의 빈틈을 보여줘",
    },
    "draft_title": {
        Lang.EN: "Draft plan", Lang.ZH_HANS: "计划草稿", Lang.KO: "계획 초안",
    },
    "something_went_wrong": {
        Lang.EN: "Sorry, something went wrong on my side; please try again in a moment.",
        Lang.ZH_HANS: "抱歉，我这边出了点问题，请稍后再试。",
        Lang.KO: "죄송합니다. 처리 중 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
}


def text(key: str, lang: Lang, **values) -> str:
    words = _TEXTS[key][lang.content_lang].format(**values)
    return to_traditional(words) if lang is Lang.ZH_HANT else words


def slack_locale_language(locale: str | None) -> Lang | None:
    """A Slack user locale ("zh-TW", "ko-KR", "en-US") as a planbot language."""
    if not locale:
        return None
    locale = locale.lower()
    if locale.startswith("zh"):
        return Lang.ZH_HANT if locale in ("zh-tw", "zh-hk", "zh-mo") or "hant" in locale else Lang.ZH_HANS
    if locale.startswith("ko"):
        return Lang.KO
    if locale.startswith("en"):
        return Lang.EN
    return None
