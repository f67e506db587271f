"""Files that other processes may be reading while this one writes them (snapshots, caches):
written under a temporary name beside their place and renamed into it, so that a reader sees
the whole of it, or what was there before."""

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)


def publish_folder(target: Path, fill: Callable[[Path], None]) -> bool:
    """A folder filled by ``fill`` put in place at ``target``; False when another process
    published one there first (its contents are the same, being named after them)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        fill(staging)
        os.rename(staging, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        if target.is_dir():  # a non-empty folder is in the way: ENOTEMPTY, not FileExistsError
            return False
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
