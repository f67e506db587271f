"""Plans as CSV, for spreadsheets and for moving plans between logs.

Format (export and import): the columns of ``CSV_COLUMNS`` — ``id`` followed by the ``plans``
column names. Empty cells mean "not set". ``tags`` and ``findings`` are JSON arrays; on import
``tags`` may also be written by hand as ``a; b; c``. Timestamps are ISO 8601 (UTC), ``due`` an
ISO date. Files written to a path carry a UTF-8 byte order mark so that spreadsheet programs
show Chinese and Korean text correctly; import reads UTF-8 with or without one, and GB18030. A
cell that would start like a formula (``= + - @``) is written after an apostrophe, which import
takes off again.
"""

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from pydantic import ValidationError

from bot.domain.plan import ContentPlan
from bot.models import ImportRowError
from bot.storage.columns import COLUMN_FIELDS, FIELD_COLUMNS

CSV_COLUMNS: list[str] = ["id", *COLUMN_FIELDS]


def decode(data: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without the byte order mark spreadsheets write), else
    GB18030, which Excel uses when it saves CSV on a Chinese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# A cell that starts like a formula runs as one when a spreadsheet opens the file (CSV formula
# injection); a leading apostrophe makes spreadsheets show it as text, and import takes it off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_a_formula(cell: str) -> bool:
    """A formula, or one already behind apostrophes ("'@channel"): the apostrophe import takes off
    must be told from the ones a person typed, so those get one more too."""
    return cell.lstrip("'").startswith(_FORMULA_START)


def _as_text(cell: str) -> str:
    return "'" + cell if _looks_like_a_formula(cell) else cell


def _from_text(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _looks_like_a_formula(cell[1:]) else cell


def write_rows(rows: Iterable[dict[str, Any]], file: TextIO) -> int:
    """The header and one line per ``plans`` row; returns how many rows were written."""
    writer = csv.writer(file)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for row in rows:
        writer.writerow([_as_text("" if row[column] is None else str(row[column])) for column in CSV_COLUMNS])
        written += 1
    return written


def read_plans(file: TextIO) -> tuple[list[ContentPlan], dict[int, int], list[ImportRowError]]:
    """Every data row as a card: (cards, {id given in the file: its row}, row errors).

    Rows are numbered as a spreadsheet shows them (the header is row 1); empty rows are skipped.
    """
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
        return [], {}, [ImportRowError(row=1, message=message)]

    plans: list[ContentPlan] = []
    errors: list[ImportRowError] = []
    rows_by_id: dict[int, int] = {}
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often leave empty rows at the end
        if len(cells) > len(header):
            errors.append(ImportRowError(row=row_number, message="more cells than columns"))
            continue
        try:
            plan = record_to_plan(dict(zip(header, cells, strict=False)))
        except ValueError as error:
            errors.append(ImportRowError(row=row_number, message=str(error)))
            continue
        if plan.id is not None:
            if plan.id < 1:
                errors.append(ImportRowError(row=row_number, message="id: must be 1 or more"))
                continue
            if plan.id in rows_by_id:
                errors.append(ImportRowError(
                    row=row_number, message=f"id {plan.id} is also on row {rows_by_id[plan.id]}"))
                continue
            rows_by_id[plan.id] = row_number
        plans.append(plan)
    return plans, rows_by_id, errors


def record_to_plan(record: dict[str, str]) -> ContentPlan:
    """One CSV record (column → cell) as a card; raises ValueError with a readable message."""
    data: dict[str, Any] = {}
    if record.get("id"):
        data["id"] = _from_text(record["id"])
    for column, field in COLUMN_FIELDS.items():
        cell: Any = _from_text(record.get(column, ""))
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
        ContentPlan.set_in(data, field, cell)
    try:
        return ContentPlan.model_validate(data)
    except ValidationError as error:
        raise ValueError("; ".join(_describe(problem) for problem in error.errors())) from None


def _parse_tags(cell: str) -> list[str]:
    if cell.startswith("["):
        return json.loads(cell)
    return [tag.strip() for tag in cell.split(";") if tag.strip()]


def _describe(problem: dict) -> str:
    location = ".".join(str(part) for part in problem["loc"])
    # Name the CSV column the person edits, not the nested model path.
    column = next((c for f, c in FIELD_COLUMNS.items() if location == f or location.startswith(f + ".")), location)
    return f"{column}: {problem['msg']}"
