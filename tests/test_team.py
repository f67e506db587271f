"""The team's own context through the service and the CLI: the profile and its history, channel
defaults, taught guidance (from Slack, the CLI or the team knowledge folder), and what answers,
drafts and checks make of them. Each test uses a workspace of its own over the session's store."""

import json
import multiprocessing
import subprocess
import sys
import uuid

import pytest
from conftest import data_dir_sharing_knowledge, sharing_knowledge
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.errors import UserError
from bot.models import Brief, Channel, ContentFormat, ContentPlan
from bot.storage.team_log import RecordKind, StaleRecord, TeamLog

PROFILE = """\
products:
  - name: FlowPlan
    value: schedules a whole plant in minutes
    problem: late orders from hand-made schedules
channels: [douyin, 小红书]
language: zh-Hans
segments:
  - name: 工厂厂长
    aliases: [厂长, plant manager]
    role: plant manager
    pains: [交期总是延误]
    motivations: [{motivation: 准时交付, indicator: 准时交付率}]
    channels: [小红书, douyin]
  - name: IT managers
    pains: [another integration to maintain]
    motivations: [fewer systems to babysit]
    channels: [webinar]
    language: en
"""


@pytest.fixture
def team_service(service, tmp_path):
    return sharing_knowledge(service, Settings(data_dir=tmp_path / "data", team_knowledge_dir=tmp_path / "team"))


@pytest.fixture
def workspace() -> str:
    return f"T{uuid.uuid4().hex[:8].upper()}"


def imported(team_service, workspace, tmp_path, text=PROFILE):
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return team_service.import_team_profile(workspace, path, "ann")


# --- the profile ---------------------------------------------------------------------------


def test_a_profile_round_trips_through_yaml_and_keeps_every_version(team_service, workspace, tmp_path):
    first = imported(team_service, workspace, tmp_path)
    exported = team_service.team_profile_yaml(workspace)
    assert team_service.parse_team_profile(exported) == first.profile
    second = team_service.save_team_profile(workspace, first.profile.model_copy(update={"language": None}), "bo",
                                            base_version=1)
    assert (first.version, second.version, second.saved_by) == (1, 2, "bo")
    with TeamLog(team_service.settings.data_dir / "plans.db") as team_log:
        history = team_log.history(workspace, RecordKind.PROFILE)
    assert [(record.version, record.who) for record in history] == [(1, "ann"), (2, "bo")]


@pytest.mark.parametrize(("text", "code", "field"), [
    ("segemnts: []\n", "team_unknown_key", "segemnts"),
    ("segments:\n  - name: Buyers\n  - name: buyers\n", "team_duplicate_name", "segments[1].name"),
    ("segments:\n  - {name: A, channels: [fax]}\n", "team_unknown_channel", "segments[0].channels[0]"),
    ("products:\n  - {name: A, colour: red}\n", "team_unknown_key", "products[0].colour"),
    ("language: klingon\n", "unknown_value", "language"),
    ("- just\n- a list\n", "team_file_shape", None),
])
def test_a_bad_profile_file_names_the_field_and_saves_nothing(team_service, workspace, tmp_path, text, code, field):
    with pytest.raises(UserError) as refused:
        imported(team_service, workspace, tmp_path, text)
    assert refused.value.code == code
    if field:
        assert refused.value.params["field"] == field
    assert team_service.team_profile(workspace).version == 0


def test_a_stale_edit_is_refused_with_who_saved_since(team_service, workspace, tmp_path):
    imported(team_service, workspace, tmp_path)
    team_service.save_team_profile(workspace, {"products": [{"name": "B"}]}, "bo", base_version=1)
    with pytest.raises(UserError) as refused:
        team_service.save_team_profile(workspace, {"products": [{"name": "C"}]}, "cy", base_version=1)
    assert refused.value.code == "stale_team_profile" and refused.value.params["who"] == "bo"
    assert team_service.team_profile(workspace).profile.products[0].name == "B"


