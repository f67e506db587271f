"""User errors (a code and parameters) as one line in the reader's language."""

from collections.abc import Callable

from bot.domain.access import PlanAction, Role, TeamAction
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.errors import UserError
from bot.i18n.catalog import t
from bot.i18n.labels import label

# Parameters that name a role or an action, shown in the reader's words.
_NAMED = {"role": Role, "action": lambda value: PlanAction(value) if value in iter(PlanAction) else TeamAction(value)}


def describe_error(error: UserError, lang: Lang, person: Callable[[str], str] = str) -> str:
    """One line telling the user what is wrong, in ``lang``; ``person`` shows a user id (Slack
    makes it a mention)."""
    params = dict(error.params)
    for name, kind in _NAMED.items():
        if isinstance(params.get(name), str) and error.code.startswith("not_"):
            params[name] = label(kind(params[name]), lang)
    if params.get("status") in iter(PlanStatus):  # "in_review" as the reader calls it
        params["status"] = label(PlanStatus(params["status"]), lang)
    if isinstance(params.get("cause"), UserError):  # an error inside another (a file's row, say)
        params["cause"] = describe_error(params["cause"], lang, person)
    if "owner" in params and error.code.startswith("not_"):
        params["owner"] = person(str(params["owner"]))
    return t(f"error.{error.code}", lang, code=error.code, **params)
