"""Bolt listeners, one package per kind (events, commands, actions, views, the assistant), each
with module-level handlers and one ``register(app, planbot)``.

Every listener is split Bolt's lazy way: an acknowledgement that runs at once, before the HTTP
response, and the work, which runs after it on Bolt's thread pool. So Slack hears back within
milliseconds however long an answer takes.
"""

import inspect
import logging
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import t
from bot.models import Lang
from bot.slack.face import SlackFace
from bot.slack.safe import error_text, escape

log = logging.getLogger(__name__)


def ack_at_once(ack: Ack) -> None:
    ack()


def bind(handler: Callable, planbot: SlackFace, after_ack: bool = True) -> Callable:
    """``handler`` with ``planbot`` given, as a listener Bolt can call: Bolt passes arguments by
    the names in a listener's signature, so the bound one shows the handler's other names.

    A UserError from the handler is told to the user, in their language, where the request came
    from (when it carries a response_url). After the acknowledgement, any other failure is logged
    and the user hears that something went wrong instead of nothing.
    """
    signature = inspect.signature(handler)

    def listener(**kwargs):
        try:
            return handler(planbot=planbot, **kwargs)
        except UserError as error:
            refusal = error
            if not _tell(planbot, kwargs, lambda lang: error_text(refusal, lang)):
                raise
        except Exception:
            if not after_ack:
                raise
            log.exception("a Slack listener failed after its acknowledgement")
            _tell(planbot, kwargs, lambda lang: escape(t("something_went_wrong", lang)))

    listener.__signature__ = signature.replace(
        parameters=[parameter for name, parameter in signature.parameters.items() if name != "planbot"])
    listener.__name__ = handler.__name__  # Bolt names lazy listeners after their function
    return listener


def _tell(planbot: SlackFace, kwargs: dict, message: Callable[[Lang], str]) -> bool:
    """Say ``message`` (mrkdwn, already safe) to whoever sent the request, ephemerally; False
    when there is no way to."""
    body, client, respond = kwargs.get("body") or {}, kwargs.get("client"), kwargs.get("respond")
    if respond is None or not isinstance(client, WebClient) or not isinstance(body, dict):
        return False
    user = body.get("user")
    user = (user.get("id") if isinstance(user, dict) else None) or body.get("user_id")
    respond(response_type="ephemeral", replace_original=False,
            text=message(planbot.lang_of(user if isinstance(user, str) else None, client)))
    return True


def lazily(app_listener: Callable, handler: Callable, planbot: SlackFace) -> None:
    """Register ``handler`` to run after an immediate acknowledgement."""
    app_listener(ack=ack_at_once, lazy=[bind(handler, planbot)])


def register(app: App, planbot: SlackFace) -> None:
    from bot.slack.listeners import actions, assistant, commands, events, views

    for kind in (assistant, events, commands, actions, views):
        kind.register(app, planbot)