def _write_version(path, workspace, who, base, results):
    with TeamLog(path) as team_log:
        try:
            team_log.write(workspace, RecordKind.PROFILE, "", {"by": who}, who, base_version=base)
            results.put(who)
        except StaleRecord:
            results.put(None)


def test_concurrent_writers_from_one_version_one_wins_and_the_rest_are_refused(tmp_path):
    path = tmp_path / "plans.db"
    TeamLog(path).close()
    results = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=_write_version,
                                                            args=(path, "T1", f"w{i}", 0, results))
               for i in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    winners = [who for who in (results.get(timeout=10) for _ in workers) if who]
    with TeamLog(path) as team_log:
        assert len(winners) == 1 and team_log.current("T1", RecordKind.PROFILE).body == {"by": winners[0]}
        assert len(team_log.history("T1", RecordKind.PROFILE)) == 1


# --- whom answers and drafts are for ------------------------------------------------------------


def test_no_profile_answers_exactly_as_without_a_workspace(team_service, workspace):
    questions = ("which content fits the Ask stage?", "短视频多长最好？", "리드가 예산과 권한은 있는데 일정이 없어요")
    for question in questions:
        assert team_service.ask(question, workspace=workspace).body == team_service.ask(question).body


def test_channel_defaults_apply_until_the_question_names_another_segment(team_service, workspace, tmp_path):
    imported(team_service, workspace, tmp_path)
    team_service.set_channel_defaults(workspace, "C1", {"segment": "工厂厂长"}, "ann")
    aware = team_service.ask("客户还不知道排产可以自动化，发什么内容？", workspace=workspace, channel="C1")
    assert "工厂厂长" in aware.body and "交期总是延误" in aware.body and "FlowPlan" in aware.body
    other = team_service.ask("what do IT managers comparing vendors need?", workspace=workspace, channel="C1")
    assert "IT managers" in other.body and "工厂厂长" not in other.body
    elsewhere = team_service.ask("客户还不知道排产可以自动化，发什么内容？", workspace=workspace, channel="C2")
    assert "交期总是延误" not in elsewhere.body


def test_a_segment_is_named_by_an_alias_in_either_chinese_script_or_in_the_plural(team_service, workspace, tmp_path):
    imported(team_service, workspace, tmp_path)
    questions = ("廠長們在比較幾家供應商，該給什麼內容？", "our plant managers are comparing vendors: what content?")
    for question in questions:
        answer = team_service.ask(question, workspace=workspace)
        assert "工厂厂长" in answer.body and "交期总是延误" in answer.body.replace("交期總是延誤", "交期总是延误")


def test_a_channel_default_must_name_a_segment_of_the_profile(team_service, workspace, tmp_path):
    imported(team_service, workspace, tmp_path)
    with pytest.raises(UserError) as refused:
        team_service.set_channel_defaults(workspace, "C1", {"segment": "factory mgrs"}, "ann")
    assert refused.value.code == "team_unknown_name" and "工厂厂长" in refused.value.params["allowed"]


def test_drafts_use_the_segment_pains_motivations_channels_and_language(team_service, workspace, tmp_path):
    imported(team_service, workspace, tmp_path)
    drafts = team_service.drafts(Brief(), journey=True, every_segment=True, workspace=workspace)
    assert len(drafts) == 10
    by_segment = {segment: [d.plan for d in drafts if d.plan.segment == segment]
                  for segment in ("工厂厂长", "IT managers")}
    factory, it = by_segment["工厂厂长"], by_segment["IT managers"]
    assert all(plan.lang.value == "zh-Hans" for plan in factory) and all(plan.lang.value == "en" for plan in it)
    assert all("交期总是延误" in plan.understanding and "准时交付" in plan.feeling for plan in factory)
    assert all("another integration to maintain" in plan.understanding for plan in it)
    # The segment's preferred channels first where the stage has an idea for them.
    assert factory[0].channel is Channel.SOCIAL_POST and it[1].channel is Channel.WEBINAR
    assert any("FlowPlan" in plan.content.title for plan in factory)
    assert not [f for d in drafts for f in d.plan.findings if f.level.value == "error"]


