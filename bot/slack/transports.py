"""Running the app: Socket Mode (a websocket to Slack) or HTTP at /slack/events (waitress WSGI),
with the work recorded before it is acknowledged, and a SIGTERM that lets work in progress end.

waitress was chosen by measurement: it reads requests on one event loop and hands only complete
ones to its threads, so clients that connect and send nothing, or half a request, hold no
thread (32 such connections delayed an ack by 19.7 s under cheroot with 16 threads; under
waitress with 8, 500 of them delay it by nothing measurable).
"""

import gc
import io
import json
import logging
import signal
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from urllib.error import URLError

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.errors import UserError
from bot.logs import request_id
from bot.service import PlanBotService
from bot.slack.app import build_app, durable_work, web_client
from bot.slack.install import INSTALL_PATH
from bot.slack.schedule import start_schedule
from bot.slack.work import DurableWork

EVENTS_PATH = "/slack/events"
HEALTH_PATH, READY_PATH = "/healthz", "/readyz"
HTTP_THREADS = 8
# A connection that sends nothing for this long is closed (waitress checks every few seconds).
IDLE_CONNECTION_SECONDS = 10

log = logging.getLogger(__name__)


INSTALL_FAILED_PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>planbot</title></head><body>"
                       "<p>planbot could not be installed just now. Please try again in a minute.</p>"
                       "<p>planbot 暂时无法安装，请稍后再试。 planbot 暫時無法安裝，請稍後再試。 "
                       "지금은 planbot을 설치할 수 없습니다. 잠시 후 다시 시도해 주세요.</p></body></html>")

# Slack's requests are a few kilobytes; a body past this is refused unread.
MAX_BODY_BYTES = 1024 * 1024


class _RequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, made to answer before anything can fail on what a stranger sent: a
    body too large is refused unread (413), a request without a valid signature before it is
    parsed (401), a body that is not JSON or form data with 400 — never with 500."""

    def __init__(self, app: App, path: str, signing_secret: str | None):
        super().__init__(app, path=path)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.acks_first = acks_first_of(app)

    def dispatch(self, request) -> BoltResponse:
        request_id.set(uuid.uuid4().hex[:12])
        with self.acks_first():
            return self._dispatch(request)

    def _dispatch(self, request) -> BoltResponse:
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

    def handle_installation(self, request) -> BoltResponse:
        return self._installing(super().handle_installation, request)

    def handle_callback(self, request) -> BoltResponse:
        return self._installing(super().handle_callback, request)

    @staticmethod
    def _installing(step: Callable, request) -> BoltResponse:
        """A step of Slack's install flow; what fails in it is a page that says so, never a 500."""
        request_id.set(uuid.uuid4().hex[:12])
        try:
            return step(request)
        except Exception:
            log.exception("an install step failed")
            return BoltResponse(status=503, body=INSTALL_FAILED_PAGE,
                                headers={"Content-Type": "text/html; charset=utf-8"})

    def _signed(self, body: bytes, headers: dict) -> bool:
        try:
            return self.verifier.is_valid_request(body, headers)
        except ValueError:  # slack_sdk reads the timestamp with int(): "abc" or "" is no signature
            return False


def acks_first_of(app: App) -> Callable[[], AbstractContextManager]:
    """The app's "acknowledgements first" gate (see bot.slack.work.AcksFirst), when its work is durable."""
    work = app.listener_runner.lazy_listener_runner
    return work.acks_first.acknowledging if isinstance(work, DurableWork) else nullcontext


class HttpServer:
    """waitress serving Slack's requests at /slack/events, and /healthz and /readyz."""

    def __init__(self, app: App, host: str, port: int, threads: int = HTTP_THREADS,
                 signing_secret: str | None = None, service: PlanBotService | None = None):
        from waitress.server import create_server

        self._map: dict = {}
        self._slack = _RequestHandler(app, EVENTS_PATH, signing_secret)
        self._service = service
        self.server = create_server(
            self._route, map=self._map, host=host, port=port, threads=threads, ident="planbot",
            channel_timeout=IDLE_CONNECTION_SECONDS, cleanup_interval=2, connection_limit=1000,
            max_request_body_size=MAX_BODY_BYTES, asyncore_use_poll=True, expose_tracebacks=False)

    @property
    def port(self) -> int:
        return self.server.effective_port

    def _route(self, environ: dict, start_response: Callable) -> Iterator[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return _json_response(start_response, 200, {"status": "ok"})
        if path == READY_PATH:
            return self._ready(start_response)
        return self._slack(environ, start_response)

    def _ready(self, start_response: Callable) -> Iterator[bytes]:
        if self._service is None:
            return _json_response(start_response, 200, {"ready": True})
        try:
            readiness = self._service.readiness()
        except Exception as error:  # a probe says "not ready"; it never fails with a traceback
            log.warning("the readiness check failed: %s", error)
            return _json_response(start_response, 503, {"ready": False, "detail": "check failed"})
        return _json_response(start_response, 200 if readiness.ready else 503,
                              readiness.model_dump() | {"ready": readiness.ready})

    def run(self) -> None:
        """Serve until ``stop`` is called, or SIGTERM/SIGINT arrives (as SystemExit)."""
        self.server.run()

    def stop(self) -> None:
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)


