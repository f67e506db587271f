"""The plan log's schema, built by named migrations (sqlite-utils' ``Migrations``).

Migrations are history: append a new one, never edit one that has shipped. Files created
before named migrations carry ``PRAGMA user_version = 1``; the first migration recognises them
and is recorded as applied without running again.
"""

import sqlite3
from functools import cache
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.storage.columns import ADD_IMAGE_COUNT, ADD_PLAN_PLACE, ADD_VERSION, CREATE_PLANS, columns_added_by
from bot.storage.transactions import write_transaction

# The trigram tokenizer (SQLite 3.34+) indexes every 3-character window, so a word inside
# unspaced Chinese or Korean text is found; unicode61 would index a whole CJK run as one token.
TRIGRAM_MIN_VERSION = (3, 34, 0)
SQLITE_VERSION: tuple[int, int, int] = sqlite3.sqlite_version_info
# What user_version the files of the pre-migrations planbot have; it is no longer changed.
LEGACY_USER_VERSION = 1

PLAN_LOG_MIGRATIONS = Migrations("planbot.plan_log")


class SchemaTooNew(RuntimeError):
    """The file was written by a newer planbot; opening it here could damage it."""


def fts_tokenizer(sqlite_version: tuple[int, int, int]) -> str:
    return "trigram" if sqlite_version >= TRIGRAM_MIN_VERSION else "unicode61"


