"""Text from users and models, made safe to post: it cannot mention anyone or link anywhere.

Slack reads ``<…>`` in message text as mentions (``<@U1>``, ``<!channel>``, ``<!subteam^S1>``)
and links (``<https://…|words>``); escaping ``&``, ``<`` and ``>`` turns all of them into plain
text. ``@channel``, ``@here`` and ``@everyone`` written out are broken with a word joiner, in
case a client or a future setting reads them as mentions. Our own catalogue messages are not
passed through here: only what a person or a model wrote, and the values put into messages.
"""

import re

from bot.errors import UserError
from bot.i18n import describe_error
from bot.models import Lang

_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BROADCAST = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def escape(text: str) -> str:
    """``text`` as plain mrkdwn: no mention, no link, formatting characters kept."""
    escaped = re.sub(r"[&<>]", lambda match: _SPECIAL[match.group(0)], text or "")
    return _BROADCAST.sub(lambda match: "@" + WORD_JOINER + match.group(1), escaped)


_MENTIONED = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")


def mentioned_user(word: str) -> str | None:
    """The user id a command word names: a mention as Slack sends it (``<@U0123|ann>``) or a bare id."""
    word = word.strip()
    if match := _MENTIONED.match(word):
        return match[1]
    return word if _USER_ID.match(word) else None


def person(user: str) -> str:
    """A Slack user id as a mention; anything else (a CLI user name, an imported author) as text."""
    return f"<@{user}>" if _USER_ID.match(user or "") else escape(user)


_PERSON_MARK = "\x00"


def error_text(error: UserError, lang: Lang) -> str:
    """A user error as mrkdwn: its words escaped, a person it names (a plan's owner) a mention."""
    marked = describe_error(error, lang, person=lambda user: f"{_PERSON_MARK}{user}{_PERSON_MARK}")
    parts = escape(marked).split(_PERSON_MARK)
    return "".join(person(part) if index % 2 else part for index, part in enumerate(parts))
