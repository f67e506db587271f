"""The fixed words of a composed answer, per knowledge language (zh-Hant is converted after)."""

from bot.domain.language import Lang

PHRASES: dict[str, dict[Lang, str]] = {
    "content_types": {Lang.EN: "Content that fits", Lang.ZH_HANS: "适合的内容", Lang.KO: "적합한 콘텐츠"},
    "channels": {Lang.EN: "Channels and their rules", Lang.ZH_HANS: "渠道及其规则", Lang.KO: "채널과 규칙"},
    "ctas": {Lang.EN: "Calls to action (CTA)", Lang.ZH_HANS: "行动号召（CTA）", Lang.KO: "행동 유도(CTA)"},
    "metrics": {Lang.EN: "Metrics to watch", Lang.ZH_HANS: "衡量指标", Lang.KO: "측정 지표"},
    "touchpoints": {Lang.EN: "Touchpoints", Lang.ZH_HANS: "接触点", Lang.KO: "접점"},
    "next_stage": {Lang.EN: "Next stage", Lang.ZH_HANS: "下一阶段", Lang.KO: "다음 단계"},
    "last_stage": {
        Lang.EN: "This is the last stage: keep customers advocating and renewing.",
        Lang.ZH_HANS: "这是最后一个阶段：让客户持续拥护、持续续费。",
        Lang.KO: "마지막 단계입니다. 고객이 계속 추천하고 갱신하도록 지원하세요.",
    },
    "fits_stages": {Lang.EN: "Fits the stages", Lang.ZH_HANS: "适合的阶段", Lang.KO: "적합한 단계"},
    "rule": {Lang.EN: "Rule", Lang.ZH_HANS: "规则", Lang.KO: "규칙"},
    "sources": {Lang.EN: "Sources", Lang.ZH_HANS: "来源", Lang.KO: "출처"},
    "pairing": {
        Lang.EN: "{funnel} pairs with the 5A stage {stage} (the default mapping; a team may change it).",
        Lang.ZH_HANS: "{funnel}默认对应5A的{stage}阶段（团队可以调整这一对应关系）。",
        Lang.KO: "{funnel}는 기본적으로 5A의 {stage} 단계에 대응합니다(팀이 대응 관계를 바꿀 수 있습니다).",
    },
    "stage_is": {
        Lang.EN: "Stage: **{stage}** (sales funnel: {funnel})",
        Lang.ZH_HANS: "阶段：**{stage}**（销售流程：{funnel}）",
        Lang.KO: "단계: **{stage}** (영업 퍼널: {funnel})",
    },
    "bant_verdict": {
        Lang.EN: "A lead that meets {count} of the 4 BANT criteria is a **{funnel}**.",
        Lang.ZH_HANS: "满足BANT四项条件中{count}项的线索属于**{funnel}**。",
        Lang.KO: "BANT 4개 조건 중 {count}개를 충족한 리드는 **{funnel}**입니다.",
    },
    "not_found": {
        Lang.EN: "I found nothing in the knowledge base that answers this. Try naming a 5A stage "
        "(Aware, Appeal, Ask, Act, Advocate), a funnel stage or a channel.",
        Lang.ZH_HANS: "知识库里没有找到能回答这个问题的内容。可以试着写明5A阶段（了解、吸引、问询、行动、拥护）、"
        "销售阶段或渠道。",
        Lang.KO: "지식 베이스에서 답을 찾지 못했습니다. 5A 단계(인지, 호감, 질문, 행동, 옹호), 영업 단계 또는 "
        "채널을 함께 적어 주세요.",
    },
}


def phrase(key: str, lang: Lang, **values) -> str:
    return PHRASES[key][lang.content_lang].format(**values)
