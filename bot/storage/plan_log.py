"""The plan log: every content plan card in one SQLite file, with its history and search.

One row per card in ``plans`` (the card flattened to one column per field), an append-only
``plan_history`` (who changed what, when) and an FTS5 index over the card's free text, kept in
sync by triggers. The file is opened in WAL mode so readers never wait for a writer.

CSV format (export and import): the columns of ``CSV_COLUMNS`` — ``id`` followed by the
flattened column names. Empty cells mean "not set". ``tags`` and ``findings`` are JSON arrays;
on import ``tags`` may also be written by hand as ``a; b; c``. Timestamps are ISO 8601 (UTC),
``due`` an ISO date. Files written to a path carry a UTF-8 byte order mark so that
spreadsheet programs show Chinese and Korean text correctly; import accepts files with or
without one.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, Field, ValidationError
from sqlite_utils import Database

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, PlanStatus, check_transition
from bot.domain.stages import AwarenessStage, FunnelStage

# Each column of ``plans`` and the (dotted) ContentPlan field it stores.
COLUMN_FIELDS: dict[str, str] = {
    "funnel_stage": "funnel_stage",
    "stage": "stage",
    "content_title": "content.title",
    "content_description": "content.description",
    "duration_seconds": "content.format.duration_seconds",
    "word_count": "content.format.word_count",
    "image_share": "content.format.image_share",
    "channel": "channel",
    "segment": "segment",
    "understanding": "understanding",
    "feeling": "feeling",
    "action": "action",
    "next_stage": "next_stage",
    "lang": "lang",
    "owner": "owner",
    "campaign": "campaign",
    "tags": "tags",
    "due": "due",
    "status": "status",
    "findings": "findings",
    "author": "author",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
CSV_COLUMNS: list[str] = ["id", *COLUMN_FIELDS]
FIELD_COLUMNS: dict[str, str] = {field: column for column, field in COLUMN_FIELDS.items()}

SEARCHABLE_COLUMNS = [
    "content_title", "content_description", "segment", "understanding", "feeling", "action",
    "campaign", "tags",
]

# Fields the log maintains itself; a difference in them is not an edit worth recording.
BOOKKEEPING_FIELDS = {"id", "created_at", "updated_at"}

ACTIVE_STATUSES = [status.value for status in PlanStatus if status is not PlanStatus.ARCHIVED]

# The trigram tokenizer (SQLite 3.34+) indexes every 3-character window, so a word inside
# unspaced Chinese or Korean text is found; unicode61 would index a whole CJK run as one token.
TRIGRAM_MIN_VERSION = (3, 34, 0)
SQLITE_VERSION: tuple[int, int, int] = sqlite3.sqlite_version_info
TRIGRAM_MIN_QUERY = 3
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class HistoryAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    STATUS = "status"
    IMPORTED = "imported"


class HistoryEvent(BaseModel):
    at: datetime
    who: str
    action: HistoryAction
    # {dotted ContentPlan field: (old, new)}, values as they appear in the card's JSON form.
    changes: dict[str, tuple[Any, Any]]


class PlanFilter(BaseModel):
    """Which plans to list. Every field given narrows the result; all of them are optional."""

    stage: AwarenessStage | None = None
    funnel_stage: FunnelStage | None = None
    channel: Channel | None = None
    # None means every status but archived (unless include_archived).
    status: PlanStatus | None = None
    include_archived: bool = False
    author: str | None = None
    campaign: str | None = None
    tag: str | None = None
    # Inclusive calendar days, in UTC.
    created_from: date | None = None
    created_to: date | None = None
    text: str | None = None


class ImportRowError(BaseModel):
    row: int = Field(description="spreadsheet row number: the header is row 1, data starts at 2")
    message: str


class ImportReport(BaseModel):
    imported: int = 0
    ids: list[int] = Field(default_factory=list)
    errors: list[ImportRowError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class PlanNotFound(LookupError):
    def __init__(self, plan_id: int):
        super().__init__(f"no plan with id {plan_id}")
        self.plan_id = plan_id


class SchemaTooNew(RuntimeError):
    """The file was written by a newer planbot; opening it here could damage it."""


# --- schema ------------------------------------------------------------------------------


def fts_tokenizer(sqlite_version: tuple[int, int, int]) -> str:
    return "trigram" if sqlite_version >= TRIGRAM_MIN_VERSION else "unicode61"


def _create_plans_history_and_search(db: Database) -> None:
    text_columns = [
        "content_title", "content_description", "segment", "understanding", "feeling", "action",
        "lang", "owner", "campaign", "status", "author",
    ]
    db["plans"].create(
        {
            "id": int,
            "funnel_stage": str,
            "stage": str,
            "content_title": str,
            "content_description": str,
            "duration_seconds": int,
            "word_count": int,
            "image_share": float,
            "channel": str,
            "segment": str,
            "understanding": str,
            "feeling": str,
            "action": str,
            "next_stage": str,
            "lang": str,
            "owner": str,
            "campaign": str,
            "tags": str,
            "due": str,
            "status": str,
            "findings": str,
            "author": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={*text_columns, "tags", "findings", "created_at", "updated_at"},
        defaults={column: "" for column in text_columns}
        | {"lang": Lang.EN.value, "status": PlanStatus.DRAFT.value, "tags": "[]", "findings": "[]"},
    )
    plans = db["plans"]
    # Every index entry ends with the rowid (= id), so equal keys come out in id order: the
    # filtered list reads its newest 50 straight off this index, and the coverage count
    # (grouped by these three columns) never touches the table.
    plans.create_index(["status", "stage", "channel"], index_name="plans_by_status_stage_channel")
    plans.create_index(["author"], index_name="plans_by_author")
    plans.create_index(["campaign"], index_name="plans_by_campaign")
    plans.create_index(["created_at"], index_name="plans_by_created_at")
    plans.enable_fts(SEARCHABLE_COLUMNS, create_triggers=True, tokenize=fts_tokenizer(SQLITE_VERSION))

    db["plan_history"].create(
        {"id": int, "plan_id": int, "at": str, "who": str, "action": str, "changes": str},
        pk="id",
        not_null={"plan_id", "at", "who", "action", "changes"},
        foreign_keys=[("plan_id", "plans", "id")],
    )
    db["plan_history"].create_index(["plan_id"], index_name="plan_history_by_plan")
    # The history is the audit trail: the database itself refuses to rewrite it.
    db.executescript(
        """
        CREATE TRIGGER plan_history_no_update BEFORE UPDATE ON plan_history
        BEGIN SELECT RAISE(ABORT, 'plan_history is append-only'); END;
        CREATE TRIGGER plan_history_no_delete BEFORE DELETE ON plan_history
        BEGIN SELECT RAISE(ABORT, 'plan_history is append-only'); END;
        """
    )


# Migration n (1-based) brings a file from user_version n-1 to n. Append, never edit.
MIGRATIONS: list[Callable[[Database], None]] = [_create_plans_history_and_search]
SCHEMA_VERSION = len(MIGRATIONS)


# --- conversions between cards, rows and CSV cells ---------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso_utc(moment: datetime | None) -> str | None:
    """One fixed text form, so that ISO strings sort in time order in SQL."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # a naive time from a spreadsheet is taken to be UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _get_path(data: dict, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data[key]
    return data


