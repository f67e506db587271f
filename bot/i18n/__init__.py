"""Every word planbot shows a user, from one message catalogue, and the renderers that put
planbot's data into those words: labels, findings, errors, numbers, the card sentence."""

from bot.i18n.cards import card_sentence, format_summary, plan_markdown, plans_markdown
from bot.i18n.catalog import t
from bot.i18n.errors import describe_error
from bot.i18n.findings import finding_fix, finding_message
from bot.i18n.formats import channel_rule
from bot.i18n.history import history_lines
from bot.i18n.labels import field_label, label
from bot.i18n.locales import lang_from_locale, locale_language
from bot.i18n.team import teaching_text

__all__ = [
    "card_sentence",
    "channel_rule",
    "describe_error",
    "field_label",
    "finding_fix",
    "finding_message",
    "format_summary",
    "history_lines",
    "label",
    "lang_from_locale",
    "locale_language",
    "plan_markdown",
    "plans_markdown",
    "t",
    "teaching_text",
]
