"""Recognising stage, funnel and channel names in free text, in four languages.

Aliases are matched longest first and may not overlap, so "市场合格线索" counts as MQL and
not also as a raw "线索". Latin aliases match whole words only. Traditional Chinese forms
are listed beside the Simplified ones because the domain does no script conversion.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage, FunnelStage

# A phrase that names the 5A process itself ("which awareness stage?"), not the Aware stage.
_GENERIC_STAGE_PHRASES = [
    r"(哪个|哪一个|什么|哪個|哪一個|什麼|甚麼)(认知|認知)(阶段|階段)",
    r"(认知|認知)(全)?(流程|过程|過程|旅程)",
    r"(客户|客戶|用户|用戶)(认知|認知)",
    r"\bwhich (5a |awareness )?(stage|phase)\b",
    r"\bawareness (process|path|journey|funnel)\b",
    r"\b5a (stage|path|model|process)s?\b",
    r"어느 인지 단계",
    # "Brand awareness" is a goal a marketer has at any stage, not the Aware stage's name.
    r"\bbrand awareness\b", r"(品牌|产品|產品)的?(认知|認知)(度)?", r"브랜드 ?인지도?",
    r"인지 (과정|프로세스|여정)",
    # "People who are aware of our brand" describes people, not the stage.
    r"\b(?:are|is|be|been|being|become|became|becomes|made|make|stay|remain) aware\b", r"\baware of\b",
    # A handling fee (手续费) is no renewal fee (续费); prospects lost at a step (在比较阶段就流失了)
    # are not churned customers.
    r"手续费|手續費", r"(?:阶段|階段|环节|環節|时候|時候|步|一步)(?:就|都)?流失", r"就流失|都流失",
]

# Channel names that also say where the prospect is: someone on the pricing or comparison page
# is evaluating (Ask), a referral page is for advocates, an onboarding tour for new customers.
# A question's situation keeps them when its channels are taken out (see situation_text).
_SITUATIONAL_NAMES: dict[Channel, list[str]] = {
    Channel.WEBSITE: [
        "pricing page", "price page", "plans page", "comparison page", "定价页", "定價頁", "价格页", "價格頁",
        "对比页", "對比頁", "比较页", "比較頁", "가격 페이지", "요금제 페이지", "비교 페이지", "referral page",
        "referral program page", "referral programme page", "推荐页面", "推薦頁面", "추천 프로그램 페이지",
    ],
    Channel.IN_PRODUCT: ["onboarding tour", "新手引导", "新手引導", "온보딩 투어"],
}
SITUATIONAL_CHANNEL_NAMES = frozenset(name for names in _SITUATIONAL_NAMES.values() for name in names)

STAGE_ALIASES: dict[AwarenessStage, list[str]] = {
    AwarenessStage.AWARE: [
        # Not "awareness" or "认知" alone: "raise awareness among our customers" is a goal at any stage.
        "aware", "awareness stage", "awareness phase", "认知阶段", "認知階段", "了解阶段", "了解階段", "知晓阶段",
        "知曉階段",
        # Not "인지" alone: it is also the ending of "사람인지" (whether a person…).
        "인지 단계", "인지단계", "인식 단계",
    ],
    AwarenessStage.APPEAL: [
        "appeal", "吸引阶段", "吸引階段", "吸引力阶段", "好感阶段", "호감",
    ],
    AwarenessStage.ASK: [
        "ask stage", "ask phase", "问询", "問詢", "询问阶段", "詢問階段", "咨询阶段", "諮詢階段",
        "질문 단계", "문의 단계",
    ],
    AwarenessStage.ACT: [
        "act stage", "act phase", "行动阶段", "行動階段", "购买阶段", "購買階段", "행동 단계",
        "구매 단계",
    ],
    AwarenessStage.ADVOCATE: [
        "advocate", "advocates", "advocacy", "拥护", "擁護", "倡导", "倡導", "拥趸", "擁躉",
        "옹호", "추천 단계",
    ],
}

FUNNEL_ALIASES: dict[FunnelStage, list[str]] = {
    FunnelStage.RAW_LEAD: ["raw lead", "raw leads", "原始线索", "原始線索", "원시 리드"],
    FunnelStage.MQL: [
        "mql", "marketing qualified lead", "marketing-qualified lead", "市场合格线索",
        "市場合格線索", "마케팅 적격 리드", "마케팅 적격",
    ],
    FunnelStage.SQL: [
        "sql", "sales qualified lead", "sales-qualified lead", "销售合格线索", "銷售合格線索",
        "영업 적격 리드", "영업 적격",
    ],
    FunnelStage.REVENUE: [
        "revenue stage", "revenue phase", "合同收入", "签约付款", "簽約付款", "매출 단계",
    ],
    FunnelStage.RETENTION: [
        "retention", "renewal", "renewals", "churn", "客户留存", "客戶留存", "留存阶段", "留存階段",
        "续费", "續費", "续约", "續約", "流失", "고객 유지", "리텐션", "갱신", "이탈", "재계약",
    ],
}

CHANNEL_ALIASES: dict[Channel, list[str]] = {
    Channel.SHORT_VIDEO: [
        "short video", "short videos", "short-form video", "short-form", "promo video", "promo videos", "douyin",
        "tiktok",
        "reels", "reel", "instagram reel", "instagram reels", "ig reel", "ig reels", "youtube shorts", "shorts",
        "短视频", "短視頻", "短影音", "短影片", "短片", "抖音", "视频号", "視頻號", "快手",
        "숏폼", "쇼츠", "릴스", "인스타 릴스", "인스타그램 릴스", "틱톡", "짧은 영상",
    ],
    Channel.WECHAT_ARTICLE: [
        "wechat article", "wechat articles", "official account", "official-account", "wechat",
        "公众号", "公眾號", "微信文章", "服务号", "服務號", "위챗", "공식계정", "공식 계정",
    ],
    Channel.ONLINE_COURSE: [
        "online course", "course", "courses", "lesson", "lessons", "masterclass",
        "课程", "課程", "短课", "短課", "授课", "授課", "网课", "網課", "线上课", "線上課", "系列课", "系列課",
        "录播课", "錄播課", "小课", "小課", "录课", "錄課", "一堂课", "一堂課", "讲课", "講課", "专家讲座",
        "專家講座", "系列讲座", "系列講座", "教学影片", "教學影片", "教学视频", "教學視頻",
        "강의", "강좌", "온라인 코스",
    ],
    Channel.WEBINAR: [
        "webinar", "webinars", "网络研讨会", "網路研討會", "线上研讨会", "線上研討會", "线上讲座", "線上講座",
        "线上说明会", "線上說明會", "웨비나",
    ],
    Channel.BLOG: ["blog", "blogs", "seo", "博客", "部落格", "seo文章", "블로그"],
    Channel.EMAIL: [
        "email", "emails", "e-mail", "newsletter", "newsletters", "edm", "邮件", "郵件", "电子邮件", "电邮", "電郵",
        "電子郵件", "电子报", "電子報", "欢迎信", "歡迎信", "提醒信", "邀请信", "邀請信", "이메일", "뉴스레터",
        # Not "续费提醒" or "renewal reminder": the renewal in them is what names the stage.
        "提醒邮件", "提醒郵件", "reminder email", "안내 메일",
        "메일",
    ],
    Channel.SOCIAL_POST: [
        "social media", "social post", "social posts", "linkedin", "facebook", "instagram", "fb post",
        "社交媒体", "社群媒體", "微博", "小红书", "小紅書", "贴文", "貼文", "粉专", "粉專", "소셜", "sns",
        "인스타그램", "인스타", "페이스북", "링크드인",
    ],
    Channel.LIVE_STREAM: ["live stream", "livestream", "live streaming", "直播", "라이브"],
    Channel.EVENT: [
        "event", "events", "trade show", "conference", "meetup", "user conference", "用户大会", "用戶大會",
        "客户年会", "客戶年會", "客户大会", "客戶大會", "用户聚会", "用戶聚會", "使用者聚會", "客户聚会", "客戶聚會",
        "线下活动", "線下活動", "展会",
        "展會", "峰会", "峰會", "沙龙", "沙龍", "行业展", "行業展", "医疗展", "醫療展", "摆摊", "擺攤", "展位", "攤位",
        "摊位",
        "행사", "컨퍼런스", "박람회", "밋업", "부스",
    ],
    Channel.WEBSITE: [
        "website", "landing page", "landing pages", "官网", "官網", "网站", "網站", "落地页", "落地頁", "웹사이트",
        "홈페이지", "랜딩 페이지", "랜딩페이지", "活动页面", "活動頁面", *_SITUATIONAL_NAMES[Channel.WEBSITE],
    ],
    Channel.SEARCH_ADS: [
        "search ads", "paid search", "feed ads", "sem", "搜索广告", "搜尋廣告", "信息流广告",
        "資訊流廣告", "信息流廣告", "竞价广告", "검색 광고", "피드 광고", "google ads", "关键词广告", "關鍵詞廣告",
        "关键字广告", "關鍵字廣告", "키워드 광고", "百度推广", "百度推廣", "百度竞价", "百度競價", "搜索推广",
        "搜尋推廣", "검색광고", "네이버 광고", "구글 광고", "ppc", "adwords",
    ],
    Channel.COMMUNITY: [
        "community", "user community", "社群", "社区", "社區", "커뮤니티", "用户群", "用戶群", "粉丝群", "粉絲群",
        "微信群", "discord", "slack community", "오픈채팅", "단톡방", "行业群", "行業群", "论坛", "論壇", "ptt",
        "dcard", "reddit",
    ],
    Channel.IN_PRODUCT: [
        "in-app", "in-product", "产品内", "產品內", "应用内", "應用內", "站内信", "产品后台", "產品後台", "인앱",
        "产品里", "產品裡", "引导提示", "引導提示", "product tour", "tooltip", "tooltips",
        "제품 안", "제품 내", "프로덕트 안", "프로덕트 내", "툴팁", "앱 내", "产品导览", "產品導覽",
        *_SITUATIONAL_NAMES[Channel.IN_PRODUCT], "제품 투어",
        "프로덕트 투어", "新手导览", "新手導覽", "app内", "app內", "app里", "app裡",
        "app 内", "app 內", "앱 안",
        "in-app tour", "인앱 가이드",
    ],
    Channel.SALES_CALL: [
        "sales call", "sales calls", "demo call", "phone call", "销售电话", "銷售電話", "电话拜访", "電話拜訪",
        "call deck", "sales deck", "discovery call", "call with a prospect", "call with the prospect",
        "打电话", "打電話", "demo环节", "demo環節",
        "영업 미팅", "영업 전화", "세일즈 콜", "세일즈콜", "데모 콜", "데모콜", "영업 콜", "영업콜",
    ],
}


def _is_latin(alias: str) -> bool:
    return alias.isascii()


def _alias_pattern(alias: str) -> str:
    escaped = re.escape(alias)
    return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if _is_latin(alias) else escaped


# Terms that make a text about the domain even when no stage or channel is named.
DOMAIN_TERMS = [
    "bant", "cta", "ctas", "call to action", "5a", "customer journey", "journey map", "persona", "personas",
    "funnel", "tofu", "mofu", "bofu", "lead to cash", "lead", "leads", "nurture", "nurturing", "content",
    "marketing", "campaign", "channel", "channels", "stage", "stages", "trial", "demo", "onboarding", "churn",
    "purchase action ratio", "advocacy ratio", "par",
    "客户旅程", "客戶旅程", "行动号召", "行動號召", "唤起行动", "喚起行動", "用户画像", "用戶畫像", "漏斗", "线索",
    "線索", "内容", "內容", "渠道", "阶段", "階段", "营销", "行銷", "試用", "试用", "转化", "轉換", "获客",
    "고객 여정", "행동 유도", "페르소나", "퍼널", "리드", "콘텐츠", "채널", "단계", "마케팅", "체험", "온보딩",
]
_DOMAIN_TERMS = re.compile("|".join(_alias_pattern(term) for term in DOMAIN_TERMS))


@dataclass(frozen=True)
class Mention:
    """A vocabulary term found in a text, with where it starts."""

    value: object
    alias: str
    start: int


class TermMatcher:
    """Finds terms in text: longest first, never overlapping, Latin terms as whole words."""

    def __init__(self, terms: dict[object, list[str]], ignore: list[str] | None = None):
        pairs = sorted(
            ((alias.lower(), value) for value, aliases in terms.items() for alias in aliases),
            key=lambda pair: -len(pair[0]),
        )
        self._patterns = [(re.compile(_alias_pattern(alias)), alias, value) for alias, value in pairs]
        self._ignore = re.compile("|".join(ignore)) if ignore else None

    def find(self, text: str) -> list[Mention]:
        lowered = text.lower()
        if self._ignore:
            lowered = self._ignore.sub(lambda m: " " * len(m.group(0)), lowered)
        taken = [False] * len(lowered)
        found: list[Mention] = []
        for pattern, alias, value in self._patterns:
            for match in pattern.finditer(lowered):
                span = range(match.start(), match.end())
                if any(taken[i] for i in span):
                    continue
                for i in span:
                    taken[i] = True
                found.append(Mention(value, alias, match.start()))
        return sorted(found, key=lambda mention: mention.start)


_VOCABULARY = TermMatcher(
    {**STAGE_ALIASES, **FUNNEL_ALIASES, **CHANNEL_ALIASES}, ignore=_GENERIC_STAGE_PHRASES
)


def find_mentions(text: str) -> list[Mention]:
    """Every stage, funnel and channel term in ``text``, in reading order."""
    return list(_mentions_in(text))


@lru_cache(maxsize=256)
def _mentions_in(text: str) -> tuple[Mention, ...]:
    # A question is read for its terms several times over (intent, situation, domain words).
    return tuple(_VOCABULARY.find(text))


def is_about_domain(text: str) -> bool:
    """Whether a text names any stage, channel or other term of the journey domain."""
    return bool(find_mentions(text)) or bool(_DOMAIN_TERMS.search(text.lower()))


def names_concept(text: str) -> bool:
    """Whether a text names a stage, a funnel stage or a journey term (BANT, CTA, persona…);
    channels alone do not count, being everyday words too ("email", "event")."""
    mentions = find_mentions(text)
    return any(isinstance(m.value, (AwarenessStage, FunnelStage)) for m in mentions) or bool(
        _DOMAIN_TERMS.search(text.lower()))


def _first(text: str, kind: type):
    return next((m.value for m in find_mentions(text) if isinstance(m.value, kind)), None)


def parse_awareness_stage(text: str) -> AwarenessStage | None:
    """A 5A stage named by a value ("ask") or any alias, or None."""
    try:
        return AwarenessStage(text.strip().lower())
    except ValueError:
        return _first(text, AwarenessStage)


def parse_funnel_stage(text: str) -> FunnelStage | None:
    try:
        return FunnelStage(text.strip().lower())
    except ValueError:
        return _first(text, FunnelStage)


def parse_channel(text: str) -> Channel | None:
    try:
        return Channel(text.strip().lower())
    except ValueError:
        return _first(text, Channel)


_COUNT_WORDS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "one": 1, "two": 2, "three": 3, "four": 4, "一": 1, "两": 2,
    "兩": 2, "二": 2, "三": 3, "四": 4, "한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3,
    "네": 4, "넷": 4, "all": 4, "all four": 4,
}
_COUNT = "|".join(sorted(map(re.escape, _COUNT_WORDS), key=len, reverse=True))
_BANT_COUNT_PATTERNS = [
    re.compile(rf"bant\s*(?:中|里|裡|중|가운데)?\s*(?:的)?\s*({_COUNT})\s*(?:个|個|项|項|条|條|개|가지)"),
    re.compile(rf"(?<![a-z0-9])({_COUNT})(?![a-z0-9])\s*(?:of\s+)?(?:the\s+)?bant"),
    re.compile(rf"(?<![a-z0-9])({_COUNT})(?![a-z0-9])\s*(?:of (?:the )?(?:four )?)?(?:bant )?"
               r"(?:criteri|condition|box)"),
    re.compile(rf"({_COUNT})\s*(?:个|個|项|項|条|條)?\s*(?:条件|條件|标准|標準)"),
    re.compile(rf"({_COUNT})\s*(?:개|가지)?\s*(?:의\s*)?(?:조건|기준|항목)"),
    re.compile(rf"(?:조건|기준|항목)\s*(?:중\s*)?({_COUNT})\s*(?:개|가지)"),
]


def bant_criteria_count(text: str) -> int | None:
    """How many BANT criteria a question says a lead meets, when it names BANT and a number."""
    lowered = text.lower()
    if "bant" not in lowered:
        return None
    for pattern in _BANT_COUNT_PATTERNS:
        match = pattern.search(lowered)
        if match:
            return _COUNT_WORDS[match.group(1)]
    return None


# "What should it include?", "里面该放啥内容", "뭘 담아야 할까요": how a question about a piece's
# content is asked says nothing about the prospect it is for. Signals are compared without it
# too, so that a signal phrased as such a question does not match every such question.
_QUESTION_FORM = re.compile(
    r"(?:里面|裡面|内容|內容)?(?:该|該|要|应该|應該)?(?:放|写|寫|讲|講|安排|包含|准备|準備)(?:些)?"
    r"(?:哪些|什么|什麼|啥|哪几点|哪幾點)(?:内容|內容|东西|東西)?"
    r"|\bwhat (?:should|do|would) (?:we|i|it|the \w+) (?:include|put|say|cover|write|have)\b(?: in it| on it)?"
    r"|\bwhat (?:goes|to put) (?:in|into|on)\b|\bwhat sections should it have\b"
    r"|(?:뭘|무엇을|어떤 내용을?|무슨 내용을?) ?(?:담아야|넣어야|써야|채우면|넣죠|담죠|보여(?:드려|줘)야|보여 ?드려야)"
    r"|\bwhat (?:should|do) (?:we|i) (?:show|present)\b|(?:该|該|要)(?:展示|演示|秀)(?:什么|什麼|哪些|啥)"
    # …and "what can we do now?", which every situation may end with.
    r"|(?:我们|我們)?(?:现在|現在)?(?:可以|该|該|能|要)做(?:些)?(?:什么|什麼|啥)"
    r"|\bwhat (?:can|should|do) (?:we|i) do(?: now| next| about it)?\b|(?:뭘|무엇을) 해야",
    re.IGNORECASE,
)


def asks_what_to_put(text: str) -> bool:
    """Whether ``text`` asks what to put into a piece of content."""
    return bool(_QUESTION_FORM.search(text))


def without_question_form(text: str) -> str:
    """``text`` without the wording that asks what to put into a piece."""
    return _QUESTION_FORM.sub(" ", text)
