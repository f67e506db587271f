import pytest
from pydantic import ValidationError

from bot.domain.channels import Channel, ChannelRule, Range
from bot.domain.stages import AwarenessStage, Bant, FunnelStage, StageMapping, qualify
from bot.domain.vocabulary import (
    bant_criteria_count,
    find_mentions,
    parse_awareness_stage,
    parse_channel,
    parse_funnel_stage,
)


def test_default_mapping_pairs_funnel_and_5a_one_to_one():
    mapping = StageMapping()
    assert [mapping.awareness_for(f) for f in FunnelStage] == list(AwarenessStage)
    assert mapping.funnel_for(AwarenessStage.ASK) is FunnelStage.SQL


def test_a_team_may_override_the_mapping_but_must_cover_every_funnel_stage():
    custom = dict(StageMapping().funnel_to_awareness) | {FunnelStage.SQL: AwarenessStage.ACT}
    assert StageMapping(funnel_to_awareness=custom).awareness_for(FunnelStage.SQL) is AwarenessStage.ACT
    with pytest.raises(ValidationError):
        StageMapping(funnel_to_awareness={FunnelStage.MQL: AwarenessStage.APPEAL})


def test_next_stage_follows_the_path_and_ends_at_the_last():
    assert AwarenessStage.AWARE.next is AwarenessStage.APPEAL
    assert AwarenessStage.ACT.next is AwarenessStage.ADVOCATE
    assert AwarenessStage.ADVOCATE.next is None
    assert FunnelStage.MQL.next is FunnelStage.SQL
    assert FunnelStage.RETENTION.next is None


@pytest.mark.parametrize("met, stage", [(0, "raw_lead"), (1, "mql"), (2, "mql"), (3, "sql"), (4, "sql")])
def test_bant_qualification(met, stage):
    assert qualify(met) is FunnelStage(stage)


def test_bant_counts_criteria_and_a_team_may_raise_the_sql_bar():
    assert Bant(budget=True, need=True, timeline=True).criteria_met == 3
    assert qualify(3, sql_threshold=4) is FunnelStage.MQL
    with pytest.raises(ValueError):
        qualify(5)


@pytest.mark.parametrize(
    "text, stage",
    [("Aware", "aware"), ("认知阶段做什么", "aware"), ("인지 단계", "aware"), ("appeal", "appeal"),
     ("吸引阶段", "appeal"), ("호감 단계", "appeal"), ("the Ask stage", "ask"), ("问询", "ask"),
     ("問詢階段", "ask"), ("질문 단계", "ask"), ("act stage", "act"), ("行動階段", "act"),
     ("행동 단계", "act"), ("advocates", "advocate"), ("拥护", "advocate"), ("擁護", "advocate"),
     ("옹호", "advocate")],
)
def test_stage_aliases_in_four_languages(text, stage):
    assert parse_awareness_stage(text) is AwarenessStage(stage)


def test_asking_which_awareness_stage_names_no_stage():
    assert parse_awareness_stage("免费试用属于哪个认知阶段？") is None
    assert parse_awareness_stage("Which awareness stage is this?") is None
    assert parse_awareness_stage("I want to ask a question") is None


@pytest.mark.parametrize(
    "text, channel",
    [("公众号", "wechat_article"), ("公眾號", "wechat_article"), ("official account", "wechat_article"),
     ("WeChat article", "wechat_article"), ("抖音", "short_video"), ("短视频", "short_video"),
     ("短影音", "short_video"), ("Reels", "short_video"), ("TikTok", "short_video"),
     ("숏폼", "short_video"), ("专家授课", "online_course"), ("전문가 강의 영상", "online_course"),
     ("社群媒體貼文", "social_post"), ("用户社群", "community"), ("newsletter", "email"),
     ("short_video", "short_video")],
)
def test_channel_aliases_in_four_languages(text, channel):
    assert parse_channel(text) is Channel(channel)


def test_longest_alias_wins_and_terms_do_not_overlap():
    mentions = find_mentions("市场合格线索和原始线索")
    assert [m.value for m in mentions] == [FunnelStage.MQL, FunnelStage.RAW_LEAD]
    assert parse_funnel_stage("Marketing-qualified lead") is FunnelStage.MQL
    assert parse_funnel_stage("客戶留存") is FunnelStage.RETENTION


@pytest.mark.parametrize(
    "text, count",
    [("满足BANT中三个条件的线索", 3), ("meets only one BANT criterion", 1), ("BANT 조건 두 개", 2),
     ("BANT 네 가지 조건", 4), ("meets 2 of the BANT criteria", 2), ("三个条件", None),
     ("BANT 중 두 가지를 충족하면", 2), ("满足BANT中的两项", 2), ("two of BANT", 2),
     ("What is BANT?", None)],
)
def test_bant_count_in_a_question(text, count):
    assert bant_criteria_count(text) == count


def test_channel_rule_ranges():
    rule = ChannelRule(duration_seconds=Range(min=60, max=90), min_image_share=0.3)
    assert rule.duration_seconds.contains(75)
    assert not rule.duration_seconds.contains(180)
    with pytest.raises(ValidationError):
        ChannelRule(min_image_share=1.5)


def test_a_card_field_is_read_and_set_by_its_dotted_path():
    from bot.domain.plan import ContentPlan

    plan = ContentPlan.model_validate({"content": {"format": {"duration_seconds": 75}}})
    assert plan.value_at("content.format.duration_seconds") == 75
    data = ContentPlan().model_dump(mode="json")
    ContentPlan.set_in(data, "content.format.word_count", 1500)
    ContentPlan.set_in(data, "segment", "plant managers")
    assert ContentPlan.get_in(data, "content.format.word_count") == 1500
    assert ContentPlan.model_validate(data).value_at("segment") == "plant managers"
