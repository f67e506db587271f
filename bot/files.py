"""Reading a file a user names: bounded in size, and every way it can fail a user error.

A path may name nothing, a folder, a device that never ends (/dev/zero), or a file in another
encoding; none of them may end in a traceback or read forever.
"""

import json
from pathlib import Path
from typing import Any

import yaml

from bot.errors import UserError

# Far above any plan, question set or plan export a team writes by hand; a limit all the same.
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise UserError("unreadable_file", path=str(path), reason=error.strerror or str(error)) from None
    if len(data) > limit:
        raise UserError("unreadable_file", path=str(path), reason=f"larger than {limit // (1024 * 1024)} MB")
    return data


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    try:
        return read_bytes(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError("unreadable_file", path=str(path), reason=f"not UTF-8 text ({error.reason})") from None


def parse_json(text: str, where: str) -> Any:
    """JSON from a user, any way it is broken (syntax, nesting past Python's stack, a number too
    long to read) reported as one user error naming ``where``."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise UserError("unreadable_file", path=where, reason=reason) from None


# A team profile or a team knowledge file is a page or two of YAML.
MAX_YAML_BYTES = 1024 * 1024


def parse_yaml(text: str, where: str) -> Any:
    """YAML from a user as plain data. Anchors and aliases are refused: a few lines of them can
    stand for gigabytes once expanded ("billion laughs")."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise UserError("unreadable_file", path=where, reason="YAML aliases (*name) are not accepted")
        return yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error).splitlines()[0]
        raise UserError("unreadable_file", path=where, reason=reason) from None
