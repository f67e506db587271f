"""Numbers, ranges and lists in each language's words: "60–90 seconds", "60–90秒", "60~90초"."""

import re

from bot.domain.channels import ChannelRule
from bot.domain.language import Lang
from bot.i18n.catalog import t


def number(value: float) -> str:
    return f"{value:g}"


def duration(seconds: float, lang: Lang) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return t("unit.one_minute", lang, n=number(seconds / 60))
    return t("unit.one_second", lang, n=number(seconds))


def duration_range(low: float, high: float, lang: Lang) -> str:
    if high >= 600:
        return t("unit.minutes", lang, lo=number(low / 60), hi=number(high / 60))
    return t("unit.seconds", lang, lo=number(low), hi=number(high))


def share(value: float, lang: Lang) -> str:
    return t("unit.percent", lang, pct=number(round(value * 100)))


def words(count: float, lang: Lang) -> str:
    return t("unit.words", lang, n=count)


def min_words(count: float, lang: Lang) -> str:
    return t("unit.min_words", lang, n=number(count))


def min_images(count: float, lang: Lang) -> str:
    return t("unit.min_image_count", lang, n=number(count))


def images(count: float, lang: Lang) -> str:
    return t("unit.image_count", lang, n=number(count))


# (at least, at most, between) for each counted thing.
_BOUND_KEYS = {"words": ("unit.min_words", "unit.max_words", "unit.words_range"),
               "image_count": ("unit.min_image_count", "unit.max_image_count", "unit.image_count_range")}


def bounded(unit: str, low: float | None, high: float | None, lang: Lang) -> str:
    """"at most 1000 words", "6–9 images", "at least 1500 words"."""
    at_least, at_most, between = _BOUND_KEYS[unit]
    if low is None:
        return t(at_most, lang, n=number(high))
    if high is None:
        return t(at_least, lang, n=number(low))
    return t(between, lang, lo=number(low), hi=number(high))


def min_image_share(value: float, lang: Lang) -> str:
    return t("unit.min_images", lang, pct=number(value * 100))


def listing(items: list[str], lang: Lang) -> str:
    """Items one after another ("a; b", "a；b")."""
    return t("unit.list_sep", lang).join(items)


def alternatives(items: list[str], lang: Lang) -> str:
    """Items as a choice ("a or b", "a或b")."""
    return t("unit.or", lang).join(items)


def channel_rule(rule: ChannelRule | None, lang: Lang) -> str:
    """A channel rule in a few words: "60–90 seconds", "at least 1500 words; images over 30%"."""
    if rule is None:
        return ""
    parts = []
    span = rule.duration_seconds
    if span and span.min is not None and span.max is not None:
        parts.append(duration_range(span.min, span.max, lang))
    if rule.word_count and (rule.word_count.min is not None or rule.word_count.max is not None):
        parts.append(bounded("words", rule.word_count.min, rule.word_count.max, lang))
    if rule.min_image_share is not None:
        parts.append(min_image_share(rule.min_image_share, lang))
    if rule.image_count and (rule.image_count.min is not None or rule.image_count.max is not None):
        parts.append(bounded("image_count", rule.image_count.min, rule.image_count.max, lang))
    return listing(parts, lang)


# Opening quotes and brackets before the words, closing ones (or a bracketed part) after them.
_AROUND_WORDS = re.compile(r"^(?P<before>[“\"「『《（(]*)(?P<words>.*?[^\s“”\"「」『』《》（()）])"
                           r"(?P<after>\s*[（(][^（()）]*[）)]|[”\"」』》）)]*)$", re.DOTALL)


def bold(text: str) -> str:
    """``text`` in bold that opens and closes wherever it stands. Markdown does not close
    "**行动（Act）**" or "**“标题”**" before a Chinese or Korean letter (a bracket or quote then a
    letter is no closing mark), so quotes and a trailing bracketed part stay outside the bold:
    "**行动**（Act）阶段", "“**标题**”通过"."""
    found = _AROUND_WORDS.match(text)
    return f"{found['before']}**{found['words']}**{found['after']}" if found else f"**{text}**"


def heading(text: str, lang: Lang) -> str:
    """A bold lead-in before what it introduces ("**Rule**: …", "**规则**：…"). The colon stays
    outside the bold: Markdown does not close "**规则：**" before a Chinese character."""
    return f"**{text}**{t('unit.colon', lang)}"
