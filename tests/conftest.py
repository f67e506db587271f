import os
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

from bot.config import PROJECT_ROOT, Settings

SHARED = PROJECT_ROOT.parent / "shared"

# Hypothesis keeps no example database and its caches outside the tree: the test run leaves
# nothing in the repository.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "planbot-hypothesis"))
hypothesis_settings.register_profile("planbot", database=None)
hypothesis_settings.load_profile("planbot")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection beyond loopback fails the test that makes it."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} and not host.startswith("/"):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def shipped_settings(tmp_path_factory) -> Settings:
    """Settings over the shipped knowledge base and a fresh data directory."""
    return Settings(data_dir=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def service(shipped_settings):
    """One service synced with the shipped knowledge base, shared by the read-only tests."""
    from bot.service import PlanBotService

    return PlanBotService.open(shipped_settings)


def data_dir_sharing_knowledge(service, folder: Path) -> Path:
    """A data directory of a test's own (plan log, Slack state) whose knowledge store is the
    session's synced one, for faces that open the data directory themselves."""
    data = folder / "data"
    data.mkdir()
    (data / "chroma").symlink_to(service.settings.chroma_dir, target_is_directory=True)
    return data


def sharing_knowledge(service, settings: Settings):
    """A service with ``settings`` (its own plan log, Slack state, model) that reuses the session's
    synced knowledge store and retriever instead of embedding the knowledge base again."""
    return service.sharing_knowledge(settings)


def write_entry(folder: Path, lang: str, entry_id: str, **fields) -> Path:
    """A knowledge file as a team member would write it."""
    meta = {"id": entry_id, "kind": "concept", "lang": lang, "title": entry_id, "summary": "s",
            "points": ["p"]} | fields
    lines = ["---"] + [f"{key}: {value!r}" if isinstance(value, str) else f"{key}: {value}"
                       for key, value in meta.items()] + ["---", fields.get("body_text", "Body.")]
    path = folder / lang / f"{entry_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cli_env(service, tmp_path, monkeypatch):
    """The CLI's environment for a test: the session's synced knowledge store, a plan log of the
    test's own, user "ann", English messages. The test's folder."""
    data = data_dir_sharing_knowledge(service, tmp_path)
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(data))
    monkeypatch.setenv("PLANBOT_USER", "ann")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("PLANBOT_LANG", raising=False)
    return tmp_path