# --- the team's own guidance ---------------------------------------------------------------------


def test_a_team_rule_replaces_the_built_in_one_for_that_team_only(team_service, workspace):
    team_service.teach(workspace, {"kind": "channel_rule", "channel": "douyin",
                                   "duration_seconds": {"min": 20, "max": 45}, "note": "our viewers swipe fast"}, "ann")
    card = ContentPlan(channel=Channel.SHORT_VIDEO, content={"format": ContentFormat(duration_seconds=75)})
    ours = [f for f in team_service.check(card, workspace) if f.code == "duration"]
    assert ours and ours[0].rule == "team-channel-short-video" and ours[0].params["expected"] == {"seconds": [20, 45]}
    assert not [f for f in team_service.check(card) if f.code == "duration"]
    answer = team_service.ask("how long should a douyin video be?", workspace=workspace)
    assert "20–45" in answer.body and "60–90" in answer.body and "our viewers swipe fast" in answer.body
    assert "team-channel-short-video" in [source.id for source in answer.sources]
    drafted = team_service.draft(Brief(channel=Channel.SHORT_VIDEO, stage="aware"), workspace=workspace)
    assert 20 <= drafted.content.format.duration_seconds <= 45 and not drafted.findings


def test_a_taught_signal_places_a_situation_at_its_stage(team_service, workspace):
    question = "prospects started asking for our SOC 2 report, what content now?"
    team_service.teach(workspace, {"kind": "signal", "stage": "ask", "signal": "they ask for our SOC 2 report"},
                       "ann")
    taught = team_service.ask(question, workspace=workspace)
    assert taught.stage.value == "ask" and "SOC 2" in taught.body
    assert "they ask for our SOC 2 report" not in team_service.ask(question).body


def test_a_taught_mapping_and_cta_apply_to_drafts_and_checks(team_service, workspace):
    team_service.teach(workspace, {"kind": "mapping", "funnel_stage": "sql", "stage": "act"}, "ann")
    team_service.teach(workspace, {"kind": "cta", "stage": "act", "cta": "Book your kickoff call"}, "ann")
    drafted = team_service.draft(Brief(funnel_stage="sql"), workspace=workspace)
    assert drafted.stage.value == "act" and drafted.action == "Book your kickoff call"
    assert not [f for f in drafted.findings if f.code == "funnel_mismatch"]
    assert team_service.draft(Brief(funnel_stage="sql")).stage.value == "ask"


def test_the_team_knowledge_folder_teaches_and_a_broken_file_is_refused_whole(team_service, workspace):
    folder = team_service.settings.team_knowledge_dir
    folder.mkdir()
    (folder / "rules.yaml").write_text(
        "teachings:\n  - {kind: channel_rule, channel: 小红书, image_count: {min: 6, max: 9}}\n", encoding="utf-8")
    (folder / "broken.yaml").write_text(
        "teachings:\n  - {kind: cta, stage: ask, cta: Fine}\n  - {kind: channel_rule, channel: blog, "
        "word_count: {min: lots}}\n", encoding="utf-8")
    taught = team_service.team_teachings(workspace)
    assert [item.file for item in taught] == ["rules.yaml"]
    [(path, problem)] = team_service.team_file_problems()
    assert path.name == "broken.yaml" and problem.params["field"] == "teachings[1].word_count.min"
    post = ContentPlan(channel=Channel.SOCIAL_POST, content={"format": ContentFormat(image_count=12)})
    assert [f.code for f in team_service.check(post, workspace) if f.rule.startswith("team-")] == ["image_count"]


def test_forgetting_a_rule_restores_the_built_in_one_and_keeps_its_history(team_service, workspace):
    taught = team_service.teach(workspace, {"kind": "channel_rule", "channel": "webinar",
                                            "duration_seconds": {"min": 600, "max": 1200}}, "ann")
    team_service.forget(workspace, taught.key, "bo")
    assert team_service.team_teachings(workspace) == []
    with TeamLog(team_service.settings.data_dir / "plans.db") as team_log:
        assert [r.who for r in team_log.history(workspace, RecordKind.TEACHING, taught.key)] == ["ann", "bo"]
    with pytest.raises(UserError):
        team_service.forget(workspace, taught.key, "bo")


