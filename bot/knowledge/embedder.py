"""The sentence encoder (``bot.knowledge.encoder``) as langchain Embeddings, for Chroma."""

from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.knowledge.encoder import embed


class MultilingualEmbeddings(Embeddings):
    def __init__(self, weights_cache_dir: Path | None = None):
        """``weights_cache_dir``: where to keep the encoder's weights for fast loading; without
        it they are decompressed from the package on each process's first embedding."""
        self.weights_cache_dir = weights_cache_dir

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return embed(texts, self.weights_cache_dir).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
