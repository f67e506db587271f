"""Block Kit for answers and cards, built with slack_sdk's models (validated as they are built)."""

import json

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.labels import label
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, FindingLevel
from bot.language import localise
from bot.models import Answer
from bot.planning.card import card_sentence, format_summary
from bot.slack.i18n import text
from bot.slack.mrkdwn import MESSAGE_BLOCK_LIMIT, split_text, to_mrkdwn

# Action ids the listeners match on.
DRAFT_FROM_ANSWER = "draft_from_answer"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"

_LEVEL_ICON = {FindingLevel.ERROR: ":x:", FindingLevel.WARNING: ":warning:", FindingLevel.TIP: ":bulb:"}


def _context(line: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=line[:3000])])


def mrkdwn_sections(markdown: str, room: int = MESSAGE_BLOCK_LIMIT) -> list[SectionBlock]:
    """Markdown as mrkdwn sections of at most 3,000 characters, at most ``room`` of them."""
    pieces = split_text(to_mrkdwn(markdown))
    if len(pieces) > room:
        pieces = pieces[: room - 1] + ["…"]
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in pieces]


def answer_blocks(answer: Answer, turn_id: int) -> list[dict]:
    lang = answer.lang
    facts = []
    if answer.stage:
        facts.append(f"*{text('stage', lang)}:* {label(answer.stage, lang)}")
    if answer.channel:
        facts.append(f"*{text('channel', lang)}:* {label(answer.channel, lang)}")
    tail: list[Block] = []
    if facts:
        tail.append(_context(" · ".join(localise(f, lang) for f in facts)))
    if answer.sources:
        sources = ", ".join(f"{source.title} (`{source.id}`)" for source in answer.sources)
        tail.append(_context(f"*{text('sources', lang)}:* {sources}"))
    value = json.dumps({"turn": turn_id})
    tail.append(ActionsBlock(elements=[
        ButtonElement(text=PlainTextObject(text=text("draft_button", lang)), action_id=DRAFT_FROM_ANSWER,
                      value=value, style="primary"),
        ButtonElement(text=PlainTextObject(text=f"👍 {text('helpful', lang)}"), action_id=FEEDBACK_UP, value=value),
        ButtonElement(text=PlainTextObject(text=f"👎 {text('not_helpful', lang)}"), action_id=FEEDBACK_DOWN,
                      value=value),
    ]))
    body = mrkdwn_sections(answer.body, room=MESSAGE_BLOCK_LIMIT - len(tail))
    return [block.to_dict() for block in [*body, *tail]]


def plan_card_blocks(plan: ContentPlan, lang: Lang | None = None, heading: str | None = None) -> list[dict]:
    """The card: its title, the filled template sentence, format and findings."""
    lang = lang or plan.lang
    title = plan.content.title or text("draft_title", lang)
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=(heading or title)[:150]))]
    if heading:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{_escape(title)}*"[:3000])))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=card_sentence(plan, lang, emphasis=_bold)[:3000])))
    details = [label(plan.status, lang)]
    if summary := format_summary(plan, lang):
        details.append(summary)
    blocks.append(_context(localise(" · ".join(details), lang)))
    for finding in plan.findings[:10]:
        blocks.append(_context(f"{_LEVEL_ICON[finding.level]} {finding.message} _{finding.fix}_"))
    return [block.to_dict() for block in blocks]


def _bold(value: str) -> str:
    return f"*{_escape(value)}*"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
