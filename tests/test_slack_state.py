"""Slack's own state file: named migrations, also over a file from before them."""

import sqlite3

from bot.slack.state import SLACK_STATE_MIGRATIONS, SlackState


def test_a_new_file_gets_every_migration_and_remembers_claims(tmp_path):
    state = SlackState(tmp_path / "slack.db")
    assert state.claim("event:1") and not state.claim("event:1")
    assert [m.name for m in SLACK_STATE_MIGRATIONS.applied(state.db)] == [
        "create_claims_turns_feedback_locales", "create_drafts_and_plan_messages", "add_draft_workspace_and_channel",
        "add_claim_owner", "add_turn_and_feedback_workspace"]


def test_a_file_from_before_named_migrations_keeps_its_rows(tmp_path):
    path = tmp_path / "slack.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE claims (key TEXT PRIMARY KEY, at TEXT)")
        old.execute("INSERT INTO claims VALUES ('event:7', '2026-01-01T00:00:00+00:00')")
        old.execute("PRAGMA user_version = 1")
    state = SlackState(path)
    assert not state.claim("event:7")  # still remembered
    assert state.keep_draft("U1", {"plan": {"a": 1}, "brief": {}, "workspace": "T1"}) == 1
    assert len(SLACK_STATE_MIGRATIONS.applied(state.db)) == 5
    assert SlackState(path).draft(1, "T1") == {"plan": {"a": 1}, "brief": {}, "workspace": "T1", "channel": ""}
    assert SlackState(path).draft(1, "T2") is None  # another workspace's
