import pytest

from bot.domain.language import Lang
from bot.language import detect_language, to_simplified, to_traditional


@pytest.mark.parametrize(
    "text, lang",
    [("品牌刚起步，适合做什么内容？", "zh-Hans"), ("市場上還沒有人認識我們的品牌", "zh-Hant"),
     ("Nobody has heard of us.", "en"), ("시장에서 아무도 우리 브랜드를 모릅니다.", "ko"),
     ("How long should a 公众号 article be?", "en"), ("SQL是什么？", "zh-Hans"),
     ("BANT 조건", "ko"), ("123", "en")],
)
def test_detect_language(text, lang):
    assert detect_language(text) is Lang(lang)


def test_scripts_convert_both_ways():
    assert to_traditional("公众号文章") == "公眾號文章"
    assert to_simplified("市場上還沒有人") == "市场上还没有人"
