"""What the plan checks say, per knowledge language (Traditional Chinese is converted later)."""

from bot.domain.language import Lang

FIELD_LABELS: dict[str, dict[Lang, str]] = {
    "funnel_stage": {Lang.EN: "sales stage", Lang.ZH_HANS: "销售阶段", Lang.KO: "영업 단계"},
    "stage": {Lang.EN: "5A stage", Lang.ZH_HANS: "5A认知阶段", Lang.KO: "5A 단계"},
    "content.title": {Lang.EN: "content title", Lang.ZH_HANS: "内容标题", Lang.KO: "콘텐츠 제목"},
    "content.description": {Lang.EN: "content description", Lang.ZH_HANS: "内容说明", Lang.KO: "콘텐츠 설명"},
    "content.format.duration_seconds": {Lang.EN: "duration", Lang.ZH_HANS: "时长", Lang.KO: "길이"},
    "content.format.word_count": {Lang.EN: "word count", Lang.ZH_HANS: "字数", Lang.KO: "글자 수"},
    "content.format.image_share": {Lang.EN: "image share", Lang.ZH_HANS: "图片占比", Lang.KO: "이미지 비중"},
    "channel": {Lang.EN: "channel", Lang.ZH_HANS: "渠道", Lang.KO: "채널"},
    "segment": {Lang.EN: "segment", Lang.ZH_HANS: "目标细分人群", Lang.KO: "타깃 세그먼트"},
    "understanding": {Lang.EN: "new understanding", Lang.ZH_HANS: "新认识", Lang.KO: "새로운 이해"},
    "feeling": {Lang.EN: "feeling change", Lang.ZH_HANS: "感受变化", Lang.KO: "감정 변화"},
    "action": {Lang.EN: "action (CTA)", Lang.ZH_HANS: "行动（CTA）", Lang.KO: "행동(CTA)"},
    "next_stage": {Lang.EN: "next stage", Lang.ZH_HANS: "下一阶段", Lang.KO: "다음 단계"},
}

MESSAGES: dict[str, dict[Lang, tuple[str, str]]] = {
    # (message, fix hint)
    "missing_field": {
        Lang.EN: ("The {field} is empty.", "Fill in the {field}; every blank of the card needs an answer."),
        Lang.ZH_HANS: ("{field}还没有填写。", "请填写{field}：卡片上的每个空都需要答案。"),
        Lang.KO: ("{field} 항목이 비어 있습니다.", "{field} 항목을 채워 주세요. 카드의 모든 칸에 답이 필요합니다."),
    },
    "duration": {
        Lang.EN: ("A {channel} should run {expected}; this one runs {actual}.",
                  "Cut or extend it to {expected}; split longer material into a series."),
        Lang.ZH_HANS: ("{channel}的时长应为{expected}，这条是{actual}。",
                       "把时长调整到{expected}；内容太多就拆成系列。"),
        Lang.KO: ("{channel}의 길이는 {expected}가 적당한데, 이 콘텐츠는 {actual}입니다.",
                  "{expected}로 맞추고, 내용이 많으면 시리즈로 나누세요."),
    },
    "word_count": {
        Lang.EN: ("Long {channel}s convert better than short ones: aim for {expected}; this one has {actual}.",
                  "Expand it into a long, in-depth piece of {expected}."),
        Lang.ZH_HANS: ("{channel}长文的转化好于短文，建议{expected}，这篇只有{actual}。",
                       "把它扩写成{expected}的深度长文。"),
        Lang.KO: ("{channel}는 긴 글이 짧은 글보다 전환이 좋습니다. {expected}를 권장하는데 이 글은 {actual}입니다.",
                  "{expected} 분량의 깊이 있는 긴 글로 확장하세요."),
    },
    "image_share": {
        Lang.EN: ("Images make up {actual} of this {channel}; pieces with {expected} beat plain text.",
                  "Add charts, screenshots or photos; aim for {expected}."),
        Lang.ZH_HANS: ("这篇{channel}的图片占比为{actual}；{expected}的图文效果好于纯文字。",
                       "加入图表、截图或照片，目标是{expected}。"),
        Lang.KO: ("이 {channel}의 이미지 비중은 {actual}입니다. {expected}일 때 텍스트만 있는 글보다 효과가 좋습니다.",
                  "차트, 스크린샷, 사진을 더해 {expected}을 목표로 하세요."),
    },
    "format_missing": {
        Lang.EN: ("The {channel} rule ({expected}) cannot be checked: the {field} is not given.",
                  "Add the {field} so the channel rule can be checked."),
        Lang.ZH_HANS: ("没有填写{field}，无法检查{channel}的规则（{expected}）。", "补充{field}，以便检查渠道规则。"),
        Lang.KO: ("{field} 값이 없어 {channel} 규칙({expected})을 확인할 수 없습니다.",
                  "채널 규칙을 확인할 수 있도록 {field} 값을 입력하세요."),
    },
    "cta_missing": {
        Lang.EN: ("The plan has no call to action (CTA): every piece of content must push a next step.",
                  "Add one clear next step for the {stage} stage, e.g. “{example}”."),
        Lang.ZH_HANS: ("计划缺少行动号召（CTA）：每条内容都必须推动下一步行动。", "加上一个适合{stage}阶段的明确下一步，例如“{example}”。"),
        Lang.KO: ("행동 유도(CTA)가 없습니다. 모든 콘텐츠는 다음 행동을 이끌어야 합니다.",
                  "{stage} 단계에 맞는 분명한 다음 행동을 넣으세요. 예: “{example}”"),
    },
    "cta_other_stage": {
        Lang.EN: ("The CTA reads like one for the {other} stage, but the plan is at the {stage} stage.",
                  "Use a CTA for the {stage} stage, such as “{example}”."),
        Lang.ZH_HANS: ("这个行动号召更像{other}阶段的，而计划处于{stage}阶段。", "换成{stage}阶段的行动号召，例如“{example}”。"),
        Lang.KO: ("이 CTA는 {other} 단계에 어울리는데, 계획은 {stage} 단계입니다.",
                  "“{example}”처럼 {stage} 단계에 맞는 CTA를 쓰세요."),
    },
    "funnel_mismatch": {
        Lang.EN: ("Under the team's mapping the sales stage {funnel} pairs with {expected}, not {stage}.",
                  "Set the 5A stage to {expected}, or change the sales stage."),
        Lang.ZH_HANS: ("按团队的对应关系，销售阶段{funnel}对应{expected}，而不是{stage}。", "把5A阶段改为{expected}，或调整销售阶段。"),
        Lang.KO: ("팀의 대응 관계에서 영업 단계 {funnel}는 {stage}가 아니라 {expected}에 대응합니다.",
                  "5A 단계를 {expected}로 바꾸거나 영업 단계를 조정하세요."),
    },
    "next_stage": {
        Lang.EN: ("After {stage} comes {expected}, not {actual}.", "Set the next stage to {expected}."),
        Lang.ZH_HANS: ("{stage}之后是{expected}，而不是{actual}。", "把下一阶段改为{expected}。"),
        Lang.KO: ("{stage} 다음 단계는 {actual}가 아니라 {expected}입니다.", "다음 단계를 {expected}로 설정하세요."),
    },
    "channel_fit": {
        Lang.EN: ("{channel} is not among the channels the knowledge base suggests for {stage}.",
                  "Consider {expected}, or keep it if your segment really is there."),
        Lang.ZH_HANS: ("知识库建议的{stage}阶段渠道里没有{channel}。", "可以考虑{expected}；如果目标人群确实在这个渠道，也可以保留。"),
        Lang.KO: ("{channel}는 지식 베이스가 {stage} 단계에 권하는 채널이 아닙니다.",
                  "{expected}를 고려하거나, 타깃이 실제로 이 채널에 있다면 유지하세요."),
    },
}