def user_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def make_append_only(db: Database, table: str) -> None:
    """Triggers with which SQLite itself refuses to change or delete a row of ``table``."""
    db.executescript(
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
        """
    )


@PLAN_LOG_MIGRATIONS(name=CREATE_PLANS)
def create_plans_history_and_search(db: Database) -> None:
    if user_version(db) >= LEGACY_USER_VERSION:
        return  # made by planbot before named migrations: these tables are there already
    columns = columns_added_by(CREATE_PLANS)
    db["plans"].create(
        {"id": int} | {column.name: column.type for column in columns},
        pk="id",
        not_null={column.name for column in columns if column.not_null},
        defaults={column.name: column.default for column in columns if column.is_text},
    )
    plans = db["plans"]
    # Every index entry ends with the rowid (= id), so equal keys come out in id order: the
    # filtered list reads its newest 50 straight off this index, and the coverage count
    # (grouped by these three columns) never touches the table.
    plans.create_index(["status", "stage", "channel"], index_name="plans_by_status_stage_channel")
    plans.create_index(["author"], index_name="plans_by_author")
    plans.create_index(["campaign"], index_name="plans_by_campaign")
    plans.create_index(["created_at"], index_name="plans_by_created_at")
    plans.enable_fts([column.name for column in columns if column.searchable], create_triggers=True,
                     tokenize=fts_tokenizer(SQLITE_VERSION))

    db["plan_history"].create(
        {"id": int, "plan_id": int, "at": str, "who": str, "action": str, "changes": str},
        pk="id",
        not_null={"plan_id", "at", "who", "action", "changes"},
        foreign_keys=[("plan_id", "plans", "id")],
    )
    db["plan_history"].create_index(["plan_id"], index_name="plan_history_by_plan")
    # The history is the audit trail: the database itself refuses to rewrite it.
    make_append_only(db, "plan_history")


@PLAN_LOG_MIGRATIONS(name=ADD_VERSION)
def add_plan_version(db: Database) -> None:
    # Plans saved before versions were counted start at 1: each has been written at least once.
    db["plans"].add_column("version", int, not_null_default=1)


@PLAN_LOG_MIGRATIONS(name=ADD_IMAGE_COUNT)
def add_image_count(db: Database) -> None:
    db["plans"].add_column("image_count", int)


CREATE_TEAM_RECORDS = "create_team_records"


@PLAN_LOG_MIGRATIONS(name=CREATE_TEAM_RECORDS)
def create_team_records(db: Database) -> None:
    # A team's profile, channel defaults and teachings, each record a row per version: the
    # newest version is the current one, a NULL body a removal, and nothing is ever rewritten.
    db["team_records"].create(
        {"id": int, "workspace": str, "kind": str, "key": str, "version": int, "body": str, "who": str,
         "at": str},
        pk="id",
        not_null={"workspace", "kind", "key", "version", "who", "at"},
    )
    db["team_records"].create_index(["workspace", "kind", "key", "version"], unique=True,
                                    index_name="team_records_by_version")
    make_append_only(db, "team_records")


@PLAN_LOG_MIGRATIONS(name=ADD_PLAN_PLACE)
def add_plan_place(db: Database) -> None:
    # Plans from before owners and homes: owned by their author, homed nowhere (seen by the owner).
    db["plans"].add_column("workspace", str, not_null_default="")
    db["plans"].add_column("home", str, not_null_default="")
    db["plans"].add_column("home_private", int, not_null_default=0)
    db.execute("UPDATE plans SET owner = author WHERE owner = ''")
    db["plans"].create_index(["workspace", "home"], index_name="plans_by_home")
    db["plans"].create_index(["owner"], index_name="plans_by_owner")


CREATE_RESULTS_AND_NOTICES = "create_plan_results_and_sent_notices"


@PLAN_LOG_MIGRATIONS(name=CREATE_RESULTS_AND_NOTICES)
def create_plan_results_and_sent_notices(db: Database) -> None:
    # A plan's figures for a period, a row per version (the newest is current; nothing is rewritten).
    db["plan_results"].create(
        {"id": int, "plan_id": int, "period_start": str, "period_end": str, "version": int, "reach": int,
         "engagement": int, "clicks": int, "moved": int, "note": str, "who": str, "at": str},
        pk="id", foreign_keys=[("plan_id", "plans", "id")],
        not_null={"plan_id", "period_start", "period_end", "version", "reach", "engagement", "clicks", "moved",
                  "who", "at"},
    )
    db["plan_results"].create_index(["plan_id", "period_start", "period_end", "version"], unique=True,
                                    index_name="plan_results_by_version")
    make_append_only(db, "plan_results")
    # What planbot has sent on a schedule (a reminder, a digest), by a key naming it and its
    # period: the first instance to insert the key sends it, every other one (or a restart) not.
    db["sent_notices"].create({"key": str, "at": str}, pk="key")


@cache
def _known(migrations: Migrations) -> frozenset[str]:
    # Every migration of a set is pending on an empty database.
    return frozenset(migration.name for migration in migrations.pending(Database(memory=True)))


def migrate(db: Database, path: Path, migrations: Migrations | None = None) -> None:
    """Bring the file up to date; a no-op (and no write lock) when it already is.

    Pending migrations are applied inside one BEGIN IMMEDIATE transaction, each in a savepoint
    with the record of it, so two processes opening a new file at once do not both run them: the
    second waits for the lock, then finds nothing pending.
    """
    migrations = migrations or PLAN_LOG_MIGRATIONS
    if not migrations.pending(db) and not _unknown(db, migrations):
        return
    with write_transaction(db):
        if unknown := _unknown(db, migrations):
            raise SchemaTooNew(f"{path} has plan log migrations this planbot does not know: {', '.join(unknown)}")
        if user_version(db) > LEGACY_USER_VERSION:
            raise SchemaTooNew(f"{path} has plan log schema {user_version(db)}; this planbot knows up to "
                               f"{LEGACY_USER_VERSION}")
        migrations.apply(db)


def unknown_migrations(connection: sqlite3.Connection) -> list[str]:
    """The plan log migrations a file has that this planbot does not know (a newer planbot's)."""
    return _unknown(Database(connection), PLAN_LOG_MIGRATIONS)


def _unknown(db: Database, migrations: Migrations) -> list[str]:
    return [applied.name for applied in migrations.applied(db) if applied.name not in _known(migrations)]
