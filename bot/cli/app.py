"""The Typer application and what every command shares."""

import os
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    help="planbot: plan SaaS marketing content along the customer journey.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

LangOption = Annotated[
    str | None, typer.Option("--lang", help="zh-Hans, zh-Hant, en or ko (default: detected).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print data as JSON.")]


def user_lang():
    """The language for messages to this terminal's user: PLANBOT_LANG or the locale."""
    from bot.i18n import locale_language

    return locale_language(os.environ)


def current_user() -> str:
    return os.environ.get("PLANBOT_USER") or os.environ.get("USER") or "cli"


def parse_lang(value: str | None):
    from bot.models import Lang

    if value is None:
        return None
    try:
        return Lang(value)
    except ValueError:
        errors.print(f"Unknown language {value!r}: use one of {', '.join(lang.value for lang in Lang)}.")
        raise typer.Exit(2) from None


def open_service():
    # Imported here so that `planbot --help` does not pay for Chroma and the embedder.
    from bot.service import PlanBotService

    return PlanBotService.open()


def print_json(data) -> None:
    import json
    import sys

    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
