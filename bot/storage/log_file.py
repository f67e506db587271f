"""A store kept in the plan log's file (plans, team records, results): how each opens it."""

import threading
from pathlib import Path

from bot.storage import schema
from bot.storage.transactions import open_database


class LogFile:
    """A store kept in the plan log's file: one connection shared between threads under a lock
    (Slack's handlers run on a thread pool), the schema brought up to date when opened."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = open_database(self.path)
        self._lock = threading.RLock()
        self.db.execute("PRAGMA foreign_keys = ON")
        schema.migrate(self.db, self.path)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
