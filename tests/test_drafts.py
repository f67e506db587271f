"""Drafts composed from the knowledge base pass the checks, in the requested language."""

import re

import pytest

from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage
from bot.models import Brief

HAN = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _stage_channel_pairs():
    from bot.config import Settings
    from bot.knowledge.entries import EntryKind, load_entries

    stages = [e for e in load_entries(Settings().knowledge_dir) if e.kind is EntryKind.STAGE and e.lang == "en"]
    return [(e.stage, channel) for e in stages for channel in e.channels]


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "ko"])
def test_every_draft_for_every_stage_and_fitting_channel_passes_the_checks(service, lang):
    for stage, channel in _stage_channel_pairs():
        draft = service.draft(Brief(product="AcmeFlow", segment="plant managers", stage=stage, channel=channel,
                                    lang=lang))
        assert draft.findings == [], (stage, channel, draft.findings)
        assert (draft.stage, draft.channel, draft.lang.value) == (stage, channel, lang)


def test_a_draft_reads_as_a_suggestion_in_the_requested_language(service):
    draft = service.draft(Brief(product="排产云", segment="工厂生产经理", stage="ask", lang="zh-Hans"))
    assert "排产云" in draft.content.title + draft.understanding
    for text in (draft.content.title, draft.content.description, draft.understanding, draft.feeling, draft.action):
        assert HAN.search(text) and "{" not in text
    korean = service.draft(Brief(product="AcmeFlow", stage="act", lang="ko"))
    assert HANGUL.search(korean.content.description) and korean.next_stage is AwarenessStage.ADVOCATE


def test_a_funnel_stage_or_a_goal_decides_the_stage(service):
    assert service.draft(Brief(funnel_stage="mql")).stage is AwarenessStage.APPEAL
    goal = service.draft(Brief(goal="Our trial users need a nudge to book a demo and compare plans"))
    assert goal.stage is AwarenessStage.ASK


def test_another_idea_gives_a_different_card(service):
    first = service.draft(Brief(stage="aware", product="AcmeFlow"))
    second = service.draft(Brief(stage="aware", product="AcmeFlow", variant=1))
    assert first.content.title != second.content.title


def test_a_channel_the_stage_has_no_idea_for_still_gets_a_grounded_draft(service):
    draft = service.draft(Brief(stage="aware", channel=Channel.EMAIL, product="AcmeFlow"))
    assert draft.channel is Channel.EMAIL and draft.content.title
    assert [f.field for f in draft.findings] == ["channel"]  # email is not an Aware channel


def test_a_journey_draft_has_one_card_per_stage(service):
    cards = service.draft_journey(Brief(product="AcmeFlow", segment="plant managers", lang="en"))
    assert [card.stage for card in cards] == list(AwarenessStage)
    assert all(card.findings == [] for card in cards)


def test_a_channel_the_stage_has_no_idea_for_gets_content_made_for_that_channel(service):
    from bot.domain.vocabulary import find_mentions

    plan = service.draft(Brief(stage="aware", channel="email", product="AcmeFlow"))
    named = {mention.value for mention in find_mentions(plan.content.title)}
    assert named <= {Channel.EMAIL} and "email" in plan.content.description.lower()
    assert "AcmeFlow" in plan.content.title


@pytest.mark.parametrize("goal, lang, cta", [
    ("get plant managers to book a demo", "en", "Book a demo"),
    ("让厂长预约演示", "zh-Hans", "预约产品演示"),
])
def test_the_goal_decides_the_call_to_action(service, goal, lang, cta):
    assert service.draft(Brief(stage="ask", goal=goal, lang=lang)).action == cta


def test_a_journey_without_a_segment_follows_one_persona(service):
    plans = service.draft_journey(Brief(lang="en"))
    assert len({plan.segment for plan in plans}) == 1
