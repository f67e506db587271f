"""The plan log on real SQLite files in temporary folders."""

import csv
import io
import multiprocessing
import multiprocessing.synchronize
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

import bot.storage.schema as schema_module
from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import (
    Content,
    ContentFormat,
    ContentPlan,
    Finding,
    FindingLevel,
    PlanStatus,
    TransitionError,
)
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.models import HistoryAction, PlanQuery
from bot.storage.columns import ADD_IMAGE_COUNT, ADD_PLAN_PLACE, ADD_VERSION, COLUMN_FIELDS, CREATE_PLANS
from bot.storage.csv_codec import CSV_COLUMNS
from bot.storage.plan_log import PlanLog, PlanNotFound
from bot.storage.schema import (
    CREATE_RESULTS_AND_NOTICES,
    CREATE_TEAM_RECORDS,
    LEGACY_USER_VERSION,
    SchemaTooNew,
    add_image_count,
    add_plan_place,
    add_plan_version,
    create_plan_results_and_sent_notices,
    create_plans_history_and_search,
    create_team_records,
    fts_tokenizer,
)

BOOKKEEPING = {"id", "created_at", "updated_at", "version"}
ALL_MIGRATIONS = [CREATE_PLANS, ADD_VERSION, ADD_IMAGE_COUNT, CREATE_TEAM_RECORDS, ADD_PLAN_PLACE,
                  CREATE_RESULTS_AND_NOTICES]
SHIPPED_MIGRATIONS = [create_plans_history_and_search, add_plan_version, add_image_count, create_team_records,
                      add_plan_place, create_plan_results_and_sent_notices]


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "plans.db"


@pytest.fixture
def log(db_path):
    with PlanLog(db_path) as opened:
        yield opened


def full_plan(**changes) -> ContentPlan:
    """A card with every field set to something other than its default."""
    plan = ContentPlan(
        funnel_stage=FunnelStage.MQL,
        stage=AwarenessStage.APPEAL,
        content=Content(
            title="做一条短视频：3 ways to cut onboarding time",
            description='Line one,\nline two with "quotes", commas; and | pipes.',
            format=ContentFormat(duration_seconds=90, word_count=250, image_share=0.35, image_count=4),
        ),
        channel=Channel.SHORT_VIDEO,
        segment="IT managers at 50–500 person SaaS firms",
        understanding="setup takes one afternoon",
        feeling="安心",
        action="book a demo",
        next_stage=AwarenessStage.ASK,
        lang=Lang.ZH_HANS,
        owner="li.wei",
        campaign="2025-Q3 launch",
        tags=["video", "新品", "a;b"],
        due=date(2025, 9, 30),
        status=PlanStatus.IN_REVIEW,
        findings=[Finding(level=FindingLevel.WARNING, rule="short_video.duration",
                          field="content.format.duration_seconds",
                          code="duration", params={"channel": "short_video", "expected": {"seconds": [60, 90]},
                                                   "actual": {"seconds": 120}})],
        author="ann",
        workspace="T111",
        home="C111",
        home_private=True,
    )
    return plan.model_copy(update=changes)


