"""Plans' results, each a version per (plan, period), and the notices sent on a schedule.

Both live in the plan log's file (one file to back up). Recording a period's figures again adds
a version: the newest is the one counted, and the history shows who changed what when. A write
names the version it started from and is refused when someone recorded a newer one meanwhile.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

from bot.domain.results import PlanResult
from bot.storage.log_file import LogFile
from bot.storage.transactions import write_transaction

_FIGURES = ("reach", "engagement", "clicks", "moved", "note")
_COLUMNS = "plan_id, period_start, period_end, version, reach, engagement, clicks, moved, note, who, at"


class StaleResult(ValueError):
    """Figures recorded from a version someone has replaced since."""

    def __init__(self, current: PlanResult):
        super().__init__(f"plan {current.plan_id} {current.period_start}..{current.period_end} is at version "
                         f"{current.version} (recorded by {current.who})")
        self.current = current


class ResultsLog(LogFile):
    def record(self, result: PlanResult, who: str, base_version: int | None = None) -> PlanResult:
        """A new version of the plan's figures for that period (unchanged figures: the current one)."""
        with self._lock, write_transaction(self.db):
            return self._record(result, who, base_version)

    def _record(self, result: PlanResult, who: str, base_version: int | None = None) -> PlanResult:
        current = self._current(result.plan_id, result.period_start, result.period_end)
        version = current.version if current else 0
        if base_version is not None and base_version != version:
            raise StaleResult(current or result.model_copy(update={"version": 0, "who": ""}))
        if current is not None and all(getattr(current, name) == getattr(result, name) for name in _FIGURES):
            return current
        at = datetime.now(UTC)
        recorded = result.model_copy(update={"who": who, "at": at, "version": version + 1})
        self.db["plan_results"].insert({
            "plan_id": recorded.plan_id, "period_start": recorded.period_start.isoformat(),
            "period_end": recorded.period_end.isoformat(), "version": recorded.version,
            **{name: getattr(recorded, name) for name in _FIGURES}, "who": who, "at": at.isoformat()})
        return recorded

    def record_many(self, results: list[PlanResult], who: str) -> list[PlanResult]:
        """Each result as its period's new version, all in one transaction (an import)."""
        with self._lock, write_transaction(self.db):
            return [self._record(result, who) for result in results]

    def current(self, plan_ids: list[int] | None = None, since: date | None = None,
                until: date | None = None) -> list[PlanResult]:
        """The current figures of every (plan, period), of ``plan_ids`` if given, whose period
        overlaps ``since``..``until``."""
        conditions = ["version = (SELECT MAX(version) FROM plan_results AS newer WHERE newer.plan_id = r.plan_id "
                      "AND newer.period_start = r.period_start AND newer.period_end = r.period_end)"]
        params: list = []
        if plan_ids is not None:
            if not plan_ids:
                return []
            conditions.append(f"plan_id IN ({', '.join('?' * len(plan_ids))})")
            params += plan_ids
        if since is not None:
            conditions.append("period_end >= ?")
            params.append(since.isoformat())
        if until is not None:
            conditions.append("period_start <= ?")
            params.append(until.isoformat())
        with self._lock:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM plan_results AS r WHERE {' AND '.join(conditions)} "
                                   "ORDER BY plan_id, period_start, period_end", params).fetchall()
        return [_result(row) for row in rows]

    def history(self, plan_id: int) -> list[PlanResult]:
        """Every version of every period's figures of a plan, oldest first."""
        with self._lock:
            rows = self.db.execute(f"SELECT {_COLUMNS} FROM plan_results WHERE plan_id = ? "
                                   "ORDER BY period_start, period_end, version", [plan_id]).fetchall()
        return [_result(row) for row in rows]

    def _current(self, plan_id: int, start: date, end: date) -> PlanResult | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM plan_results WHERE plan_id = ? AND period_start = ? "
                              "AND period_end = ? ORDER BY version DESC LIMIT 1",
                              [plan_id, start.isoformat(), end.isoformat()]).fetchone()
        return _result(row) if row else None

    # -- notices sent on a schedule --

    def claim_notice(self, key: str) -> bool:
        """True for the one caller (in any process, before or after a restart) that sends ``key``."""
        with self._lock, write_transaction(self.db):
            cursor = self.db.execute("INSERT OR IGNORE INTO sent_notices (key, at) VALUES (?, ?)",
                                     [key, datetime.now(UTC).isoformat()])
            return cursor.rowcount == 1

    def release_notice(self, key: str) -> None:
        """``key`` could not be sent after all: let the next attempt send it."""
        with self._lock, write_transaction(self.db):
            self.db.execute("DELETE FROM sent_notices WHERE key = ?", [key])


def _result(row) -> PlanResult:
    plan_id, start, end, version, reach, engagement, clicks, moved, note, who, at = row
    # Read back as stored: the figures were checked when they were recorded.
    return PlanResult.model_construct(
        plan_id=plan_id, period_start=date.fromisoformat(start), period_end=date.fromisoformat(end),
        version=version, reach=reach, engagement=engagement, clicks=clicks, moved=moved, note=note or "", who=who,
        at=datetime.fromisoformat(at))


RESULT_COLUMNS = ("plan_id", "period_start", "period_end", "reach", "engagement", "clicks", "moved", "note")


def read_results_csv(file: str | Path | io.TextIOBase) -> list[tuple[int, dict[str, str]]]:
    """The rows of a results CSV by spreadsheet row number (the header is row 1)."""
    if isinstance(file, (str, Path)):
        with open(file, encoding="utf-8-sig", newline="") as opened:
            return read_results_csv(opened)
    reader = csv.DictReader(file)
    return [(number, {key.strip().lower(): (value or "").strip() for key, value in row.items() if key})
            for number, row in enumerate(reader, start=2)]
