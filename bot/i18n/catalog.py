"""The message catalogue: gettext .po files read with Babel, one lookup for every word planbot
shows a user.

Catalogues are written for en, zh_Hans and ko (``locales/<locale>/LC_MESSAGES/planbot.po``);
Traditional Chinese is made from the Simplified one when it is loaded (OpenCC, Taiwan phrasing).
A message missing in one language falls back to English; an unknown key is shown as itself.
Both are logged once: ``tests/test_catalogue.py`` keeps them from shipping.
"""

import logging
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from bot.domain.language import Lang
from bot.i18n.korean import attach_particles
from bot.language import to_traditional

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "planbot"
# The folder of each language a catalogue is written in.
WRITTEN_IN = {Lang.EN: "en", Lang.ZH_HANS: "zh_Hans", Lang.KO: "ko"}

log = logging.getLogger(__name__)
_reported: set[tuple[str, str]] = set()


def catalogue_path(lang: Lang) -> Path:
    return LOCALES_DIR / WRITTEN_IN[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def messages(lang: Lang) -> dict[str, str]:
    """Every message of ``lang``, by key (empty translations left out)."""
    if lang is Lang.ZH_HANT:
        return {key: to_traditional(text) for key, text in messages(Lang.ZH_HANS).items()}
    with catalogue_path(lang).open("rb") as file:
        catalogue = read_po(file, domain=DOMAIN)
    return {message.id: message.string for message in catalogue if message.id and message.string is not None}


def t(key: str, lang: Lang, **params) -> str:
    """The message ``key`` in ``lang``, its ``{placeholders}`` filled from ``params``."""
    template = messages(lang).get(key)
    if template is None:
        _report_once(key, lang)
        template = messages(Lang.EN).get(key, key)
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("message %r in %s lacks a parameter; shown unfilled", key, lang.value)
        text = template
    return attach_particles(text) if lang is Lang.KO else text


def _report_once(key: str, lang: Lang) -> None:
    if (key, lang.value) not in _reported:
        _reported.add((key, lang.value))
        log.warning("no message %r in %s; showing the English one", key, lang.value)
