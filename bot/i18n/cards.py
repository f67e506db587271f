"""The content plan read back as the template sentence, and as a Markdown document."""

import re
from collections.abc import Callable
from enum import Enum

from bot.domain.language import Lang
from bot.domain.plan import ContentPlan
from bot.i18n import formats
from bot.i18n.catalog import t
from bot.i18n.findings import finding_fix, finding_message
from bot.i18n.labels import label

BLANK = "___"


def format_summary(plan: ContentPlan, lang: Lang) -> str:
    """"75 seconds · 40% images" — the format details that are given."""
    form, parts = plan.content.format, []
    if form.duration_seconds is not None:
        parts.append(formats.duration(form.duration_seconds, lang))
    if form.word_count is not None:
        parts.append(formats.words(form.word_count, lang))
    if form.image_share is not None:
        parts.append(t("card.images", lang, share=formats.share(form.image_share, lang)))
    if form.image_count is not None:
        parts.append(formats.images(form.image_count, lang))
    return " · ".join(parts)


def card_sentence(plan: ContentPlan, lang: Lang | None = None,
                  emphasis: Callable[[str], str] = lambda text: f"*{text}*") -> str:
    """The filled template, blanks shown as ___ so a half-filled card shows what is missing."""
    lang = lang or plan.lang

    def show(value) -> str:
        if value is None or value == "":
            return BLANK
        return emphasis(label(value, lang) if isinstance(value, Enum) else value)

    def quoted(text: str) -> str:
        return emphasis(f"“{text}”") if text else BLANK

    return t("card.sentence", lang,
             funnel=show(plan.funnel_stage), stage=show(plan.stage), content=quoted(plan.content.title),
             segment=show(plan.segment), channel=show(plan.channel), understanding=show(plan.understanding),
             feeling=show(plan.feeling), action=quoted(plan.action), next=show(plan.next_stage))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", " ")


def plan_markdown(plan: ContentPlan, lang: Lang) -> str:
    title = plan.content.title or t("card.untitled", lang)
    fields = [
        ("card.status", label(plan.status, lang)),
        ("card.format", format_summary(plan, lang)),
        ("card.owner", plan.owner),
        ("card.campaign", plan.campaign),
        ("card.tags", ", ".join(plan.tags)),
        ("card.due", plan.due.isoformat() if plan.due else ""),
        ("card.author", plan.author),
        ("card.updated", plan.updated_at.strftime("%Y-%m-%d %H:%M UTC") if plan.updated_at else ""),
    ]
    sentence = card_sentence(plan, lang, emphasis=lambda text: formats.bold(_md(text)))
    lines = [f"## #{plan.id} · {_md(title)}", "", sentence, ""]
    if plan.content.description:
        lines += [_md(plan.content.description), ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {t(key, lang)} | {_md(value)} |" for key, value in fields if value]
    if plan.findings:
        lines += ["", f"{t('card.findings', lang)}:", ""]
        for finding in plan.findings:
            fix = finding_fix(finding, lang)
            fix = f" — {_md(fix)}" if fix else ""
            lines.append(f"- **{finding.level.value}** {_md(finding_message(finding, lang))}{fix} _({finding.rule})_")
    return "\n".join(lines) + "\n"


def plans_markdown(plans: list[ContentPlan], lang: Lang) -> str:
    heading = f"# {t('card.heading', lang)}\n\n{t('card.count', lang, n=len(plans))}\n"
    return heading + "\n" + "\n".join(plan_markdown(plan, lang) for plan in plans)
