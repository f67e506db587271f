"""The team records: each workspace's profile, channel defaults and teachings, with every version.

They live in the plan log's file (one file to back up) in ``team_records``, one row per version
of a record. A write names the version it started from and is refused when someone saved a newer
one meanwhile, so that two admins editing the profile at once cannot undo each other.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel

from bot.storage.log_file import LogFile
from bot.storage.transactions import write_transaction


class RecordKind(StrEnum):
    PROFILE = "profile"
    CHANNEL_DEFAULTS = "channel_defaults"
    TEACHING = "teaching"
    NOTICE = "notice"      # something planbot told the workspace once
    ROLE = "role"          # a user's role, by user id
    SETTING = "setting"    # a workspace setting, by name
    DIGEST = "digest"      # a channel's digest schedule, by channel id


class TeamRecord(BaseModel):
    key: str
    version: int
    body: dict | None  # None: removed at this version
    who: str
    at: datetime


class StaleRecord(ValueError):
    """A write that started from a version someone has replaced since."""

    def __init__(self, current: TeamRecord):
        super().__init__(f"{current.key} is at version {current.version} (saved by {current.who})")
        self.current = current


class TeamLog(LogFile):

    def current(self, workspace: str, kind: RecordKind, key: str = "") -> TeamRecord | None:
        with self._lock:
            return self._current(workspace, kind, key)

    def all_current(self, workspace: str, kind: RecordKind) -> list[TeamRecord]:
        """The newest version of every record of ``kind`` that is not removed, by key."""
        with self._lock:
            rows = self.db.execute(
                "SELECT key, version, body, who, at FROM team_records AS r WHERE workspace = ? AND kind = ? "
                "AND version = (SELECT MAX(version) FROM team_records WHERE workspace = r.workspace "
                "AND kind = r.kind AND key = r.key) ORDER BY key", [workspace, kind.value]).fetchall()
        records = [_record(row) for row in rows]
        return [record for record in records if record.body is not None]

    def everywhere(self, kind: RecordKind) -> list[tuple[str, TeamRecord]]:
        """The current records of ``kind`` in every workspace (removed ones left out), with their workspace."""
        with self._lock:
            rows = self.db.execute(
                "SELECT workspace, key, version, body, who, at FROM team_records AS r WHERE kind = ? AND version = "
                "(SELECT MAX(version) FROM team_records WHERE workspace = r.workspace AND kind = r.kind "
                "AND key = r.key) AND body IS NOT NULL ORDER BY workspace, key", [kind.value]).fetchall()
        return [(row[0], _record(row[1:])) for row in rows]

    def history(self, workspace: str, kind: RecordKind, key: str = "") -> list[TeamRecord]:
        with self._lock:
            rows = self.db.execute(
                "SELECT key, version, body, who, at FROM team_records WHERE workspace = ? AND kind = ? AND key = ? "
                "ORDER BY version", [workspace, kind.value, key]).fetchall()
        return [_record(row) for row in rows]

    def write(self, workspace: str, kind: RecordKind, key: str, body: dict | None, who: str,
              base_version: int | None = None) -> TeamRecord:
        """A new version of the record (``body`` None removes it). With ``base_version``, refused
        with ``StaleRecord`` unless that is still the newest version (0: the record is new)."""
        with self._lock, write_transaction(self.db):
            current = self._current(workspace, kind, key)
            version = current.version if current else 0
            if base_version is not None and base_version != version:
                raise StaleRecord(current)
            if current is not None and current.body == body:
                return current
            at = datetime.now(UTC)
            self.db["team_records"].insert({
                "workspace": workspace, "kind": kind.value, "key": key, "version": version + 1,
                "body": None if body is None else json.dumps(body, ensure_ascii=False, sort_keys=True),
                "who": who, "at": at.isoformat(),
            })
        return TeamRecord(key=key, version=version + 1, body=body, who=who, at=at)

    def _current(self, workspace: str, kind: RecordKind, key: str) -> TeamRecord | None:
        row = self.db.execute(
            "SELECT key, version, body, who, at FROM team_records WHERE workspace = ? AND kind = ? AND key = ? "
            "ORDER BY version DESC LIMIT 1", [workspace, kind.value, key]).fetchone()
        return _record(row) if row else None


def _record(row) -> TeamRecord:
    key, version, body, who, at = row
    return TeamRecord(key=key, version=version, body=None if body is None else json.loads(body), who=who,
                      at=datetime.fromisoformat(at))
