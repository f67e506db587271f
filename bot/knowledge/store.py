"""The knowledge store: entries in a persistent Chroma collection, synced incrementally.

Chroma holds, per entry and language, the searchable text, its dense embedding, and the whole
entry as metadata, so that the running bot reads its knowledge from the store alone.
"""

import json
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document

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


class KnowledgeStore:
    def __init__(self, persist_dir: Path, collection: str = "planbot_knowledge"):
        persist_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(persist_dir),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
        self.vectors = Chroma(
            client=client,
            collection_name=collection,
            embedding_function=MultilingualEmbeddings(),
            collection_metadata={"hnsw:space": "cosine"},
        )

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
        return report

    def entries(self) -> list[KnowledgeEntry]:
        """Every entry in the store, as it was when synced."""
        stored = self.vectors.get(include=["metadatas"])
        entries = [KnowledgeEntry.model_validate(json.loads(m["entry"])) for m in stored["metadatas"]]
        return sorted(entries, key=lambda entry: entry.doc_id)

    def dense_rank(self, query: str, lang: str, k: int = 10) -> list[tuple[str, float]]:
        """(document id, cosine distance) of the nearest entries in one language, best first."""
        hits = self.vectors.similarity_search_with_score(query, k=k, filter={"lang": lang})
        return [(f"{doc.metadata['id']}@{doc.metadata['lang']}", distance) for doc, distance in hits]
