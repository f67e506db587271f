"""What a process reads of the knowledge store, as plain files: the built-in entries, their unit
vectors and the signals, exported from Chroma at each sync (see ``bot.knowledge.store``).

A snapshot is a folder named after its contents' digest, and a ``CURRENT`` file naming the one
in use, replaced atomically: a reader sees a whole snapshot or the previous one, also while
another process syncs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.knowledge.atomic import publish_folder, replace_text
from bot.knowledge.entries import KnowledgeEntry

log = logging.getLogger(__name__)

# Bumped when the files' layout changes: an older snapshot is then exported again.
FORMAT = 1
_CURRENT = "CURRENT"
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SignalVectors:
    """Every signal of the knowledge base with its embedding (rows of ``vectors``, unit length):
    ``texts`` as written, ``compared_texts`` as embedded and matched."""

    entry_doc_ids: list[str]
    texts: list[str]
    vectors: np.ndarray
    compared_texts: list[str] | None = None

    def __add__(self, other: SignalVectors) -> SignalVectors:
        if not other.entry_doc_ids:
            return self
        return SignalVectors(
            entry_doc_ids=self.entry_doc_ids + other.entry_doc_ids, texts=self.texts + other.texts,
            vectors=np.vstack([self.vectors, other.vectors]) if len(self.texts) else other.vectors,
            compared_texts=(self.compared_texts or self.texts) + (other.compared_texts or other.texts),
        )


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass(frozen=True)
class StoreSnapshot:
    doc_ids: list[str]
    langs: list[str]
    digests: dict[str, str]          # doc id → the entry's digest when it was embedded
    entry_json: list[str]            # each entry as the store holds it
    vectors: np.ndarray              # unit rows, one per doc id
    signals: SignalVectors
    signal_digests: dict[str, str]   # doc id → the digest its signals were embedded for
    source: str = ""                 # the knowledge files it was synced from (their fingerprint)
    version: str = ""                # what a Chroma server said its knowledge was, when exported
    _by_lang: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, entry_metadata: list[dict], entry_vectors: np.ndarray, signals: SignalVectors,
              signal_digests: dict[str, str], source: str = "") -> StoreSnapshot:
        """From what Chroma holds: each entry's metadata (with its JSON) and embedding."""
        order = sorted(range(len(entry_metadata)),
                       key=lambda i: KnowledgeEntry.model_validate_json(entry_metadata[i]["entry"]).doc_id)
        entries = [KnowledgeEntry.model_validate_json(entry_metadata[i]["entry"]) for i in order]
        vectors = entry_vectors.reshape(len(entry_metadata), -1)[order] if len(order) else \
            np.zeros((0, 0), dtype=np.float32)
        return cls(doc_ids=[entry.doc_id for entry in entries], langs=[entry.lang.value for entry in entries],
                   digests={entry.doc_id: entry_metadata[i]["digest"] for entry, i in zip(entries, order, strict=True)},
                   entry_json=[entry_metadata[i]["entry"] for i in order], vectors=unit_rows(vectors),
                   signals=signals, signal_digests=dict(signal_digests), source=source)

    def holds(self, digests: dict[str, str], signal_digests: dict[str, str]) -> bool:
        """True when the store holds exactly these entries and signals, as they are now."""
        return self.digests == digests and self.signal_digests == signal_digests

    def entries(self) -> list[KnowledgeEntry]:
        return [KnowledgeEntry.model_validate_json(text) for text in self.entry_json]

    def dense_rank(self, query: np.ndarray, lang: str, k: int = 10) -> list[tuple[str, float]]:
        """(doc id, cosine distance) of the ``k`` entries in ``lang`` nearest to a unit ``query``,
        best first: exact, over a few hundred rows."""
        rows = self._by_lang.get(lang)
        if rows is None:
            rows = np.asarray([i for i, value in enumerate(self.langs) if value == lang], dtype=np.intp)
            self._by_lang[lang] = rows
        if not len(rows):
            return []
        distances = 1.0 - self.vectors[rows] @ np.asarray(query, dtype=np.float32)
        best = np.argsort(distances, kind="stable")[:k]
        return [(self.doc_ids[rows[i]], float(distances[i])) for i in best]

    # -- files --

    def save(self, directory: Path) -> None:
        manifest = {"format": FORMAT, "source": self.source, "version": self.version, "doc_ids": self.doc_ids,
                    "langs": self.langs, "digests": self.digests,
                    "entries": self.entry_json, "signal_digests": self.signal_digests,
                    "signals": {"entry_doc_ids": self.signals.entry_doc_ids, "texts": self.signals.texts,
                                "compared_texts": self.signals.compared_texts}}
        text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
        name = hashlib.sha256(text.encode()).hexdigest()[:16]
        target = directory / name
        if not (target / _MANIFEST).exists():
            def fill(folder: Path) -> None:
                np.save(folder / "vectors.npy", self.vectors, allow_pickle=False)
                np.save(folder / "signal_vectors.npy", self.signals.vectors, allow_pickle=False)
                (folder / _MANIFEST).write_text(text, encoding="utf-8")

            publish_folder(target, fill)
        replace_text(directory / _CURRENT, name)
        for other in directory.iterdir():
            if other.is_dir() and other.name != name and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> StoreSnapshot | None:
        """The current snapshot, or None when there is none (or it is unreadable, or older)."""
        try:
            folder = directory / (directory / _CURRENT).read_text(encoding="utf-8").strip()
            manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                return None
            signals = manifest["signals"]
            return cls(doc_ids=manifest["doc_ids"], langs=manifest["langs"], digests=manifest["digests"],
                       entry_json=manifest["entries"], vectors=np.load(folder / "vectors.npy"),
                       signals=SignalVectors(entry_doc_ids=signals["entry_doc_ids"], texts=signals["texts"],
                                             vectors=np.load(folder / "signal_vectors.npy"),
                                             compared_texts=signals["compared_texts"]),
                       signal_digests=manifest["signal_digests"], source=manifest["source"],
                       version=manifest.get("version", ""))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError) as error:
            log.info("the knowledge snapshot in %s is unreadable (%s); exporting it again", directory, error)
            return None
