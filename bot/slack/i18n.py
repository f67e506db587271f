"""The words of the Slack face, per knowledge language (Traditional Chinese is converted)."""

from bot.domain.language import Lang
from bot.language import localise

_TEXTS: dict[str, dict[Lang, str]] = {
    "help": {
        Lang.EN: "*planbot* plans content along the customer journey (5A: Aware → Appeal → Ask → Act → Advocate).\n"
        "• `/content ask <question>` — ask about stages, channels, CTAs (or mention me, or DM me)\n"
        "• `/content draft <brief>` — draft a card (`--journey`: one per 5A stage)\n"
        "• `/content plan` — fill in a card · `/content plans [filters]` — review plans\n"
        "  filters: `stage:ask channel:webinar status:draft mine campaign:Q3 tag:x since:2026-01-01` and words\n"
        "• `/content export [filters]` — CSV · `/content coverage` — stage × channel heatmap and gaps\n"
        "• `/content help` — this help\n"
        "Examples: `/content ask which content fits the Ask stage?` · `/content ask 短视频多长最好？`",
        Lang.ZH_HANS: "*planbot* 帮你沿着客户旅程规划内容（5A：了解 → 吸引 → 问询 → 行动 → 拥护）。\n"
        "• `/content ask <问题>` — 询问阶段、渠道、行动号召（也可以 @我 或私信我）\n"
        "• `/content draft <简要说明>` — 起草一张计划卡（加 `--journey`：每个5A阶段一张）\n"
        "• `/content plan` — 填写计划卡 · `/content plans [筛选]` — 查看计划\n"
        "  筛选：`stage:ask channel:公众号 status:draft mine campaign:Q3 tag:x since:2026-01-01` 及关键词\n"
        "• `/content export [筛选]` — 导出CSV · `/content coverage` — 阶段 × 渠道热力图和空白\n"
        "• `/content help` — 显示本帮助\n"
        "例如：`/content ask 问询阶段适合什么内容？` · `/content ask 公众号文章要写多长？`",
        Lang.KO: "*planbot*은 고객 여정(5A: 인지 → 호감 → 질문 → 행동 → 옹호)에 맞춰 콘텐츠를 계획합니다.\n"
        "• `/content ask <질문>` — 단계, 채널, CTA에 대해 묻기 (멘션이나 DM도 됩니다)\n"
        "• `/content draft <요청>` — 계획 카드 초안 (`--journey`: 5A 단계마다 한 장)\n"
        "• `/content plan` — 카드 작성 · `/content plans [필터]` — 계획 검토\n"
        "  필터: `stage:ask channel:webinar status:draft mine campaign:Q3 tag:x since:2026-01-01`와 검색어\n"
        "• `/content export [필터]` — CSV · `/content coverage` — 단계 × 채널 히트맵과 빈틈\n"
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
    "form_title": {Lang.EN: "Content plan", Lang.ZH_HANS: "内容计划", Lang.KO: "콘텐츠 계획"},
    "form_save": {Lang.EN: "Check & save", Lang.ZH_HANS: "检查并保存", Lang.KO: "점검 후 저장"},
    "form_cancel": {Lang.EN: "Cancel", Lang.ZH_HANS: "取消", Lang.KO: "취소"},
    "form_campaign": {Lang.EN: "Campaign", Lang.ZH_HANS: "所属活动", Lang.KO: "캠페인"},
    "form_due": {Lang.EN: "Due date", Lang.ZH_HANS: "截止日期", Lang.KO: "마감일"},
    "form_content.format.image_share": {
        Lang.EN: "Image share (%)", Lang.ZH_HANS: "图片占比（%）", Lang.KO: "이미지 비중(%)",
    },
    "warnings_intro": {
        Lang.EN: "The card is complete, but it does not follow every rule:",
        Lang.ZH_HANS: "卡片已经填完整，但有几条规则没有满足：",
        Lang.KO: "카드는 모두 채워졌지만 지키지 않은 규칙이 있습니다:",
    },
    "warnings_hint": {
        Lang.EN: "Save anyway keeps the plan as it is; Go back returns to the form with everything you typed.",
        Lang.ZH_HANS: "“仍然保存”会按现状保存；“返回修改”会带着你填写的内容回到表单。",
        Lang.KO: "‘그래도 저장’은 지금 상태로 저장하고, ‘돌아가기’는 입력한 내용 그대로 양식으로 돌아갑니다.",
    },
    "save_anyway": {Lang.EN: "Save anyway", Lang.ZH_HANS: "仍然保存", Lang.KO: "그래도 저장"},
    "go_back": {Lang.EN: "Go back", Lang.ZH_HANS: "返回修改", Lang.KO: "돌아가기"},
    "saved": {
        Lang.EN: "{who} saved plan #{id}: {stage} · {channel} · {status}",
        Lang.ZH_HANS: "{who} 保存了计划 #{id}：{stage} · {channel} · {status}",
        Lang.KO: "{who} 님이 계획 #{id}을 저장했습니다: {stage} · {channel} · {status}",
    },
    "edit": {Lang.EN: "Edit", Lang.ZH_HANS: "编辑", Lang.KO: "편집"},
    "save": {Lang.EN: "Save", Lang.ZH_HANS: "保存", Lang.KO: "저장"},
    "another_idea": {Lang.EN: "Another idea", Lang.ZH_HANS: "换个点子", Lang.KO: "다른 아이디어"},
    "open": {Lang.EN: "Open", Lang.ZH_HANS: "打开", Lang.KO: "열기"},
    "status_note": {
        Lang.EN: "{who} moved plan #{id} to *{status}*.",
        Lang.ZH_HANS: "{who} 把计划 #{id} 改为 *{status}*。",
        Lang.KO: "{who} 님이 계획 #{id}을 *{status}* 상태로 바꿨습니다.",
    },
    "to_in_review": {Lang.EN: "Submit for review", Lang.ZH_HANS: "提交审核", Lang.KO: "검토 요청"},
    "to_approved": {Lang.EN: "Approve", Lang.ZH_HANS: "批准", Lang.KO: "승인"},
    "to_published": {Lang.EN: "Mark published", Lang.ZH_HANS: "标记已发布", Lang.KO: "게시 완료"},
    "to_archived": {Lang.EN: "Archive", Lang.ZH_HANS: "归档", Lang.KO: "보관"},
    "to_draft": {Lang.EN: "Back to draft", Lang.ZH_HANS: "退回草稿", Lang.KO: "초안으로"},
    "plans_heading": {
        Lang.EN: "{count} plan(s) match; showing {first}–{last}.",
        Lang.ZH_HANS: "共 {count} 个计划符合条件，显示第 {first}–{last} 个。",
        Lang.KO: "조건에 맞는 계획 {count}개 중 {first}–{last}번째.",
    },
    "no_plans": {
        Lang.EN: "No plans match. Try `/content plans` without filters, or `/content plan` to make one.",
        Lang.ZH_HANS: "没有符合条件的计划。试试不带条件的 `/content plans`，或用 `/content plan` 新建一个。",
        Lang.KO: "조건에 맞는 계획이 없습니다. 조건 없이 `/content plans`를 쓰거나 `/content plan`으로 만들어 보세요.",
    },
    "next_page": {Lang.EN: "Next →", Lang.ZH_HANS: "下一页 →", Lang.KO: "다음 →"},
    "previous_page": {Lang.EN: "← Previous", Lang.ZH_HANS: "← 上一页", Lang.KO: "← 이전"},
    "history": {Lang.EN: "History", Lang.ZH_HANS: "修改记录", Lang.KO: "변경 기록"},
    "exported": {
        Lang.EN: "{count} plan(s) exported as CSV.", Lang.ZH_HANS: "已导出 {count} 个计划（CSV）。",
        Lang.KO: "계획 {count}개를 CSV로 내보냈습니다.",
    },
    "coverage_comment": {
        Lang.EN: "Active plans by 5A stage × channel. Gaps the knowledge base flags:",
        Lang.ZH_HANS: "按5A阶段 × 渠道统计的有效计划。知识库提示的空白：",
        Lang.KO: "5A 단계 × 채널별 활성 계획. 지식 베이스가 짚은 빈틈:",
    },
    "upload_failed": {
        Lang.EN: "I could not upload the file here ({error}). Invite me to this channel (`/invite @planbot`) "
        "or try in a DM with me.",
        Lang.ZH_HANS: "无法在这里上传文件（{error}）。请把我邀请进这个频道（`/invite @planbot`），或在和我的私信中重试。",
        Lang.KO: "여기에 파일을 올릴 수 없습니다({error}). 이 채널에 저를 초대하거나(`/invite @planbot`) DM에서 다시 시도하세요.",
    },
    "home_title": {Lang.EN: "planbot", Lang.ZH_HANS: "planbot", Lang.KO: "planbot"},
    "home_intro": {
        Lang.EN: "Plan each piece of content on the journey card: stage, content, channel, action.",
        Lang.ZH_HANS: "用旅程卡片规划每条内容：阶段、内容、渠道、行动。",
        Lang.KO: "여정 카드로 콘텐츠를 계획하세요: 단계, 콘텐츠, 채널, 행동.",
    },
    "home_ask": {Lang.EN: "Ask a question", Lang.ZH_HANS: "提问", Lang.KO: "질문하기"},
    "home_plan": {Lang.EN: "New plan", Lang.ZH_HANS: "新建计划", Lang.KO: "새 계획"},
    "home_draft": {Lang.EN: "Draft a plan", Lang.ZH_HANS: "起草计划", Lang.KO: "계획 초안"},
    "home_mine": {Lang.EN: "Your plans", Lang.ZH_HANS: "我的计划", Lang.KO: "내 계획"},
    "home_review": {Lang.EN: "Awaiting review", Lang.ZH_HANS: "待审核", Lang.KO: "검토 대기"},
    "home_gaps": {Lang.EN: "Biggest gaps", Lang.ZH_HANS: "最大的空白", Lang.KO: "가장 큰 빈틈"},
    "home_none": {Lang.EN: "Nothing yet.", Lang.ZH_HANS: "暂无。", Lang.KO: "아직 없습니다."},
    "ask_modal_title": {Lang.EN: "Ask planbot", Lang.ZH_HANS: "向 planbot 提问", Lang.KO: "planbot에 질문"},
    "ask_modal_label": {Lang.EN: "Your question", Lang.ZH_HANS: "你的问题", Lang.KO: "질문"},
    "draft_modal_title": {Lang.EN: "Draft a plan", Lang.ZH_HANS: "起草计划", Lang.KO: "계획 초안"},
    "draft_modal_label": {
        Lang.EN: "Brief: product, segment, stage or channel, goal",
        Lang.ZH_HANS: "简要说明：产品、人群、阶段或渠道、目标",
        Lang.KO: "요청: 제품, 세그먼트, 단계나 채널, 목표",
    },
    "send": {Lang.EN: "Send", Lang.ZH_HANS: "发送", Lang.KO: "보내기"},
    "status_changed": {
        Lang.EN: "Plan #{id} is now *{status}*.", Lang.ZH_HANS: "计划 #{id} 现在是 *{status}*。",
        Lang.KO: "계획 #{id}은 이제 *{status}* 상태입니다.",
    },
    "gaps_heading": {
        Lang.EN: "Stage × channel cells with no active plan yet:",
        Lang.ZH_HANS: "还没有任何有效计划的“阶段 × 渠道”组合：",
        Lang.KO: "아직 활성 계획이 없는 단계 × 채널 조합:",
    },
    "something_went_wrong": {
        Lang.EN: "Sorry, something went wrong on my side; please try again in a moment.",
        Lang.ZH_HANS: "抱歉，我这边出了点问题，请稍后再试。",
        Lang.KO: "죄송합니다. 처리 중 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
}


def text(key: str, lang: Lang, **values) -> str:
    return localise(_TEXTS[key][lang.content_lang].format(**values), lang)


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
