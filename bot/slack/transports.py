"""Running the app: Socket Mode (a websocket to Slack) or HTTP at /slack/events (cheroot WSGI)."""

import logging
from urllib.error import URLError

from cheroot.wsgi import Server
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.errors import UserError
from bot.service import PlanBotService
from bot.slack.app import build_app, web_client

EVENTS_PATH = "/slack/events"

log = logging.getLogger(__name__)


class _RequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, answering a body that is not valid JSON or form data with 400, not 500."""

    def dispatch(self, request) -> BoltResponse:
        try:
            return super().dispatch(request)
        except ValueError:
            log.warning("refused a malformed Slack request body")
            return BoltResponse(status=400, body="malformed request body")


def http_server(app: App, host: str, port: int, threads: int = 16) -> Server:
    """A threaded WSGI server; events, commands and interactivity all arrive at /slack/events."""
    handler = _RequestHandler(app, path=EVENTS_PATH)
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
    server = http_server(connected_app(settings, service), host, port)
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
