"""Serving under a burst: how long 2000 mentions wait for their answers, the server's memory, and
the wall time of a shell `planbot ask`.

    python bench/serving.py [--burst 2000] [--seconds 10] [--senders 20] [--timeout 180]
                            [--ask-runs 5] [--root PATH] [--skip-burst] [--skip-ask]

Burst: `planbot serve --http` runs as a subprocess against the test suite's stand-in for the Slack
Web API, which runs in this process so that each call's arrival time (time.monotonic) can be read.
N signed app_mention events (each its own channel, ts and event_id; the questions are
slack_ack.py's multilingual ones) are sent open-loop, spread evenly over S seconds, through a pool
of at most --senders connections (asyncio + aiohttp, every body signed before the clock starts).
An event's answer latency runs from sending it to the stand-in receiving the chat.postMessage in
its thread (thread_ts equal to the event's ts); ack latency is the HTTP response time. A short
warm-up of mentions, answered and not counted, comes first. Reported: how many were acked (HTTP
200), answered, and answered exactly once (no duplicate posts), with p50/p99/max latencies.

The server's CPU time (user + system, /proc/PID/stat) over the burst is printed too: it is
less sensitive than the latencies to other work on a shared machine.

Memory: the server's VmRSS (from /proc/PID/status) once it is up and again after the warm-up, and
its peak VmHWM after the burst, in MB.

Shell ask: `python -m bot ask "<question>"` as a fresh process, --ask-runs times, against a data
directory synced once beforehand (`python -m bot kb sync`, untimed); median and min wall time.

--root is the checkout whose `bot` package (and knowledge/) is measured; subprocesses run with
cwd and PYTHONPATH set to it, with this interpreter, so that a worktree of an older commit can be
measured with the same venv, e.g.

    git worktree add /tmp/base <commit> && .venv/bin/python bench/serving.py --root /tmp/base

The load generator, the stand-in and the server share the machine (and, on a small machine, its
cores), so the figures are for comparing commits on one machine, not absolute. Run each side more
than once and compare medians. Data, logs and the synced store live in a temp dir outside the
repo; no LLM is configured (PLANBOT_* variables of the calling shell are dropped) and nothing
leaves the machine.
"""

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slack_ack import QUESTIONS, ROOT, free_port, percentile, wait_until_up  # noqa: E402
from slack_e2e.harness import BOT_USER, SIGNING_SECRET, SlackApiStandIn, event_body, sign  # noqa: E402

WARM_UP = 2 * len(QUESTIONS)
TS_BASE = 1700000000


def subprocess_env(root: Path, data: Path, **extra: str) -> dict:
    """This shell's environment without planbot's or Slack's settings, running `root`'s bot package."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PLANBOT_", "SLACK_")) and key != "PORT"}
    return env | {"PYTHONPATH": str(root), "PLANBOT_DATA_DIR": str(data)} | extra


def memory_mb(pid: int, key: str) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {key} for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (less sensitive to a busy machine than wall time)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mention(i: int, prefix: str) -> tuple[tuple[str, str], bytes, dict]:
    """The key (channel, ts) an answer is matched by, and a signed app_mention body."""
    channel, ts = f"C{prefix}{i:06d}", f"{TS_BASE}.{i:06d}"
    event = {"type": "app_mention", "user": f"U{i % 50:04d}", "text": f"<@{BOT_USER}> {QUESTIONS[i % len(QUESTIONS)]}",
             "ts": ts, "channel": channel, "event_ts": ts}
    body = json.dumps(event_body(event, event_id=f"Ev{prefix}{i:08d}"), ensure_ascii=False)
    return (channel, ts), body.encode(), {"Content-Type": "application/json"} | sign(body)


async def send_spread(url: str, requests: list, seconds: float, senders: int) -> list[tuple[float, int, float]]:
    """Sends request i at start + i * seconds / n (open loop); (sent at, HTTP status, ack ms) for each."""
    results: list = [None] * len(requests)

    async def send(session: aiohttp.ClientSession, i: int, body: bytes, headers: dict) -> None:
        sent = time.monotonic()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError):
            status = 0
        results[i] = (sent, status, (time.monotonic() - sent) * 1000)

    connector = aiohttp.TCPConnector(limit=senders)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        start, tasks = time.monotonic(), []
        for i, (_, body, headers) in enumerate(requests):
            delay = start + i * seconds / len(requests) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(session, i, body, headers)))
        await asyncio.gather(*tasks)
    return results


def answer_times(api: SlackApiStandIn, keys: set) -> dict[tuple[str, str], list[float]]:
    """Arrival times of the chat.postMessage calls in each key's thread."""
    found: dict[tuple[str, str], list[float]] = {}
    for call in api.calls_to("chat.postMessage"):
        key = (call.body.get("channel"), call.body.get("thread_ts"))
        if key in keys:
            found.setdefault(key, []).append(call.at)
    return found


