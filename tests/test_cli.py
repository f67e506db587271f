"""The CLI through Typer's runner, on a data directory of its own."""

import json

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, service):
    # Reuse the synced session store: the CLI opens the same data directory.
    return service.settings.data_dir


@pytest.fixture
def env(data_dir, monkeypatch):
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(data_dir))
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_kb_sync_reports_what_changed(env):
    result = runner.invoke(app, ["kb", "sync"])
    assert result.exit_code == 0
    assert "0 added, 0 updated, 0 removed" in result.output


def test_kb_search_lists_entries(env):
    result = runner.invoke(app, ["kb", "search", "short video length"])
    assert result.exit_code == 0 and "channel-short-video" in result.output


def test_ask_json_prints_the_machine_readable_answer(env):
    result = runner.invoke(app, ["ask", "--json", "How long should a short video be?"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert {"answer", "lang", "stage", "channel", "sources"} <= set(record)
    assert record["channel"] == "short_video"
    assert {"id", "kind", "stage", "channel"} <= set(record["sources"][0])


def test_ask_batch_answers_every_line_in_order(env, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text('{"q": "什么是MQL？"}\n{"q": "How long should a short video be?"}\n', encoding="utf-8")
    result = runner.invoke(app, ["ask", "--json", "--batch", str(batch)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lang"] for r in records] == ["zh-Hans", "en"]


def test_ask_needs_a_question_or_a_batch(env):
    result = runner.invoke(app, ["ask"])
    assert result.exit_code == 2


def test_unknown_language_is_a_clear_error(env):
    result = runner.invoke(app, ["ask", "--lang", "fr", "hello"])
    assert result.exit_code == 2 and "Unknown language" in result.output


def test_chat_answers_until_end_of_input(env):
    result = runner.invoke(app, ["chat"], input="What is BANT?\n")
    assert result.exit_code == 0 and "Budget" in result.output


def test_no_command_without_slack_tokens_starts_the_chat(env):
    result = runner.invoke(app, [], input="")
    assert result.exit_code == 0 and "planbot" in result.output


@pytest.mark.skipif(not (SHARED / "eval" / "dev.jsonl").exists(), reason="no shared eval set")
def test_eval_scores_the_public_question_set_in_full(env):
    result = runner.invoke(app, ["eval", str(SHARED / "eval" / "dev.jsonl")])
    assert "score: 35/35" in result.output, result.output
    assert result.exit_code == 0


def test_chat_routes_drafting_requests_like_slack(env):
    result = runner.invoke(app, ["chat"], input="draft a webinar plan for the Appeal stage\n")
    assert result.exit_code == 0, result.output
    assert "5A stage Appeal" in result.output and "webinar" in result.output


def test_chat_follow_ups_keep_the_stage_of_the_answer_before(env):
    result = runner.invoke(app, ["chat"], input="Which content fits the Ask stage?\nand which channel?\n")
    assert result.exit_code == 0
    assert result.output.count("Stage: Ask") == 2, result.output


def test_many_workspaces_need_http_mode(env, monkeypatch):
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "secret")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2 and "--http" in result.output
