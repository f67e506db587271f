"""The work log on a real SQLite file: a delivery is recorded once, the work of a process that is
gone is taken over by exactly one live process, and work that keeps failing or is too old is
given up rather than resumed forever."""

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.slack.work import MAX_ATTEMPTS, DurableWork, WorkLog


def _age(path, instance: str, seconds: float, host: str | None = None) -> None:
    """Make ``instance`` look as if it last beat ``seconds`` ago (on ``host``)."""
    with sqlite3.connect(path) as db:
        beat = (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
        db.execute("UPDATE instances SET beat_at = ? WHERE id = ?", [beat, instance])
        if host:
            db.execute("UPDATE instances SET host = ? WHERE id = ?", [host, instance])


def test_a_delivery_is_recorded_once(tmp_path):
    log = WorkLog(tmp_path / "work.db")
    assert log.record("event:Ev1:on_mention", "on_mention", {"event_id": "Ev1"}, "event")
    assert not log.record("event:Ev1:on_mention", "on_mention", {"event_id": "Ev1"}, "event")
    assert log.unfinished_count() == 1


def test_the_work_of_a_silent_process_is_taken_over_by_one_live_process_only(tmp_path):
    path = tmp_path / "work.db"
    gone = WorkLog(path)
    gone.record("event:Ev2:on_mention", "on_mention", {"event_id": "Ev2", "n": 1}, "event")
    _age(path, gone.me, 5, host="another-host")  # on another machine, and still beating: alive
    first, second = WorkLog(path), WorkLog(path)
    assert first.take_over() == [] and second.take_over() == []

    _age(path, gone.me, 120, host="another-host")  # silent for two minutes: gone
    taken = first.take_over() + second.take_over()
    assert [(work.key, work.body) for work in taken] == [("event:Ev2:on_mention", {"event_id": "Ev2", "n": 1})]


def test_work_that_keeps_failing_or_is_too_old_is_given_up(tmp_path):
    path = tmp_path / "work.db"
    gone = WorkLog(path)
    gone.record("event:Ev3:on_mention", "on_mention", {"event_id": "Ev3"}, "event")
    gone.record("request:r1:on_open", "on_open", {"trigger_id": "t"}, "interaction")
    for _ in range(MAX_ATTEMPTS):
        gone.started("event:Ev3:on_mention")
    with sqlite3.connect(path) as db:
        hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")
        db.execute("UPDATE work SET received_at = ? WHERE key = 'request:r1:on_open'", [hour_ago])
    _age(path, gone.me, 120, host="another-host")

    work = DurableWork(path, threads=1)
    work.serve(app=None)  # nothing is replayed, so no app is needed
    with sqlite3.connect(path) as db:
        outcomes = dict(db.execute("SELECT key, outcome FROM work"))
    work.close()
    assert outcomes == {"event:Ev3:on_mention": "given up", "request:r1:on_open": "expired"}
