"""The terminal chat in a real pseudo-terminal, as a first-time user meets it."""

import os
import pty
import select
import subprocess
import sys
import time

import pytest
from conftest import data_dir_sharing_knowledge

PLANBOT = [sys.executable, "-m", "bot"]


def read_until(fd: int, wanted: bytes, seconds: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.fixture
def chat(service, tmp_path):
    data = data_dir_sharing_knowledge(service, tmp_path)
    leader, follower = pty.openpty()
    env = os.environ | {"PLANBOT_DATA_DIR": str(data), "PLANBOT_LANG": "zh-Hans", "COLUMNS": "100",
                        "TERM": "dumb"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET"):
        env.pop(name, None)
    process = subprocess.Popen([*PLANBOT, "chat"], stdin=follower, stdout=follower, stderr=follower, env=env,
                               close_fds=True)
    os.close(follower)
    yield process, leader
    process.kill()
    process.wait()
    os.close(leader)


def test_a_first_time_user_is_greeted_helped_and_survives_a_broken_paste(chat):
    process, terminal = chat
    greeting = read_until(terminal, b"> ").decode("utf-8", "replace")
    assert "/quit" in greeting and "planbot" in greeting
    os.write(terminal, "你能做什么？\n".encode())
    assert "问询阶段适合什么内容" in read_until(terminal, "问询阶段适合什么内容".encode()).decode("utf-8", "replace")
    os.write(terminal, b"\n")  # an empty line does not end the chat
    # A long paste that the terminal cut in the middle of a character.
    broken = ("我们的短视频应该多长？" * 20).encode()[:-2] + "短视频多长最好？\n".encode()
    os.write(terminal, broken)
    answer = read_until(terminal, b"60").decode("utf-8", "replace")
    assert "60" in answer and "Traceback" not in answer
    assert process.poll() is None
    os.write(terminal, b"/quit\n")
    assert process.wait(30) == 0
