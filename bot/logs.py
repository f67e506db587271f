"""Log lines: readable by default, JSON lines with PLANBOT_LOG_FORMAT=json (one object per line,
for a log collector), each carrying the id of the request or piece of work it is about."""

import contextvars
import logging

# The request (HTTP) or piece of work (its key, e.g. "event:Ev0123:on_mention") being handled.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("planbot_request_id", default="-")


class _WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_WithRequestId())
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                           rename_fields={"asctime": "time", "levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    # A no-op where logging is set up already (under pytest, say).
    logging.basicConfig(level=logging.INFO, handlers=[handler])
