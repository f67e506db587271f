import threading
from contextlib import contextmanager

import pytest
from conftest import sharing_knowledge

from bot.config import Settings
from bot.service import PlanBotService
from bot.slack.app import build_app, durable_work, slack_state
from bot.slack.transports import EVENTS_PATH, http_server
from slack_e2e.harness import SIGNING_SECRET, SlackApiStandIn


@pytest.fixture
def slack_api(request):
    stand_in = SlackApiStandIn()
    yield stand_in
    stand_in.close(request.node.nodeid)


@pytest.fixture
def slack_settings(service, slack_api, tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    # The session's synced knowledge store; a plan log and Slack state of this test's own.
    (data / "chroma").symlink_to(service.settings.chroma_dir, target_is_directory=True)
    return Settings(data_dir=data, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                    SLACK_APP_TOKEN="xapp-test-token", SLACK_API_URL=slack_api.url)


@pytest.fixture
def slack_service(service, slack_settings) -> PlanBotService:
    return sharing_knowledge(service, slack_settings)


@contextmanager
def bolt_app_with_work(settings: Settings, service: PlanBotService):
    """The Bolt app with its durable work (resumed, and drained at the end), as `planbot serve` runs it."""
    state = slack_state(settings)
    work = durable_work(settings)
    app = build_app(settings, service, state, work)
    work.serve(app)
    try:
        yield app
    finally:
        work.drain(5)
        work.close()


@contextmanager
def serving(app, service: PlanBotService | None = None, threads: int = 8, signing_secret=SIGNING_SECRET):
    """planbot's HTTP transport on a free loopback port; yields the /slack/events URL."""
    server = http_server(app, "127.0.0.1", 0, threads=threads, signing_secret=signing_secret, service=service)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}{EVENTS_PATH}"
    finally:
        server.stop()
        thread.join(5)


@pytest.fixture
def bolt_app(slack_settings, slack_service):
    with bolt_app_with_work(slack_settings, slack_service) as app:
        yield app


@pytest.fixture
def slack_url(bolt_app, slack_service):
    with serving(bolt_app, slack_service) as url:
        yield url