# --- hostile input -------------------------------------------------------------------------------

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                     st.text(max_size=40))
_anything = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
_profile_like = st.fixed_dictionaries({}, optional={
    "products": st.lists(st.dictionaries(st.sampled_from(["name", "value", "x"]), _scalars, max_size=3), max_size=3),
    "segments": st.lists(st.dictionaries(st.sampled_from(["name", "pains", "channels", "language", "motivations"]),
                                         _anything, max_size=4), max_size=3),
    "channels": st.lists(_anything, max_size=3),
    "language": _scalars,
})
_teaching_like = st.fixed_dictionaries({"kind": st.sampled_from(["channel_rule", "cta", "signal", "mapping", "x"])},
                                       optional={key: _anything for key in (
                                           "channel", "stage", "funnel_stage", "cta", "signal", "note",
                                           "duration_seconds", "word_count", "image_count", "min_image_share")})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=_profile_like, teaching=_teaching_like)
def test_any_profile_or_teaching_is_saved_or_refused_with_a_message(team_service, profile, teaching):
    workspace = "TFUZZ"
    before = team_service.team_profile(workspace).version
    try:
        team_service.save_team_profile(workspace, profile, "fuzz")
    except UserError:
        assert team_service.team_profile(workspace).version == before
    try:
        team_service.teach(workspace, teaching, "fuzz")
    except UserError:
        pass


def test_the_cli_manages_the_profile_and_tells_what_is_wrong(service, tmp_path):
    data = data_dir_sharing_knowledge(service, tmp_path)
    env = {"PLANBOT_DATA_DIR": str(data), "PLANBOT_LANG": "en", "PATH": "/usr/bin:/bin", "PLANBOT_USER": "ann"}

    def planbot(*args):
        return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env,
                              timeout=120)

    good = tmp_path / "profile.yaml"
    good.write_text(PROFILE, encoding="utf-8")
    typo = tmp_path / "typo.yaml"
    typo.write_text("segemnts: []\n", encoding="utf-8")
    assert planbot("team", "import", str(good)).returncode == 0
    refused = planbot("team", "import", str(typo))
    assert refused.returncode == 2 and "segemnts" in refused.stderr and "Traceback" not in refused.stderr
    rule = planbot("team", "teach", "kind=channel_rule", "channel=小红书", "image_count.min=six")
    assert rule.returncode == 2 and "image_count.min" in rule.stderr and "number" in rule.stderr
    assert planbot("team", "teach", "kind=channel_rule", "channel=小红书", "image_count.min=6").returncode == 0
    shown = json.loads(planbot("team", "show", "--json").stdout)
    assert shown["version"] == 1 and shown["profile"]["segments"][0]["name"] == "工厂厂长"
    assert [item["key"] for item in shown["teachings"]] == ["channel_rule:小红书"]
    drafted = json.loads(planbot("draft", "--stage", "appeal", "--json").stdout)
    assert drafted["segment"] == "工厂厂长" and "FlowPlan" in drafted["content"]["title"]
    roles = planbot("team", "roles", "U0AB1", "approver", "--no-self-approval", "--json")
    assert json.loads(roles.stdout) == {"U0AB1": "approver"}


def test_the_team_records_are_append_only(tmp_path):
    import sqlite3

    with TeamLog(tmp_path / "plans.db") as team_log:
        team_log.write("T1", RecordKind.ROLE, "U1", {"role": "editor"}, "ann")
        for statement in ("UPDATE team_records SET who = 'mallory'", "DELETE FROM team_records"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                team_log.db.execute(statement)
        assert [r.who for r in team_log.history("T1", RecordKind.ROLE, "U1")] == ["ann"]
