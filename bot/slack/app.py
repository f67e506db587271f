"""Building the Bolt app: one WebClient (with the configured API URL and retry handlers), the
listeners, and the middleware that drops redelivered events."""

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings
from bot.service import PlanBotService
from bot.slack import listeners
from bot.slack.face import SlackFace
from bot.slack.state import SlackState

log = logging.getLogger(__name__)

SLACK_STATE_FILE = "slack.db"
LISTENER_THREADS = 2


def web_client(settings: Settings, token: str | None) -> WebClient:
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3), ConnectionErrorRetryHandler()],
    )


def build_app(settings: Settings, service: PlanBotService, state: SlackState | None = None) -> App:
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    state = state or SlackState(settings.data_dir / SLACK_STATE_FILE)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(
        client=web_client(settings, settings.slack_bot_token.get_secret_value()),
        signing_secret=secret,
        # Socket Mode needs no signing secret; over HTTP Bolt refuses to start without one.
        request_verification_enabled=secret is not None,
        # Listeners ack inline and do their work lazily (see bot.slack.listeners); a small pool
        # keeps CPU-bound answering from crowding out the threads that acknowledge requests.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="planbot-work"),
    )

    @app.middleware
    def drop_redelivered_events(body: dict, next) -> BoltResponse | None:
        """Slack retries an event it thinks we missed (X-Slack-Retry-Num); the first delivery
        is remembered in SQLite, so a retry is acknowledged and dropped, also after a restart."""
        event_id = body.get("event_id")
        if event_id and not state.claim(f"event:{event_id}"):
            log.info("dropped a redelivered event")
            return BoltResponse(status=200, body="")
        return next()

    listeners.register(app, SlackFace(service, state))

    @app.error
    def on_error(error: Exception) -> BoltResponse:
        # A payload Slack signed but no listener could handle (a field missing, a value out of
        # range) is acknowledged: a 500 would only make Slack retry it and show the user an error.
        log.error("a Slack listener failed: %s", error, exc_info=error)
        return BoltResponse(status=200, body="")

    return app
