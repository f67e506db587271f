import threading

import pytest
from conftest import sharing_knowledge

from bot.config import Settings
from bot.service import PlanBotService
from bot.slack.app import build_app
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


@pytest.fixture
def bolt_app(slack_settings, slack_service):
    return build_app(slack_settings, slack_service)


@pytest.fixture
def slack_url(bolt_app):
    """planbot's HTTP transport on a free loopback port; yields the /slack/events URL."""
    server = http_server(bolt_app, "127.0.0.1", 0, threads=8, signing_secret=SIGNING_SECRET)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    host, port = server.bind_addr[:2]
    yield f"http://{host}:{port}{EVENTS_PATH}"
    server.stop()
