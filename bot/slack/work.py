"""Durable work: what Slack hands us is written down before it is acknowledged, marked done once
its reply is posted, and taken up again after a crash or a deploy.

Every listener is an acknowledgement plus lazy work (``bot.slack.listeners``), and Bolt hands the
lazy part to a LazyListenerRunner. This one records it in SQLite first — the record is also the
delivery's dedupe claim, one INSERT, so a redelivered event is never worked twice — and then runs
it on a bounded pool. Slack has its 200 only after the record is written. On start, and every few
seconds after, work that a process which is gone left unfinished is dispatched again through
Bolt's own lazy-only replay (the way Bolt runs lazy listeners on AWS Lambda). On SIGTERM the pool
takes no new work, lets what is running finish for a bounded time, and leaves the rest for the
next start.
"""

import json
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_bolt import App
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.internals import build_runnable_function
from slack_bolt.request import BoltRequest
from slack_bolt.util.utils import get_name_for_callable
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.logs import request_id

log = logging.getLogger(__name__)

# The context key under which a listener finds the key of the work it is doing.
WORK_KEY = "planbot_work"
# A process that has not beaten for this long is gone, and its unfinished work is taken over.
GONE_AFTER = timedelta(seconds=30)
BEAT_EVERY_SECONDS = 5.0
# Work that failed this many times (each a crash while doing it) is given up, not tried forever.
MAX_ATTEMPTS = 3
# How late resumed work is still worth doing: a question is worth answering the next day; a
# button's response_url lasts 30 minutes.
RESUME_WITHIN = {"event": timedelta(hours=24), "interaction": timedelta(minutes=30)}
REMEMBER_DONE_FOR = timedelta(days=2)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def delivery_key(body: dict, function: str) -> tuple[str, str]:
    """(key, kind) of one piece of work. An event's key is its event_id, which Slack keeps
    when it redelivers; Slack never redelivers a command or an interaction, so each is new."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}:{function}", "event"
    return f"request:{uuid.uuid4().hex}:{function}", "interaction"


@dataclass(frozen=True)
class Unfinished:
    key: str
    function: str
    body: dict
    kind: str
    received_at: datetime
    attempts: int


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


WORK_MIGRATIONS = Migrations("planbot.work")


@WORK_MIGRATIONS()
def create_work_and_instances(db: Database) -> None:
    db["work"].create(
        {"key": str, "function": str, "body": str, "kind": str, "received_at": str, "owner": str,
         "attempts": int, "started_at": str, "done_at": str, "outcome": str},
        pk="key", if_not_exists=True,
    )
    db["work"].create_index(["done_at"], if_not_exists=True)
    db["instances"].create({"id": str, "host": str, "pid": int, "started_at": str, "beat_at": str},
                           pk="id", if_not_exists=True)


class WorkLog:
    """Work accepted from Slack and not finished, and the processes doing it, in a file of their
    own: the acknowledgement path writes it, and must never wait behind the answers' writes to
    Slack's state (SQLite's busy handler sleeps in steps of milliseconds). Its one connection is
    shared under a lock; the WAL is checkpointed by the heartbeat, not by an acknowledgement."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        # Crash-safe in WAL mode; a power cut may forget the last few records (Slack then retries).
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA wal_autocheckpoint = 0")
        self._lock = threading.Lock()
        self._migrate()
        self.me = uuid.uuid4().hex
        self.host = socket.gethostname()
        now = _stamp(_now())
        self._write("INSERT INTO instances (id, host, pid, started_at, beat_at) VALUES (?, ?, ?, ?, ?)",
                    [self.me, self.host, os.getpid(), now, now])

    def _migrate(self) -> None:
        """Under the write lock, so that two processes starting on one file do not both migrate."""
        database = Database(self.db)
        if not WORK_MIGRATIONS.pending(database):
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            WORK_MIGRATIONS.apply(database)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def checkpoint(self) -> None:
        """Copy the WAL into the database, on a connection of its own (writers go on meanwhile)."""
        other = sqlite3.connect(self.path, timeout=10)
        try:
            other.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            other.close()

    def _write(self, sql: str, params: list) -> int:
        with self._lock:
            return self.db.execute(sql, params).rowcount

    def record(self, key: str, function: str, body: dict, kind: str) -> bool:
        """Write down one piece of work; False when it was written down before (a redelivery)."""
        return self._write(
            "INSERT OR IGNORE INTO work (key, function, body, kind, received_at, owner, attempts)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)",
            [key, function, json.dumps(body, ensure_ascii=False), kind, _stamp(_now()), self.me]) == 1

    def started(self, key: str) -> None:
        self._write("UPDATE work SET attempts = attempts + 1, started_at = ?, owner = ? WHERE key = ?",
                    [_stamp(_now()), self.me, key])

    def finished(self, key: str, outcome: str = "done") -> None:
        self._write("UPDATE work SET done_at = ?, outcome = ? WHERE key = ?", [_stamp(_now()), outcome, key])

    def beat(self) -> None:
        self._write("UPDATE instances SET beat_at = ? WHERE id = ?", [_stamp(_now()), self.me])

    def unfinished_count(self) -> int:
        with self._lock:
            return self.db.execute("SELECT count(*) FROM work WHERE done_at IS NULL").fetchone()[0]

    def _gone(self) -> set[str]:
        """The instances that are not running any more."""
        cutoff = _stamp(_now() - GONE_AFTER)
        with self._lock:
            rows = self.db.execute("SELECT id, host, pid, beat_at FROM instances WHERE id != ?", [self.me]).fetchall()
        gone = set()
        for instance, host, pid, beat_at in rows:
            # On this host a dead pid, or our own (a restarted container), settles it at once.
            same_host_and_dead = host == self.host and (pid == os.getpid() or not _pid_alive(pid))
            if same_host_and_dead or beat_at < cutoff:
                gone.add(instance)
        return gone

    def take_over(self) -> list[Unfinished]:
        """The unfinished work of instances that are gone, now this one's (each taken by one
        live instance only). Gone instances with nothing left are forgotten."""
        gone = self._gone()
        if not gone:
            return []
        marks = ",".join("?" * len(gone))
        with self._lock:
            rows = self.db.execute(
                f"SELECT key, function, body, kind, received_at, attempts, owner FROM work"
                f" WHERE done_at IS NULL AND owner IN ({marks}) ORDER BY received_at", list(gone)).fetchall()
        taken = []
        for key, function, body, kind, received_at, attempts, owner in rows:
            if self._write("UPDATE work SET owner = ? WHERE key = ? AND owner = ? AND done_at IS NULL",
                           [self.me, key, owner]) == 1:
                taken.append(Unfinished(key, function, json.loads(body), kind, datetime.fromisoformat(received_at),
                                        attempts))
        with self._lock:
            self.db.execute(
                f"DELETE FROM instances WHERE id IN ({marks}) AND id NOT IN"
                f" (SELECT owner FROM work WHERE done_at IS NULL)", list(gone))
            self.db.execute("DELETE FROM work WHERE done_at < ?", [_stamp(_now() - REMEMBER_DONE_FOR)])
        return taken

    def close(self) -> None:
        self._write("DELETE FROM instances WHERE id = ? AND id NOT IN (SELECT owner FROM work WHERE done_at IS NULL)",
                    [self.me])
        self.db.close()


