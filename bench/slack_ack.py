"""Ack latency of the HTTP transport: 20 concurrent senders posting signed commands and events.

    python bench/slack_ack.py [--senders 20] [--requests 25] [--command "ask {q}"] [--workspaces N]

With --workspaces N, planbot serves N workspaces installed through OAuth (their bot tokens in
installations.db), and the requests come from all of them in turn.

Slack needs an HTTP 200 within 3 s; planbot acks before it works, so the figure is the time
from sending a signed request to its response while the answers are computed in the
background. Three processes, as in production: `planbot serve --http`, a local stand-in for
the Slack Web API (the test suite's), and this load generator (asyncio + aiohttp, every body
signed before the clock starts). Nothing leaves the machine.
"""

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from slack_e2e.harness import BOT_ID, BOT_USER, SIGNING_SECRET, TEAM, command_form, event_body, sign  # noqa: E402

CLIENT_ID = "1111.2222"

QUESTIONS = ["Which content fits the Ask stage?", "短视频多长合适？", "공식계정 아티클 이미지 비중은?",
             "What is BANT?", "市場合格線索對應哪個階段？"]

STAND_IN = """
import sys, time
sys.path.insert(0, sys.argv[1])
from slack_e2e.harness import SlackApiStandIn
api = SlackApiStandIn()
print(api.url, flush=True)
while True:
    time.sleep(3600)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=2)
            return
        except urllib.error.HTTPError:
            return  # 401: up, and refusing an unsigned request as it should
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("planbot did not start")


def install(data: Path, workspaces: int) -> None:
    """``workspaces`` installations, as the OAuth flow leaves them."""
    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

    store = SQLite3InstallationStore(database=str(data / "installations.db"), client_id=CLIENT_ID)
    for n in range(workspaces):
        store.save(Installation(app_id="A111", team_id=f"TBENCH{n}", user_id="U1", bot_token=f"xoxb-bench-{n}",
                                bot_id=BOT_ID, bot_user_id=BOT_USER, installed_at=time.time()))


async def measure(url: str, bodies: list[tuple[str, str]], senders: int) -> list[float]:
    timings: list[float] = []
    queue: asyncio.Queue = asyncio.Queue()
    for item in bodies:
        queue.put_nowait(item)

    async def sender(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            body, content_type = queue.get_nowait()
            headers = {"Content-Type": content_type} | sign(body)
            start = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=headers) as response:
                await response.read()
                assert response.status == 200, response.status
            timings.append((time.perf_counter() - start) * 1000)

    connector = aiohttp.TCPConnector(limit=senders)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(sender(session) for _ in range(senders)))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per sender and kind")
    parser.add_argument("--command", default="ask {q}", help="the /content text; {q} is a question")
    parser.add_argument("--workspaces", type=int, default=0, help="installed through OAuth (0: one bot token)")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="planbot-ack-"))
    stand_in = subprocess.Popen([sys.executable, "-c", STAND_IN, str(ROOT / "tests")], stdout=subprocess.PIPE,
                                text=True)
    api_url = stand_in.stdout.readline().strip()
    port = free_port()
    env = os.environ | {"PLANBOT_DATA_DIR": str(data), "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                        "SLACK_API_URL": api_url}
    env.pop("SLACK_APP_TOKEN", None)
    if args.workspaces:
        env |= {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": "bench-secret"}
        install(data, args.workspaces)
    else:
        env["SLACK_BOT_TOKEN"] = "xoxb-bench"
    teams = [f"TBENCH{n}" for n in range(args.workspaces)] or [TEAM]
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        wait_until_up(url)
        total = args.senders * args.requests + 20  # and 20 of each kind to warm up
        commands = [(command_form(args.command.format(q=QUESTIONS[i % len(QUESTIONS)]),
                                  api_url.replace("/api/", f"/hooks/c{i}"), team=teams[i % len(teams)]),
                     "application/x-www-form-urlencoded")
                    for i in range(total)]
        events = [(json.dumps(event_body({"type": "message", "channel_type": "im", "channel": f"D{i}",
                                          "user": "U1", "text": QUESTIONS[i % len(QUESTIONS)],
                                          "ts": f"1700000000.{i:06d}", "event_ts": "1"},
                                         team=teams[i % len(teams)])), "application/json")
                  for i in range(total)]
        # Warm-up, not counted: the first request of each kind pays one-time costs (imports,
        # compiled patterns, connections).
        asyncio.run(measure(url, commands[:20] + events[:20], args.senders))
        time.sleep(3)
        for name, bodies in (("commands", commands[20:]), ("events", events[20:])):
            timings = asyncio.run(measure(url, bodies, args.senders))
            print(f"{name:>8}: workspaces={len(teams)} n={len(timings)} p50={statistics.median(timings):.1f} ms "
                  f"p99={percentile(timings, 0.99):.1f} ms max={max(timings):.1f} ms "
                  f"({args.senders} concurrent senders; target p99 <= 50 ms)")
            time.sleep(15)  # let the background answers drain before the next kind
    finally:
        server.terminate()
        stand_in.terminate()
        server.wait(10)
        stand_in.wait(10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
