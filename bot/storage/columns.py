"""The one map between the card and the ``plans`` table: each column, the card field it stores,
its SQLite type and constraints, and the migration that added it."""

from dataclasses import dataclass

from bot.domain.language import Lang
from bot.domain.plan import PlanStatus

CREATE_PLANS = "create_plans_history_and_search"
ADD_VERSION = "add_plan_version"
ADD_IMAGE_COUNT = "add_image_count"
ADD_PLAN_PLACE = "add_plan_place"


@dataclass(frozen=True)
class Column:
    name: str
    field: str                  # the dotted ContentPlan field it stores
    type: type
    # Text columns are NOT NULL with a default: an empty field is "", never NULL.
    default: str | None = None
    not_null: bool = False
    searchable: bool = False    # in the full-text index
    added_by: str = CREATE_PLANS

    @property
    def is_text(self) -> bool:
        return self.default is not None


def _text(name: str, field: str | None = None, default: str = "", searchable: bool = False) -> Column:
    return Column(name, field or name, str, default=default, not_null=True, searchable=searchable)


PLAN_COLUMNS: list[Column] = [
    Column("funnel_stage", "funnel_stage", str),
    Column("stage", "stage", str),
    _text("content_title", "content.title", searchable=True),
    _text("content_description", "content.description", searchable=True),
    Column("duration_seconds", "content.format.duration_seconds", int),
    Column("word_count", "content.format.word_count", int),
    Column("image_share", "content.format.image_share", float),
    Column("channel", "channel", str),
    _text("segment", searchable=True),
    _text("understanding", searchable=True),
    _text("feeling", searchable=True),
    _text("action", searchable=True),
    Column("next_stage", "next_stage", str),
    _text("lang", default=Lang.EN.value),
    _text("owner"),
    _text("campaign", searchable=True),
    # JSON arrays.
    _text("tags", default="[]", searchable=True),
    Column("due", "due", str),
    _text("status", default=PlanStatus.DRAFT.value),
    _text("findings", default="[]"),
    _text("author"),
    Column("created_at", "created_at", str, not_null=True),
    Column("updated_at", "updated_at", str, not_null=True),
    Column("version", "version", int, added_by=ADD_VERSION),
    Column("image_count", "content.format.image_count", int, added_by=ADD_IMAGE_COUNT),
    Column("workspace", "workspace", str, default="", not_null=True, added_by=ADD_PLAN_PLACE),
    Column("home", "home", str, default="", not_null=True, added_by=ADD_PLAN_PLACE),
    Column("home_private", "home_private", int, added_by=ADD_PLAN_PLACE),
]

COLUMN_FIELDS: dict[str, str] = {column.name: column.field for column in PLAN_COLUMNS}
FIELD_COLUMNS: dict[str, str] = {column.field: column.name for column in PLAN_COLUMNS}
SEARCHABLE_COLUMNS: list[str] = [column.name for column in PLAN_COLUMNS if column.searchable]
JSON_COLUMNS = ("tags", "findings")


def columns_added_by(migration: str) -> list[Column]:
    return [column for column in PLAN_COLUMNS if column.added_by == migration]