class AcksFirst:
    """Acknowledgements strictly before work. All of it shares one interpreter lock, and Slack
    wants its 200 within 3 s while an answer can come a second later; so while any request is
    being acknowledged, work waits at its next checkpoint (the start of a piece of work, each
    Web API call) and runs in the gaps between acknowledgements. ``MAX_WAIT_SECONDS`` is the
    safety net: under acknowledgements without a gap, work still moves on, once a checkpoint
    has waited that long.

    Measured (bench/slack_ack.py, 20 senders in a closed loop): ack p99 ~90 ms when work only
    waited 0.25 s, ~70 ms when one piece of work at a time could run, ~30 ms strictly.
    """

    MAX_WAIT_SECONDS = 2.0

    def __init__(self):
        self._acknowledging = 0
        self._changed = threading.Condition()
        self._on_ack_path = threading.local()

    @contextmanager
    def acknowledging(self) -> Iterator[None]:
        with self._changed:
            self._acknowledging += 1
        self._on_ack_path.active = True
        try:
            yield
        finally:
            self._on_ack_path.active = False
            with self._changed:
                self._acknowledging -= 1
                if not self._acknowledging:
                    self._changed.notify_all()

    def checkpoint(self) -> None:
        if getattr(self._on_ack_path, "active", False):
            return  # an acknowledgement's own Web API call (a modal's) goes at once
        with self._changed:
            self._changed.wait_for(lambda: not self._acknowledging, timeout=self.MAX_WAIT_SECONDS)


