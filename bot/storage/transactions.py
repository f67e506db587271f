"""All-or-nothing writes that wait for other processes instead of failing on them."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

# How long opening waits for another process that holds the file (it is migrating it, say).
BUSY_TIMEOUT_SECONDS = 10


def open_database(path: Path) -> Database:
    """The file in WAL mode (readers never wait for a writer), shareable between threads.

    Switching a new file to WAL needs a moment with no other connection writing, and SQLite does
    not wait for it with the busy timeout: when two processes open a new file at once, the one
    that finds it busy tries again until the timeout.
    """
    db = Database(sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS))
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            db.enable_wal()
            return db
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error.

    IMMEDIATE (not sqlite-utils' deferred ``atomic()``) takes the write lock before the first
    read: a deferred transaction that reads and then writes fails at once with "database is
    locked" when another process wrote meanwhile, whereas waiting for the lock up front lets the
    busy timeout do its job. ``atomic()`` blocks inside it become savepoints.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    try:
        db.commit()
    except BaseException:
        db.rollback()
        raise

