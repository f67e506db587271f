"""Serving under faults: a crash (kill -9) or a deploy (SIGTERM) loses no question, a hung model
stalls nothing, idle connections starve nothing. `planbot serve --http` runs as a real process
where a signal is part of the test; the Slack Web API is the loopback stand-in throughout."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import sharing_knowledge

from slack_e2e.conftest import bolt_app_with_work, serving
from slack_e2e.harness import SIGNING_SECRET, command_form, event_body, interactive_form, post

ROOT = Path(__file__).resolve().parents[2]
FORM = "application/x-www-form-urlencoded"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`planbot serve --http` in its own process, on the test's data directory."""

    def __init__(self, settings, api, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith(("PLANBOT_", "SLACK_", "OPENAI_"))}
        environment |= {"PLANBOT_DATA_DIR": str(settings.data_dir), "SLACK_BOT_TOKEN": "xoxb-test-token",
                        "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api.url,
                        "PLANBOT_LOG_FORMAT": "json", "PYTHONPATH": str(ROOT)} | env
        self.log = settings.data_dir / f"server-{self.port}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(self.port)],
                env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=out)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("planbot did not become ready")

    def mention(self, text: str, ts: str) -> None:
        event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": ts, "channel": "C111",
                 "event_ts": ts}
        status, _ = post(f"{self.url}/slack/events", json.dumps(event_body(event)), "application/json")
        assert status == 200  # acknowledged: Slack will not send it again

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def answers_in(api, ts: str) -> list:
    return [call for call in api.calls_to("chat.postMessage") if call.body.get("thread_ts") == ts]


@pytest.fixture
def servers(slack_settings, slack_api):
    started: list[Server] = []

    def start(**env) -> Server:
        started.append(Server(slack_settings, slack_api, **env))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_a_question_acknowledged_then_killed_is_answered_once_after_restarts(servers, slack_api):
    held = slack_api.hold("reactions.add")  # Slack is slow: the answer is under way when the crash comes
    server = servers()
    server.mention("短视频应该拍多长？", ts="1700000000.000100")
    for crash in range(2):  # any number of crashes, not just one
        slack_api.wait_for("reactions.add", count=crash + 1)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        assert answers_in(slack_api, "1700000000.000100") == []
        server = servers()
    held.set()
    answer = slack_api.wait_for("chat.postMessage")[0]
    slack_api.settle(quiet=2)
    assert len(answers_in(slack_api, "1700000000.000100")) == 1 and "60" in answer.body["text"]
    lines = server.log_lines()
    resumed = [line["message"].split()[1] for line in lines if line["message"].startswith("resuming")]
    assert resumed and resumed[0].startswith("event:")
    assert any(line["request_id"] == resumed[0] and line["message"].startswith("finished") for line in lines)


def test_sigterm_mid_answer_finishes_the_answer_before_exiting(servers, slack_api):
    slack_api.hold("reactions.add")
    server = servers()
    server.mention("What is BANT?", ts="1700000000.000200")
    slack_api.wait_for("reactions.add")
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert server.process.poll() is None  # draining, not gone
    slack_api.release("reactions.add")
    assert server.process.wait(20) == 0
    assert len(answers_in(slack_api, "1700000000.000200")) == 1


def test_sigterm_past_the_drain_time_leaves_the_answer_for_the_next_start(servers, slack_api):
    held = slack_api.hold("reactions.add")
    server = servers(PLANBOT_DRAIN_SECONDS="1")
    server.mention("Which content fits the Ask stage?", ts="1700000000.000300")
    slack_api.wait_for("reactions.add")
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(15) == 0 and time.monotonic() - started < 10
    held.set()
    assert answers_in(slack_api, "1700000000.000300") == []
    servers()
    slack_api.wait_for("chat.postMessage")
    slack_api.settle(quiet=2)
    assert len(answers_in(slack_api, "1700000000.000300")) == 1


