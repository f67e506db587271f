"""How stages, funnel stages and channels are called in each language the knowledge is written in.

Traditional Chinese is produced from the Simplified labels by the caller.
"""

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.domain.stages import AwarenessStage, FunnelStage

_LABELS: dict[str, dict[Lang, str]] = {
    AwarenessStage.AWARE: {Lang.EN: "Aware", Lang.ZH_HANS: "了解（Aware）", Lang.KO: "인지(Aware)"},
    AwarenessStage.APPEAL: {Lang.EN: "Appeal", Lang.ZH_HANS: "吸引（Appeal）", Lang.KO: "호감(Appeal)"},
    AwarenessStage.ASK: {Lang.EN: "Ask", Lang.ZH_HANS: "问询（Ask）", Lang.KO: "질문(Ask)"},
    AwarenessStage.ACT: {Lang.EN: "Act", Lang.ZH_HANS: "行动（Act）", Lang.KO: "행동(Act)"},
    AwarenessStage.ADVOCATE: {
        Lang.EN: "Advocate", Lang.ZH_HANS: "拥护（Advocate）", Lang.KO: "옹호(Advocate)"
    },
    FunnelStage.RAW_LEAD: {Lang.EN: "raw lead", Lang.ZH_HANS: "原始线索", Lang.KO: "원시 리드"},
    FunnelStage.MQL: {
        Lang.EN: "MQL (marketing-qualified lead)",
        Lang.ZH_HANS: "市场合格线索（MQL）",
        Lang.KO: "마케팅 적격 리드(MQL)",
    },
    FunnelStage.SQL: {
        Lang.EN: "SQL (sales-qualified lead)",
        Lang.ZH_HANS: "销售合格线索（SQL）",
        Lang.KO: "영업 적격 리드(SQL)",
    },
    FunnelStage.REVENUE: {Lang.EN: "revenue", Lang.ZH_HANS: "合同收入", Lang.KO: "매출(계약·결제)"},
    FunnelStage.RETENTION: {Lang.EN: "retention", Lang.ZH_HANS: "客户留存", Lang.KO: "고객 유지"},
    Channel.SHORT_VIDEO: {Lang.EN: "short video", Lang.ZH_HANS: "短视频", Lang.KO: "숏폼 영상"},
    Channel.WECHAT_ARTICLE: {
        Lang.EN: "WeChat official-account article", Lang.ZH_HANS: "公众号文章",
        Lang.KO: "위챗 공식계정 아티클",
    },
    Channel.ONLINE_COURSE: {
        Lang.EN: "online course / expert lesson", Lang.ZH_HANS: "线上课程、专家短课",
        Lang.KO: "온라인 강의",
    },
    Channel.WEBINAR: {Lang.EN: "webinar", Lang.ZH_HANS: "网络研讨会", Lang.KO: "웨비나"},
    Channel.BLOG: {Lang.EN: "blog & SEO article", Lang.ZH_HANS: "博客、SEO文章", Lang.KO: "블로그·SEO 글"},
    Channel.EMAIL: {Lang.EN: "email", Lang.ZH_HANS: "邮件", Lang.KO: "이메일"},
    Channel.SOCIAL_POST: {Lang.EN: "social post", Lang.ZH_HANS: "社交媒体帖子", Lang.KO: "소셜 게시물"},
    Channel.LIVE_STREAM: {Lang.EN: "live stream", Lang.ZH_HANS: "直播", Lang.KO: "라이브 방송"},
    Channel.EVENT: {Lang.EN: "event", Lang.ZH_HANS: "线下活动、展会", Lang.KO: "오프라인 행사"},
    Channel.WEBSITE: {
        Lang.EN: "website & landing pages", Lang.ZH_HANS: "官网、落地页", Lang.KO: "웹사이트·랜딩 페이지"
    },
    Channel.SEARCH_ADS: {
        Lang.EN: "search & feed ads", Lang.ZH_HANS: "搜索广告、信息流广告", Lang.KO: "검색·피드 광고"
    },
    Channel.COMMUNITY: {Lang.EN: "community", Lang.ZH_HANS: "社群", Lang.KO: "커뮤니티"},
    Channel.IN_PRODUCT: {Lang.EN: "in-product messages", Lang.ZH_HANS: "产品内引导", Lang.KO: "인앱 메시지"},
    Channel.SALES_CALL: {
        Lang.EN: "sales call & demo", Lang.ZH_HANS: "销售沟通、产品演示", Lang.KO: "영업 미팅·데모"
    },
    PlanStatus.DRAFT: {Lang.EN: "draft", Lang.ZH_HANS: "草稿", Lang.KO: "초안"},
    PlanStatus.IN_REVIEW: {Lang.EN: "in review", Lang.ZH_HANS: "审核中", Lang.KO: "검토 중"},
    PlanStatus.APPROVED: {Lang.EN: "approved", Lang.ZH_HANS: "已批准", Lang.KO: "승인됨"},
    PlanStatus.PUBLISHED: {Lang.EN: "published", Lang.ZH_HANS: "已发布", Lang.KO: "게시됨"},
    PlanStatus.ARCHIVED: {Lang.EN: "archived", Lang.ZH_HANS: "已归档", Lang.KO: "보관됨"},
}


def label(value: AwarenessStage | FunnelStage | Channel | PlanStatus, lang: Lang) -> str:
    """The name of a vocabulary value in ``lang`` (Traditional Chinese gets the Simplified one)."""
    return _LABELS[value][lang.content_lang]
