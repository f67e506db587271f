"""Settings, from the environment only (PLANBOT_* and the Slack variables)."""

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    # A variable set to "" is unset (compose passes ${SLACK_BOT_TOKEN:-} through as "").
    model_config = SettingsConfigDict(env_prefix="PLANBOT_", extra="ignore", env_ignore_empty=True)

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("planbot")))
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    collection: str = "planbot_knowledge"
    # PLANBOT_CHROMA_URL: a Chroma server (`chroma run`) shared by several planbot instances, e.g.
    # http://chroma:8000; unset, the store is embedded in the data directory.
    chroma_url: str | None = None
    # How often an instance asks the Chroma server whether another one synced new knowledge.
    knowledge_poll_seconds: float = 10.0
    # PLANBOT_TEAM_KNOWLEDGE_DIR: a folder of the team's own guidance (YAML), see bot.knowledge.team.
    team_knowledge_dir: Path | None = None
    # The workspace the command line speaks for: "local", or a Slack team id to share its profile.
    workspace: str = "local"
    # PLANBOT_TIMEZONE: the team's time zone, for reminders (from 09:00 there) and digests.
    timezone: str = "UTC"
    # PLANBOT_ADMINS: Slack user ids (comma-separated) who are admins in every workspace, e.g. the
    # installer; Slack's own workspace admins and owners are admins too.
    admins: str = ""

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    # Both set: planbot is installed into many workspaces through Slack's OAuth flow
    # (/slack/install), each with its own bot token; SLACK_BOT_TOKEN is not used then.
    slack_client_id: str | None = Field(default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET")
    )
    # Where Slack sends the installer back (https://…/slack/oauth_redirect); needed only when the
    # Slack app lists more than one redirect URL.
    slack_redirect_uri: str | None = Field(default=None, validation_alias=AliasChoices("SLACK_REDIRECT_URI"))

    llm: str | None = None          # PLANBOT_LLM: a langchain model string, e.g. openai:gpt-4o-mini
    llm_timeout: float = 20.0       # seconds a model call may take before the rule-based path answers
    llm_concurrency: int = 4        # model calls at once; past that, questions get the rule-based answer
    # On SIGTERM: seconds to finish the work in progress (inside a container's 30 s grace period);
    # what is left is done after the next start.
    drain_seconds: float = 20.0
    log_format: Literal["text", "json"] = "text"  # PLANBOT_LOG_FORMAT=json: JSON lines with request ids
    port: int = Field(default=3000, validation_alias=AliasChoices("PORT"))
    slack_api_url: str = Field(
        default="https://slack.com/api/", validation_alias=AliasChoices("SLACK_API_URL")
    )

    @property
    def admin_users(self) -> set[str]:
        return {user.strip() for user in self.admins.split(",") if user.strip()}

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def many_workspaces(self) -> bool:
        """Installed into many workspaces (OAuth), rather than one workspace's bot token."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def slack_configured(self) -> bool:
        if self.many_workspaces:
            return self.slack_signing_secret is not None
        return self.slack_bot_token is not None and (
            self.slack_app_token is not None or self.slack_signing_secret is not None
        )