def test_with_the_model_hanging_a_button_is_handled_at_once_and_nothing_updates_after_the_fallback(
        service, slack_settings, slack_api, monkeypatch):
    from openai_stand_in import OpenAIStandIn

    model = OpenAIStandIn()
    monkeypatch.setenv("OPENAI_BASE_URL", model.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = slack_settings.model_copy(update={"llm": "openai:gpt-4o-mini", "llm_timeout": 2.0})
    llm_service = sharing_knowledge(service, settings)
    llm_service.prepare()
    model.hanging.set()
    try:
        with bolt_app_with_work(settings, llm_service) as app, serving(app) as url:
            for number in range(5):  # more questions than model slots
                event = {"type": "message", "channel_type": "im", "user": "U123", "text": "Which content fits Ask?",
                         "ts": f"1700000000.00040{number}", "channel": f"D40{number}", "event_ts": "1"}
                assert post(url, json.dumps(event_body(event)), "application/json")[0] == 200
            slack_api.wait_for("chat.postMessage", count=4)  # the streams have begun, then hang
            payload = {"type": "block_actions", "user": {"id": "U123"}, "team": {"id": "T111"},
                       "api_app_id": "A111", "trigger_id": "t.1", "response_url": slack_api.response_url("open"),
                       "container": {"type": "message", "channel_id": "D400", "message_ts": "1.1"},
                       "actions": [{"action_id": "open_plan", "block_id": "b", "value": json.dumps({"plan": 999}),
                                    "type": "button", "action_ts": "1"}]}
            pressed = time.monotonic()
            assert post(url, interactive_form(payload), FORM)[0] == 200
            slack_api.wait_for("response_url/hooks/open", timeout=5)
            assert time.monotonic() - pressed < 1.0
            finals = slack_api.wait_for("chat.update", count=4, timeout=15)  # the fallbacks, with blocks
            assert all(call.body.get("blocks") for call in finals)
            model.hanging.clear()  # the provider wakes up; its streams were cancelled
            slack_api.settle(quiet=2)
            assert len(slack_api.calls_to("chat.update")) == 4
    finally:
        model.hanging.clear()
        model.close()


def test_idle_and_half_sent_connections_do_not_delay_an_ack(slack_url, slack_api):
    host, port = slack_url.split("//")[1].split("/")[0].split(":")
    idle = []
    for number in range(64):
        connection = socket.create_connection((host, int(port)))
        if number % 2:
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")
        idle.append(connection)
    try:
        started = time.monotonic()
        status, _ = post(slack_url, command_form("help", slack_api.response_url("help")), FORM)
        assert status == 200 and time.monotonic() - started < 1.0
    finally:
        for connection in idle:
            connection.close()


def test_health_and_readiness(slack_url, slack_settings, bolt_app, service):
    base = slack_url.removesuffix("/slack/events")
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert response.status == 200 and json.load(response) == {"status": "ok"}
    with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
        assert json.load(response) == {"knowledge": True, "database": True, "detail": "", "ready": True}

    from bot.service import PlanBotService

    not_loaded = PlanBotService(slack_settings)  # its knowledge not loaded yet
    with serving(bolt_app, not_loaded) as url:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.removesuffix("/slack/events") + "/readyz", timeout=5)
    assert refused.value.code == 503 and json.load(refused.value)["detail"] == "knowledge not loaded"


def test_an_event_that_cannot_be_recorded_is_refused_so_that_slack_sends_it_again(bolt_app, slack_url, slack_api,
                                                                                   monkeypatch):
    import sqlite3

    log = bolt_app.listener_runner.lazy_listener_runner.log
    record = log.record

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    event = {"type": "app_mention", "user": "U123", "text": "<@UBOT> What is BANT?", "ts": "1700000000.000500",
             "channel": "C111", "event_ts": "1700000000.000500"}
    body = json.dumps(event_body(event))
    monkeypatch.setattr(log, "record", disk_full)
    assert post(slack_url, body, "application/json")[0] == 503  # not acknowledged: not written down
    monkeypatch.setattr(log, "record", record)
    assert post(slack_url, body, "application/json", headers={"X-Slack-Retry-Num": "1"})[0] == 200
    slack_api.wait_for("chat.postMessage")
    slack_api.settle()
    assert len(answers_in(slack_api, "1700000000.000500")) == 1


def test_a_listener_web_api_call_waits_while_a_request_is_being_acknowledged(bolt_app, slack_url, slack_api):
    # The work's first call (the 👀 reaction) is held; meanwhile an acknowledgement is in flight.
    # The work's next call (its answer) must wait until that acknowledgement is done.
    held = slack_api.hold("reactions.add")
    event = {"type": "app_mention", "user": "U123", "text": "<@UBOT> how long should a short video be?",
             "ts": "31.1", "channel": "C111"}
    assert post(slack_url, json.dumps(event_body(event)), "application/json")[0] == 200
    slack_api.wait_for("reactions.add")
    gate = bolt_app.listener_runner.lazy_listener_runner.acks_first
    with gate.acknowledging():
        held.set()
        time.sleep(1.5)  # below AcksFirst.MAX_WAIT_SECONDS
        acknowledged_at = time.monotonic()
    [answer] = slack_api.wait_for("chat.postMessage")
    assert answer.at >= acknowledged_at
