"""`planbot doctor`: what is configured, and whether the model answers."""

import os

import typer

from bot.cli.app import app, console

# Provider settings worth naming (never their values).
_PROVIDER_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
                       "OLLAMA_HOST", "GOOGLE_API_KEY", "MISTRAL_API_KEY", "AZURE_OPENAI_API_KEY")


def _set(name: str) -> str:
    return "[green]set[/]" if os.environ.get(name) else "[dim]not set[/]"


@app.command()
def doctor() -> None:
    """Report the data directory, knowledge, Slack and LLM settings, and test the model."""
    from bot.config import Settings
    from bot.service import PlanBotService

    settings = Settings()
    console.print(f"data directory: {settings.data_dir}")
    console.print(f"knowledge: {settings.knowledge_dir}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET"):
        console.print(f"{name}: {_set(name)}")
    console.print("Slack: " + ("many workspaces, installed at /slack/install (HTTP mode)" if settings.many_workspaces
                               else "one workspace's bot token"))
    console.print(f"SLACK_API_URL: {settings.slack_api_url}")
    if not settings.llm:
        console.print("PLANBOT_LLM: [dim]not set[/] — answers and drafts come from the knowledge base alone.")
        return
    console.print(f"PLANBOT_LLM: {settings.llm} (timeout {settings.llm_timeout:g} s)")
    for name in _PROVIDER_VARIABLES:
        if os.environ.get(name):
            console.print(f"{name}: {_set(name)}")
    check = PlanBotService(settings).check_model()
    if not check.answers:
        console.print(f"model: [red]does not answer[/] — {check.error}")
        raise typer.Exit(1)
    console.print(f"model: [green]answers[/] in {check.seconds:.1f} s: {check.reply!r}")
