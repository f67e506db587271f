"""What the Slack face must remember across restarts: handled deliveries, conversation turns,
feedback on answers, and users' locales."""

import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# How long a handled delivery is remembered; Slack retries within minutes.
REMEMBER_DELIVERIES_FOR = timedelta(days=2)
REMEMBER_LOCALES_FOR = timedelta(days=1)


# Named migrations; append, never edit. Each is idempotent (IF NOT EXISTS), which is also how a
# file from before named migrations (PRAGMA user_version 1 or 2) gets them recorded.
SLACK_STATE_MIGRATIONS = Migrations("planbot.slack_state")


@SLACK_STATE_MIGRATIONS()
def create_claims_turns_feedback_locales(db: Database) -> None:
    db["claims"].create({"key": str, "at": str}, pk="key", if_not_exists=True)
    db["turns"].create(
        {"id": int, "at": str, "channel": str, "thread_ts": str, "user": str, "question": str,
         "answer": str, "lang": str, "record": str},
        pk="id", if_not_exists=True,
    )
    db["turns"].create_index(["channel", "thread_ts"], if_not_exists=True)
    db["feedback"].create(
        {"id": int, "at": str, "turn_id": int, "user": str, "vote": str, "question": str, "answer": str},
        pk="id", foreign_keys=[("turn_id", "turns", "id")], if_not_exists=True,
    )
    db["user_locales"].create({"user": str, "locale": str, "at": str}, pk="user", if_not_exists=True)


@SLACK_STATE_MIGRATIONS()
def create_drafts_and_plan_messages(db: Database) -> None:
    db["drafts"].create({"id": int, "at": str, "user": str, "plan": str, "brief": str}, pk="id", if_not_exists=True)
    db["plan_messages"].create({"plan_id": int, "channel": str, "ts": str}, pk="plan_id", if_not_exists=True)


@SLACK_STATE_MIGRATIONS()
def add_draft_workspace_and_channel(db: Database) -> None:
    # Whose team context a draft was made in, so that "another idea" is drafted in the same one.
    for column in ("workspace", "channel"):
        if column not in db["drafts"].columns_dict:
            db["drafts"].add_column(column, str, not_null_default="")


@SLACK_STATE_MIGRATIONS()
def add_claim_owner(db: Database) -> None:
    # A claim made by a piece of work is that work's: run again after a crash, it still holds it.
    if "owner" not in db["claims"].columns_dict:
        db["claims"].add_column("owner", str, not_null_default="")


