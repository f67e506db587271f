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

from bot.i18n import card_sentence, finding_fix, finding_message, format_summary, label, t
from bot.models import Answer, ContentPlan, FindingLevel, Lang
from bot.slack.mrkdwn import MESSAGE_BLOCK_LIMIT, split_text, to_mrkdwn
from bot.slack.safe import escape

# Action ids the listeners match on.
DRAFT_FROM_ANSWER = "draft_from_answer"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
MORE_FROM_ANSWER = "more_from_answer"
ANSWER_AT_STAGE = "answer_at_stage"
SETUP_FROM_ANSWER = "setup_from_answer"

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
        facts.append(f"*{t('stage', lang)}:* {label(answer.stage, lang)}")
    if answer.channel:
        facts.append(f"*{t('channel', lang)}:* {label(answer.channel, lang)}")
    tail: list[Block] = []
    if facts:
        tail.append(_context(" · ".join(facts)))
    if answer.sources:
        sources = ", ".join(f"{escape(source.title)} (`{source.id}`)" for source in answer.sources)
        tail.append(_context(f"*{t('sources', lang)}:* {sources}"))
    value = json.dumps({"turn": turn_id})
    if answer.stage and answer.alternatives:
        # Unsure between two stages: the asker picks, and the thread goes on at that stage.
        stages = [answer.stage, *(alternative.stage for alternative in answer.alternatives)]
        tail.append(ActionsBlock(elements=[
            ButtonElement(text=PlainTextObject(text=t("its_stage", lang, stage=label(stage, lang))[:75]),
                          action_id=f"{ANSWER_AT_STAGE}_{position}",
                          value=json.dumps({"turn": turn_id, "stage": stage.value}))
            for position, stage in enumerate(stages)
        ]))
    buttons = [ButtonElement(text=PlainTextObject(text=t("draft_button", lang)), action_id=DRAFT_FROM_ANSWER,
                             value=value, style="primary")]
    if answer.detail:
        buttons.append(ButtonElement(text=PlainTextObject(text=t("more_button", lang)), action_id=MORE_FROM_ANSWER,
                                     value=value))
    if answer.offer_team_setup:
        tail.append(SectionBlock(text=MarkdownTextObject(text=t("team_setup_offer", lang)),
                                 accessory=ButtonElement(text=PlainTextObject(text=t("team_setup_button", lang)),
                                                         action_id=SETUP_FROM_ANSWER, value="setup")))
    tail.append(ActionsBlock(elements=[
        *buttons,
        ButtonElement(text=PlainTextObject(text=f"👍 {t('helpful', lang)}"), action_id=FEEDBACK_UP, value=value),
        ButtonElement(text=PlainTextObject(text=f"👎 {t('not_helpful', lang)}"), action_id=FEEDBACK_DOWN,
                      value=value),
    ]))
    body = mrkdwn_sections(answer.body, room=MESSAGE_BLOCK_LIMIT - len(tail))
    return [block.to_dict() for block in [*body, *tail]]


def plan_card_blocks(plan: ContentPlan, lang: Lang | None = None, heading: str | None = None) -> list[dict]:
    """The card: its title, the filled template sentence, format and findings."""
    lang = lang or plan.lang
    title = plan.content.title or t("draft_title", lang)
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=(heading or title)[:150]))]
    if heading:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{escape(title)}*"[:3000])))
    blocks.append(SectionBlock(text=MarkdownTextObject(text=card_sentence(plan, lang, emphasis=_bold)[:3000])))
    details = [label(plan.status, lang)]
    if summary := format_summary(plan, lang):
        details.append(summary)
    blocks.append(_context(" · ".join(details)))
    for finding in plan.findings[:10]:
        blocks.append(_context(f"{_LEVEL_ICON[finding.level]} {escape(finding_message(finding, lang))} "
                               f"_{escape(finding_fix(finding, lang))}_"))
    return [block.to_dict() for block in blocks]


def _bold(value: str) -> str:
    return f"*{escape(value)}*"
