"""The plan log as Datasette shows it to a marketer: readable column names, facets on what a team
filters by, full-text search, and canned queries for the coverage matrix and the week's plans.

Datasette opens the file read-only (a mutable database is queried over ``mode=ro``): it sees the
server's writes as they happen and can change nothing.
"""

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.i18n import t
from bot.i18n.labels import field_label, label
from bot.storage.columns import PLAN_COLUMNS

# The columns whose values are words of planbot's vocabulary, shown as the reader calls them.
VOCABULARY = {"stage": AwarenessStage, "funnel_stage": FunnelStage, "channel": Channel, "status": PlanStatus}

FACETS = ["stage", "funnel_stage", "channel", "status", "owner", "segment"]
# The columns with a name in the message catalogue (field.<card field>).
LABELLED = [column for column in PLAN_COLUMNS if column.name in {
    "funnel_stage", "stage", "content_title", "content_description", "duration_seconds", "word_count",
    "image_share", "channel", "segment", "understanding", "feeling", "action", "next_stage", "lang", "owner",
    "campaign", "tags", "due", "status", "author"}]
# Shown in this order on the table page; the rest stay one click away.
SHOWN = ["id", "content_title", "stage", "funnel_stage", "channel", "segment", "status", "owner", "due",
         "campaign", "updated_at"]


def datasette_metadata(lang: Lang, database: str = "plans") -> dict:
    """Datasette's metadata for the plan log file whose name (without .db) is ``database``."""
    labels = {column.name: field_label(column.field, lang) for column in LABELLED}
    labels["updated_at"] = t("field.updated_at", lang)  # no card field: the log's own column

    def shown(name: str) -> str:
        """The column as the reader reads it: its values in words, under its name."""
        if name not in VOCABULARY:
            return f'{name} AS "{_quoted(labels.get(name, name))}"'
        words = " ".join(f"WHEN '{value.value}' THEN '{_literal(label(value, lang))}'" for value in VOCABULARY[name])
        return f'CASE {name} {words} ELSE {name} END AS "{_quoted(labels[name])}"'

    columns = ", ".join(shown(name) for name in SHOWN if name != "id")
    return {
        "title": t("browse.title", lang),
        "description": t("browse.description", lang),
        "databases": {database: {
            "tables": {
                # The columns' names in the reader's words, in one line above the table (Datasette's
                # per-column descriptions would list all of them there, one a line).
                "plans": {"label_column": "content_title", "facets": FACETS, "sort_desc": "id",
                          "fts_table": "plans_fts", "fts_pk": "rowid", "size": 50,
                          "description": " · ".join(f"{name}: {labels[name]}" for name in SHOWN if name in labels)},
                # Profiles, roles and the audit trail are there for planbot, not for browsing.
                "team_records": {"hidden": True},
                "plan_history": {"hidden": True},
            },
            "queries": {
                "coverage": {
                    "title": t("browse.coverage", lang),
                    "description": t("browse.coverage_description", lang),
                    "sql": (f'SELECT {shown("stage")}, {shown("channel")}, '
                            f'count(*) AS "{_quoted(t("browse.plans", lang))}" FROM plans '
                            "WHERE status != 'archived' GROUP BY plans.stage, plans.channel "
                            "ORDER BY plans.stage, plans.channel"),
                },
                "due_this_week": {
                    "title": t("browse.due_this_week", lang),
                    "sql": (f"SELECT id, {columns} FROM plans "
                            "WHERE due BETWEEN date('now', '-6 days', 'weekday 1') AND "
                            "date('now', '-6 days', 'weekday 1', '+6 days') "
                            "AND status NOT IN ('published', 'archived') ORDER BY due, id"),
                },
            },
        }},
    }


def _literal(text: str) -> str:
    return text.replace("'", "''")


def _quoted(name: str) -> str:
    return name.replace('"', '""')
