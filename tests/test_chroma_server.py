"""Several planbot instances on one Chroma server (`chroma run`, as the chromadb package installs
it, on a loopback port): one syncs, every one answers and drafts from it, and a later sync is seen
by the others without a restart."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.config import Settings
from bot.models import Brief
from bot.service import PlanBotService

ROOT = Path(__file__).resolve().parent.parent
CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen([CHROMA, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(20)


def instance(tmp_path: Path, name: str, url: str, knowledge: Path) -> Settings:
    return Settings(data_dir=tmp_path / name, knowledge_dir=knowledge, chroma_url=url, knowledge_poll_seconds=0)


@pytest.mark.skipif(CHROMA is None, reason="the chroma command (from the chromadb package) is not installed")
def test_instances_share_the_server_and_see_a_new_sync_without_a_restart(chroma_server, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    first = PlanBotService(instance(tmp_path, "a", chroma_server, knowledge))
    assert len(first.sync_knowledge().added) > 100
    assert "60" in first.ask("How long should a short video be?").body

    stale_files = tmp_path / "older-knowledge"  # another instance, deployed with other files
    shutil.copytree(knowledge, stale_files)
    (stale_files / "en" / "stage-ask.md").unlink()
    second = PlanBotService.open(instance(tmp_path, "b", chroma_server, stale_files))
    assert second.store.published_version() == first.store.published_version()  # it did not sync over it
    assert second.ask("Which content fits the Ask stage?").stage == "ask"
    card = second.draft(Brief(stage="ask", channel="webinar", product="FlowPlan"))
    assert card.stage == "ask" and card.channel == "webinar"

    rule = knowledge / "en" / "channel-short-video.md"
    rule.write_text(rule.read_text(encoding="utf-8").replace("60–90", "45–60"), encoding="utf-8")
    assert first.sync_knowledge().updated == ["channel-short-video@en"]
    answer = second.ask("How long should a short video be?")  # no restart
    assert "45–60" in answer.body
