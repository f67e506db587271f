"""BM25 over the entries, with a tokenizer that works for Chinese and Korean as well as English.

Han and Hangul runs have no spaces between words, so they are cut into overlapping character
bigrams (plus single characters for Han); Latin text is split into lower-cased words.
"""

import hashlib
import logging
import re
import shutil
import time
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import snowballstemmer

from bot.knowledge.atomic import publish_folder

log = logging.getLogger(__name__)
STALE_AFTER_SECONDS = 86400
logging.getLogger("bm25s").setLevel(logging.WARNING)

_TOKEN_RUNS = re.compile(r"[\u4e00-\u9fff]+|[\uac00-\ud7a3]+|[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STOPWORDS = frozenset(
    "a an the of to in on for and or is are be do does we our us you your it its what which "
    "how should can with at by from that this as".split()
    # Time and filler words every kind of situation is told with ("last week", "then", "really").
    + "then last next week weeks month months year years day days today yesterday now really "
    "also so get got".split()
)


_ENGLISH = snowballstemmer.stemmer("english")
# Part of a kept index's name: an index tokenized another way is not read back.
TOKENIZER = "snowball-1"


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The Snowball stem: "liked" and "like", "comparing" and "compare" are one word to BM25."""
    return _ENGLISH.stemWord(word)


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _TOKEN_RUNS.findall(text.lower()):
        if run[0].isascii():
            if run not in _STOPWORDS:
                tokens.append(_stem(run))
            continue
        is_han = "\u4e00" <= run[0] <= "\u9fff"
        if is_han or len(run) == 1:
            tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


class LexicalIndex:
    """A BM25 index over a fixed list of documents, returning their positions ranked.

    Given a folder, the index is kept there (bm25s's own files, named by a digest of the texts)
    and loaded by the next process instead of tokenizing every document again."""

    def __init__(self, texts: list[str], cache_dir: Path | None = None):
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if not texts:
            return
        digest = hashlib.sha256("\x00".join([TOKENIZER, *texts]).encode()).hexdigest()[:16]
        cached = cache_dir / digest if cache_dir else None
        if cached is not None and (cached / "params.index.json").exists():
            try:
                self._bm25 = bm25s.BM25.load(str(cached), show_progress=False)
                return
            except (OSError, ValueError, KeyError) as error:
                log.info("the BM25 index in %s is unreadable (%s); indexing again", cached, error)
        self._bm25.index([tokenize(text) or ["∅"] for text in texts], show_progress=False)
        if cached is not None:
            self._save(cached)

    def _save(self, folder: Path) -> None:
        """Into a staging folder renamed into place: a reader sees a whole index or none. Indexes
        of texts that changed a day ago or more are removed (they are not read again)."""
        try:
            publish_folder(folder, lambda staging: self._bm25.save(str(staging), show_progress=False))
        except OSError as error:  # a read-only disk: the index is built again next time
            log.info("the BM25 index was not kept in %s: %s", folder, error)
            return
        for other in folder.parent.iterdir():
            try:
                stale = other != folder and time.time() - other.stat().st_mtime > STALE_AFTER_SECONDS
            except OSError:
                continue
            if stale:
                shutil.rmtree(other, ignore_errors=True)

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every document for ``query`` (all zero when nothing matches)."""
        tokens = tokenize(query)
        if not self._size or not tokens:
            return np.zeros(self._size)
        return np.asarray(self._bm25.get_scores(tokens))

    def rank(self, query: str, allowed: np.ndarray | None = None, k: int = 10) -> list[int]:
        """Positions of the best-matching documents; ``allowed`` is a boolean mask."""
        if not self._size or not tokenize(query):
            return []
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        return [int(i) for i in order if scores[i] > 0]
