"""Saving, editing, reviewing and exporting plans through the service, on real files."""

import pytest
from conftest import sharing_knowledge

from bot.config import Settings
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.errors import UserError
from bot.i18n import describe_error as describe
from bot.models import Brief, PlanQuery


@pytest.fixture
def plans_service(service, tmp_path):
    """The session's knowledge store, with a plan log of this test's own."""
    return sharing_knowledge(service, Settings(data_dir=tmp_path))


def test_a_good_draft_saves_with_author_and_no_findings(plans_service):
    saved = plans_service.save_plan(plans_service.draft(Brief(stage="ask", product="AcmeFlow")), "ann")
    assert saved.id and saved.author == "ann" and saved.findings == []
    assert plans_service.get_plan(saved.id).content.title == saved.content.title


def test_a_plan_with_errors_is_refused_or_kept_as_a_draft_with_its_findings(plans_service):
    plan = plans_service.draft(Brief(stage="aware", channel="short_video"))
    too_long = plan.model_copy(update={"content": plan.content.model_copy(
        update={"format": plan.content.format.model_copy(update={"duration_seconds": 300})})})
    with pytest.raises(UserError) as refused:
        plans_service.save_plan(too_long, "ann")
    assert refused.value.code == "plan_has_errors" and plans_service.count_plans() == 0
    assert "没有保存" not in describe(refused.value, Lang.ZH_HANS) and "未保存" in describe(refused.value, Lang.ZH_HANS)
    kept = plans_service.save_plan(too_long.model_copy(update={"status": PlanStatus.IN_REVIEW}), "ann",
                                   keep_as_draft=True)
    assert kept.status is PlanStatus.DRAFT and kept.findings[0].rule == "channel-short-video"


def test_edits_land_in_history_and_a_reviewed_plan_may_not_gain_errors(plans_service):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="aware")), "ann")
    plans_service.edit_plan(plan.id, {"content.title": "Sharper title"}, "bo")
    plans_service.set_plan_status(plan.id, PlanStatus.IN_REVIEW, "bo")
    with pytest.raises(UserError) as refused:
        plans_service.edit_plan(plan.id, {"content.format.duration_seconds": 600}, "bo")
    assert refused.value.code == "plan_has_errors"
    events = plans_service.plan_history(plan.id)
    assert [e.action.value for e in events] == ["created", "edited", "status"]
    assert events[1].who == "bo" and events[1].changes["content.title"][1] == "Sharper title"
    assert plans_service.get_plan(plan.id).content.format.duration_seconds == 75


def test_status_changes_follow_the_workflow(plans_service):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="act")), "ann")
    with pytest.raises(UserError) as refused:
        plans_service.set_plan_status(plan.id, PlanStatus.PUBLISHED, "ann")
    assert refused.value.code == "transition" and "in_review" in refused.value.params["allowed"]
    for status in (PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.ARCHIVED):
        assert plans_service.set_plan_status(plan.id, status, "lead").status is status
    assert plans_service.list_plans() == []  # archived plans leave the default list


def test_an_edit_that_breaks_the_card_is_refused_and_nothing_changes(plans_service):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="aware")), "ann")
    with pytest.raises(UserError) as refused:
        plans_service.edit_plan(plan.id, {"segment": "x" * 500}, "ann")
    assert refused.value.code == "too_long" and refused.value.params["limit"] == 200
    assert "太长" in describe(refused.value, Lang.ZH_HANS)
    assert plans_service.get_plan(plan.id).segment == plan.segment
    with pytest.raises(UserError) as missing:
        plans_service.get_plan(999)
    assert describe(missing.value, Lang.KO) == "#999 계획이 없습니다."


def test_coverage_counts_plans_and_lists_the_gaps(plans_service):
    for channel in ("short_video", "short_video", "blog"):
        plans_service.save_plan(plans_service.draft(Brief(stage="aware", channel=channel)), "ann")
    report = plans_service.coverage()
    assert report.count("aware", "short_video") == 2 and report.count("aware", "blog") == 1
    gaps = {(gap.stage.value, gap.channel.value) for gap in report.gaps}
    assert ("aware", "short_video") not in gaps and ("aware", "search_ads") in gaps
    assert ("ask", "webinar") in gaps and ("aware", "in_product") not in gaps


def test_coverage_renders_as_a_png(plans_service):
    from bot.charts import coverage_png

    plans_service.save_plan(plans_service.draft(Brief(stage="ask")), "ann")
    png = coverage_png(plans_service.coverage())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_export_csv_then_import_round_trips_and_markdown_reads_like_the_card(plans_service, tmp_path):
    for stage in ("aware", "ask"):
        plans_service.save_plan(plans_service.draft(Brief(stage=stage, product="AcmeFlow", lang="zh-Hans")), "ann")
    exported = tmp_path / "plans.csv"
    assert plans_service.export_plans_csv(PlanQuery(), exported) == 2
    markdown = plans_service.export_plans_markdown(PlanQuery(stage="ask"), Lang.ZH_HANS)
    assert markdown.startswith("# 内容计划") and "在销售阶段**销售合格线索**（SQL）" in markdown

    other = sharing_knowledge(plans_service, Settings(data_dir=tmp_path / "other"))
    report = other.import_plans_csv(exported, "importer")
    assert report.ok and report.imported == 2
    assert [p.model_dump(exclude={"updated_at"}) for p in other.list_plans()] == [
        p.model_dump(exclude={"updated_at"}) for p in plans_service.list_plans()]


def test_findings_stored_as_sentences_by_an_older_planbot_are_checked_again(plans_service, tmp_path):
    import json
    import sqlite3

    plan = plans_service.draft(Brief(stage="aware", channel="short_video"))
    too_long = plan.model_copy(update={"content": plan.content.model_copy(
        update={"format": plan.content.format.model_copy(update={"duration_seconds": 300})})})
    saved = plans_service.save_plan(too_long, "ann", keep_as_draft=True)
    before = plans_service.plan_history(saved.id)
    legacy = [{"level": "error", "rule": "channel-short-video", "field": "content.format.duration_seconds",
               "message": "A short video should run 60–90 seconds; this one runs 5 minutes.", "fix": "Cut it."}]
    with sqlite3.connect(tmp_path / "plans.db") as db:
        db.execute("UPDATE plans SET findings = ? WHERE id = ?", [json.dumps(legacy), saved.id])
    assert plans_service.get_plan(saved.id).findings[0].code == "legacy"

    assert plans_service.recheck_legacy_findings() == 1
    rechecked = plans_service.get_plan(saved.id)
    assert [f.code for f in rechecked.findings] == [f.code for f in saved.findings]
    assert "duration" in [f.code for f in rechecked.findings]
    assert rechecked.updated_at == saved.updated_at and plans_service.plan_history(saved.id) == before
    assert plans_service.recheck_legacy_findings() == 0
