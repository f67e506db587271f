"""`planbot backup FILE` and `planbot restore FILE`: the plan log, copied while the server runs."""

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import app, console, open_service, user_lang


@app.command()
def backup(file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced if it exists).")]) -> None:
    """Copy the plan log (plans, history, team profiles and roles) to FILE, consistently, also
    while `planbot serve` writes to it."""
    from bot.i18n import t

    report = open_service().back_up_plans(file)
    console.print(t("backup.done", user_lang(), path=report.path, plans=report.plans,
                    last_change=report.last_change or "-"))


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `planbot backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Restore it even if the plan log has newer changes.")] = False,
) -> None:
    """Replace the plan log with the backup in FILE; refused if the plan log has newer changes."""
    from bot.i18n import t

    report = open_service().restore_plans(file, force=force)
    console.print(t("backup.restored", user_lang(), path=str(file), plans=report.plans,
                    last_change=report.last_change or "-"))
