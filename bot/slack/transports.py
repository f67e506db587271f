"""Running the app: Socket Mode (a websocket to Slack) or HTTP at /slack/events (cheroot WSGI)."""

import io
import logging
from urllib.error import URLError

from cheroot.wsgi import Server
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.errors import UserError
from bot.service import PlanBotService
from bot.slack.app import build_app, web_client

EVENTS_PATH = "/slack/events"

log = logging.getLogger(__name__)


# Slack's requests are a few kilobytes; a body past this is refused unread.
MAX_BODY_BYTES = 1024 * 1024


class _RequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, made to answer before anything can fail on what a stranger sent: a
    body too large is refused unread (413), a request without a valid signature before it is
    parsed (401), a body that is not JSON or form data with 400 — never with 500."""

    def __init__(self, app: App, path: str, signing_secret: str | None):
        super().__init__(app, path=path)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def dispatch(self, request) -> BoltResponse:
        environ = request.environ
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return BoltResponse(status=400, body="bad content length")
        if length < 0 or length > MAX_BODY_BYTES:
            return BoltResponse(status=413, body="request body too large")
        body = environ["wsgi.input"].read(length) if "wsgi.input" in environ else b""
        headers = {"x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
                   "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", "")}
        if self.verifier is not None and not self._signed(body, headers):
            log.info("refused a request without a valid Slack signature")
            return BoltResponse(status=401, body="invalid signature")
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            return super().dispatch(request)
        except (ValueError, UnicodeDecodeError):
            log.warning("refused a malformed Slack request body")
            return BoltResponse(status=400, body="malformed request body")
        except Exception:  # signed, but nothing Bolt could handle: never a 500 for Slack to retry
            log.exception("a Slack request could not be handled")
            return BoltResponse(status=400, body="request could not be handled")

    def _signed(self, body: bytes, headers: dict) -> bool:
        try:
            return self.verifier.is_valid_request(body, headers)
        except ValueError:  # slack_sdk reads the timestamp with int(): "abc" or "" is no signature
            return False


def http_server(app: App, host: str, port: int, threads: int = 16, signing_secret: str | None = None) -> Server:
    """A threaded WSGI server; events, commands and interactivity all arrive at /slack/events."""
    handler = _RequestHandler(app, EVENTS_PATH, signing_secret)
    # A deep accept queue: with the default of 5, bursts of connections wait out a SYN retry (1 s).
    server = Server((host, port), handler, numthreads=threads, server_name="planbot", request_queue_size=128)
    return server


def connected_app(settings: Settings, service: PlanBotService) -> App:
    """The Bolt app, its token checked with Slack (auth.test); what goes wrong is one user error."""
    # The checks' own retries and failures would repeat the one line said below.
    quiet = logging.getLogger("slack_sdk.web.base_client")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        return build_app(settings, service)
    except (BoltError, SlackApiError) as error:
        # Bolt reports a refused auth.test as a BoltError raised while handling Slack's answer.
        answer = error if isinstance(error, SlackApiError) else error.__context__
        code = answer.response.get("error", "error") if isinstance(answer, SlackApiError) else str(error)
        raise UserError("slack_refused_token", error=code) from None
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise UserError("slack_unreachable", url=settings.slack_api_url, reason=str(reason)) from None
    finally:
        quiet.setLevel(level)


def serve_http(settings: Settings, service: PlanBotService, host: str, port: int) -> None:
    """Serve Slack's requests over HTTP until stopped."""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    server = http_server(connected_app(settings, service), host, port, signing_secret=secret)
    try:
        server.safe_start()
    finally:
        server.stop()


def serve_socket_mode(settings: Settings, service: PlanBotService) -> None:
    """Hold a Socket Mode connection to Slack until stopped."""
    socket_mode_handler(connected_app(settings, service), settings).start()


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    app_token = settings.slack_app_token.get_secret_value()
    # apps.connections.open goes through the configured API URL too.
    return SocketModeHandler(app, app_token=app_token, web_client=web_client(settings, None))
