"""Log lines: readable by default, JSON lines with PLANBOT_LOG_FORMAT=json (one object per line,
for a log collector), each carrying the id of the request or piece of work it is about."""

import contextvars
import logging
import re

# The request (HTTP) or piece of work (its key, e.g. "event:Ev0123:on_mention") being handled.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("planbot_request_id", default="-")


class _WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# Slack's tokens (xoxb-…, xoxp-…, xapp-…): slack_sdk logs the Web API's answers at DEBUG, and the
# answer that installs planbot into a workspace carries its bot token.
_SLACK_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[0-9A-Za-z-]+")


def without_tokens(text: str) -> str:
    return _SLACK_TOKEN.sub(lambda found: f"{found.group(1)}-(redacted)", text)


class WithoutTokens(logging.Filter):
    """A handler's filter that takes Slack tokens out of every line, tracebacks included."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SLACK_TOKEN.search(message):
            record.msg, record.args = without_tokens(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_tokens(record.exc_text)
        return True


def configure_logging(log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_WithRequestId())
    handler.addFilter(WithoutTokens())
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                           rename_fields={"asctime": "time", "levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    # A no-op where logging is set up already (under pytest, say).
    logging.basicConfig(level=logging.INFO, handlers=[handler])
