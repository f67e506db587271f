"""Slack formatting: mrkdwn, Slack's size limits, and blocks that slack_sdk accepts."""

from slack_sdk.models.blocks import Block

from bot.domain.language import Lang
from bot.i18n import lang_from_locale
from bot.models import Answer
from bot.slack.blocks import answer_blocks, mrkdwn_sections, plan_card_blocks
from bot.slack.mrkdwn import SECTION_LIMIT, split_text, to_mrkdwn


def test_markdown_becomes_mrkdwn():
    assert to_mrkdwn("**Stage:** Ask\n- trial\n[site](https://x.io)") == "*Stage:* Ask\n• trial\n<https://x.io|site>"


def test_long_text_is_split_at_breaks_within_the_section_limit():
    text = "\n\n".join(f"Paragraph {i}: " + "word " * 150 for i in range(20))
    pieces = split_text(text)
    assert all(len(piece) <= SECTION_LIMIT for piece in pieces) and len(pieces) > 1
    assert " ".join(pieces).split() == text.split()
    assert all(len(p) <= SECTION_LIMIT for p in split_text("字" * 10000))


def test_a_huge_answer_stays_within_fifty_blocks_and_validates():
    answer = Answer(question="q", body="\n\n".join("长" * 2900 for _ in range(80)), lang=Lang.ZH_HANS)
    blocks = answer_blocks(answer, turn_id=1)
    assert len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
    assert len(mrkdwn_sections("x " * 100000, room=3)) == 3


def test_a_half_filled_card_renders_with_its_blanks():
    from bot.domain.plan import ContentPlan

    blocks = plan_card_blocks(ContentPlan(content={"title": "<Launch> & more"}), Lang.EN)
    for block in blocks:
        Block.parse(block).validate_json()
    assert "___" in blocks[1]["text"]["text"] and "&lt;Launch&gt; &amp; more" in blocks[1]["text"]["text"]


def test_slack_locales_map_to_languages():
    assert lang_from_locale("zh-TW") is Lang.ZH_HANT
    assert lang_from_locale("zh-CN") is Lang.ZH_HANS
    assert lang_from_locale("ko-KR") is Lang.KO
    assert lang_from_locale("en-GB") is Lang.EN
    assert lang_from_locale("fr-FR") is None and lang_from_locale(None) is None
