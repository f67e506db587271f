"""Messages planbot sends on its own: channel digests and publish-day reminders, checked every
minute by APScheduler inside `planbot serve`. Each is claimed in the plan log before it is sent,
so two instances, or a restart, send it once."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.service import PlanBotService
from bot.slack.app import slack_state, web_client
from bot.slack.face import SlackFace
from bot.slack.loop_posts import send_scheduled

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 60


def workspace_clients(app: App, settings: Settings) -> Callable[[str], WebClient | None]:
    """Each workspace's WebClient: its installation's bot token (many workspaces), or the one bot
    token for the one workspace it belongs to; None for any other."""
    store = app.installation_store
    if settings.many_workspaces and store is not None:
        def installed(workspace: str) -> WebClient | None:
            bot = store.find_bot(enterprise_id=None, team_id=workspace) if workspace else None
            return web_client(settings, bot.bot_token) if bot else None
        return installed
    try:
        own = app.client.auth_test().get("team_id")
    except SlackApiError as error:
        log.warning("auth.test failed, so no digests or reminders: %s", error.response.get("error"))
        own = None
    except OSError as error:  # Slack unreachable at start: serving goes on, without them
        log.warning("Slack was unreachable, so no digests or reminders until a restart: %s", error)
        own = None
    return lambda workspace: app.client if workspace and workspace == own else None


def start_schedule(app: App, settings: Settings, service: PlanBotService,
                   every_seconds: float = CHECK_EVERY_SECONDS) -> BackgroundScheduler:
    """Check for due digests and reminders now and every ``every_seconds``; stop with ``shutdown``."""
    face = SlackFace(service, slack_state(settings))
    clients = workspace_clients(app, settings)

    def check() -> None:
        try:
            if sent := send_scheduled(face, clients):
                log.info("sent %d scheduled message(s)", sent)
        except Exception:  # a failed run is logged; the next one tries again
            log.exception("the scheduled check failed")

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(check, "interval", seconds=every_seconds, next_run_time=datetime.now(UTC), max_instances=1,
                      coalesce=True, id="planbot-scheduled-messages")
    scheduler.start()
    return scheduler