class WorkNotRecorded(RuntimeError):
    """The work log could not be written (a full disk, a lock held too long): the request must not
    be acknowledged as if it were, so that Slack sends an event again."""


class DurableWork(LazyListenerRunner):
    """Bolt's lazy listener runner, durable: see the module's docstring."""

    def __init__(self, path: Path, threads: int):
        self.logger = log
        self.log = WorkLog(path)
        self.acks_first = AcksFirst()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="planbot-work")
        self._running: set[Future] = set()
        self._running_lock = threading.Lock()
        self._stopping = threading.Event()
        self._app: App | None = None
        self._beating: threading.Thread | None = None

    # -- Bolt's side --

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        name = get_name_for_callable(function)
        key, kind = delivery_key(request.body, name)
        try:
            recorded = self.log.record(key, name, request.body, kind)
        except sqlite3.Error as error:
            raise WorkNotRecorded(f"{key}: {error}") from error
        if not recorded:
            log.info("dropped a redelivered %s", kind)
            return
        request.context[WORK_KEY] = key
        self._submit(key, build_runnable_function(func=function, logger=self.logger, request=request))

    # -- ours --

    def serve(self, app: App) -> None:
        """Take up what gone processes left unfinished, now and every few seconds."""
        self._app = app
        self._resume()
        self._beating = threading.Thread(target=self._beat, name="planbot-work-beat", daemon=True)
        self._beating.start()

    def _beat(self) -> None:
        while not self._stopping.wait(BEAT_EVERY_SECONDS):
            try:
                self.log.beat()
                self.log.checkpoint()
                self._resume()
            except sqlite3.Error:
                log.exception("the work log's heartbeat failed")

    def _resume(self) -> None:
        for work in self.log.take_over():
            if work.attempts >= MAX_ATTEMPTS:
                log.warning("gave up on %s after %d attempts", work.key, work.attempts)
                self.log.finished(work.key, "given up")
            elif _now() - work.received_at > RESUME_WITHIN.get(work.kind, RESUME_WITHIN["interaction"]):
                log.warning("too late to resume %s (received %s)", work.key, _stamp(work.received_at))
                self.log.finished(work.key, "expired")
            else:
                log.info("resuming %s left unfinished by a stopped process", work.key)
                self._submit(work.key, self._replay(work))

    def _replay(self, work: Unfinished) -> Callable[[], None]:
        request = BoltRequest(
            body=work.body, mode="socket_mode", context={WORK_KEY: work.key},
            headers={"x-slack-bolt-lazy-only": "1", "x-slack-bolt-lazy-function-name": work.function})
        app = self._app
        return lambda: app.dispatch(request)

    def _submit(self, key: str, run: Callable[[], object]) -> None:
        def do() -> None:
            if self._stopping.is_set():
                return  # left in the log for the next start
            request_id.set(key)
            self.acks_first.checkpoint()
            self.log.started(key)
            began = time.perf_counter()
            try:
                run()
            finally:
                self.log.finished(key)
                log.info("finished in %.0f ms", (time.perf_counter() - began) * 1000)

        try:
            future = self._pool.submit(do)
        except RuntimeError:  # the pool is shut down: the work stays recorded for the next start
            return
        with self._running_lock:
            self._running.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future) -> None:
        with self._running_lock:
            self._running.discard(future)

    def drain(self, seconds: float) -> int:
        """Stop taking work, wait up to ``seconds`` for what is running; the number of pieces of
        work left for the next start."""
        self._stopping.set()
        with self._running_lock:
            running = set(self._running)
        wait_for_futures(running, timeout=seconds)
        self._pool.shutdown(wait=False, cancel_futures=True)
        left = self.log.unfinished_count()
        log.info("stopped; %d piece(s) of work left for the next start", left)
        return left

    def close(self) -> None:
        """Stop; work still running past the drain is not waited for (it is left for the next start)."""
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._running_lock:
            still_running = bool(self._running)
        if not still_running:
            self.log.close()
