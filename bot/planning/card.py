"""The content plan read back as the template sentence, and as a Markdown document."""

import re
from enum import Enum

from bot.domain.labels import label
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan
from bot.domain.rule_messages import format_duration, format_share, unit
from bot.language import localise

BLANK = "___"

_SENTENCE = {
    Lang.EN: "At sales stage {funnel} (5A stage {stage}), the content {content} reaches {segment} "
    "through {channel}; prospects come to understand that {understanding}, their feeling moves "
    "{feeling}, and they take the action {action}, which moves them on to {next}.",
    Lang.ZH_HANS: "在销售阶段{funnel}（对应5A的{stage}阶段），内容{content}通过{channel}触达{segment}；"
    "潜在客户获得新认识：{understanding}；感受变化：{feeling}；从而采取行动{action}，进入{next}阶段。",
    Lang.KO: "영업 단계 {funnel}(5A {stage} 단계)에서 콘텐츠 {content}가 {channel} 채널로 {segment}에게 "
    "닿습니다. 잠재 고객의 새로운 이해: {understanding}. 감정 변화: {feeling}. 그래서 {action} 행동을 하고 "
    "{next} 단계로 나아갑니다.",
}
_WORDS = {
    "heading": {Lang.EN: "Content plans", Lang.ZH_HANS: "内容计划", Lang.KO: "콘텐츠 계획"},
    "count": {Lang.EN: "{n} plan(s).", Lang.ZH_HANS: "共 {n} 个计划。", Lang.KO: "계획 {n}개."},
    "untitled": {Lang.EN: "(untitled)", Lang.ZH_HANS: "（未命名）", Lang.KO: "(제목 없음)"},
    "status": {Lang.EN: "Status", Lang.ZH_HANS: "状态", Lang.KO: "상태"},
    "format": {Lang.EN: "Format", Lang.ZH_HANS: "形式", Lang.KO: "형식"},
    "owner": {Lang.EN: "Owner", Lang.ZH_HANS: "负责人", Lang.KO: "담당자"},
    "campaign": {Lang.EN: "Campaign", Lang.ZH_HANS: "活动", Lang.KO: "캠페인"},
    "tags": {Lang.EN: "Tags", Lang.ZH_HANS: "标签", Lang.KO: "태그"},
    "due": {Lang.EN: "Due", Lang.ZH_HANS: "截止日期", Lang.KO: "마감일"},
    "author": {Lang.EN: "Author", Lang.ZH_HANS: "作者", Lang.KO: "작성자"},
    "updated": {Lang.EN: "Updated", Lang.ZH_HANS: "更新于", Lang.KO: "수정"},
    "findings": {Lang.EN: "Findings", Lang.ZH_HANS: "检查结果", Lang.KO: "점검 결과"},
    "images": {Lang.EN: "{share} images", Lang.ZH_HANS: "图片{share}", Lang.KO: "이미지 {share}"},
}


def word(key: str, lang: Lang, **values) -> str:
    return _WORDS[key][lang.content_lang].format(**values)


def format_summary(plan: ContentPlan, lang: Lang) -> str:
    """"75 seconds · 40% images" — the format details that are given."""
    form, parts = plan.content.format, []
    if form.duration_seconds is not None:
        parts.append(format_duration(form.duration_seconds, lang))
    if form.word_count is not None:
        parts.append(unit("words", lang, n=form.word_count))
    if form.image_share is not None:
        parts.append(word("images", lang, share=format_share(form.image_share, lang)))
    return " · ".join(parts)


def card_sentence(plan: ContentPlan, lang: Lang | None = None, emphasis=lambda text: f"*{text}*") -> str:
    """The filled template, blanks shown as ___ so a half-filled card shows what is missing."""
    lang = lang or plan.lang

    def show(value) -> str:
        if value is None or value == "":
            return BLANK
        return emphasis(label(value, lang) if isinstance(value, Enum) else value)

    def quoted(text: str) -> str:
        return emphasis(f"“{text}”") if text else BLANK

    sentence = _SENTENCE[lang.content_lang].format(
        funnel=show(plan.funnel_stage), stage=show(plan.stage), content=quoted(plan.content.title),
        segment=show(plan.segment), channel=show(plan.channel), understanding=show(plan.understanding),
        feeling=show(plan.feeling), action=quoted(plan.action), next=show(plan.next_stage),
    )
    return localise(sentence, lang)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", " ")


def plan_markdown(plan: ContentPlan, lang: Lang) -> str:
    title = plan.content.title or word("untitled", lang)
    fields = [
        ("status", label(plan.status, lang)),
        ("format", format_summary(plan, lang)),
        ("owner", plan.owner),
        ("campaign", plan.campaign),
        ("tags", ", ".join(plan.tags)),
        ("due", plan.due.isoformat() if plan.due else ""),
        ("author", plan.author),
        ("updated", plan.updated_at.strftime("%Y-%m-%d %H:%M UTC") if plan.updated_at else ""),
    ]
    sentence = card_sentence(plan, lang, emphasis=lambda text: f"**{_md(text)}**")
    lines = [f"## #{plan.id} · {_md(title)}", "", sentence, ""]
    if plan.content.description:
        lines += [_md(plan.content.description), ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {localise(word(key, lang), lang)} | {_md(value)} |" for key, value in fields if value]
    if plan.findings:
        lines += ["", f"{localise(word('findings', lang), lang)}:", ""]
        for finding in plan.findings:
            fix = f" — {_md(finding.fix)}" if finding.fix else ""
            lines.append(f"- **{finding.level.value}** {_md(finding.message)}{fix} _({finding.rule})_")
    return "\n".join(lines) + "\n"


def plans_markdown(plans: list[ContentPlan], lang: Lang) -> str:
    heading = f"# {word('heading', lang)}\n\n{word('count', lang, n=len(plans))}\n"
    return localise(heading, lang) + "\n" + "\n".join(plan_markdown(plan, lang) for plan in plans)
