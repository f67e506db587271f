"""`planbot serve`: the Slack app over Socket Mode or HTTP."""

import logging
import os
import sys
from typing import Annotated

import typer

from bot.cli.app import app, console, errors, open_service


def run_slack(http: bool, host: str, port: int) -> None:
    from bot.config import Settings
    from bot.logs import configure_logging
    from bot.slack.transports import EVENTS_PATH, serve_http, serve_socket_mode

    settings = Settings()
    configure_logging(settings.log_format)
    if settings.many_workspaces and not http:
        errors.print("Installing into many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) needs HTTP mode: "
                     "run with --http, at a public address Slack can send installers back to.")
        raise typer.Exit(2)
    if settings.slack_bot_token is None and not settings.many_workspaces:
        errors.print("Set SLACK_BOT_TOKEN (and SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET "
                     "for HTTP); see the README's Slack section.")
        raise typer.Exit(2)
    if http and settings.slack_signing_secret is None:
        errors.print("HTTP mode needs SLACK_SIGNING_SECRET to verify Slack's requests.")
        raise typer.Exit(2)
    if not http and settings.slack_app_token is None:
        errors.print("Socket Mode needs SLACK_APP_TOKEN (xapp-…); or run with --http.")
        raise typer.Exit(2)
    service = open_service()
    service.prepare()  # the retriever, rulebook and model now, not inside the first request
    if http:
        console.print(f"planbot is listening on http://{host}:{port}{EVENTS_PATH}")
        serve_http(settings, service, host, port)
    else:
        console.print("planbot is connecting to Slack over Socket Mode…")
        serve_socket_mode(settings, service)
    # Stopped, and what was not finished is recorded for the next start. A thread still inside a
    # Slack or model call past the drain would hold the interpreter open, so it is not waited for.
    logging.shutdown()
    sys.stdout.flush()
    os._exit(0)


@app.command()
def serve(
    http: Annotated[bool, typer.Option("--http", help="Serve HTTP at /slack/events instead of Socket Mode.")] = False,
    port: Annotated[int, typer.Option(envvar="PORT", help="HTTP port.")] = 3000,
    host: Annotated[str, typer.Option(help="HTTP address to bind.")] = "0.0.0.0",
) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, or HTTP with --http."""
    run_slack(http, host, port)
