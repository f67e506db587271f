"""Compare retrieval set-ups on a question set: lexical, dense (two embedders), and fused.

For every question that names an expected stage or channel, the score is the reciprocal rank
of the first entry about that stage or channel among the entries of the asker's language.
Dense rankings are computed in memory here so that embedders can be swapped without a store;
the fusion is the shipped one (bot.knowledge.search.fuse_rankings).

    python bench/retrieval_quality.py ../shared/eval/dev.jsonl
"""

import sys
import time
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.evaluation import read_items
from bot.knowledge.embedder import MultilingualEmbeddings
from bot.knowledge.entries import load_entries
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.search import fuse_rankings
from bot.language import detect_language, to_simplified


class WordLlamaEmbeddings:
    """The alternative measured against: WordLlama, whose weights ship in its wheel.

    Its default loader looks in a cache folder, so it is pointed at the installed package
    with downloads disabled.
    """

    def __init__(self, dim: int = 256):
        import wordllama

        self.model = wordllama.WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True, dim=dim
        )

    def embed_documents(self, texts):
        return self.model.embed(texts, norm=True)

    def embed_query(self, text):
        return self.model.embed([text], norm=True)[0]


def main(path: Path) -> None:
    entries = load_entries(Settings().knowledge_dir)
    items = [item for item in read_items(path) if item.stage or item.channel]
    langs = np.array([entry.lang.value for entry in entries])
    lexical = LexicalIndex([entry.search_text() for entry in entries])
    embedders = {"use-multilingual": MultilingualEmbeddings()}
    try:
        embedders["wordllama"] = WordLlamaEmbeddings()
    except ImportError:
        print("(wordllama not installed: pip install -e '.[bench]' to compare it)")
    doc_vectors, query_seconds = {}, {}
    for name, embedder in embedders.items():
        doc_vectors[name] = np.asarray(embedder.embed_documents([e.focus_text() for e in entries]))

    def dense(name, query, allowed):
        start = time.perf_counter()
        vector = np.asarray(embedders[name].embed_query(query))
        query_seconds.setdefault(name, []).append(time.perf_counter() - start)
        scores = np.where(allowed, doc_vectors[name] @ vector, -np.inf)
        return [int(i) for i in np.argsort(-scores)[:20]]

    def lex(query, allowed):
        return lexical.rank(query, allowed=allowed, k=20)

    def fuse(*rankings):
        return [position for position, _ in fuse_rankings(list(rankings))]

    setups = {"bm25": lambda q, a: lex(q, a)}
    for name in embedders:
        setups[name] = lambda q, a, n=name: dense(n, q, a)
        setups[f"{name}+bm25"] = lambda q, a, n=name: fuse(dense(n, q, a), lex(q, a))

    print(f"{len(items)} questions with an expected stage or channel")
    print(f"{'set-up':<26}{'top-1':>7}{'MRR':>7}")
    for setup, rank in setups.items():
        top1, reciprocal = 0, 0.0
        for item in items:
            lang = detect_language(item.q)
            query = to_simplified(item.q) if lang.value == "zh-Hant" else item.q
            ranking = rank(query, langs == lang.content_lang.value)

            def relevant(entry, item=item):
                if item.channel:
                    return entry.channel == item.channel
                return entry.kind.value in ("stage", "funnel") and entry.stage in item.stage

            ranks = [r for r, position in enumerate(ranking) if relevant(entries[position])]
            if ranks:
                reciprocal += 1 / (ranks[0] + 1)
                top1 += ranks[0] == 0
        print(f"{setup:<26}{top1:>4}/{len(items):<3}{reciprocal / len(items):>6.3f}")
    for name, seconds in query_seconds.items():
        print(f"{name}: median query embedding {np.median(seconds) * 1000:.2f} ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
