"""Building the Bolt app: one WebClient (with the configured API URL and retry handlers), the
listeners, and the durable runner for their work (which also drops redelivered events)."""

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse
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
from bot.slack.work import DurableWork, WorkNotRecorded

log = logging.getLogger(__name__)

SLACK_STATE_FILE = "slack.db"
WORK_FILE = "work.db"
# Threads for listeners' work besides those waiting on a model: answers are CPU-bound and the
# machines have two cores, but Web API calls wait on the network, and a button must not queue
# behind a slow answer.
WORK_THREADS = 4


class _PoliteWebClient(WebClient):
    """A WebClient whose calls from listeners' work let acknowledgements go first."""

    def __init__(self, *args, before_each_call: Callable[[], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._before_each_call = before_each_call

    @classmethod
    def like(cls, client: WebClient, before_each_call: Callable[[], None]) -> "_PoliteWebClient":
        return cls(token=client.token, base_url=client.base_url, timeout=client.timeout, ssl=client.ssl,
                   proxy=client.proxy, headers=client.headers, team_id=client.default_params.get("team_id"),
                   logger=client.logger,
                   retry_handlers=client.retry_handlers, before_each_call=before_each_call)

    def __deepcopy__(self, memo: dict) -> "_PoliteWebClient":
        # Bolt copies a request for its lazy work; the copy waits at the same gate.
        return _PoliteWebClient.like(self, self._before_each_call)

    def api_call(self, *args, **kwargs):
        self._before_each_call()
        return super().api_call(*args, **kwargs)


def web_client(settings: Settings, token: str | None) -> WebClient:
    retries = [RateLimitErrorRetryHandler(max_retry_count=3), ConnectionErrorRetryHandler()]
    return WebClient(token=token, base_url=settings.slack_api_url, retry_handlers=retries)


def slack_state(settings: Settings) -> SlackState:
    return SlackState(settings.data_dir / SLACK_STATE_FILE)


def durable_work(settings: Settings) -> DurableWork:
    # Every model call in flight holds one thread while it waits; the others stay free.
    return DurableWork(settings.data_dir / WORK_FILE,
                       threads=WORK_THREADS + (settings.llm_concurrency if settings.llm else 0))


def build_app(settings: Settings, service: PlanBotService, state: SlackState | None = None,
              work: DurableWork | None = None) -> App:
    """The Bolt app, for one workspace's bot token or (with SLACK_CLIENT_ID and SECRET) for every
    workspace installed through OAuth; its listeners' work is recorded and run by ``work`` (whose
    ``serve`` and ``drain`` the transport calls)."""
    if not settings.many_workspaces and settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    state = state or slack_state(settings)
    work = work or durable_work(settings)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if settings.many_workspaces:
        from bot.slack.install import oauth_settings

        workspaces = {"oauth_settings": oauth_settings(settings)}
        token = None
    else:
        workspaces = {}
        token = settings.slack_bot_token.get_secret_value()
    app = App(
        client=web_client(settings, token),
        signing_secret=secret,
        # Socket Mode needs no signing secret; over HTTP Bolt refuses to start without one.
        request_verification_enabled=secret is not None,
        # Listeners ack inline and do their work lazily (see bot.slack.listeners).
        process_before_response=True,
        **workspaces,
    )
    if settings.many_workspaces:
        # tokens_revoked and app_uninstalled delete the workspace's installation.
        app.enable_token_revocation_listeners()
    # Bolt gives each request a WebClient of its own (with its workspace's token); the listeners'
    # work gets one that lets acknowledgements go first.
    app.use(_acknowledgements_first(work))
    # Bolt's public seam for where lazy work runs (its AWS Lambda adapter uses it too).
    app.listener_runner.lazy_listener_runner = work

    listeners.register(app, SlackFace(service, state))

    @app.error
    def on_error(error: Exception) -> BoltResponse:
        if isinstance(error, WorkNotRecorded):
            # Not written down, so not acknowledged: Slack sends an event again (a person sees
            # their command fail and can repeat it), rather than a 200 for work that is lost.
            log.error("work not recorded, refused with 503: %s", error)
            return BoltResponse(status=503, body="")
        # A payload Slack signed but no listener could handle (a field missing, a value out of
        # range) is acknowledged: a 500 would only make Slack retry it and show the user an error.
        log.error("a Slack listener failed: %s", error, exc_info=error)
        return BoltResponse(status=200, body="")

    return app


def _acknowledgements_first(work: DurableWork) -> Callable:
    def polite_client(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context["client"] = _PoliteWebClient.like(context.client, work.acks_first.checkpoint)
        return next()
    return polite_client
