"""Installing planbot into many workspaces: Slack's OAuth flow (/slack/install, then
/slack/oauth_redirect) with slack_sdk's SQLite installation and state stores, and the
authorization that finds each request's workspace token in them.

One bot token per workspace is kept in ``installations.db`` (readable by its owner only);
``tokens_revoked`` and ``app_uninstalled`` delete it (Bolt's own listeners, see build_app).
"""

import logging
import os
from pathlib import Path

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

from bot.config import Settings

INSTALLATIONS_FILE = "installations.db"
# Where a workspace starts installing planbot, and where Slack sends its installer back.
INSTALL_PATH, OAUTH_REDIRECT_PATH = "/slack/install", "/slack/oauth_redirect"
# What planbot does in a workspace; slack/manifest.yaml asks for the same (a test compares them).
BOT_SCOPES = (
    "app_mentions:read", "assistant:write", "chat:write", "commands", "im:history", "im:read",
    "im:write", "reactions:write", "users:read", "channels:read", "groups:read", "mpim:read",
    "files:write",
)
# An install started must be finished within this time (the state cookie and row expire).
INSTALL_WITHIN_SECONDS = 600


def installations_path(settings: Settings) -> Path:
    return settings.data_dir / INSTALLATIONS_FILE


def _private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (it will hold bot tokens)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def oauth_settings(settings: Settings) -> OAuthSettings:
    """The OAuth flow's settings: planbot's scopes, bot tokens only, and SQLite stores."""
    path = installations_path(settings)
    _private_file(path)
    client_id = settings.slack_client_id or ""
    client_secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    installations = SQLite3InstallationStore(database=str(path), client_id=client_id)
    found = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=OAUTH_REDIRECT_PATH,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=SQLite3OAuthStateStore(database=str(path), expiration_seconds=INSTALL_WITHIN_SECONDS),
        state_expiration_seconds=INSTALL_WITHIN_SECONDS,
    )
    # Bolt's default asks Slack (auth.test) about the token on every request, before the 200 is
    # sent; the answer for a token does not change, so it is asked once per token.
    found.authorize = InstallationStoreAuthorize(
        installation_store=installations, client_id=client_id, client_secret=client_secret,
        bot_only=True, cache_enabled=True, logger=logging.getLogger("slack_bolt.InstallationStoreAuthorize"))
    return found
