"""Every name planbot prints for a stage, funnel stage, channel or status is accepted back."""

import pytest

from bot.i18n import label, t
from bot.models import AwarenessStage, Channel, FunnelStage, Lang, PlanStatus
from bot.service import PlanBotService

KINDS = {"stage": AwarenessStage, "funnel": FunnelStage, "channel": Channel, "status": PlanStatus}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", list(Lang))
def test_every_printed_label_is_accepted(kind, lang):
    for value in KINDS[kind]:
        assert PlanBotService.parse_value(kind, label(value, lang)) is value


@pytest.mark.parametrize("lang", list(Lang))
def test_short_and_glossed_stage_names_are_accepted(lang):
    for stage in AwarenessStage:
        assert PlanBotService.parse_value("stage", t(f"stage_short.{stage.value}", lang)) is stage
        assert PlanBotService.parse_value("stage", stage.value.capitalize()) is stage


@pytest.mark.parametrize("words, expected", [
    ("stage:吸引", {"stage": AwarenessStage.APPEAL}), ("stage:了解", {"stage": AwarenessStage.AWARE}),
    ("stage:질문", {"stage": AwarenessStage.ASK}), ("stage:SQL", {"funnel_stage": FunnelStage.SQL}),
    ("channel:公众号文章 status:审核中", {"channel": Channel.WECHAT_ARTICLE, "status": PlanStatus.IN_REVIEW}),
    ('channel:"숏폼 영상" status:승인됨', {"channel": Channel.SHORT_VIDEO, "status": PlanStatus.APPROVED}),
])
def test_filters_take_the_names_planbot_prints(words, expected):
    assert PlanBotService.parse_plan_query(words).model_dump(exclude_defaults=True) == expected
