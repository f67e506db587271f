"""User errors (a code and parameters) as one line in the reader's language."""

from bot.domain.language import Lang
from bot.errors import UserError
from bot.i18n.catalog import t


def describe_error(error: UserError, lang: Lang) -> str:
    """One line telling the user what is wrong, in ``lang``."""
    return t(f"error.{error.code}", lang, code=error.code, **error.params)
