"""The knowledge store: entries in a persistent Chroma collection, synced incrementally.

Chroma holds, per entry and language, the searchable text, its dense embedding, and the whole
entry as metadata, so that the running bot reads its knowledge from the store alone. A second
collection holds one document per signal (a phrase that places a prospect at a stage), which
the stage router compares questions with.

Each sync also exports what the retriever reads of the built-in knowledge (the entries, their
vectors, the signals) into a snapshot beside the store (``bot.knowledge.snapshot``), and readers
rank from it: a few hundred unit vectors, compared exactly with one matrix product. So a
process that only answers — `planbot ask` in a shell — never loads a Chroma client (a second of
imports), and a sync that finds nothing changed reads the snapshot alone. Chroma stays the store
of record: the snapshot is exported from it, and a team's own documents are read from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np

from bot.domain.vocabulary import without_question_form
from bot.knowledge.atomic import replace_text
from bot.knowledge.encoder import embed
from bot.knowledge.entries import KnowledgeEntry
from bot.knowledge.snapshot import SignalVectors, StoreSnapshot, unit_rows
from bot.models import SyncReport

if TYPE_CHECKING:
    from langchain_core.documents import Document


def _metadata(entry: KnowledgeEntry) -> dict:
    """Flat metadata for filtering (Chroma takes scalars), plus the entry itself as JSON."""
    flat = {
        "id": entry.id,
        "kind": entry.kind.value,
        "lang": entry.lang.value,
        "title": entry.title,
        "digest": entry.digest,
        "entry": entry.model_dump_json(),
    }
    for name in ("stage", "funnel", "channel"):
        value = getattr(entry, name)
        if value is not None:
            flat[name] = value.value
    for name in ("stages", "channels"):
        values = getattr(entry, name)
        if values:
            flat[name] = ",".join(value.value for value in values)
    return flat


# Bumped when the text a signal is embedded as changes, so that the next sync embeds every
# signal again.
SIGNAL_FORM = "3"


def _signal_digest(entry: KnowledgeEntry) -> str:
    return f"{entry.digest}:{SIGNAL_FORM}"


def _signal_documents(entry: KnowledgeEntry) -> list[Document]:
    """One document a signal: compared as it reads without question wording, shown as written."""
    from langchain_core.documents import Document

    return [
        Document(page_content=without_question_form(text).strip() or text, metadata={
            "entry": entry.doc_id, "id": entry.id, "lang": entry.lang.value, "digest": _signal_digest(entry),
            "text": text,
        })
        for text in entry.signals
    ]


def _team_digest(doc: TeamSignalDoc | TeamRuleDoc) -> str:
    return f"{doc.text}\x00{getattr(doc, 'entry_doc_id', '')}:{SIGNAL_FORM}"


def _team_docs_digest(signals: list[TeamSignalDoc], rules: list[TeamRuleDoc]) -> str:
    parts = sorted(f"{type(doc).__name__}\x00{doc.key}\x00{_team_digest(doc)}" for doc in [*signals, *rules])
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _team_document(team: str, doc: TeamSignalDoc | TeamRuleDoc) -> Document:
    from langchain_core.documents import Document

    if isinstance(doc, TeamSignalDoc):
        return Document(page_content=without_question_form(doc.text).strip() or doc.text, metadata={
            TEAM_KEY: team, "entry": doc.entry_doc_id, "text": doc.text, "digest": _team_digest(doc)})
    return Document(page_content=doc.text, metadata={TEAM_KEY: team, "lang": "team", "text": doc.text,
                                                     "digest": _team_digest(doc)})


@dataclass(frozen=True)
class TeamSignalDoc:
    """A signal a team taught: the stage entry it points to (``stage-act@zh-Hans``) and its text."""

    entry_doc_id: str
    text: str
    key: str


@dataclass(frozen=True)
class TeamRuleDoc:
    """A team's rule, stored beside the entries so that it is searchable and cited like them."""

    doc_id: str
    text: str
    key: str


# Marks a team's documents in both collections; the built-in ones have no such key.
TEAM_KEY = "team"