def flat_fields(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= flat_fields(value, f"{prefix}{key}.")
        else:
            flat[prefix + key] = value
    return flat


def card_fields(plan: ContentPlan) -> dict:
    return plan.model_dump(exclude=BOOKKEEPING)


# --- schema and file ------------------------------------------------------------------------


def test_every_card_field_has_a_column_and_the_full_plan_sets_them_all():
    card = set(flat_fields(ContentPlan().model_dump())) - {"id"}
    assert set(COLUMN_FIELDS.values()) == card
    blank = flat_fields(ContentPlan().model_dump())
    full = flat_fields(full_plan().model_dump())
    unset = [f for f in card - BOOKKEEPING if full[f] == blank[f]]
    assert unset == []


def test_a_new_file_is_in_wal_mode_with_every_migration_recorded(log, db_path):
    with sqlite3.connect(db_path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert log.migrations == ALL_MIGRATIONS


def _migrations_with(*functions) -> Migrations:
    """A migration set standing in for planbot's, with ``functions`` in order."""
    migrations = Migrations(schema_module.PLAN_LOG_MIGRATIONS.name)
    for function in functions:
        migrations(name=function.__name__)(function)
    return migrations


def test_reopening_keeps_the_data_and_does_not_migrate_again(db_path, monkeypatch):
    with PlanLog(db_path) as first:
        saved = first.save(full_plan(), who="ann")

    def create_plans_history_and_search(db):
        raise AssertionError("migration ran on an up-to-date file")

    def add_plan_version(db):
        raise AssertionError("migration ran on an up-to-date file")

    def add_image_count(db):
        raise AssertionError("migration ran on an up-to-date file")

    def create_team_records(db):
        raise AssertionError("migration ran on an up-to-date file")

    def add_plan_place(db):
        raise AssertionError("migration ran on an up-to-date file")

    def create_plan_results_and_sent_notices(db):
        raise AssertionError("migration ran on an up-to-date file")

    monkeypatch.setattr(schema_module, "PLAN_LOG_MIGRATIONS",
                        _migrations_with(create_plans_history_and_search, add_plan_version, add_image_count,
                                         create_team_records, add_plan_place, create_plan_results_and_sent_notices))
    with PlanLog(db_path) as reopened:
        assert reopened.get(saved.id) == saved
        assert len(reopened.history(saved.id)) == 1


def test_a_later_migration_runs_once_on_an_existing_file(db_path, monkeypatch):
    with PlanLog(db_path) as first:
        saved = first.save(full_plan(), who="ann")
    calls = []

    def add_reviewer_note(db):
        calls.append(1)
        db["plans"].add_column("reviewer_note", str)

    monkeypatch.setattr(schema_module, "PLAN_LOG_MIGRATIONS",
                        _migrations_with(*SHIPPED_MIGRATIONS, add_reviewer_note))
    with PlanLog(db_path) as migrated:
        assert migrated.migrations == [*ALL_MIGRATIONS, "add_reviewer_note"]
        assert "reviewer_note" in migrated.db["plans"].columns_dict
        assert migrated.get(saved.id) == saved
    with PlanLog(db_path):
        pass
    assert calls == [1]


def test_a_file_made_before_named_migrations_is_recognised_not_rebuilt(db_path):
    # What planbot wrote before it used sqlite-utils' migrations: the tables and user_version 1.
    legacy = Database(db_path)
    create_plans_history_and_search(legacy)
    legacy.execute(f"PRAGMA user_version = {LEGACY_USER_VERSION}")
    legacy["plans"].insert({"id": 5, "content_title": "Kept", "created_at": "2025-01-01T00:00:00+00:00",
                            "updated_at": "2025-01-01T00:00:00+00:00"})
    legacy.close()
    with PlanLog(db_path) as opened:
        assert opened.migrations == ALL_MIGRATIONS
        assert opened.get(5).content.title == "Kept"
        assert opened.db.execute("PRAGMA user_version").fetchone()[0] == LEGACY_USER_VERSION


def test_a_file_from_a_newer_planbot_is_refused(db_path, tmp_path):
    with sqlite3.connect(db_path) as newer:
        newer.execute(f"PRAGMA user_version = {LEGACY_USER_VERSION + 1}")
    with pytest.raises(SchemaTooNew):
        PlanLog(db_path)
    later = tmp_path / "later.db"
    PlanLog(later).close()
    future = _migrations_with(*SHIPPED_MIGRATIONS, _from_the_future)
    future.apply(Database(later))
    with pytest.raises(SchemaTooNew, match="_from_the_future"):
        PlanLog(later)


def _from_the_future(db):
    db["plans"].add_column("hologram", str)


def _open_and_save(path: str, start: multiprocessing.synchronize.Barrier, title: str) -> None:
    start.wait()
    with PlanLog(Path(path)) as opened:
        opened.save(ContentPlan(content=Content(title=title)), who=title)


def test_two_processes_opening_a_new_file_at_once_migrate_it_once(db_path):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [context.Process(target=_open_and_save, args=(str(db_path), start, name)) for name in ("ann", "bo")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with PlanLog(db_path) as opened:
        assert opened.migrations == ALL_MIGRATIONS
        assert {plan.author for plan in opened.list()} == {"ann", "bo"}


def test_two_logs_on_one_file_see_each_others_saves(db_path):
    with PlanLog(db_path) as writer, PlanLog(db_path) as reader:
        saved = writer.save(full_plan(), who="ann")
        assert reader.get(saved.id) == saved


# --- save, get, history --------------------------------------------------------------------


def test_every_field_round_trips(log):
    before = datetime.now(UTC)
    saved = log.save(full_plan(), who="ann")
    assert saved.id is not None
    got = log.get(saved.id)
    assert got == saved
    assert card_fields(got) == card_fields(full_plan())
    assert before <= got.created_at == got.updated_at <= datetime.now(UTC)
    assert got.created_at.utcoffset() == timedelta(0)


def test_the_log_sets_the_timestamps_and_defaults_the_author_to_who_saved(log):
    planted = datetime(2001, 1, 1, tzinfo=UTC)
    saved = log.save(full_plan(author="", created_at=planted, updated_at=planted), who="bo")
    assert saved.author == "bo"
    assert saved.created_at > planted and saved.updated_at > planted


def test_an_unknown_id_is_not_found(log):
    with pytest.raises(PlanNotFound) as raised:
        log.get(999)
    assert raised.value.plan_id == 999
    with pytest.raises(PlanNotFound):
        log.save(full_plan(id=999), who="ann")
    with pytest.raises(PlanNotFound):
        log.set_status(999, PlanStatus.ARCHIVED, who="ann")
    with pytest.raises(PlanNotFound):
        log.history(999)


def test_edits_are_recorded_with_who_when_and_the_changed_fields(log):
    created = log.save(full_plan(), who="ann")
    edited_plan = created.model_copy(deep=True)
    edited_plan.content.title = "A 60-second onboarding video"
    edited_plan.content.format.duration_seconds = 60
    edited_plan.tags = ["video"]
    edited = log.save(edited_plan, who="bo")

    assert edited.created_at == created.created_at
    assert edited.updated_at > created.updated_at
    events = log.history(created.id)
    assert [(e.action, e.who) for e in events] == [(HistoryAction.CREATED, "ann"), (HistoryAction.EDITED, "bo")]
    assert events[0].changes["content.title"] == ("", full_plan().content.title)
    assert events[1].changes == {
        "content.title": (full_plan().content.title, "A 60-second onboarding video"),
        "content.format.duration_seconds": (90, 60),
        "tags": (["video", "新品", "a;b"], ["video"]),
    }
    assert events[1].at == edited.updated_at
    assert events[0].at <= events[1].at


def test_saving_an_unchanged_plan_writes_nothing(log):
    created = log.save(full_plan(), who="ann")
    assert log.save(created, who="bo") == created
    assert len(log.history(created.id)) == 1


def test_a_plan_made_invalid_by_assignment_is_refused_before_it_reaches_the_file(log):
    created = log.save(full_plan(), who="ann")
    created.content.title = "x" * 1000  # attribute assignment skips pydantic's checks
    with pytest.raises(ValueError):
        log.save(created, who="ann")
    assert log.get(created.id).content.title == full_plan().content.title


def test_history_is_append_only(log, db_path):
    created = log.save(full_plan(), who="ann")
    with sqlite3.connect(db_path) as other:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other.execute("UPDATE plan_history SET who = 'mallory'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            other.execute("DELETE FROM plan_history")
    assert log.history(created.id)[0].who == "ann"


# --- a failing save ------------------------------------------------------------------------


def break_history(db_path):
    """Make every history insert fail, as a full disk or a crash mid-save would."""
    with sqlite3.connect(db_path) as other:
        other.execute(
            "CREATE TRIGGER history_fails BEFORE INSERT ON plan_history "
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
        )


def repair_history(db_path):
    with sqlite3.connect(db_path) as other:
        other.execute("DROP TRIGGER history_fails")


def test_a_failing_edit_leaves_the_previous_state_intact(log, db_path):
    created = log.save(full_plan(), who="ann")
    first_edit = log.save(created.model_copy(update={"segment": "CFOs"}), who="bo")
    break_history(db_path)

    with pytest.raises(sqlite3.IntegrityError, match="simulated failure"):
        log.save(first_edit.model_copy(update={"segment": "heads of HR", "feeling": "excited"}), who="cy")
    with pytest.raises(sqlite3.IntegrityError):
        log.set_status(created.id, PlanStatus.APPROVED, who="cy")

    assert log.get(created.id) == first_edit
    assert [e.who for e in log.history(created.id)] == ["ann", "bo"]
    assert [p.id for p in log.list(PlanQuery(text="CFOs"))] == [created.id]
    assert log.list(PlanQuery(text="heads of HR")) == []

    repair_history(db_path)
    again = log.save(first_edit.model_copy(update={"segment": "heads of HR"}), who="cy")
    assert again.segment == "heads of HR"
    assert [e.who for e in log.history(created.id)] == ["ann", "bo", "cy"]


def test_a_failing_insert_adds_no_plan(log, db_path):
    kept = log.save(full_plan(), who="ann")
    break_history(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        log.save(full_plan(content=Content(title="lost")), who="ann")
    with pytest.raises(sqlite3.IntegrityError):
        log.bulk_insert([full_plan(), full_plan()], who="ann")
    assert [p.id for p in log.list(PlanQuery(include_archived=True))] == [kept.id]
    assert log.list(PlanQuery(text="lost")) == []


# --- status workflow -----------------------------------------------------------------------


def test_allowed_transitions_are_applied_and_recorded(log):
    plan = log.save(full_plan(status=PlanStatus.DRAFT), who="ann")
    path = [PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.ARCHIVED,
            PlanStatus.DRAFT]
    for status in path:
        plan = log.set_status(plan.id, status, who="bo")
        assert plan.status is status
    events = log.history(plan.id)[1:]
    assert all(e.action is HistoryAction.STATUS and e.who == "bo" for e in events)
    assert [e.changes["status"] for e in events] == [
        ("draft", "in_review"), ("in_review", "approved"), ("approved", "published"),
        ("published", "archived"), ("archived", "draft"),
    ]


@pytest.mark.parametrize("current, wanted", [
    (PlanStatus.DRAFT, PlanStatus.PUBLISHED),
    (PlanStatus.DRAFT, PlanStatus.APPROVED),
    (PlanStatus.DRAFT, PlanStatus.DRAFT),
    (PlanStatus.PUBLISHED, PlanStatus.DRAFT),
    (PlanStatus.ARCHIVED, PlanStatus.PUBLISHED),
])
def test_forbidden_transitions_raise_and_change_nothing(log, current, wanted):
    plan = log.bulk_insert([full_plan(status=current)], who="ann")[0]
    with pytest.raises(TransitionError):
        log.set_status(plan, wanted, who="bo")
    if wanted is not current:  # saving with the same status is an ordinary edit
        with pytest.raises(TransitionError):
            log.save(log.get(plan).model_copy(update={"status": wanted, "feeling": "other"}), who="bo")
    assert log.get(plan).status is current
    assert len(log.history(plan)) == 1


def test_archive_is_a_soft_delete(log):
    plan = log.save(full_plan(), who="ann")
    log.archive(plan.id, who="bo")
    assert log.get(plan.id).status is PlanStatus.ARCHIVED
    assert log.list(PlanQuery()) == []
    assert [p.id for p in log.list(PlanQuery(status=PlanStatus.ARCHIVED))] == [plan.id]
    assert log.history(plan.id)[-1].changes == {"status": ("in_review", "archived")}


# --- search and filters --------------------------------------------------------------------


@pytest.fixture
def searchable(log):
    def add(title, **fields):
        return log.save(ContentPlan(content=Content(title=title), **fields), who="ann").id

    return {
        "zh_video": add("做一条短视频讲清楚私域流量", segment="连锁门店运营经理"),
        "en_webinar": add("Webinar: onboarding in 15 minutes", campaign="Spring Launch"),
        "ko": add("온보딩 가이드 영상", tags=["가이드", "video"]),
        "mixed": add("Customer story 客户案例 with Globex", feeling="relieved"),
    }


def ids_for(log, **filters):
    return {p.id for p in log.list(PlanQuery(**filters))}


@pytest.mark.parametrize("text, expected", [
    ("短视频", {"zh_video"}),            # a word inside unspaced Chinese
    ("私域流量", {"zh_video"}),
    ("门店运营", {"zh_video"}),            # segment is searched
    ("ONBOARDING", {"en_webinar"}),       # case-insensitive
    ("boardin", {"en_webinar"}),          # part of a word
    ("spring launch", {"en_webinar"}),    # campaign is searched
    ("가이드", {"ko"}),
    ("video", {"ko"}),                    # tags are searched
    ("客户案例 Globex", {"mixed"}),        # every word must appear
    ("客户案例 Initech", set()),
    ("视频", {"zh_video"}),                # two characters: a scan, still found
    ("15", {"en_webinar"}),
    ("%", set()),                         # LIKE wildcards are literal
    ('"unbalanced NEAR(', set()),         # FTS syntax in the query is just text
])
def test_full_text_search(log, searchable, text, expected):
    assert ids_for(log, text=text) == {searchable[name] for name in expected}
    assert log.count(PlanQuery(text=text)) == len(expected)


def test_search_follows_edits(log, searchable):
    plan = log.get(searchable["en_webinar"])
    log.save(plan.model_copy(update={"content": Content(title="Expert lesson on pricing")}), who="bo")
    assert ids_for(log, text="onboarding") == set()
    assert ids_for(log, text="pricing") == {plan.id}


def test_without_trigram_support_search_falls_back_to_unicode61_and_scans_cjk(tmp_path, monkeypatch):
    assert fts_tokenizer((3, 34, 0)) == "trigram"
    assert fts_tokenizer((3, 33, 9)) == "unicode61"
    monkeypatch.setattr(schema_module, "SQLITE_VERSION", (3, 31, 1))
    with PlanLog(tmp_path / "old.db") as old:
        assert "unicode61" in old.db["plans_fts"].schema
        zh = old.save(ContentPlan(content=Content(title="做一条短视频")), who="ann").id
        en = old.save(ContentPlan(content=Content(title="Webinar on onboarding")), who="ann").id
        assert ids_for(old, text="短视频") == {zh}
        assert ids_for(old, text="onboarding") == {en}


@pytest.fixture
def varied(log):
    """Plans that differ in one filterable field each, created on known days."""
    day = datetime(2025, 3, 10, 12, tzinfo=UTC)
    base = dict(stage=AwarenessStage.AWARE, funnel_stage=FunnelStage.RAW_LEAD, channel=Channel.BLOG,
                status=PlanStatus.DRAFT, author="ann", campaign="c1", tags=["seo"], created_at=day)
    specs = {
        "base": {},
        "stage": {"stage": AwarenessStage.ASK},
        "funnel": {"funnel_stage": FunnelStage.SQL},
        "channel": {"channel": Channel.WEBINAR},
        "status": {"status": PlanStatus.PUBLISHED},
        "archived": {"status": PlanStatus.ARCHIVED},
        "author": {"author": "bo"},
        "campaign": {"campaign": "c2"},
        "tag": {"tags": ["seo-audit", "新品"]},
        "early": {"created_at": day - timedelta(days=9)},
        "late": {"created_at": day + timedelta(days=9)},
        "text": {"content": Content(title="Pricing page teardown")},
    }
    plans = [ContentPlan(**(base | spec)) for spec in specs.values()]
    return dict(zip(specs, log.bulk_insert(plans, who="ann"), strict=True))


ALL_ACTIVE = {"base", "stage", "funnel", "channel", "status", "author", "campaign", "tag", "early", "late", "text"}


@pytest.mark.parametrize("filters, expected", [
    ({}, ALL_ACTIVE),
    ({"stage": AwarenessStage.ASK}, {"stage"}),
    ({"funnel_stage": FunnelStage.SQL}, {"funnel"}),
    ({"channel": Channel.WEBINAR}, {"channel"}),
    ({"status": PlanStatus.PUBLISHED}, {"status"}),
    ({"status": PlanStatus.ARCHIVED}, {"archived"}),
    ({"include_archived": True}, ALL_ACTIVE | {"archived"}),
    ({"author": "bo"}, {"author"}),
    ({"campaign": "c2"}, {"campaign"}),
    ({"tag": "新品"}, {"tag"}),
    ({"tag": "seo"}, ALL_ACTIVE - {"tag"}),  # whole tags only: "seo-audit" is not "seo"
    ({"created_from": date(2025, 3, 19)}, {"late"}),
    ({"created_to": date(2025, 3, 1)}, {"early"}),
    ({"created_from": date(2025, 3, 10), "created_to": date(2025, 3, 10)}, ALL_ACTIVE - {"early", "late"}),
    ({"text": "pricing"}, {"text"}),
    ({"text": "pricing", "author": "bo"}, set()),
    ({"stage": AwarenessStage.AWARE, "channel": Channel.BLOG, "status": PlanStatus.DRAFT},
     ALL_ACTIVE - {"stage", "channel", "status"}),
])
def test_filters(log, varied, filters, expected):
    assert ids_for(log, **filters) == {varied[name] for name in expected}
    assert log.count(PlanQuery(**filters)) == len(expected)


def test_list_pages_through_the_most_recently_added_first(log):
    ids = [log.save(ContentPlan(content=Content(title=f"plan {n}")), who="ann").id for n in range(7)]
    pages = [log.list(PlanQuery(), limit=3, offset=offset) for offset in (0, 3, 6)]
    assert [[p.id for p in page] for page in pages] == [ids[6:3:-1], ids[3:0:-1], ids[:1]]


def test_coverage_counts_active_plans_per_stage_and_channel(log):
    def add(stage, channel, status=PlanStatus.DRAFT):
        log.bulk_insert([ContentPlan(stage=stage, channel=channel, status=status)], who="ann")

    add(AwarenessStage.AWARE, Channel.SHORT_VIDEO)
    add(AwarenessStage.AWARE, Channel.SHORT_VIDEO, PlanStatus.PUBLISHED)
    add(AwarenessStage.ASK, Channel.BLOG, PlanStatus.IN_REVIEW)
    add(AwarenessStage.ASK, Channel.BLOG, PlanStatus.ARCHIVED)
    add(AwarenessStage.ACT, Channel.WEBINAR, PlanStatus.ARCHIVED)
    add(AwarenessStage.ACT, None)
    add(None, Channel.EMAIL)

    coverage = log.coverage()
    assert len(coverage) == len(AwarenessStage) * len(Channel)
    assert {pair: n for pair, n in coverage.items() if n} == {
        (AwarenessStage.AWARE, Channel.SHORT_VIDEO): 2,
        (AwarenessStage.ASK, Channel.BLOG): 1,
    }


# --- export and import ---------------------------------------------------------------------


def test_csv_export_then_import_round_trips_every_field(log, tmp_path):
    full = log.save(full_plan(), who="ann")
    minimal = log.save(ContentPlan(), who="bo")
    archived = log.archive(log.save(full_plan(lang=Lang.KO, tags=[]), who="cy").id, who="cy")
    everything = PlanQuery(include_archived=True)
    assert log.export_csv(everything, tmp_path / "plans.csv") == 3

    with PlanLog(tmp_path / "other.db") as other:
        report = other.import_csv(tmp_path / "plans.csv", who="dee")
        assert report.ok and report.imported == 3
        assert sorted(report.ids) == sorted([full.id, minimal.id, archived.id])
        for original in (full, minimal, archived):
            assert other.get(original.id) == original
        assert [(e.action, e.who) for e in other.history(full.id)] == [(HistoryAction.IMPORTED, "dee")]
        assert other.list(everything) == log.list(everything)


def test_csv_has_the_documented_columns_and_readable_cells(log):
    log.save(full_plan(), who="ann")
    buffer = io.StringIO()
    log.export_csv(PlanQuery(), buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert list(rows[0]) == CSV_COLUMNS
    assert rows[0]["content_title"] == full_plan().content.title
    assert rows[0]["tags"] == '["video","新品","a;b"]'
    assert rows[0]["duration_seconds"] == "90"
    assert rows[0]["due"] == "2025-09-30"


def test_a_hand_written_csv_imports_with_defaults_and_semicolon_tags(log):
    text = ("content_title,stage,channel,tags,duration_seconds\n"
            "做一条短视频,aware,short_video,video; 新品 ,75\n"
            ",,,,\n")
    report = log.import_csv(io.StringIO(text), who="ann")
    assert report.ok and report.imported == 1
    plan = log.get(report.ids[0])
    assert (plan.content.title, plan.stage, plan.channel, plan.tags) == (
        "做一条短视频", AwarenessStage.AWARE, Channel.SHORT_VIDEO, ["video", "新品"])
    assert plan.content.format.duration_seconds == 75
    assert plan.status is PlanStatus.DRAFT and plan.author == "ann"


def test_imported_times_without_a_zone_are_taken_as_utc(log):
    text = "content_title,created_at\nold,2024-01-02T03:04:05\nnew,\n"
    report = log.import_csv(io.StringIO(text), who="ann")
    assert report.ok
    old, new = (log.get(plan_id) for plan_id in report.ids)
    assert old.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC) == old.updated_at
    assert new.created_at > old.created_at and new.id > old.id  # new ids follow creation time


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_row(log):
    existing = log.save(full_plan(), who="ann")
    text = (
        "id,content_title,stage,duration_seconds\n"
        ",good one,aware,60\n"                          # row 2
        ",bad stage,awareness,60\n"                      # row 3
        ",good two,ask,\n"                               # row 4
        ",negative duration,act,-5\n"                    # row 5
        f"{existing.id},clashes with an existing id,ask,\n"  # row 6
    )
    report = log.import_csv(io.StringIO(text), who="bo")
    assert not report.ok and report.imported == 0 and report.ids == []
    assert [e.row for e in report.errors] == [3, 5, 6]
    assert report.errors[0].message.startswith("stage:")
    assert report.errors[1].message.startswith("duration_seconds:")
    assert "already in the log" in report.errors[2].message
    assert [p.id for p in log.list(PlanQuery(include_archived=True))] == [existing.id]
    assert log.list(PlanQuery(text="good one")) == []


def test_an_import_rejects_unknown_columns_and_duplicate_ids(log):
    report = log.import_csv(io.StringIO("content_title,colour\nx,red\n"), who="ann")
    assert [(e.row, e.message) for e in report.errors] == [(1, "unknown columns: colour")]
    report = log.import_csv(io.StringIO("stage,content_title,stage\nask,x,act\n"), who="ann")
    assert [(e.row, e.message) for e in report.errors] == [(1, "columns given twice: stage")]
    report = log.import_csv(io.StringIO("id,content_title\n7,a\n7,b\n0,c\nseven,d\n"), who="ann")
    assert [(e.row, e.message.split(":")[0]) for e in report.errors] == [
        (3, "id 7 is also on row 2"), (4, "id"), (5, "id")]
    assert log.count(PlanQuery(include_archived=True)) == 0


def test_listing_without_a_limit_returns_every_match(log):
    for number in range(60):
        log.save(ContentPlan(content=Content(title=f"plan {number}")), who="ann")
    assert len(log.list(PlanQuery(), limit=None)) == 60
    assert len(log.list(PlanQuery())) == 50


def test_an_import_that_updates_a_plan_against_the_workflow_writes_nothing(log):
    from bot.models import OnConflict

    first, second = (log.save(full_plan(status=PlanStatus.DRAFT), who="ann") for _ in range(2))
    text = ("id,content_title,status\n"
            f"{first.id},Renamed,draft\n"
            f"{second.id},Jumped ahead,published\n")
    report = log.import_csv(io.StringIO(text), who="bo", on_conflict=OnConflict.UPDATE)
    assert [error.row for error in report.errors] == [3] and "status" in report.errors[0].message
    assert log.get(first.id).content.title == first.content.title
    assert len(log.history(first.id)) == 1
