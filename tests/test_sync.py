"""Syncing knowledge files into a real Chroma store in a temporary folder."""

import pytest
from conftest import write_entry

from bot.config import Settings
from bot.knowledge.entries import KnowledgeFileError, load_entries
from bot.knowledge.store import KnowledgeStore


@pytest.fixture
def folders(tmp_path):
    knowledge = tmp_path / "knowledge"
    write_entry(knowledge, "en", "stage-ask", kind="stage", stage="ask", funnel="sql",
                title="Ask", summary="Prospects try the product.", channels=["webinar"])
    write_entry(knowledge, "zh-Hans", "stage-ask", kind="stage", stage="ask", funnel="sql",
                title="问询", summary="潜在客户试用产品。", channels=["webinar"])
    write_entry(knowledge, "en", "channel-short-video", kind="channel_rule", channel="short_video",
                stages=["aware"], rule={"duration_seconds": {"min": 60, "max": 90}},
                title="Short video", summary="60–90 seconds.")
    return knowledge, tmp_path / "chroma"


def _sync(knowledge, chroma):
    return KnowledgeStore(chroma).sync(load_entries(knowledge))


def test_first_sync_adds_everything_with_front_matter_as_metadata(folders):
    knowledge, chroma = folders
    report = _sync(knowledge, chroma)
    assert sorted(report.added) == ["channel-short-video@en", "stage-ask@en", "stage-ask@zh-Hans"]
    stored = KnowledgeStore(chroma).vectors.get(ids=["channel-short-video@en"], include=["metadatas"])
    meta = stored["metadatas"][0]
    assert (meta["kind"], meta["channel"], meta["stages"], meta["lang"]) == (
        "channel_rule", "short_video", "aware", "en")
    entry = next(e for e in KnowledgeStore(chroma).entries() if e.id == "channel-short-video")
    assert entry.rule.duration_seconds.max == 90


def test_a_second_sync_re_embeds_only_what_changed_and_deletes_what_was_removed(folders):
    knowledge, chroma = folders
    _sync(knowledge, chroma)
    assert not _sync(knowledge, chroma).changed

    write_entry(knowledge, "en", "stage-ask", kind="stage", stage="ask", funnel="sql",
                title="Ask", summary="Prospects book demos.", channels=["webinar"])
    (knowledge / "zh-Hans" / "stage-ask.md").unlink()
    report = _sync(knowledge, chroma)
    assert (report.added, report.updated, report.removed, report.unchanged) == (
        [], ["stage-ask@en"], ["stage-ask@zh-Hans"], 1)
    entries = {e.doc_id: e for e in KnowledgeStore(chroma).entries()}
    assert set(entries) == {"stage-ask@en", "channel-short-video@en"}
    assert entries["stage-ask@en"].summary == "Prospects book demos."


def test_a_broken_file_is_named_and_nothing_is_synced(folders):
    knowledge, chroma = folders
    (knowledge / "en" / "broken.md").write_text("---\nid: broken\nkind: nonsense\n---\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="broken.md"):
        _sync(knowledge, chroma)
    assert KnowledgeStore(chroma).entries() == []


def test_the_shipped_knowledge_base_syncs(service):
    assert len(service.store.entries()) == len(load_entries(Settings().knowledge_dir))
    assert not service.sync_knowledge().changed