UNITS: dict[str, dict[Lang, str]] = {
    "seconds": {Lang.EN: "{lo}–{hi} seconds", Lang.ZH_HANS: "{lo}–{hi}秒", Lang.KO: "{lo}~{hi}초"},
    "minutes": {Lang.EN: "{lo}–{hi} minutes", Lang.ZH_HANS: "{lo}–{hi}分钟", Lang.KO: "{lo}~{hi}분"},
    "one_second": {Lang.EN: "{n} seconds", Lang.ZH_HANS: "{n}秒", Lang.KO: "{n}초"},
    "one_minute": {Lang.EN: "{n} minutes", Lang.ZH_HANS: "{n}分钟", Lang.KO: "{n}분"},
    "min_words": {Lang.EN: "at least {n} words", Lang.ZH_HANS: "至少{n}字", Lang.KO: "최소 {n}자"},
    "words": {Lang.EN: "{n} words", Lang.ZH_HANS: "{n}字", Lang.KO: "{n}자"},
    "min_images": {Lang.EN: "images over {pct}%", Lang.ZH_HANS: "图片占比超过{pct}%", Lang.KO: "이미지 비중 {pct}% 이상"},
    "percent": {Lang.EN: "{pct}%", Lang.ZH_HANS: "{pct}%", Lang.KO: "{pct}%"},
    "list_sep": {Lang.EN: "; ", Lang.ZH_HANS: "；", Lang.KO: "; "},
    "or": {Lang.EN: " or ", Lang.ZH_HANS: "或", Lang.KO: " 또는 "},
}


def field_label(field: str, lang: Lang) -> str:
    return FIELD_LABELS[field][lang.content_lang]


def message(key: str, lang: Lang, **values) -> tuple[str, str]:
    text, fix = MESSAGES[key][lang.content_lang]
    return text.format(**values), fix.format(**values)


def unit(key: str, lang: Lang, **values) -> str:
    return UNITS[key][lang.content_lang].format(**values)


def _number(value: float) -> str:
    return f"{value:g}"


def format_duration(seconds: float, lang: Lang) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return unit("one_minute", lang, n=_number(seconds / 60))
    return unit("one_second", lang, n=_number(seconds))


def format_duration_range(low: float, high: float, lang: Lang) -> str:
    if high >= 600:
        return unit("minutes", lang, lo=_number(low / 60), hi=_number(high / 60))
    return unit("seconds", lang, lo=_number(low), hi=_number(high))


def format_share(share: float, lang: Lang) -> str:
    return unit("percent", lang, pct=_number(round(share * 100)))


def describe_rule(rule, lang: Lang) -> str:
    """A channel rule in a few words: "60–90 seconds", "at least 1500 words; images over 30%"."""
    if rule is None:
        return ""
    parts = []
    duration = rule.duration_seconds
    if duration and duration.min is not None and duration.max is not None:
        parts.append(format_duration_range(duration.min, duration.max, lang))
    if rule.word_count and rule.word_count.min is not None:
        parts.append(unit("min_words", lang, n=_number(rule.word_count.min)))
    if rule.min_image_share is not None:
        parts.append(unit("min_images", lang, pct=_number(rule.min_image_share * 100)))
    return unit("list_sep", lang).join(parts)
