import pytest

from bot.domain.language import Lang
from bot.language import detect_language, to_simplified, to_traditional


@pytest.mark.parametrize(
    "text, lang",
    [("品牌刚起步，适合做什么内容？", "zh-Hans"), ("市場上還沒有人認識我們的品牌", "zh-Hant"),
     ("Nobody has heard of us.", "en"), ("시장에서 아무도 우리 브랜드를 모릅니다.", "ko"),
     # Code in a Chinese question does not make it English; two Chinese channel names do not
     # make an English one Chinese.
     ("python报错 KeyError: 'user_id' 是啥意思，怎么修", "zh-Hans"), ("Should we post on 公众号 or 小红书?", "en"),
     ("How long should a 公众号 article be?", "en"), ("SQL是什么？", "zh-Hans"),
     ("BANT 조건", "ko"), ("123", "en")],
)
def test_detect_language(text, lang):
    assert detect_language(text) is Lang(lang)


def test_scripts_convert_both_ways():
    assert to_traditional("公众号文章") == "公眾號文章"
    assert to_simplified("市場上還沒有人") == "市场上还没有人"
    assert to_simplified("要看哪個指標") == "要看哪个指标"  # an indicator, not a pointer (指针)


@pytest.mark.parametrize("locale, expected", [
    ("zh-TW", "zh-Hant"), ("zh_TW.UTF-8", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("zh_HK", "zh-Hant"),
    ("zh-CN", "zh-Hans"), ("zh_SG.UTF-8", "zh-Hans"), ("ko-KR", "ko"), ("en_GB.UTF-8", "en"),
    ("fr-FR", None), ("C", None), ("POSIX", None), ("", None), (None, None), ("not a locale!", None),
])
def test_locales_are_read_with_babel(locale, expected):
    from bot.i18n import lang_from_locale

    found = lang_from_locale(locale)
    assert (found.value if found else None) == expected


def test_the_terminal_language_is_planbot_lang_then_the_locale():
    from bot.i18n import locale_language

    assert locale_language({"PLANBOT_LANG": "ko", "LANG": "zh_TW.UTF-8"}).value == "ko"
    assert locale_language({"PLANBOT_LANG": "xx", "LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}).value == "zh-Hant"
    assert locale_language({"LANG": "C.UTF-8"}).value == "en"


@pytest.mark.parametrize("simplified, traditional", [
    ("视频号直播", "視頻號直播"), ("体验账号", "體驗帳號"), ("短视频和公众号", "短影片和公眾號"),
    ("软件账户", "軟體帳戶"), ("计划已发布", "計劃已發布"), ("审核中", "審核中"),
])
def test_traditional_chinese_follows_taiwan_usage(simplified, traditional):
    from bot.language import to_traditional

    assert to_traditional(simplified) == traditional


def test_traditional_chinese_is_searched_in_mainland_words():
    assert to_simplified("我們的軟體影片放在部落格") == "我们的软件视频放在博客"
    assert detect_language("我们的软体") is Lang.ZH_HANS
