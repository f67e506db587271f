"""The README's commands, run in order as a newcomer would, all succeed."""

import os
import re
import subprocess

import pytest
from conftest import SHARED, data_dir_sharing_knowledge

from bot.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def commands_in(section: str) -> list[str]:
    """The shell lines of the ```sh blocks in a README section, comments dropped."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", body, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.skipif(not (SHARED / "eval" / "dev.jsonl").exists(), reason="no shared eval set")
def test_the_using_it_commands_run_in_order(service, tmp_path):
    (tmp_path / ".venv").symlink_to(PROJECT_ROOT / ".venv", target_is_directory=True)
    shared = tmp_path.parent / "shared"  # the README's ../shared, beside the working folder
    if not shared.exists():
        shared.symlink_to(SHARED, target_is_directory=True)
    data = data_dir_sharing_knowledge(service, tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env |= {"PLANBOT_DATA_DIR": str(data), "PLANBOT_USER": "ann", "LANG": "C.UTF-8", "COLUMNS": "100"}
    env.pop("PLANBOT_LANG", None)
    commands = commands_in("Using it")
    assert len(commands) >= 18
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, input="/quit\n", text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr, command
    assert (tmp_path / "coverage.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "funnel.png").read_bytes().startswith(b"\x89PNG")
    assert b"BEGIN:VEVENT" in (tmp_path / "plans.ics").read_bytes()
    assert "Pricing clinic for plant managers" in (tmp_path / "ask.md").read_text(encoding="utf-8")