def _set_path(data: dict, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{dotted field: [old, new]} for every field that differs, from two flattened JSON dumps."""
    return {
        field: [old[field], new[field]]
        for field in new
        if field not in BOOKKEEPING_FIELDS and old[field] != new[field]
    }


def _diff(before: ContentPlan, after: ContentPlan) -> dict[str, list[Any]]:
    return _changes(_flatten(before.model_dump(mode="json")), _flatten(after.model_dump(mode="json")))


_BLANK_FLAT = _flatten(ContentPlan().model_dump(mode="json"))


def _to_json(value: Any) -> str:
    # ensure_ascii=False keeps Chinese and Korean tags readable and searchable by the FTS index.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plan_to_row(plan: ContentPlan) -> dict[str, Any]:
    return _json_to_row(plan.model_dump(mode="json"), plan.created_at, plan.updated_at)


def _json_to_row(data: dict[str, Any], created_at: datetime | None, updated_at: datetime | None) -> dict[str, Any]:
    """A ``plans`` row from a card's JSON dump (timestamps passed as datetimes, to be normalised)."""
    row = {column: _get_path(data, field) for column, field in COLUMN_FIELDS.items()}
    row["tags"] = _to_json(row["tags"])
    row["findings"] = _to_json(row["findings"])
    row["created_at"] = _iso_utc(created_at)
    row["updated_at"] = _iso_utc(updated_at)
    if data["id"] is not None:
        row["id"] = data["id"]
    return row


def _row_to_plan(row: dict[str, Any]) -> ContentPlan:
    data: dict[str, Any] = {"id": row["id"]}
    for column, field in COLUMN_FIELDS.items():
        _set_path(data, field, row[column])
    data["tags"] = json.loads(row["tags"])
    data["findings"] = json.loads(row["findings"])
    return ContentPlan.model_validate(data)


def _validated(plan: ContentPlan) -> ContentPlan:
    """Re-check a card before writing it: a model changed by attribute assignment skips its
    validators, and an invalid row would make the plan unreadable for good."""
    return ContentPlan.model_validate(plan.model_dump())


def _csv_cell(value: Any) -> str:
    return "" if value is None else str(value)


def _parse_tags(cell: str) -> list[str]:
    if cell.startswith("["):
        return json.loads(cell)
    return [tag.strip() for tag in cell.split(";") if tag.strip()]


def _csv_record_to_plan(record: dict[str, str]) -> ContentPlan:
    """One CSV record (column → cell) as a card; raises ValueError with a readable message."""
    data: dict[str, Any] = {}
    if record.get("id"):
        data["id"] = record["id"]
    for column, field in COLUMN_FIELDS.items():
        cell = record.get(column, "")
        if cell == "":
            continue  # an empty cell leaves the field at its default
        if column == "tags":
            try:
                cell = _parse_tags(cell)
            except json.JSONDecodeError as error:
                raise ValueError(f"tags: not a JSON array ({error.msg})") from None
        elif column == "findings":
            try:
                cell = json.loads(cell)
            except json.JSONDecodeError as error:
                raise ValueError(f"findings: not valid JSON ({error.msg})") from None
        _set_path(data, field, cell)
    try:
        return ContentPlan.model_validate(data)
    except ValidationError as error:
        raise ValueError("; ".join(_describe(problem) for problem in error.errors())) from None


def _describe(problem: dict) -> str:
    location = ".".join(str(part) for part in problem["loc"])
    # Name the CSV column the person edits, not the nested model path.
    column = next((c for f, c in FIELD_COLUMNS.items() if location == f or location.startswith(f + ".")), location)
    return f"{column}: {problem['msg']}"


# --- Markdown -----------------------------------------------------------------------------


# --- the log ------------------------------------------------------------------------------


class PlanLog:
    """The plan log in one SQLite file. Safe to share between threads (one connection, locked)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Slack handlers run on a thread pool: one connection shared under a lock.
        self.db = Database(sqlite3.connect(self.path, check_same_thread=False, timeout=10))
        self._lock = threading.RLock()
        self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self._migrate()
        self._tokenizer = self._read_tokenizer()

    def close(self) -> None:
        with self._lock:
            # Lets SQLite refresh planner statistics the queries above depend on (cheap).
            self.db.execute("PRAGMA optimize")
            self.db.close()

    def __enter__(self) -> PlanLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- writing --

    def save(self, plan: ContentPlan, who: str) -> ContentPlan:
        """Insert a new card (``id`` None) or update an existing one, with its history entry.

        Updating to another status must follow the workflow (``TransitionError`` otherwise).
        Saving a card identical to the stored one writes nothing.
        """
        plan = _validated(plan)
        with self._lock, self._write_transaction():
            now = _now()
            if plan.id is None:
                plan = plan.model_copy(update={"created_at": now, "updated_at": now, "author": plan.author or who})
                plan_id = self.db["plans"].insert(_plan_to_row(plan)).last_pk
                self._record(plan_id, now, who, HistoryAction.CREATED, _diff(ContentPlan(), plan))
            else:
                plan_id = plan.id
                before = self._get(plan_id)
                if plan.status is not before.status:
                    check_transition(before.status, plan.status)
                plan = plan.model_copy(update={"created_at": before.created_at, "updated_at": now})
                changes = _diff(before, plan)
                if not changes:
                    return before
                self.db["plans"].update(plan_id, _plan_to_row(plan))
                self._record(plan_id, now, who, HistoryAction.EDITED, changes)
            return self._get(plan_id)

    def set_status(self, plan_id: int, status: PlanStatus, who: str) -> ContentPlan:
        status = PlanStatus(status)
        with self._lock, self._write_transaction():
            before = self._get(plan_id)
            check_transition(before.status, status)
            now = _now()
            self.db["plans"].update(plan_id, {"status": status.value, "updated_at": _iso_utc(now)})
            self._record(plan_id, now, who, HistoryAction.STATUS, {"status": [before.status.value, status.value]})
            return self._get(plan_id)

    def archive(self, plan_id: int, who: str) -> ContentPlan:
        """Soft delete: the card stays, with its history, and can go back to draft."""
        return self.set_status(plan_id, PlanStatus.ARCHIVED, who)

    def bulk_insert(self, plans: Iterable[ContentPlan], who: str) -> list[int]:
        """Insert many new cards in one transaction (all or none), each with a "created" entry.

        Unlike ``save``, ids and timestamps already on a card are kept (for loading data from
        elsewhere); missing ones are assigned.
        """
        return self._insert_many([_validated(plan) for plan in plans], who, HistoryAction.CREATED)

    def _insert_many(self, plans: list[ContentPlan], who: str, action: HistoryAction) -> list[int]:
        with self._lock, self._write_transaction():
            now = _now()
            # Ids are handed out here, inside the write lock, so each history row can name its
            # plan without reading every row back — and in creation order, so that "most
            # recently added first" stays chronological for a batch loaded from elsewhere.
            highest = self.db.execute("SELECT coalesce(max(id), 0) FROM plans").fetchone()[0]
            next_id = max([highest, *(plan.id for plan in plans if plan.id is not None)]) + 1
            new_ids: dict[int, int] = {}
            unnumbered = [index for index, plan in enumerate(plans) if plan.id is None]
            # Compared as UTC text: a spreadsheet's naive times and aware ones do not compare.
            for index in sorted(unnumbered, key=lambda index: _iso_utc(plans[index].created_at or now)):
                new_ids[index] = next_id
                next_id += 1

            rows, history, ids = [], [], []
            at = _iso_utc(now)
            for index, plan in enumerate(plans):
                data = plan.model_dump(mode="json")
                data["id"] = plan.id if plan.id is not None else new_ids[index]
                data["author"] = data["author"] or who
                created_at = plan.created_at or now
                rows.append(_json_to_row(data, created_at, plan.updated_at or created_at))
                history.append({
                    "plan_id": data["id"], "at": at, "who": who, "action": action.value,
                    "changes": _to_json(_changes(_BLANK_FLAT, _flatten(data))),
                })
                ids.append(data["id"])
            # In id order, each B-tree page is filled once instead of split at random: twice as fast.
            rows.sort(key=lambda row: row["id"])
            history.sort(key=lambda event: event["plan_id"])
            # analyze=True refreshes the planner's statistics after a large load.
            self.db["plans"].insert_all(rows, batch_size=500, analyze=len(rows) >= 1000)
            self.db["plan_history"].insert_all(history, batch_size=2000)
            return ids

    # -- reading --

    def get(self, plan_id: int) -> ContentPlan:
        with self._lock:
            return self._get(plan_id)

    def history(self, plan_id: int) -> list[HistoryEvent]:
        """Oldest first."""
        with self._lock:
            self._get(plan_id)  # an unknown id is an error, not an empty history
            cursor = self.db.execute(
                "SELECT at, who, action, changes FROM plan_history WHERE plan_id = ? ORDER BY id",
                [plan_id],
            )
            return [
                HistoryEvent(at=at, who=who, action=action, changes=json.loads(changes))
                for at, who, action, changes in cursor
            ]

    def list(
        self, filters: PlanFilter | None = None, limit: int | None = 50, offset: int = 0
    ) -> list[ContentPlan]:
        """Most recently added first (by id: for plans made with ``save`` that is creation order).

        ``limit=None`` returns every match (for exports).
        """
        with self._lock:
            return [_row_to_plan(row) for row in self._select(filters or PlanFilter(), limit, offset)]

    def count(self, filters: PlanFilter | None = None) -> int:
        source, where, params = self._query_parts(filters or PlanFilter())
        with self._lock:
            return self.db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]

    def coverage(self) -> dict[tuple[AwarenessStage, Channel], int]:
        """Active (not archived) plans per 5A stage × channel; every pair is present, gaps as 0.

        Plans without a stage or a channel are not counted.
        """
        matrix = {(stage, channel): 0 for stage in AwarenessStage for channel in Channel}
        placeholders = ", ".join("?" * len(ACTIVE_STATUSES))
        with self._lock:
            # Grouping by status too lets SQLite stream the (status, stage, channel) index in
            # order instead of sorting 100k keys; the outer query folds the statuses together.
            cursor = self.db.execute(
                f"""SELECT stage, channel, sum(plans) FROM (
                        SELECT status, stage, channel, count(*) AS plans FROM plans
                        WHERE status IN ({placeholders}) AND stage IS NOT NULL AND channel IS NOT NULL
                        GROUP BY status, stage, channel
                    ) GROUP BY stage, channel""",
                ACTIVE_STATUSES,
            )
            for stage, channel, count in cursor:
                matrix[AwarenessStage(stage), Channel(channel)] = count
        return matrix

    # -- export and import --

    def export_csv(self, filters: PlanFilter | None, file: str | Path | TextIO) -> int:
        """Write the matching plans (most recently added first) as CSV; returns how many."""
        if isinstance(file, (str, Path)):
            with open(file, "w", encoding="utf-8-sig", newline="") as handle:
                return self.export_csv(filters, handle)
        writer = csv.writer(file)
        writer.writerow(CSV_COLUMNS)
        written = 0
        with self._lock:
            for row in self._select(filters or PlanFilter(), limit=None, offset=0):
                writer.writerow([_csv_cell(row[column]) for column in CSV_COLUMNS])
                written += 1
        return written

    def import_csv(self, file: str | Path | TextIO, who: str) -> ImportReport:
        """Add every row of a CSV file (the ``export_csv`` format) as a new plan — or none.

        An ``id`` cell keeps that id, which must not be in the log yet; leave it empty to get a
        new one. Any bad row is reported (with its row number) and then nothing is written.
        """
        if isinstance(file, (str, Path)):
            with open(file, encoding="utf-8-sig", newline="") as handle:
                return self.import_csv(handle, who)
        reader = csv.reader(file)
        header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
        unknown = [column for column in header if column not in CSV_COLUMNS]
        repeated = sorted({column for column in header if header.count(column) > 1})
        if not header or unknown or repeated:
            message = (
                f"unknown columns: {', '.join(unknown)}" if unknown
                else f"columns given twice: {', '.join(repeated)}" if repeated
                else "the file is empty"
            )
            return ImportReport(errors=[ImportRowError(row=1, message=message)])

        plans: list[ContentPlan] = []
        errors: list[ImportRowError] = []
        seen_ids: dict[int, int] = {}
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets often leave empty rows at the end
            if len(cells) > len(header):
                errors.append(ImportRowError(row=row_number, message="more cells than columns"))
                continue
            try:
                plan = _csv_record_to_plan(dict(zip(header, cells)))
            except ValueError as error:
                errors.append(ImportRowError(row=row_number, message=str(error)))
                continue
            if plan.id is not None:
                if plan.id < 1:
                    errors.append(ImportRowError(row=row_number, message="id: must be 1 or more"))
                    continue
                if plan.id in seen_ids:
                    errors.append(ImportRowError(
                        row=row_number, message=f"id {plan.id} is also on row {seen_ids[plan.id]}"))
                    continue
                seen_ids[plan.id] = row_number
            plans.append(plan)

        with self._lock:
            taken = self._existing_ids(seen_ids)
            errors += [
                ImportRowError(row=seen_ids[plan_id], message=(
                    f"a plan with id {plan_id} is already in the log; empty the id cell to add it as a new plan"))
                for plan_id in sorted(taken)
            ]
            if errors:
                return ImportReport(errors=sorted(errors, key=lambda error: error.row))
            # Still under the lock, so no save from this process takes one of these ids in
            # between; if another process does, the insert fails as a whole.
            ids = self._insert_many(plans, who, HistoryAction.IMPORTED)
        return ImportReport(imported=len(ids), ids=ids)

    # -- internals --

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """All-or-nothing writes.

        BEGIN IMMEDIATE (not sqlite-utils' deferred ``atomic()``) takes the write lock before
        the first read: a deferred transaction that reads and then writes fails at once with
        "database is locked" when another process wrote meanwhile, whereas waiting for the lock
        up front lets the busy timeout do its job.
        """
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:
            return
        with self._write_transaction():
            # Read again under the write lock: another process may have migrated meanwhile.
            version = self.schema_version
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{self.path} has plan log schema {version}; this planbot knows up to {SCHEMA_VERSION}"
                )
            for migration in MIGRATIONS[version:]:
                migration(self.db)
            # user_version lives in the file header and commits with the migration itself.
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _read_tokenizer(self) -> str:
        # The tokenizer chosen when the index was created, not the one this SQLite would choose.
        schema = self.db["plans_fts"].schema
        return "trigram" if "trigram" in schema else "unicode61"

    def _get(self, plan_id: int) -> ContentPlan:
        cursor = self.db.execute("SELECT * FROM plans WHERE id = ?", [plan_id])
        row = cursor.fetchone()
        if row is None:
            raise PlanNotFound(plan_id)
        return _row_to_plan(dict(zip((d[0] for d in cursor.description), row)))

    def _existing_ids(self, ids: Iterable[int]) -> set[int]:
        ids = list(ids)
        found: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor = self.db.execute(
                f"SELECT id FROM plans WHERE id IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update(plan_id for (plan_id,) in cursor)
        return found

    def _record(self, plan_id: int, at: datetime, who: str, action: HistoryAction, changes: dict) -> None:
        self.db["plan_history"].insert({
            "plan_id": plan_id, "at": _iso_utc(at), "who": who, "action": action.value,
            "changes": _to_json(changes),
        })

    def _select(self, filters: PlanFilter, limit: int | None, offset: int) -> Iterator[dict[str, Any]]:
        source, where, params = self._query_parts(filters)
        # With a text query the FTS index drives: it yields matches in rowid (= id) order
        # and stops after `limit`, instead of collecting every match to sort it.
        order = "plans_fts.rowid" if source != "plans" else "plans.id"
        sql = f"SELECT plans.* FROM {source} WHERE {where} ORDER BY {order} DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(0, limit), max(0, offset)]
        cursor = self.db.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row))

    def _query_parts(self, filters: PlanFilter) -> tuple[str, str, list[Any]]:
        """(FROM clause, WHERE clause, parameters) selecting the plans ``filters`` describe."""
        source = "plans"
        conditions: list[str] = []
        params: list[Any] = []
        if filters.text is not None and filters.text.strip():
            terms = filters.text.split()
            if self._can_use_index(terms):
                # CROSS JOIN keeps the FTS table as the outer loop (see _select).
                source = "plans_fts CROSS JOIN plans ON plans.id = plans_fts.rowid"
                conditions.append("plans_fts MATCH ?")
                # Each term quoted: the user's words are text, never FTS5 query syntax.
                params.append(" ".join('"' + term.replace('"', '""') + '"' for term in terms))
            else:
                # Too short for a trigram (or CJK without one): scan. Slower, but still correct.
                for term in terms:
                    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                    conditions.append("(" + " OR ".join(
                        f"plans.{column} LIKE ? ESCAPE '\\'" for column in SEARCHABLE_COLUMNS) + ")")
                    params += [pattern] * len(SEARCHABLE_COLUMNS)
        if filters.status is not None:
            conditions.append("plans.status = ?")
            params.append(filters.status.value)
        elif not filters.include_archived:
            # IN rather than != so the (status, stage, channel) index can seek.
            conditions.append(f"plans.status IN ({', '.join('?' * len(ACTIVE_STATUSES))})")
            params += ACTIVE_STATUSES
        for column in ("stage", "funnel_stage", "channel", "author", "campaign"):
            value = getattr(filters, column)
            if value is not None:
                conditions.append(f"plans.{column} = ?")
                params.append(str(value))
        if filters.tag is not None:
            conditions.append("EXISTS (SELECT 1 FROM json_each(plans.tags) WHERE json_each.value = ?)")
            params.append(filters.tag.strip())
        if filters.created_from is not None:
            conditions.append("plans.created_at >= ?")
            params.append(filters.created_from.isoformat())
        if filters.created_to is not None:
            conditions.append("plans.created_at < ?")
            params.append((filters.created_to + timedelta(days=1)).isoformat())
        return source, (" AND ".join(conditions) or "1"), params

    def _can_use_index(self, terms: list[str]) -> bool:
        """Whether FTS can answer these terms (every term must appear, case-insensitively)."""
        if self._tokenizer == "trigram":
            return all(len(term) >= TRIGRAM_MIN_QUERY for term in terms)
        return not any(_CJK.search(term) for term in terms)