def _json_response(start_response: Callable, status: int, data: dict) -> Iterator[bytes]:
    body = json.dumps(data).encode()
    reason = {200: "OK", 503: "Service Unavailable"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return iter([body])


def http_server(app: App, host: str, port: int, threads: int = HTTP_THREADS, signing_secret: str | None = None,
                service: PlanBotService | None = None) -> HttpServer:
    """Events, commands and interactivity all arrive at /slack/events."""
    return HttpServer(app, host, port, threads, signing_secret, service)


def connected_app(settings: Settings, service: PlanBotService, work: DurableWork) -> App:
    """The Bolt app, its token checked with Slack (auth.test); what goes wrong is one user error."""
    # The checks' own retries and failures would repeat the one line said below.
    quiet = logging.getLogger("slack_sdk.web.base_client")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        return build_app(settings, service, work=work)
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


def _tune_for_serving() -> None:
    """Acknowledgements share the interpreter with the answers; two settings keep them quick
    (measured with bench/slack_ack.py: ack p99 ~250 → ~90 ms under 20 senders)."""
    # Everything loaded at start (the knowledge base, the models) lives as long as the process:
    # a full collection that walked it all stalled acknowledgements for 100+ ms.
    gc.freeze()
    # waitress warns at every request that waits for a thread; a burst of Slack events is normal.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # A thread waiting for the interpreter lock gets it within 1 ms, not 5: an acknowledgement
    # needs it a few times, between CPU-bound answers.
    sys.setswitchinterval(0.001)


class _Stopping(SystemExit):
    """SIGTERM: stop taking requests (waitress and Bolt's handler both end on SystemExit)."""


@contextmanager
def _working(settings: Settings, service: PlanBotService) -> Iterator[App]:
    """The app and its durable work, serving until SIGTERM; then the work in progress gets
    ``drain_seconds`` to finish, and the rest is left for the next start."""
    work = durable_work(settings)
    app = connected_app(settings, service, work)
    _tune_for_serving()

    def stop(signum, frame):
        raise _Stopping(0)

    signal.signal(signal.SIGTERM, stop)
    work.serve(app)
    scheduled = start_schedule(app, settings, service)
    try:
        yield app
    except (_Stopping, KeyboardInterrupt):
        pass
    finally:
        log.info("stopping: finishing the work in progress (at most %g s)", settings.drain_seconds)
        scheduled.shutdown(wait=False)
        work.drain(settings.drain_seconds)
        work.close()


def serve_http(settings: Settings, service: PlanBotService, host: str, port: int) -> None:
    """Serve Slack's requests over HTTP until stopped."""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    with _working(settings, service) as app:
        server = http_server(app, host, port, signing_secret=secret, service=service)
        if settings.many_workspaces:
            log.info("workspaces install planbot at http://%s:%s%s", host, server.port, INSTALL_PATH)
        try:
            server.run()
        finally:
            server.stop()


def serve_socket_mode(settings: Settings, service: PlanBotService) -> None:
    """Hold a Socket Mode connection to Slack until stopped."""
    with _working(settings, service) as app:
        handler = socket_mode_handler(app, settings)
        try:
            handler.start()
        finally:
            handler.close()


class _AcksFirstSocketModeHandler(SocketModeHandler):
    def handle(self, client, req) -> None:
        with acks_first_of(self.app)():
            super().handle(client, req)


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    app_token = settings.slack_app_token.get_secret_value()
    # apps.connections.open goes through the configured API URL too.
    return _AcksFirstSocketModeHandler(app, app_token=app_token, web_client=web_client(settings, None))