@SLACK_STATE_MIGRATIONS()
def add_turn_and_feedback_workspace(db: Database) -> None:
    # Installed into many workspaces, an answer (and what is said of it) is its workspace's.
    for table in ("turns", "feedback"):
        if "workspace" not in db[table].columns_dict:
            db[table].add_column("workspace", str, not_null_default="")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SlackState:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Bolt runs listeners on a thread pool: one connection, shared under a lock.
        self.db = Database(sqlite3.connect(path, check_same_thread=False, timeout=10))
        self.db.enable_wal()
        # Claims are written on the acknowledgement path; in WAL mode NORMAL is still crash-safe
        # and skips an fsync per request (a power cut may forget the last claims: a rare repeat).
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._lock = threading.Lock()
        self._migrate()

    def _migrate(self) -> None:
        """Apply pending migrations under the write lock, so that two processes starting on one
        file do not both run them."""
        if not SLACK_STATE_MIGRATIONS.pending(self.db):
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            SLACK_STATE_MIGRATIONS.apply(self.db)
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def claim(self, key: str, owner: str = "") -> bool:
        """True the first time ``key`` is claimed, False for every later claim (also after a
        restart) — except one by the same ``owner``, a piece of work resumed after a crash."""
        with self._lock, self.db.conn:
            cursor = self.db.execute("INSERT OR IGNORE INTO claims (key, at, owner) VALUES (?, ?, ?)",
                                     [key, _now(), owner])
            if cursor.rowcount and cursor.lastrowid % 500 == 0:
                cutoff = (datetime.now(UTC) - REMEMBER_DELIVERIES_FOR).isoformat(timespec="seconds")
                self.db.execute("DELETE FROM claims WHERE at < ?", [cutoff])
            if cursor.rowcount == 1:
                return True
            if not owner:
                return False
            return bool(list(self.db.execute("SELECT 1 FROM claims WHERE key = ? AND owner = ?", [key, owner])))

    def add_turn(self, channel: str, thread_ts: str, user: str, question: str, answer_text: str, lang: str,
                 record: dict, workspace: str = "") -> int:
        with self._lock, self.db.conn:
            return self.db["turns"].insert(
                {"at": _now(), "workspace": workspace, "channel": channel, "thread_ts": thread_ts, "user": user,
                 "question": question, "answer": answer_text, "lang": lang,
                 "record": json.dumps(record, ensure_ascii=False)}
            ).last_pk

    def last_turn(self, channel: str, thread_ts: str, workspace: str = "") -> dict | None:
        with self._lock:
            rows = list(self.db.execute(
                "SELECT record FROM turns WHERE channel = ? AND thread_ts = ? AND workspace IN (?, '') "
                "ORDER BY id DESC LIMIT 1",
                [channel, thread_ts, workspace],
            ))
        return json.loads(rows[0][0]) if rows else None

    def turn(self, turn_id: int, workspace: str = "") -> dict | None:
        """An answer given in ``workspace`` (or before workspaces were told apart)."""
        with self._lock:
            rows = list(self.db.execute("SELECT question, answer, record FROM turns WHERE id = ? "
                                        "AND workspace IN (?, '')", [turn_id, workspace]))
        if not rows:
            return None
        question, answer, record = rows[0]
        return {"question": question, "answer": answer, "record": json.loads(record)}

    def add_feedback(self, turn_id: int, user: str, vote: str, workspace: str = "") -> None:
        turn = self.turn(turn_id, workspace) or {"question": "", "answer": ""}
        with self._lock, self.db.conn:
            self.db["feedback"].insert({"at": _now(), "workspace": workspace, "turn_id": turn_id, "user": user,
                                        "vote": vote, "question": turn["question"], "answer": turn["answer"]})

    def feedback(self, workspace: str | None = None) -> list[dict]:
        """What was said of answers: in ``workspace``, or (None) in every one."""
        with self._lock:
            if workspace is None:
                return list(self.db["feedback"].rows)
            return list(self.db["feedback"].rows_where("workspace = ?", [workspace]))

    def locale(self, user: str) -> str | None:
        """The user's Slack locale as last seen, if seen within a day (people change it)."""
        cutoff = (datetime.now(UTC) - REMEMBER_LOCALES_FOR).isoformat(timespec="seconds")
        with self._lock:
            rows = list(self.db.execute("SELECT locale FROM user_locales WHERE user = ? AND at >= ?",
                                        [user, cutoff]))
        return rows[0][0] if rows else None

    def remember_locale(self, user: str, locale: str) -> None:
        with self._lock, self.db.conn:
            self.db["user_locales"].upsert({"user": user, "locale": locale, "at": _now()}, pk="user")

    def keep_draft(self, user: str, draft: dict) -> int:
        """A drafted card (with the brief it came from and where) waiting for Save, Edit or
        Another idea; the buttons carry its id, since a card is larger than a button's value may be."""
        with self._lock, self.db.conn:
            return self.db["drafts"].insert(
                {"at": _now(), "user": user, "plan": json.dumps(draft["plan"], ensure_ascii=False),
                 "brief": json.dumps(draft["brief"], ensure_ascii=False),
                 "workspace": draft.get("workspace", ""), "channel": draft.get("channel", "")}
            ).last_pk

    def draft(self, draft_id: int, workspace: str = "") -> dict | None:
        """A draft kept in ``workspace`` (or before workspaces were told apart): plan, brief,
        workspace and channel."""
        with self._lock:
            rows = list(self.db.execute("SELECT plan, brief, workspace, channel FROM drafts WHERE id = ? "
                                        "AND workspace IN (?, '')", [draft_id, workspace]))
        if not rows:
            return None
        plan, brief, workspace, channel = rows[0]
        return {"plan": json.loads(plan), "brief": json.loads(brief), "workspace": workspace, "channel": channel}

    def remember_plan_message(self, plan_id: int, channel: str, ts: str) -> None:
        """Where a plan's confirmation was posted, so status changes can note it in that thread."""
        with self._lock, self.db.conn:
            self.db["plan_messages"].upsert({"plan_id": plan_id, "channel": channel, "ts": ts}, pk="plan_id")

    def plan_message(self, plan_id: int) -> tuple[str, str] | None:
        with self._lock:
            rows = list(self.db.execute("SELECT channel, ts FROM plan_messages WHERE plan_id = ?", [plan_id]))
        return (rows[0][0], rows[0][1]) if rows else None
