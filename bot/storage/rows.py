"""A card as a row of ``plans`` and back (one column per field; tags and findings as JSON)."""

import json
from datetime import UTC, datetime
from typing import Any

from bot.domain.plan import ContentPlan
from bot.storage.columns import COLUMN_FIELDS, JSON_COLUMNS


def iso_utc(moment: datetime | None) -> str | None:
    """One fixed text form, so that ISO strings sort in time order in SQL."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # a naive time from a spreadsheet is taken to be UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def to_json(value: Any) -> str:
    # ensure_ascii=False keeps Chinese and Korean tags readable and searchable by the FTS index.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def plan_to_row(plan: ContentPlan) -> dict[str, Any]:
    return json_to_row(plan.model_dump(mode="json"), plan.created_at, plan.updated_at)


def json_to_row(data: dict[str, Any], created_at: datetime | None, updated_at: datetime | None) -> dict[str, Any]:
    """A ``plans`` row from a card's JSON dump (timestamps passed as datetimes, to be normalised)."""
    row = {column: ContentPlan.get_in(data, field) for column, field in COLUMN_FIELDS.items()}
    for column in JSON_COLUMNS:
        row[column] = to_json(row[column])
    row["created_at"] = iso_utc(created_at)
    row["updated_at"] = iso_utc(updated_at)
    if data["id"] is not None:
        row["id"] = data["id"]
    return row


def row_to_plan(row: dict[str, Any]) -> ContentPlan:
    data: dict[str, Any] = {"id": row["id"]}
    for column, field in COLUMN_FIELDS.items():
        value = json.loads(row[column]) if column in JSON_COLUMNS else row[column]
        ContentPlan.set_in(data, field, value)
    return ContentPlan.model_validate(data)
