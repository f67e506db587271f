"""Rule-check findings in the reader's language.

The domain stores a finding as a code and language-neutral parameters. A parameter is a
vocabulary value ("ask", "short_video") or a one-key dict naming what it holds:
``{"field": "content.title"}``, ``{"seconds": 300}``, ``{"seconds": [60, 90]}``, ``{"words": 300}``,
``{"min_words": 1500}``, ``{"words_range": [None, 1000]}``, ``{"images": 12}``, ``{"images_range": [6, 9]}``,
``{"image_share": 0.1}``, ``{"min_image_share": 0.3}``,
``{"any_of": [stages]}``, ``{"all_of": [channels]}``, ``{"by_lang": {"en": …, "zh-Hans": …}}``.
"""

from typing import Any

from bot.domain.language import Lang
from bot.domain.plan import Finding
from bot.i18n import formats
from bot.i18n.catalog import t
from bot.i18n.labels import field_label, label, vocabulary_value
from bot.language import localise


def finding_message(finding: Finding, lang: Lang) -> str:
    return t(f"finding.{finding.code}.message", lang, **_shown(finding.params, lang))


def finding_fix(finding: Finding, lang: Lang) -> str:
    return t(f"finding.{finding.code}.fix", lang, **_shown(finding.params, lang))


def _shown(params: dict[str, Any], lang: Lang) -> dict[str, str]:
    return {name: show_value(value, lang) for name, value in params.items()}


def show_value(value: Any, lang: Lang) -> str:
    if isinstance(value, dict) and len(value) == 1:
        (kind, payload), = value.items()
        shown = _TAGGED.get(kind)
        if shown is not None:
            return shown(payload, lang)
    if isinstance(value, str) and (vocabulary := vocabulary_value(value)) is not None:
        return label(vocabulary, lang)
    return str(value)


def _seconds(payload, lang: Lang) -> str:
    if isinstance(payload, list):
        return formats.duration_range(payload[0], payload[1], lang)
    return formats.duration(payload, lang)


def _by_lang(texts: dict[str, str], lang: Lang) -> str:
    text = texts.get(lang.value) or texts.get(lang.content_lang.value) or texts.get(Lang.EN.value) or ""
    return localise(text, lang) if lang.value not in texts else text


_TAGGED = {
    "field": field_label,
    "seconds": _seconds,
    "words": formats.words,
    "min_words": formats.min_words,
    "words_range": lambda span, lang: formats.bounded("words", *span, lang),
    "images": formats.images,
    "min_images": formats.min_images,
    "images_range": lambda span, lang: formats.bounded("image_count", *span, lang),
    "image_share": formats.share,
    "min_image_share": formats.min_image_share,
    "any_of": lambda values, lang: formats.alternatives([show_value(v, lang) for v in values], lang),
    "all_of": lambda values, lang: formats.listing([show_value(v, lang) for v in values], lang),
    "by_lang": _by_lang,
}
