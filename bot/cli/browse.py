"""`planbot browse`: the plan log in Datasette, read-only, in a browser."""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import webbrowser
from typing import Annotated

import typer

from bot.cli.app import LangOption, app, console, open_service, parse_lang, user_lang


@app.command()
def browse(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8001,
    lang: LangOption = None,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open it in the browser.")] = True,
) -> None:
    """Open the plan log read-only in Datasette: facets, full-text search, the coverage matrix
    and the plans due this week."""
    from bot.i18n import t

    reader = parse_lang(lang) or user_lang()
    database, metadata = open_service().plan_log_for_browsing(reader)
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="planbot-datasette-", encoding="utf-8",
                                     delete=False) as file:
        json.dump(metadata, file, ensure_ascii=False)
    url = f"http://127.0.0.1:{port}/{database.stem}/plans"
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(database), "--metadata", file.name,
                               "--host", "127.0.0.1", "--port", str(port), "--setting", "sql_time_limit_ms", "3000"])
    try:
        console.print(t("browse.serving", reader, url=url))
        if open_browser and _up(url):
            webbrowser.open(url)
        server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(10)
    finally:
        os.unlink(file.name)


def _up(url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            time.sleep(0.2)
    return False
