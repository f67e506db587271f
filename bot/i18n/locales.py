"""Which planbot language a locale names: a Slack user's ("zh-TW"), a terminal's ("ko_KR.UTF-8")."""

from collections.abc import Mapping

from babel import Locale, UnknownLocaleError

from bot.domain.language import Lang

_TRADITIONAL_TERRITORIES = {"TW", "HK", "MO"}


def lang_from_locale(locale: str | None) -> Lang | None:
    """The language of a locale identifier, or None for one planbot does not speak (or "C")."""
    if not locale:
        return None
    identifier = locale.split(".")[0].split("@")[0]
    try:
        parsed = Locale.parse(identifier, sep="-" if "-" in identifier else "_")
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if parsed.language == "zh":
        by_territory = parsed.script is None and parsed.territory in _TRADITIONAL_TERRITORIES
        traditional = parsed.script == "Hant" or by_territory
        return Lang.ZH_HANT if traditional else Lang.ZH_HANS
    return {"ko": Lang.KO, "en": Lang.EN}.get(parsed.language)


def locale_language(environ: Mapping[str, str]) -> Lang:
    """The terminal user's language: PLANBOT_LANG, else the POSIX locale (LC_ALL, LC_MESSAGES, LANG)."""
    explicit = environ.get("PLANBOT_LANG")
    if explicit:
        try:
            return Lang(explicit)
        except ValueError:
            pass
    locale = environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG")
    return lang_from_locale(locale) or Lang.EN
