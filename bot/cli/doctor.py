"""`planbot doctor`: what is configured, and whether the model answers."""

import os
import time

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
    from bot.llm.model import LlmFailure, chat_model, log_usage, within_deadline
    from bot.llm.prompts import load_prompt

    settings = Settings()
    console.print(f"data directory: {settings.data_dir}")
    console.print(f"knowledge: {settings.knowledge_dir}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        console.print(f"{name}: {_set(name)}")
    console.print(f"SLACK_API_URL: {settings.slack_api_url}")
    if not settings.llm:
        console.print("PLANBOT_LLM: [dim]not set[/] — answers and drafts come from the knowledge base alone.")
        return
    console.print(f"PLANBOT_LLM: {settings.llm} (timeout {settings.llm_timeout:g} s)")
    for name in _PROVIDER_VARIABLES:
        if os.environ.get(name):
            console.print(f"{name}: {_set(name)}")
    started = time.perf_counter()
    try:
        model = chat_model(settings.llm, settings.llm_timeout)
        reply = within_deadline("doctor", settings.llm_timeout,
                                lambda: model.invoke(load_prompt("doctor").format_messages()))
    except (LlmFailure, Exception) as error:  # an unknown provider fails in init_chat_model itself
        console.print(f"model: [red]does not answer[/] — {error}")
        raise typer.Exit(1)
    log_usage("doctor", reply)
    console.print(f"model: [green]answers[/] in {time.perf_counter() - started:.1f} s: {str(reply.content)[:60]!r}")