class KnowledgeStore:
    def __init__(self, persist_dir: Path, collection: str = "planbot_knowledge", server_url: str | None = None,
                 poll_seconds: float = 10.0):
        """Embedded in ``persist_dir``, or on the Chroma server at ``server_url``, which every
        instance shares: ``kb sync`` on one publishes a new version there, and the others export
        a new snapshot when they see it (asking at most every ``poll_seconds``)."""
        self.persist_dir, self.collection, self.server_url = persist_dir, collection, server_url
        self._poll_seconds, self._polled_at = poll_seconds, 0.0
        self._refreshing = threading.Lock()
        # Beside the Chroma directory, i.e. in the data directory: <data dir>/encoder.
        self.weights_cache_dir = persist_dir.parent / "encoder"
        # Inside Chroma's folder (which Chroma leaves alone): copied, restored or deleted with it.
        # A server's snapshot is this instance's own, in the data directory.
        local = persist_dir if server_url is None else \
            persist_dir.parent / "chroma-server" / hashlib.sha256(server_url.encode()).hexdigest()[:12]
        self._snapshot_dir = local / "planbot-snapshot" / collection
        self._teams_dir = local / "planbot-teams" / collection
        self.lexical_cache_dir = persist_dir.parent / "lexical-index"
        self._snapshot: StoreSnapshot | None = None
        self._chroma: tuple | None = None

    def _collections(self) -> tuple:
        """(entries, signals) as langchain Chroma stores, and the raw entry collection; opened
        on first use (sync, or a team's documents)."""
        if self._chroma is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
            from langchain_chroma import Chroma

            from bot.knowledge.embedder import MultilingualEmbeddings

            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if self.server_url is None:
                self.persist_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(self.persist_dir), settings=settings)
            else:
                address = urlsplit(self.server_url)
                client = chromadb.HttpClient(host=address.hostname or "localhost",
                                             port=address.port or (443 if address.scheme == "https" else 8000),
                                             ssl=address.scheme == "https", settings=settings)
            embeddings = MultilingualEmbeddings(self.weights_cache_dir)
            vectors, signals = (
                Chroma(client=client, collection_name=name, embedding_function=embeddings,
                       collection_metadata={"hnsw:space": "cosine"})
                for name in (self.collection, f"{self.collection}_signals")
            )
            # One record: the version of the knowledge last synced, for the other instances.
            version = client.get_or_create_collection(f"{self.collection}_version", embedding_function=None)
            self._chroma = (vectors, signals, version)
        return self._chroma

    def published_version(self) -> str:
        """The version of the knowledge the last sync published on the Chroma server ("" if none)."""
        found = self._collections()[2].get(ids=["current"], include=["metadatas"])
        return found["metadatas"][0]["version"] if found["ids"] else ""

    def _publish(self, snapshot: StoreSnapshot) -> str:
        """Tell the other instances on the server that this is the knowledge now; its version."""
        version = hashlib.sha256(json.dumps(snapshot.digests, sort_keys=True).encode()
                                 + json.dumps(snapshot.signal_digests, sort_keys=True).encode()).hexdigest()[:16]
        self._collections()[2].upsert(ids=["current"], embeddings=[[0.0]], metadatas=[{"version": version}])
        return version

    def refresh(self) -> bool:
        """With a Chroma server: True when another instance published new knowledge since this
        one's snapshot, which is then exported again. Asks the server at most every poll interval."""
        if self.server_url is None or time.monotonic() - self._polled_at < self._poll_seconds:
            return False
        if not self._refreshing.acquire(blocking=False):
            return False  # another thread is asking already
        try:
            self._polled_at = time.monotonic()
            version = self.published_version()
            if not version or version == self.snapshot.version:
                return False
            self._snapshot = self._export_snapshot(self.snapshot.source, version=version)
            return True
        finally:
            self._refreshing.release()

    @property
    def vectors(self):
        return self._collections()[0]

    @property
    def signals(self):
        return self._collections()[1]

    @property
    def snapshot(self) -> StoreSnapshot:
        """The built-in knowledge as last synced (exported from Chroma when missing)."""
        if self._snapshot is None:
            self._snapshot = StoreSnapshot.load(self._snapshot_dir) or self._export_snapshot()
        return self._snapshot

    def _export_snapshot(self, source: str = "", version: str = "", publish: bool = False) -> StoreSnapshot:
        """What Chroma holds, saved as the snapshot; with ``publish`` (a sync, on a server) its
        version is published for the other instances, else it is ``version``."""
        entries = self.vectors.get(include=["metadatas", "embeddings"])
        built_in = [i for i, meta in enumerate(entries["metadatas"]) if TEAM_KEY not in meta]
        signals = self.signals.get(include=["metadatas", "documents", "embeddings"])
        signal_rows = [i for i, meta in enumerate(signals["metadatas"]) if TEAM_KEY not in meta]
        snapshot = StoreSnapshot.build(
            entry_metadata=[entries["metadatas"][i] for i in built_in],
            entry_vectors=np.asarray([entries["embeddings"][i] for i in built_in], dtype=np.float32),
            signals=self._signal_vectors({key: [signals[key][i] for i in signal_rows]
                                          for key in ("ids", "metadatas", "documents", "embeddings")}),
            signal_digests={signals["metadatas"][i]["entry"]: signals["metadatas"][i]["digest"] for i in signal_rows},
            source=source,
        )
        if publish and self.server_url is not None:
            version = self._publish(snapshot)
        snapshot = dataclasses.replace(snapshot, version=version)
        snapshot.save(self._snapshot_dir)
        return snapshot

    def _stored_digests(self) -> dict[str, str]:
        stored = self.vectors.get(include=["metadatas"])
        return {
            doc_id: (meta or {}).get("digest", "")
            for doc_id, meta in zip(stored["ids"], stored["metadatas"], strict=True)
            if TEAM_KEY not in (meta or {})
        }

    def synced_from(self, source: str) -> int | None:
        """How many entries the store holds, when it was last synced from files with the
        fingerprint ``source`` (then nothing needs parsing again); None otherwise."""
        # A server may hold what another instance synced since: only it can say.
        snapshot = StoreSnapshot.load(self._snapshot_dir) if self.server_url is None else None
        if snapshot is None or not source or snapshot.source != source:
            return None
        self._snapshot = snapshot
        return len(snapshot.doc_ids)

    def sync(self, entries: list[KnowledgeEntry], source: str = "") -> SyncReport:
        """Make the collection hold exactly ``entries`` (read from files with the fingerprint
        ``source``), re-embedding only what changed."""
        wanted = {entry.doc_id: entry for entry in entries}
        if len(wanted) != len(entries):
            raise ValueError("two knowledge files share an id and language")
        snapshot = StoreSnapshot.load(self._snapshot_dir) if self.server_url is None else None
        if snapshot is not None and snapshot.holds(
                {doc_id: entry.digest for doc_id, entry in wanted.items()},
                {doc_id: _signal_digest(entry) for doc_id, entry in wanted.items() if entry.signals}):
            if snapshot.source != source:
                snapshot = dataclasses.replace(snapshot, source=source)
                snapshot.save(self._snapshot_dir)
            self._snapshot = snapshot
            return SyncReport(unchanged=len(wanted))
        stored = self._stored_digests()
        report = SyncReport()
        to_write: list[KnowledgeEntry] = []
        for doc_id, entry in wanted.items():
            if doc_id not in stored:
                report.added.append(doc_id)
                to_write.append(entry)
            elif stored[doc_id] != entry.digest:
                report.updated.append(doc_id)
                to_write.append(entry)
            else:
                report.unchanged += 1
        report.removed = sorted(set(stored) - set(wanted))
        if to_write:
            from langchain_core.documents import Document

            self.vectors.add_documents(
                [Document(page_content=e.focus_text(), metadata=_metadata(e)) for e in to_write],
                ids=[e.doc_id for e in to_write],
            )
        if report.removed:
            self.vectors.delete(ids=report.removed)
        self._sync_signals(wanted)
        self._snapshot = self._export_snapshot(source, publish=True)
        return report

    def _sync_signals(self, wanted: dict[str, KnowledgeEntry]) -> None:
        """Make the signal collection hold the signals of exactly ``wanted``, by entry digest (so a
        store synced before signals had their own collection gets them at its next sync)."""
        stored = self.signals.get(include=["metadatas"])
        stored_digest: dict[str, str] = {}
        ids_of: dict[str, list[str]] = {}
        for signal_id, meta in zip(stored["ids"], stored["metadatas"], strict=True):
            if TEAM_KEY in meta:
                continue
            stored_digest[meta["entry"]] = meta["digest"]
            ids_of.setdefault(meta["entry"], []).append(signal_id)
        stale = [doc_id for doc_id in stored_digest
                 if doc_id not in wanted or stored_digest[doc_id] != _signal_digest(wanted[doc_id])]
        if stale:
            self.signals.delete(ids=[signal_id for doc_id in stale for signal_id in ids_of[doc_id]])
        fresh = [entry for doc_id, entry in wanted.items()
                 if entry.signals and (doc_id in stale or doc_id not in stored_digest)]
        documents = [document for entry in fresh for document in _signal_documents(entry)]
        if documents:
            ids = [f"{entry.doc_id}#{i}" for entry in fresh for i in range(len(entry.signals))]
            self.signals.add_documents(documents, ids=ids)

    def sync_team(self, team: str, signals: list[TeamSignalDoc], rules: list[TeamRuleDoc]) -> None:
        """Make the team's documents in both collections exactly these, embedding only new ones.
        What was synced last is remembered beside Chroma's files, so that a team whose teachings
        did not change (most teams have none) costs no Chroma client."""
        synced = self._team_synced(team)
        digest = _team_docs_digest(signals, rules)
        if synced.exists() and synced.read_text(encoding="utf-8") == digest:
            return
        for collection, wanted in ((self.signals, {f"{TEAM_KEY}:{team}:{doc.key}": doc for doc in signals}),
                                   (self.vectors, {doc.doc_id: doc for doc in rules})):
            stored = collection.get(where={TEAM_KEY: team}, include=["metadatas"])
            digests = {doc_id: meta.get("digest") for doc_id, meta in zip(stored["ids"], stored["metadatas"],
                                                                          strict=True)}
            fresh = {doc_id: doc for doc_id, doc in wanted.items() if digests.get(doc_id) != _team_digest(doc)}
            gone = [doc_id for doc_id in digests if doc_id not in wanted or doc_id in fresh]
            if gone:
                collection.delete(ids=gone)
            if fresh:
                collection.add_documents([_team_document(team, doc) for doc in fresh.values()], ids=list(fresh))
        replace_text(synced, digest)

    def _team_synced(self, team: str) -> Path:
        return self._teams_dir / hashlib.sha256(team.encode()).hexdigest()[:16]

    def team_signal_vectors(self, team: str) -> SignalVectors:
        """The signals one team taught (see ``sync_team``)."""
        synced = self._team_synced(team)
        if synced.exists() and synced.read_text(encoding="utf-8") == _team_docs_digest([], []):
            return SignalVectors([], [], np.zeros((0, 0), dtype=np.float32), [])
        return self._signal_vectors(self.signals.get(where={TEAM_KEY: team},
                                                     include=["metadatas", "documents", "embeddings"]))

    def signal_vectors(self) -> SignalVectors:
        return self.snapshot.signals

    @staticmethod
    def _signal_vectors(stored: dict) -> SignalVectors:
        if not len(stored["ids"]):
            return SignalVectors([], [], np.zeros((0, 0), dtype=np.float32), [])
        order = sorted(range(len(stored["ids"])), key=lambda i: stored["ids"][i])
        vectors = np.asarray(stored["embeddings"], dtype=np.float32).reshape(len(order), -1)[order]
        return SignalVectors(
            entry_doc_ids=[stored["metadatas"][i]["entry"] for i in order],
            texts=[stored["metadatas"][i].get("text", stored["documents"][i]) for i in order],
            vectors=unit_rows(vectors),
            compared_texts=[stored["documents"][i] for i in order],
        )

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``, one row each, in one call to the encoder."""
        return unit_rows(embed(texts, self.weights_cache_dir))

    def entries(self) -> list[KnowledgeEntry]:
        """Every entry of the knowledge base in the store, as it was when synced."""
        return self.snapshot.entries()

    def dense_rank(self, query: np.ndarray, lang: str, k: int = 10) -> list[tuple[str, float]]:
        """(document id, cosine distance) of the entries in one language nearest to the embedded
        query, best first."""
        return self.snapshot.dense_rank(query, lang, k)