def wait_for_answers(api: SlackApiStandIn, keys: set, timeout: float) -> dict[tuple[str, str], list[float]]:
    deadline = time.monotonic() + timeout
    while len(found := answer_times(api, keys)) < len(keys) and time.monotonic() < deadline:
        time.sleep(0.25)
    return found


def ms(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (f"p50={statistics.median(values):.0f} ms p99={percentile(values, 0.99):.0f} ms "
            f"max={max(values):.0f} ms")


def run_burst(args, root: Path, synced: Path, work: Path) -> None:
    data = work / "serve-data"
    data.mkdir()
    shutil.copytree(synced / "chroma", data / "chroma")  # a synced store of its own: starts as after a restart
    api = SlackApiStandIn()
    api.server.socket.listen(1024)  # a deep accept queue, so that the stand-in never makes planbot wait for a SYN retry
    port = free_port()
    env = subprocess_env(root, data, SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                         SLACK_API_URL=api.url)
    log = open(work / "serve.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        started = time.monotonic()
        wait_until_up(url)
        up_in = time.monotonic() - started
        rss_up = memory_mb(server.pid, "VmRSS")

        warm = [mention(i, "W") for i in range(WARM_UP)]
        asyncio.run(send_spread(url, warm, 1.0, args.senders))
        warm_answered = len(wait_for_answers(api, {key for key, _, _ in warm}, 60))
        api.settle(quiet=1.0, timeout=10)
        rss_warm = memory_mb(server.pid, "VmRSS")

        requests = [mention(i, "B") for i in range(args.burst)]
        keys = {key for key, _, _ in requests}
        cpu_before, burst_start = cpu_seconds(server.pid), time.monotonic()
        sent = asyncio.run(send_spread(url, requests, args.seconds, args.senders))
        sending_took = time.monotonic() - burst_start
        found = wait_for_answers(api, keys, args.timeout)
        api.settle(quiet=2.0, timeout=20)  # time for a duplicate to show itself
        found = answer_times(api, keys)
        cpu = cpu_seconds(server.pid) - cpu_before
        peak = memory_mb(server.pid, "VmHWM")
        rss_after = memory_mb(server.pid, "VmRSS")
        if server.poll() is not None:
            print(f"!! the server exited with {server.returncode}")

        acks = [ack for _, status, ack in sent if status == 200]
        latencies = [(min(found[key]) - sent_at) * 1000
                     for (key, _, _), (sent_at, _, _) in zip(requests, sent, strict=True) if key in found]
        once = sum(1 for times in found.values() if len(times) == 1)
        last = max((min(times) for times in found.values()), default=burst_start) - burst_start
        statuses = sorted({status for _, status, _ in sent if status != 200})
        print(f"server up in {up_in:.1f} s; warm-up: {warm_answered}/{WARM_UP} mentions answered")
        print(f"burst: {args.burst} app_mentions over {args.seconds:g} s ({args.burst / args.seconds:.0f}/s, "
              f"sending took {sending_took:.1f} s, at most {args.senders} connections)")
        print(f"  acked (HTTP 200): {len(acks)}/{args.burst}" + (f"  other statuses: {statuses}" if statuses else ""))
        print(f"  answered: {len(found)}/{args.burst}  answered exactly once: {once}/{args.burst}"
              f"  (waited up to {args.timeout:g} s)")
        print(f"  answer latency: {ms(latencies)}")
        print(f"  ack latency: {ms(acks)}")
        print(f"  last answer {last:.1f} s after the burst began ({len(found) / max(last, 1e-9):.0f} answers/s)")
        print(f"  server CPU for the burst: {cpu:.1f} s user+sys ({cpu * 1000 / max(len(found), 1):.1f} ms per answer)")
        print(f"server memory: VmRSS {rss_up:.0f} MB when up, {rss_warm:.0f} MB after warm-up, "
              f"{rss_after:.0f} MB after the burst; peak VmHWM {peak:.0f} MB")
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        log.close()
        api.close()
        if server.returncode not in (0, -15):
            print(f"!! server exit status {server.returncode}; log tail:")
            print((work / "serve.log").read_text(errors="replace")[-3000:])


def run_ask(args, root: Path, synced: Path) -> None:
    command = [sys.executable, "-m", "bot", "ask", args.question]
    env = subprocess_env(root, synced)
    walls = []
    for _ in range(args.ask_runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"`bot ask` exited with {done.returncode}: {done.stderr.decode()[-2000:]}")
    print(f"shell `bot ask {args.question!r}`: median {statistics.median(walls):.2f} s, min {min(walls):.2f} s "
          f"({args.ask_runs} fresh processes: {' '.join(f'{wall:.2f}' for wall in walls)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose bot package is run")
    parser.add_argument("--burst", type=int, default=2000, help="app_mention events in the burst")
    parser.add_argument("--seconds", type=float, default=10.0, help="the burst is spread evenly over this")
    parser.add_argument("--senders", type=int, default=20, help="at most this many connections at once")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for every answer")
    parser.add_argument("--ask-runs", type=int, default=5)
    parser.add_argument("--question", default=QUESTIONS[1], help="the shell ask's question")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-ask", action="store_true")
    args = parser.parse_args()
    root = args.root.resolve()
    if args.skip_burst and args.skip_ask:
        parser.error("nothing to measure")

    work = Path(tempfile.mkdtemp(prefix="planbot-serving-"))
    try:
        synced = work / "synced-data"
        env = subprocess_env(root, synced)
        package = subprocess.run([sys.executable, "-c", "import bot; print(bot.__file__)"], cwd=root, env=env,
                                 capture_output=True, text=True, check=True).stdout.strip()
        if not Path(package).resolve().is_relative_to(root):
            raise SystemExit(f"the bot package imported is {package}, not the one under {root}")
        commit = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "bot", "knowledge"],
                               capture_output=True, text=True).stdout.strip()
        print(f"root: {root} ({commit[:90]}){'; bot/ or knowledge/ has uncommitted changes' if dirty else ''}")
        print(f"python {platform.python_version()} ({sys.executable}); {os.cpu_count()} cores; "
              f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        print(f"settings: burst={args.burst} seconds={args.seconds:g} senders={args.senders} "
              f"timeout={args.timeout:g} ask_runs={args.ask_runs} warm_up={WARM_UP}")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "kb", "sync"], cwd=root, env=env, check=True,
                       capture_output=True)
        print(f"(untimed setup: `bot kb sync` into a fresh data dir took {time.perf_counter() - start:.1f} s)")
        if not args.skip_burst:
            run_burst(args, root, synced, work)
        if not args.skip_ask:
            run_ask(args, root, synced)
        print(f"load average at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
