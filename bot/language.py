"""Detecting the asker's language and converting between Chinese scripts (OpenCC)."""

import re
from functools import cache

import opencc

from bot.domain.language import Lang

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_HAN_OR_HANGUL = re.compile(r"[\u4e00-\u9fff\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


# Where OpenCC's mainland phrasing is wrong for us: a Taiwanese 指標 (an indicator, a KPI) is
# 指标, not the 指针 (a pointer) of computing.
_MAINLAND_FIXES = {"指標": "指标"}
_MAINLAND_FIX = re.compile("|".join(_MAINLAND_FIXES))


def to_simplified(text: str) -> str:
    """Traditional to Simplified Chinese with mainland phrasing: a Taiwanese 軟體, 影片, 部落格
    or 資料庫 becomes the 软件, 视频, 博客 or 数据库 that the knowledge base is written with."""
    return _converter("tw2sp").convert(_MAINLAND_FIX.sub(lambda match: _MAINLAND_FIXES[match.group(0)], text))


# Where OpenCC's Taiwan phrasing is wrong for us: a product name translated as a phrase
# (WeChat's 视频号 is 視頻號 in Taiwan too), the account word Taiwan writes with 帳, and the
# software words it picks for content: content is 發布 (published), not 釋出 (a release), and
# a plan waits for 審核 (review), not 稽核 (an audit).
_TAIWAN_FIXES = {"影片號": "視頻號", "賬號": "帳號", "賬戶": "帳戶", "釋出": "發布", "稽核": "審核"}
_TAIWAN_FIX = re.compile("|".join(_TAIWAN_FIXES))


def to_traditional(text: str) -> str:
    """Simplified to Traditional Chinese with Taiwan phrasing (公眾號, 短影片, 軟體, 帳號)."""
    return _TAIWAN_FIX.sub(lambda match: _TAIWAN_FIXES[match.group(0)], _converter("s2twp").convert(text))


def localise(text: str, lang: Lang) -> str:
    """Text written in a knowledge language, as the asker reads it: Traditional Chinese is
    converted from the Simplified; every other language is returned as it is."""
    return to_traditional(text) if lang is Lang.ZH_HANT else text


def detect_language(text: str, default: Lang = Lang.EN) -> Lang:
    """The language a message is written in: Korean, Chinese (which script), or English.

    Korean wins when Hangul is present; Chinese when Han characters outnumber Latin letters
    (an English sentence with one 公众号 in it stays English), or are twice the Latin words (a
    Chinese question about an error message: "python报错 KeyError 是啥意思"). Han text that has
    any Traditional-only character is zh-Hant.
    """
    if _HANGUL.search(text):
        return Lang.KO
    han = len(_HAN.findall(text))
    if han and (han * 2 >= len(_LATIN.findall(text)) or han >= 2 * len(_LATIN_WORD.findall(text))):
        # Characters, not phrasing, tell the scripts apart: a Simplified 软体 is still Simplified.
        return Lang.ZH_HANT if _converter("t2s").convert(text) != text else Lang.ZH_HANS
    if _LATIN.search(text):
        return Lang.EN
    return default


def readable(text: str) -> str:
    """``text`` as valid Unicode: a terminal that split a character leaves lone surrogates
    (Python's surrogateescape), which are turned back into bytes and decoded, or replaced."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no byte stands for
        return text.encode("utf-8", "replace").decode("utf-8")


def message_language(text: str, reader: Lang | None) -> Lang:
    """The language to answer ``text`` in: its own when it shows one (any Chinese or Korean, or
    three English words), else the one its reader is known to read."""
    if _HAN_OR_HANGUL.search(text) or len(_LATIN_WORD.findall(text)) >= 3:
        return detect_language(text)
    return reader or detect_language(text)


_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？、\n()（）「」“”\"—]+|\s+-\s+|\s+(?=but\b)")


def clauses(text: str) -> list[str]:
    """``text`` cut at its punctuation (and before "but"), as written, blank pieces dropped."""
    return [piece.strip() for piece in _CLAUSE_END.split(text) if piece.strip()]
