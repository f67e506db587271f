"""Backups of the plan log with SQLite's online backup API: a consistent copy of the file while
the server goes on writing (the copy is of one moment; writers wait only between page batches).

A restore writes the backup into the plan log through the same API, so that a running planbot
sees the restored plans without a restart, and it refuses a backup that would lose newer
changes (unless forced), one that is not a plan log, or one from a newer planbot.
"""

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserError
from bot.storage import schema
from bot.storage.transactions import BUSY_TIMEOUT_SECONDS

# Pages copied per step; between steps the source is free for writers.
PAGES_PER_STEP = 512


@dataclass(frozen=True)
class Snapshot:
    plans: int
    last_change: str  # the newest history or team record, ISO 8601; "" for an empty log


def describe(path: Path) -> Snapshot:
    """What a plan log file holds, read without writing to it."""
    with _read_only(path) as db:
        plans = db.execute("SELECT count(*) FROM plans").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        stamps = [db.execute(f"SELECT max(at) FROM {table}").fetchone()[0]  # our own table names
                  for table in ("plan_history", "team_records") if table in tables]
    return Snapshot(plans=plans, last_change=max((stamp for stamp in stamps if stamp), default=""))


def back_up(live: Path, target: Path) -> Snapshot:
    """Copy the plan log at ``live`` to ``target`` (replaced whole, never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        source = sqlite3.connect(live, timeout=BUSY_TIMEOUT_SECONDS)
        copy = sqlite3.connect(staging)
        try:
            source.backup(copy, pages=PAGES_PER_STEP)
            # One file, no -wal beside it: the backup is complete as it stands.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
            source.close()
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return describe(target)


def restore(backup: Path, live: Path, force: bool = False) -> Snapshot:
    """Write ``backup`` over the plan log at ``live``; see the module's docstring."""
    checked = _checked(backup)
    if live.exists() and not force:
        current = describe(live)
        if current.last_change > checked.last_change:
            raise UserError("restore_would_lose", path=str(backup), backup=checked.last_change or "-",
                            live=current.last_change)
    source = sqlite3.connect(_read_only_uri(backup), uri=True)
    target = sqlite3.connect(live, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
    finally:
        target.close()
        source.close()
    return describe(live)


def _checked(backup: Path) -> Snapshot:
    if not backup.is_file():
        raise UserError("unreadable_file", path=str(backup), reason="no such file")
    try:
        with _read_only(backup) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise UserError("not_a_plan_log", path=str(backup), reason=verdict)
            unknown = schema.unknown_migrations(db)
        if unknown:
            raise UserError("backup_too_new", path=str(backup), names=", ".join(unknown))
        return describe(backup)
    except sqlite3.DatabaseError as error:
        raise UserError("not_a_plan_log", path=str(backup), reason=str(error)) from None


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


class _read_only:
    """A connection that cannot write to the file (nor create it)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc_info) -> None:
        self.db.close()
