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


def test_a_sync_that_finds_nothing_changed_reads_the_snapshot_and_opens_no_chroma(folders):
    knowledge, chroma = folders
    _sync(knowledge, chroma)
    store = KnowledgeStore(chroma)
    assert not store.sync(load_entries(knowledge)).changed
    assert {e.doc_id for e in store.entries()} == {"stage-ask@en", "stage-ask@zh-Hans", "channel-short-video@en"}
    assert store._chroma is None  # answering from a shell loads no Chroma client


def test_the_snapshot_ranks_as_chroma_does(service):
    """The exported vectors, compared exactly, give Chroma's own nearest entries and distances."""
    import numpy as np

    store = service.store
    collection = store.vectors._collection
    for question, lang in (("How long should a short video be?", "en"), ("问询阶段适合什么内容？", "zh-Hans"),
                           ("BANT 중 두 가지만 충족", "ko"), ("預算還沒確定", "zh-Hant")):
        query = store.embed_queries([question])[0]
        found = collection.query(query_embeddings=[query.tolist()], n_results=8, where={"lang": lang},
                                 include=["distances"])
        ranked = store.dense_rank(query, lang, k=8)
        assert [doc_id for doc_id, _ in ranked] == found["ids"][0]
        assert np.allclose([distance for _, distance in ranked], found["distances"][0], atol=1e-4)


def test_an_unreadable_snapshot_is_exported_again(folders):
    knowledge, chroma = folders
    _sync(knowledge, chroma)
    snapshots = chroma / "planbot-snapshot" / "planbot_knowledge"
    current = (snapshots / "CURRENT").read_text()
    (snapshots / current / "manifest.json").write_text("{not json", encoding="utf-8")
    store = KnowledgeStore(chroma)
    assert not store.sync(load_entries(knowledge)).changed  # compared with Chroma itself
    assert len(store.entries()) == 3
    assert len(KnowledgeStore(chroma).entries()) == 3  # and a whole snapshot again


def test_unchanged_files_are_not_parsed_again_and_an_edit_is_synced(folders, monkeypatch):
    from bot.service import PlanBotService

    knowledge, chroma = folders
    settings = Settings(data_dir=chroma.parent, knowledge_dir=knowledge)
    assert PlanBotService(settings).sync_knowledge().added

    def parse_everything(folder):
        raise AssertionError("the knowledge files were parsed again")

    with monkeypatch.context() as patched:
        patched.setattr("bot.service.load_entries", parse_everything)
        quiet = PlanBotService(settings)
        assert quiet.sync_knowledge().unchanged == 3 and quiet.store._chroma is None

    write_entry(knowledge, "en", "stage-ask", kind="stage", stage="ask", funnel="sql",
                title="Ask", summary="Prospects compare vendors.", channels=["webinar"])
    edited = PlanBotService(settings)
    assert edited.sync_knowledge().updated == ["stage-ask@en"]
    assert next(e for e in edited.store.entries() if e.doc_id == "stage-ask@en").summary == "Prospects compare vendors."


def test_a_store_deleted_and_synced_anew_does_not_trust_the_old_snapshot(folders):
    import shutil

    from chromadb.api.client import SharedSystemClient

    knowledge, chroma = folders
    _sync(knowledge, chroma)
    shutil.rmtree(chroma)
    SharedSystemClient.clear_system_cache()  # as a new process would start
    report = _sync(knowledge, chroma)  # not "unchanged": the new database is empty
    assert len(report.added) == 3
    assert len(KnowledgeStore(chroma).vectors.get()["ids"]) == 3


def test_a_team_whose_teachings_did_not_change_costs_no_chroma_client(folders):
    knowledge, chroma = folders
    _sync(knowledge, chroma)
    KnowledgeStore(chroma).sync_team("T1", [], [])
    store = KnowledgeStore(chroma)
    store.sync_team("T1", [], [])
    assert store.team_signal_vectors("T1").texts == [] and store._chroma is None
