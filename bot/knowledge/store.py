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


@dataclass(frozen=True)
class SignalVectors:
    """Every signal of the knowledge base with its embedding (rows of ``vectors``, unit length):
    ``texts`` as written, ``compared_texts`` as embedded and matched."""

    entry_doc_ids: list[str]
    texts: list[str]
    vectors: np.ndarray
    compared_texts: list[str] | None = None


class KnowledgeStore:
    def __init__(self, persist_dir: Path, collection: str = "planbot_knowledge"):
        persist_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(persist_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        self.embeddings = MultilingualEmbeddings()
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

    def signal_vectors(self) -> SignalVectors:
        stored = self.signals.get(include=["metadatas", "documents", "embeddings"])
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
        """Every entry in the store, as it was when synced."""
        stored = self.vectors.get(include=["metadatas"])
        entries = [KnowledgeEntry.model_validate(json.loads(m["entry"])) for m in stored["metadatas"]]
        return sorted(entries, key=lambda entry: entry.doc_id)

    def dense_rank(self, query: np.ndarray, lang: str, k: int = 10) -> list[tuple[str, float]]:
        """(document id, cosine distance) of the entries in one language nearest to the embedded
        query, best first."""
        found = self._entry_collection.query(query_embeddings=[query.tolist()], n_results=k, where={"lang": lang},
                                             include=["distances"])
        return list(zip(found["ids"][0], found["distances"][0], strict=True))
