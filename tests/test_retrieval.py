"""Hybrid retrieval over the shipped knowledge base in a real Chroma store."""

import pytest

from bot.domain.language import Lang


@pytest.mark.parametrize(
    "query, lang, expected",
    [("How long should a Douyin video be?", Lang.EN, "channel-short-video"),
     ("公众号文章的图片比例", Lang.ZH_HANS, "channel-wechat-article"),
     ("公眾號文章的圖片比例", Lang.ZH_HANT, "channel-wechat-article"),
     ("BANT 조건으로 리드를 평가하는 방법", Lang.KO, "bant"),
     ("optimisation order: content, channel, strategy", Lang.EN, "test-iterate")],
)
def test_the_right_entry_ranks_near_the_top(service, query, lang, expected):
    hits = service.search_knowledge(query, lang, k=3)
    assert expected in [hit.id for hit in hits]


def test_hits_are_in_the_asker_language_and_traditional_chinese_reads_simplified(service):
    assert {h.lang for h in service.search_knowledge("短影音要拍多長", Lang.ZH_HANT)} == {Lang.ZH_HANS}
    assert {h.lang for h in service.search_knowledge("숏폼 영상 길이", Lang.KO)} == {Lang.KO}


def test_an_off_topic_question_finds_nothing(service):
    assert service.search_knowledge("What's the weather in Paris tomorrow?", Lang.EN) == []
