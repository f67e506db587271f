"""Closing the loop through the service, on real files: results per plan (validated, with
history), the 5A funnel against rates computed by hand, what to test next in the sources' order
(content, then channel, then strategy), the publish calendar as iCalendar, and reminders sent
once across instances and restarts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import sharing_knowledge
from icalendar import Calendar

from bot.config import Settings
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.errors import UserError
from bot.i18n import describe_error as describe
from bot.models import AwarenessStage, Brief, Channel, Lever, PlanQuery, StepName

NOVEMBER = {"period_start": "2026-11-01", "period_end": "2026-11-30"}


@pytest.fixture
def loop(service, tmp_path):
    return sharing_knowledge(service, Settings(data_dir=tmp_path))


def published(loop, stage: str, channel: str, title: str, segment: str = "plant managers", due: date | None = None,
              until: PlanStatus = PlanStatus.PUBLISHED):
    plan = loop.draft(Brief(stage=stage, channel=channel, segment=segment))
    plan = plan.model_copy(update={"content": plan.content.model_copy(update={"title": title}), "due": due})
    # Made in Slack: a workspace, a home channel, and an owner to remind.
    saved = loop.save_plan(plan, "U1", keep_as_draft=True, actor=loop.actor("T1", "U1", "C1"))
    workflow = [PlanStatus.IN_REVIEW, PlanStatus.APPROVED, PlanStatus.PUBLISHED]
    for status in workflow[:workflow.index(until) + 1]:
        loop.set_plan_status(saved.id, status, "lead")
    return saved


def test_results_are_validated_kept_with_history_and_refused_before_publishing(loop):
    plan = published(loop, "aware", "short_video", "Hour lost")
    first = loop.record_result(plan.id, NOVEMBER | {"reach": 1000, "clicks": 80, "moved": 50}, "ann")
    second = loop.record_result(plan.id, NOVEMBER | {"reach": 1200, "clicks": 90, "moved": 60}, "bo",
                                base_version=first.version)
    assert [r.version for r in loop.plan_results(plan.id)] == [1, 2] and second.who == "bo"
    with pytest.raises(UserError) as stale:  # a second person working from version 1
        loop.record_result(plan.id, NOVEMBER | {"reach": 999}, "cy", base_version=1)
    assert stale.value.code == "results_stale" and "bo" in describe(stale.value, Lang.EN)
    for bad, code in (({"reach": 10, "moved": 11}, "results_moved_over_reach"),
                      ({"reach": -1}, "results_out_of_range"),
                      ({"reach": "lots"}, "results_not_a_count"),
                      ({"reach": 5, "period_start": "2026-12-01"}, "results_period_backwards")):
        with pytest.raises(UserError) as refused:
            loop.record_result(plan.id, NOVEMBER | bad, "ann")
        assert refused.value.code == code
        assert describe(refused.value, Lang.ZH_HANS) != describe(refused.value, Lang.EN)
    draft = loop.save_plan(loop.draft(Brief(stage="ask")), "ann")
    with pytest.raises(UserError) as early:
        loop.record_result(draft.id, NOVEMBER | {"reach": 10}, "ann")
    assert early.value.code == "results_before_publishing"
    assert len(loop.plan_results(plan.id)) == 2  # nothing refused was written


def test_the_funnel_equals_rates_computed_by_hand(loop):
    figures = {("aware", "short_video", "A1"): (10_000, 800), ("aware", "wechat_article", "A2"): (5_000, 700),
               ("appeal", "webinar", "P1"): (1_200, 300), ("ask", "sales_call", "K1"): (300, 45),
               ("act", "email", "T1"): (40, 10)}
    for (stage, channel, title), (reach, moved) in figures.items():
        plan = published(loop, stage, channel, title)
        loop.record_result(plan.id, NOVEMBER | {"reach": reach, "moved": moved}, "ann")
    funnel = loop.funnel()
    attraction, curiosity, commitment, affinity = 1500 / 15000, 300 / 1200, 45 / 300, 10 / 40
    assert funnel.step(StepName.ATTRACTION).rate == pytest.approx(attraction)
    assert funnel.step(StepName.CURIOSITY).rate == pytest.approx(curiosity)
    assert funnel.step(StepName.COMMITMENT).rate == pytest.approx(commitment)
    assert funnel.step(StepName.AFFINITY).rate == pytest.approx(affinity)
    assert funnel.par == pytest.approx(attraction * curiosity * commitment)  # 0.00375: Act ÷ Aware
    assert funnel.bar == pytest.approx(attraction * curiosity * commitment * affinity)
    assert funnel.weakest().name is StepName.ATTRACTION
    only_video = loop.funnel(PlanQuery(channel=Channel.SHORT_VIDEO))
    assert only_video.step(StepName.ATTRACTION).rate == pytest.approx(0.08) and only_video.par is None
    assert loop.funnel(since=date(2026, 12, 1)).measured is False  # no results in December


def test_a_weak_ask_stage_gets_a_content_change_before_a_channel_change_before_the_strategy(loop):
    for stage, channel, title, reach, moved in (("aware", "short_video", "A", 1000, 400),
                                                ("appeal", "webinar", "P", 400, 200),
                                                ("ask", "sales_call", "First demo script", 200, 4)):
        loop.record_result(published(loop, stage, channel, title).id, NOVEMBER | {"reach": reach, "moved": moved},
                           "ann")
    first = loop.next_experiment()
    assert first.experiment.step.name is StepName.COMMITMENT and first.experiment.lever is Lever.CONTENT
    assert {draft.plan.stage for draft in first.drafts} == {AwarenessStage.ASK}
    assert {draft.plan.channel for draft in first.drafts} == {Channel.SALES_CALL} and len(first.drafts) == 2
    assert "test-iterate" in first.experiment.sources

    # A second script on the same channel did no better: now the channel.
    loop.record_result(published(loop, "ask", "sales_call", "Second demo script").id,
                       NOVEMBER | {"reach": 150, "moved": 3}, "ann")
    second = loop.next_experiment()
    assert second.experiment.lever is Lever.CHANNEL
    assert second.drafts and all(d.plan.channel not in (Channel.SALES_CALL, None) for d in second.drafts)
    assert all(d.plan.stage is AwarenessStage.ASK for d in second.drafts)

    # And another channel too: only then the strategy.
    loop.record_result(published(loop, "ask", second.drafts[0].plan.channel.value, "Ask on another channel").id,
                       NOVEMBER | {"reach": 100, "moved": 1}, "ann")
    assert loop.next_experiment().experiment.lever is Lever.STRATEGY


def test_no_results_no_experiment(loop):
    published(loop, "ask", "webinar", "Unmeasured")
    assert loop.next_experiment().experiment is None


def test_results_import_is_all_or_nothing_and_names_the_bad_row(loop, tmp_path):
    plan = published(loop, "aware", "short_video", "Imported")
    good = tmp_path / "good.csv"
    good.write_text("plan_id,period_start,period_end,reach,engagement,clicks,moved,note\n"
                    f"{plan.id},2026-11-01,2026-11-07,500,40,30,20,week 1\n"
                    f"{plan.id},2026-11-08,2026-11-14,700,60,35,25,week 2\n", encoding="utf-8")
    assert len(loop.import_results_csv(good, "ann")) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("plan_id,period_start,period_end,reach,moved\n"
                   f"{plan.id},2026-11-15,2026-11-21,100,10\n{plan.id},2026-11-22,2026-11-28,100,500\n",
                   encoding="utf-8")
    with pytest.raises(UserError) as refused:
        loop.import_results_csv(bad, "ann")
    assert refused.value.code == "results_bad_row" and refused.value.params["row"] == 3
    assert "3" in describe(refused.value, Lang.KO)
    assert len(loop.plan_results(plan.id)) == 2
    assert loop.funnel().step(StepName.ATTRACTION).reached == 1200


def test_the_calendar_lists_publish_days_and_its_ics_parses(loop):
    monday = date(2026, 11, 30)
    early = published(loop, "aware", "short_video", "Monday video", due=monday)
    late = published(loop, "appeal", "webinar", "Next week webinar", due=monday + timedelta(days=8))
    this_week = loop.parse_plan_query("due:this-week", me="ann").model_copy(update={"due_from": monday,
                                                                                   "due_to": date(2026, 12, 6)})
    assert [plan.id for plan in loop.calendar(this_week)] == [early.id]
    assert [plan.id for plan in loop.calendar()] == [early.id, late.id]
    calendar = Calendar.from_ical(loop.calendar_ics(loop.calendar(), Lang.ZH_HANS, "T1"))
    events = calendar.walk("VEVENT")
    assert [event.decoded("dtstart") for event in events] == [monday, monday + timedelta(days=8)]
    assert str(events[0]["summary"]) == f"#{early.id} Monday video" and str(events[0]["uid"]) == f"plan-{early.id}@T1"
    assert "短视频" in str(events[0]["description"])


def test_due_words_in_every_language_name_the_same_week():
    from bot.planning.filters import due_days

    today = date(2026, 12, 2)  # a Wednesday
    for word in ("this-week", "本周", "本週", "이번주"):
        assert due_days(word, today) == (date(2026, 11, 30), date(2026, 12, 6))
    assert due_days("overdue", today) == (None, date(2026, 12, 1))
    assert due_days("2026-12-01..2026-12-31", today) == (date(2026, 12, 1), date(2026, 12, 31))


def test_reminders_go_out_once_across_instances_and_restarts(loop, service, tmp_path):
    today = date(2026, 12, 2)
    tomorrow = published(loop, "aware", "short_video", "Tomorrow's video", due=today + timedelta(days=1),
                         until=PlanStatus.APPROVED)
    due_today = published(loop, "appeal", "webinar", "Today's webinar", due=today, until=PlanStatus.IN_REVIEW)
    published(loop, "ask", "webinar", "Already out", due=today)  # published: nothing to remind of
    morning = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    assert loop.due_reminders(datetime(2026, 12, 2, 7, 0, tzinfo=UTC)) == []  # before 09:00
    sent = loop.due_reminders(morning)
    assert sorted((r.plan.id, r.today) for r in sent) == [(tomorrow.id, False), (due_today.id, True)]
    other = sharing_knowledge(service, Settings(data_dir=tmp_path))  # another instance, or after a restart
    assert other.due_reminders(morning) == [] and loop.due_reminders(morning + timedelta(hours=3)) == []
    other.release_notice(sent[0].key)  # that DM failed: sent again next time
    assert [r.key for r in other.due_reminders(morning)] == [sent[0].key]


def test_whatever_is_typed_into_results_is_recorded_consistent_or_refused_in_words(loop):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    plan = published(loop, "aware", "short_video", "Fuzzed")
    figure = st.one_of(st.integers(min_value=-10, max_value=10**13), st.text(max_size=12), st.none(),
                       st.floats(allow_nan=True))

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(reach=figure, moved=figure, clicks=figure, start=st.sampled_from(["2026-11-01", "2026-13-01", "x", ""]),
           note=st.text(max_size=600))
    def record(reach, moved, clicks, start, note):
        try:
            recorded = loop.record_result(plan.id, {"period_start": start, "period_end": "2026-11-30", "reach": reach,
                                                    "moved": moved, "clicks": clicks, "note": note}, "ann")
        except UserError as error:
            for lang in Lang:
                assert describe(error, lang) and not describe(error, lang).startswith("error.")
            return
        assert 0 <= recorded.moved <= recorded.reach and 0 <= recorded.clicks <= recorded.reach
        assert len(recorded.note) <= 500

    record()


def test_a_digest_is_written_in_the_language_of_whoever_turned_it_on(loop):
    admin = loop.actor("T1", "UADMIN", "C1", workspace_admin=True)
    schedule = loop.set_digest("T1", "C1", "on daily 09:00 tz=Asia/Shanghai", admin, Lang.ZH_HANS)
    assert (schedule.day, schedule.at, schedule.tz) == ("daily", "09:00", "Asia/Shanghai")
    [digest] = loop.due_digests(datetime(2026, 12, 2, 1, 30, tzinfo=UTC))  # 09:30 in Shanghai
    assert digest.lang is Lang.ZH_HANS and digest.channel == "C1"
    with pytest.raises(UserError) as refused:
        loop.set_digest("T1", "C1", "on someday", admin)
    assert refused.value.code == "digest_bad_schedule"
    assert loop.set_digest("T1", "C1", "off", admin) is None and loop.due_digests(datetime.now(UTC)) == []
