"""The plan log: every content plan card in one SQLite file, with its history and search.

One row per card in ``plans`` (the card flattened to one column per field, see ``columns``), an
append-only ``plan_history`` (who changed what, when) and an FTS5 index over the card's free
text, kept in sync by triggers. The file is opened in WAL mode so readers never wait for a
writer. The schema is in ``schema``, the CSV format in ``csv_codec``.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlite_utils.utils import chunks

from bot.domain.channels import Channel
from bot.domain.plan import (
    PLACE_FIELDS,
    ContentPlan,
    Finding,
    PlanStatus,
    StaleVersion,
    TransitionError,
    check_transition,
)
from bot.domain.stages import AwarenessStage
from bot.files import read_bytes
from bot.models import HistoryAction, HistoryEvent, ImportReport, ImportRowError, OnConflict, PlanQuery
from bot.storage import csv_codec, schema
from bot.storage.columns import SEARCHABLE_COLUMNS
from bot.storage.history import BLANK_CARD, changes_between, diff, flatten
from bot.storage.log_file import LogFile
from bot.storage.rows import iso_utc, json_to_row, plan_to_row, row_to_plan, to_json
from bot.storage.transactions import BUSY_TIMEOUT_SECONDS, write_transaction

log = logging.getLogger(__name__)

ACTIVE_STATUSES = [status.value for status in PlanStatus if status is not PlanStatus.ARCHIVED]
TRIGRAM_MIN_QUERY = 3
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_QUOTED_TERM = re.compile(r'"([^"]+)"')
# Called with the stored plan before a change to it is written; raises to refuse the change.
Guard = Callable[[ContentPlan], None]
# How many ids one IN (…) list may hold; SQLite's default limit is far above, this keeps it cheap.
ID_BATCH = 500


class _ImportRefused(Exception):
    def __init__(self, errors: list[ImportRowError]):
        super().__init__(f"{len(errors)} row(s) refused")
        self.errors = errors


class PlanNotFound(LookupError):
    def __init__(self, plan_id: int):
        super().__init__(f"no plan with id {plan_id}")
        self.plan_id = plan_id


def _now() -> datetime:
    return datetime.now(UTC)


def _validated(plan: ContentPlan) -> ContentPlan:
    """Re-check a card before writing it: a model changed by attribute assignment skips its
    validators, and an invalid row would make the plan unreadable for good."""
    return ContentPlan.model_validate(plan.model_dump())


class PlanLog(LogFile):
    """The plan log in one SQLite file. Safe to share between threads (one connection, locked)."""

    def __init__(self, path: Path):
        super().__init__(path)
        self._tokenizer = self._read_tokenizer()

    def close(self) -> None:
        with self._lock:
            # Lets SQLite refresh planner statistics the queries above depend on (cheap). Only an
            # optimisation: when another process holds the file past the busy timeout, the next
            # close does it, and this one must still close.
            try:
                self.db.execute("PRAGMA optimize")
            except sqlite3.OperationalError as error:
                log.info("PRAGMA optimize skipped on close: %s", error)
        super().close()

    def writable(self) -> bool:
        """True when a write could start now: the write lock taken within a second, and let go."""
        with self._lock:
            self.db.conn.execute("PRAGMA busy_timeout = 1000")
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                self.db.conn.execute("ROLLBACK")
                return True
            except sqlite3.Error:
                return False
            finally:
                self.db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")

    @property
    def migrations(self) -> list[str]:
        """The names of the migrations applied to this file, in order."""
        return [migration.name for migration in schema.PLAN_LOG_MIGRATIONS.applied(self.db)]

    # -- writing --

    def save(self, plan: ContentPlan, who: str, guard: Guard | None = None) -> ContentPlan:
        """Insert a new card (``id`` None, owned by its author) or update an existing one, with
        its history entry; ``guard(stored)`` may refuse an update, inside the write transaction.

        Updating to another status must follow the workflow (``TransitionError`` otherwise).
        Saving a card identical to the stored one writes nothing.
        """
        plan = _validated(plan)
        with self._lock, write_transaction(self.db):
            now = _now()
            if plan.id is None:
                author = plan.author or who
                plan = plan.model_copy(update={"created_at": now, "updated_at": now, "author": author,
                                               "owner": plan.owner or author, "version": 1})
                plan_id = self.db["plans"].insert(plan_to_row(plan)).last_pk
                self._record(plan_id, now, who, HistoryAction.CREATED, diff(ContentPlan(), plan))
            else:
                plan_id = plan.id
                if guard:
                    guard(self._get(plan_id))
                self._update(plan, who, HistoryAction.EDITED)
            return self._get(plan_id)

    def modify(self, plan_id: int, change: Callable[[ContentPlan], ContentPlan], who: str,
               guard: Guard | None = None) -> ContentPlan:
        """Read a plan, ``change`` it and write it back in one write transaction, so concurrent
        edits of different fields all land; ``guard`` or ``change`` may raise to write nothing."""
        with self._lock, write_transaction(self.db):
            before = self._get(plan_id)
            if guard:
                guard(before)
            changed = _validated(change(before)).model_copy(update={"id": plan_id, "version": before.version})
            self._update(changed, who, HistoryAction.EDITED)
            return self._get(plan_id)

    def _update(self, plan: ContentPlan, who: str, action: HistoryAction) -> bool:
        """Write a changed card over the stored one, inside the caller's write transaction;
        False when nothing changed. The card must carry the version it was read at (else
        StaleVersion), and a status change must follow the workflow."""
        before = self._get(plan.id)
        if plan.version != before.version:
            raise StaleVersion(plan.id, before.version, self._last_editor(plan.id))
        if plan.status is not before.status:
            check_transition(before.status, plan.status)
        now = _now()
        # Whose it is and where it lives change only by handing it over.
        kept = {field: getattr(before, field) for field in PLACE_FIELDS if action is not HistoryAction.HANDED_OVER}
        plan = plan.model_copy(update=kept | {"created_at": before.created_at, "updated_at": now,
                                              "version": before.version + 1})
        changes = diff(before, plan)
        if not changes:
            return False
        self.db["plans"].update(plan.id, plan_to_row(plan))
        self._record(plan.id, now, who, action, changes)
        return True

    def hand_over(self, plan_id: int, owner: str, who: str, guard: Guard | None = None) -> ContentPlan:
        with self._lock, write_transaction(self.db):
            before = self._get(plan_id)
            if guard:
                guard(before)
            self._update(before.model_copy(update={"owner": owner}), who, HistoryAction.HANDED_OVER)
            return self._get(plan_id)

    def set_status(self, plan_id: int, status: PlanStatus, who: str, guard: Guard | None = None) -> ContentPlan:
        status = PlanStatus(status)
        with self._lock, write_transaction(self.db):
            before = self._get(plan_id)
            if guard:
                guard(before)
            check_transition(before.status, status)
            now = _now()
            self.db["plans"].update(plan_id, {"status": status.value, "updated_at": iso_utc(now),
                                              "version": before.version + 1})
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
        with self._lock, write_transaction(self.db):
            return self._insert_many([_validated(plan) for plan in plans], who, HistoryAction.CREATED)

    def _insert_many(self, plans: list[ContentPlan], who: str, action: HistoryAction) -> list[int]:
        """Insert cards, with their history, inside the caller's write transaction."""
        now = _now()
        # Ids are handed out here, inside the write lock, so each history row can name its
        # plan without reading every row back — and in creation order, so that "most
        # recently added first" stays chronological for a batch loaded from elsewhere.
        highest = self.db.execute("SELECT coalesce(max(id), 0) FROM plans").fetchone()[0]
        next_id = max([highest, *(plan.id for plan in plans if plan.id is not None)]) + 1
        new_ids: dict[int, int] = {}
        unnumbered = [index for index, plan in enumerate(plans) if plan.id is None]
        # Compared as UTC text: a spreadsheet's naive times and aware ones do not compare.
        for index in sorted(unnumbered, key=lambda index: iso_utc(plans[index].created_at or now)):
            new_ids[index] = next_id
            next_id += 1

        rows, history, ids = [], [], []
        at = iso_utc(now)
        for index, plan in enumerate(plans):
            data = plan.model_dump(mode="json")
            data["id"] = plan.id if plan.id is not None else new_ids[index]
            data["author"] = data["author"] or who
            data["version"] = plan.version or 1  # a copy from another log keeps its count
            created_at = plan.created_at or now
            rows.append(json_to_row(data, created_at, plan.updated_at or created_at))
            history.append({
                "plan_id": data["id"], "at": at, "who": who, "action": action.value,
                "changes": to_json(changes_between(BLANK_CARD, flatten(data))),
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
        self, filters: PlanQuery | None = None, limit: int | None = 50, offset: int = 0
    ) -> list[ContentPlan]:
        """Most recently added first (by id: for plans made with ``save`` that is creation order).

        ``limit=None`` returns every match (for exports).
        """
        with self._lock:
            return [row_to_plan(row) for row in self._select(filters or PlanQuery(), limit, offset)]

    def count(self, filters: PlanQuery | None = None) -> int:
        source, where, params = self._query_parts(filters or PlanQuery())
        with self._lock:
            return self.db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]

    def coverage(self, filters: PlanQuery | None = None) -> dict[tuple[AwarenessStage, Channel], int]:
        """Active (not archived) plans per 5A stage × channel, of those ``filters`` select (who
        may see them); every pair is present, gaps as 0. Plans without a stage or a channel are
        not counted.
        """
        matrix = {(stage, channel): 0 for stage in AwarenessStage for channel in Channel}
        source, where, params = self._query_parts((filters or PlanQuery()).model_copy(
            update={"status": None, "include_archived": False}))
        with self._lock:
            # Grouping by status too lets SQLite stream the (status, stage, channel) index in
            # order instead of sorting 100k keys; the outer query folds the statuses together.
            cursor = self.db.execute(
                f"""SELECT stage, channel, sum(plans) FROM (
                        SELECT plans.status, plans.stage, plans.channel, count(*) AS plans FROM {source}
                        WHERE {where} AND plans.stage IS NOT NULL AND plans.channel IS NOT NULL
                        GROUP BY plans.status, plans.stage, plans.channel
                    ) GROUP BY stage, channel""",
                params,
            )
            for stage, channel, count in cursor:
                matrix[AwarenessStage(stage), Channel(channel)] = count
        return matrix

    # -- export and import --

    def export_csv(self, filters: PlanQuery | None, file: str | Path | TextIO) -> int:
        """Write the matching plans (most recently added first) as CSV; returns how many."""
        if isinstance(file, (str, Path)):
            with open(file, "w", encoding="utf-8-sig", newline="") as handle:
                return self.export_csv(filters, handle)
        with self._lock:
            return csv_codec.write_rows(self._select(filters or PlanQuery(), limit=None, offset=0), file)

    def import_csv(self, file: str | Path | TextIO, who: str, on_conflict: OnConflict | None = None,
                   admit: Callable[[ContentPlan], ContentPlan] | None = None) -> ImportReport:
        """Add every row of a CSV file (the ``export_csv`` format) — or none.

        A row without an id becomes a new plan. A row whose id is not in the log keeps it; one
        whose id is, is refused unless ``on_conflict`` says to skip it, update that plan from it,
        or add it as a new plan. Any bad row is reported (with its row number) and then nothing
        is written. A file is read as UTF-8 (with or without a byte order mark) or GB18030.
        ``admit`` turns each row's card into what may be stored (the checks, the workflow).
        """
        if isinstance(file, (str, Path)):
            text = csv_codec.decode(read_bytes(Path(file)))
            return self.import_csv(io.StringIO(text, newline=""), who, on_conflict, admit)
        plans, seen_ids, errors = csv_codec.read_plans(file)
        if admit is not None:
            plans = [admit(plan) for plan in plans]
        if errors and errors[0].row == 1:
            return ImportReport(errors=errors)
        try:
            return self._import(plans, seen_ids, errors, who, on_conflict)
        except _ImportRefused as refused:
            return ImportReport(errors=sorted(refused.errors, key=lambda error: error.row))

    def _import(self, plans: list[ContentPlan], seen_ids: dict[int, int], errors: list[ImportRowError], who: str,
                on_conflict: OnConflict | None) -> ImportReport:
        # One write transaction: no save from another process or thread takes one of these ids,
        # or changes one of these plans, in between; a refusal rolls all of it back.
        with self._lock, write_transaction(self.db):
            taken = self._existing_ids(seen_ids)
            if on_conflict is None:
                errors += [
                    ImportRowError(row=seen_ids[plan_id], message=(
                        f"a plan with id {plan_id} is already in the log; empty the id cell to add it as a new "
                        "plan, or choose what to do with such rows (skip, update, new)"))
                    for plan_id in sorted(taken)
                ]
            new = [plan for plan in plans if plan.id not in taken]
            existing = [plan for plan in plans if plan.id in taken]
            updated: list[int] = []
            if on_conflict is OnConflict.NEW:
                new += [plan.model_copy(update={"id": None}) for plan in existing]
            elif on_conflict is OnConflict.UPDATE:
                for plan in existing:
                    # An import overwrites on purpose: it starts from whatever version is stored.
                    plan = plan.model_copy(update={"version": self._get(plan.id).version})
                    try:
                        if self._update(plan, who, HistoryAction.IMPORTED):
                            updated.append(plan.id)
                    except TransitionError as error:
                        errors.append(ImportRowError(row=seen_ids[plan.id], message=f"status: {error}"))
            if errors:
                raise _ImportRefused(errors)
            ids = self._insert_many(new, who, HistoryAction.IMPORTED)
        skipped = sorted(plan.id for plan in existing) if on_conflict is OnConflict.SKIP else []
        return ImportReport(imported=len(ids), ids=ids, updated=updated, skipped=skipped)

    # -- findings written before they had codes --

    def ids_with_legacy_findings(self) -> list[int]:
        """Plans whose stored findings are sentences (saved before findings had codes)."""
        with self._lock:
            # The LIKE skips the JSON work for the plans with no findings or only coded ones.
            cursor = self.db.execute(
                "SELECT id FROM plans WHERE findings != '[]' AND findings LIKE '%\"message\"%' AND EXISTS "
                "(SELECT 1 FROM json_each(plans.findings) WHERE json_extract(json_each.value, '$.code') IS NULL) "
                "ORDER BY id")
            return [plan_id for (plan_id,) in cursor]

    def replace_findings(self, findings_by_plan: dict[int, list[Finding]]) -> None:
        """Store re-computed findings, all in one transaction. Findings are derived from the card
        and the rules, so this is no edit: no history entry, no new ``updated_at``."""
        with self._lock, write_transaction(self.db):
            for plan_id, findings in findings_by_plan.items():
                self.db["plans"].update(plan_id, {"findings": to_json([f.model_dump(mode="json") for f in findings])})

    # -- internals --

    def _read_tokenizer(self) -> str:
        # The tokenizer chosen when the index was created, not the one this SQLite would choose.
        schema = self.db["plans_fts"].schema
        return "trigram" if "trigram" in schema else "unicode61"

    def _get(self, plan_id: int) -> ContentPlan:
        cursor = self.db.execute("SELECT * FROM plans WHERE id = ?", [plan_id])
        row = cursor.fetchone()
        if row is None:
            raise PlanNotFound(plan_id)
        return row_to_plan(dict(zip((d[0] for d in cursor.description), row, strict=True)))

    def _last_editor(self, plan_id: int) -> str:
        row = self.db.execute("SELECT who FROM plan_history WHERE plan_id = ? ORDER BY id DESC LIMIT 1",
                              [plan_id]).fetchone()
        return row[0] if row else ""

    def _existing_ids(self, ids: Iterable[int]) -> set[int]:
        found: set[int] = set()
        for batch in chunks(ids, ID_BATCH):
            batch = list(batch)
            cursor = self.db.execute(f"SELECT id FROM plans WHERE id IN ({', '.join('?' * len(batch))})", batch)
            found.update(plan_id for (plan_id,) in cursor)
        return found

    def _record(self, plan_id: int, at: datetime, who: str, action: HistoryAction, changes: dict) -> None:
        self.db["plan_history"].insert({
            "plan_id": plan_id, "at": iso_utc(at), "who": who, "action": action.value,
            "changes": to_json(changes),
        })

    def _select(self, filters: PlanQuery, limit: int | None, offset: int) -> Iterator[dict[str, Any]]:
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
            yield dict(zip(columns, row, strict=True))

    def _query_parts(self, filters: PlanQuery) -> tuple[str, str, list[Any]]:
        """(FROM clause, WHERE clause, parameters) selecting the plans ``filters`` describe."""
        source = "plans"
        conditions: list[str] = []
        params: list[Any] = []
        # Each word (or "quoted phrase") quoted: the user's words are text, never FTS5 query syntax.
        quoted = self.db.quote_fts(filters.text) if filters.text else ""
        terms = _QUOTED_TERM.findall(quoted)
        if terms:
            if self._can_use_index(terms):
                # CROSS JOIN keeps the FTS table as the outer loop (see _select).
                source = "plans_fts CROSS JOIN plans ON plans.id = plans_fts.rowid"
                conditions.append("plans_fts MATCH ?")
                params.append(quoted)
            else:
                # Too short for a trigram (or CJK without one): scan. Slower, but still correct.
                for term in terms:
                    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                    conditions.append("(" + " OR ".join(
                        f"plans.{column} LIKE ? ESCAPE '\\'" for column in SEARCHABLE_COLUMNS) + ")")
                    params += [pattern] * len(SEARCHABLE_COLUMNS)
        if (viewer := filters.visible_to) is not None:
            # As bot.domain.access.can_see: of the viewer's workspace (see same_workspace), and
            # homed in this channel, or the viewer's own and not in another channel that is private.
            if not viewer.one_workspace:
                conditions.append("plans.workspace = ? AND plans.workspace != ''")
                params.append(viewer.workspace)
            elif viewer.workspace:
                conditions.append("plans.workspace IN (?, '')")
                params.append(viewer.workspace)
            conditions.append("((plans.home != '' AND plans.home = ?) OR "
                              "(plans.owner = ? AND (plans.home_private = 0 OR plans.home = ?)))")
            params += [viewer.channel, viewer.user, viewer.channel]
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
        if filters.segment is not None:
            conditions.append("plans.segment = ? COLLATE NOCASE")
            params.append(filters.segment.strip())
        if filters.tag is not None:
            conditions.append("EXISTS (SELECT 1 FROM json_each(plans.tags) WHERE json_each.value = ?)")
            params.append(filters.tag.strip())
        if filters.due_from is not None:
            conditions.append("plans.due >= ?")
            params.append(filters.due_from.isoformat())
        if filters.due_to is not None:
            conditions.append("plans.due <= ?")
            params.append(filters.due_to.isoformat())
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
