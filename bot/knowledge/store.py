"""The knowledge store: entries in a persistent Chroma collection, synced incrementally.

Chroma holds, per entry and language, the searchable text, its dense embedding, and the whole
entry as metadata, so that the running bot reads its knowledge from the store alone. A second
collection holds one document per signal (a phrase that places a prospect at a stage), which
the stage router compares questions with.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document

from bot.domain.vocabulary import without_question_form
from bot.knowledge.embedder import MultilingualEmbeddings
from bot.knowledge.entries import KnowledgeEntry
from bot.models import SyncReport


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
    return [
        Document(page_content=without_question_form(text).strip() or text, metadata={
            "entry": entry.doc_id, "id": entry.id, "lang": entry.lang.value, "digest": _signal_digest(entry),
            "text": text,
        })
        for text in entry.signals
    ]


def _team_digest(doc: "TeamSignalDoc | TeamRuleDoc") -> str:
    return f"{doc.text}\x00{getattr(doc, 'entry_doc_id', '')}:{SIGNAL_FORM}"


def _team_document(team: str, doc: "TeamSignalDoc | TeamRuleDoc") -> Document:
    if isinstance(doc, TeamSignalDoc):
        return Document(page_content=without_question_form(doc.text).strip() or doc.text, metadata={
            TEAM_KEY: team, "entry": doc.entry_doc_id, "text": doc.text, "digest": _team_digest(doc)})
    return Document(page_content=doc.text, metadata={TEAM_KEY: team, "lang": "team", "text": doc.text,
                                                     "digest": _team_digest(doc)})


@dataclass(frozen=True)
class SignalVectors:
    """Every signal of the knowledge base with its embedding (rows of ``vectors``, unit length):
    ``texts`` as written, ``compared_texts`` as embedded and matched."""

    entry_doc_ids: list[str]
    texts: list[str]
    vectors: np.ndarray
    compared_texts: list[str] | None = None

    def __add__(self, other: "SignalVectors") -> "SignalVectors":
        if not other.entry_doc_ids:
            return self
        return SignalVectors(
            entry_doc_ids=self.entry_doc_ids + other.entry_doc_ids, texts=self.texts + other.texts,
            vectors=np.vstack([self.vectors, other.vectors]) if len(self.texts) else other.vectors,
            compared_texts=(self.compared_texts or self.texts) + (other.compared_texts or other.texts),
        )


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
    def __init__(self, persist_dir: Path, collection: str = "planbot_knowledge"):
        persist_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(persist_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        # Beside the Chroma directory, i.e. in the data directory: <data dir>/encoder.
        self.embeddings = MultilingualEmbeddings(weights_cache_dir=persist_dir.parent / "encoder")
        self.vectors, self.signals = (
            Chroma(client=client, collection_name=name, embedding_function=self.embeddings,
                   collection_metadata={"hnsw:space": "cosine"})
            for name in (collection, f"{collection}_signals")
        )
        # Queries go to the collection itself, asking for distances only: langchain's search also
        # returns every hit's metadata (each holds its whole entry), which doubles a query's time.
        self._entry_collection = client.get_collection(collection)

    def _stored_digests(self) -> dict[str, str]:
        stored = self.vectors.get(include=["metadatas"])
        return {
            doc_id: (meta or {}).get("digest", "")
            for doc_id, meta in zip(stored["ids"], stored["metadatas"], strict=True)
            if TEAM_KEY not in (meta or {})
        }

    def sync(self, entries: list[KnowledgeEntry]) -> SyncReport:
        """Make the collection hold exactly ``entries``, re-embedding only what changed."""
        stored = self._stored_digests()
        wanted = {entry.doc_id: entry for entry in entries}
        if len(wanted) != len(entries):
            raise ValueError("two knowledge files share an id and language")
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
            self.vectors.add_documents(
                [Document(page_content=e.focus_text(), metadata=_metadata(e)) for e in to_write],
                ids=[e.doc_id for e in to_write],
            )
        if report.removed:
            self.vectors.delete(ids=report.removed)
        self._sync_signals(wanted)
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
        """Make the team's documents in both collections exactly these, embedding only new ones."""
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

    def team_signal_vectors(self, team: str) -> SignalVectors:
        """The signals one team taught (see ``sync_team``)."""
        return self._signal_vectors(self.signals.get(where={TEAM_KEY: team},
                                                     include=["metadatas", "documents", "embeddings"]))

    def signal_vectors(self) -> SignalVectors:
        stored = self.signals.get(include=["metadatas", "documents", "embeddings"])
        built_in = [i for i, meta in enumerate(stored["metadatas"]) if TEAM_KEY not in meta]
        return self._signal_vectors({key: [stored[key][i] for i in built_in]
                                     for key in ("ids", "metadatas", "documents", "embeddings")})

    @staticmethod
    def _signal_vectors(stored: dict) -> SignalVectors:
        if not len(stored["ids"]):
            return SignalVectors([], [], np.zeros((0, 0), dtype=np.float32), [])
        order = sorted(range(len(stored["ids"])), key=lambda i: stored["ids"][i])
        vectors = np.asarray(stored["embeddings"], dtype=np.float32).reshape(len(order), -1)[order]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return SignalVectors(
            entry_doc_ids=[stored["metadatas"][i]["entry"] for i in order],
            texts=[stored["metadatas"][i].get("text", stored["documents"][i]) for i in order],
            vectors=vectors / np.where(norms == 0, 1, norms),
            compared_texts=[stored["documents"][i] for i in order],
        )

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts``, one row each, in one call to the encoder."""
        vectors = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def entries(self) -> list[KnowledgeEntry]:
        """Every entry of the knowledge base in the store, as it was when synced."""
        stored = self.vectors.get(include=["metadatas"])
        entries = [KnowledgeEntry.model_validate(json.loads(m["entry"])) for m in stored["metadatas"]
                   if TEAM_KEY not in m]
        return sorted(entries, key=lambda entry: entry.doc_id)

    def dense_rank(self, query: np.ndarray, lang: str, k: int = 10) -> list[tuple[str, float]]:
        """(document id, cosine distance) of the entries in one language nearest to the embedded
        query, best first."""
        # A team's documents have no language of the knowledge base, so this leaves them out.
        found = self._entry_collection.query(query_embeddings=[query.tolist()], n_results=k, where={"lang": lang},
                                             include=["distances"])
        return list(zip(found["ids"][0], found["distances"][0], strict=True))
