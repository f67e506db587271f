"""Warm `ask` latency (no LLM) over a question set, and whole-process `planbot ask` time.

    python bench/ask_latency.py ../shared/eval/dev.jsonl [--rounds 5] [--processes 5] [--team FILE.yaml]

Warm: one service, every question asked `rounds` times after one warm-up pass; prints the
median and p90 in milliseconds. With ``--team``, each question is also asked in a workspace with
that profile (and a taught channel rule and signal), interleaved with the plain asks, and the
ratio of the medians is printed. Whole process: `planbot ask` run as a fresh process against
an already-synced data directory, `processes` times; prints the median wall time and the
share of it spent importing.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.evaluation import read_questions
from bot.service import PlanBotService


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--team", type=Path, help="a team profile (YAML) to ask in as well")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    started = time.perf_counter()
    service = PlanBotService.open(Settings(data_dir=data_dir))
    print(f"cold open with first sync: {time.perf_counter() - started:.2f} s")

    workspaces = [""]
    if args.team:
        service.import_team_profile("bench", args.team, "bench")
        service.teach("bench", {"kind": "channel_rule", "channel": "short_video",
                                "duration_seconds": {"min": 20, "max": 45}}, "bench")
        service.teach("bench", {"kind": "signal", "stage": "ask", "signal": "they ask for our SOC 2 report"}, "bench")
        workspaces.append("bench")
    questions = read_questions(args.questions)
    for question in questions:
        for workspace in workspaces:
            service.ask(question, workspace=workspace)
    timings: dict[str, list[float]] = {workspace: [] for workspace in workspaces}
    for _ in range(args.rounds):
        for question in questions:
            for workspace in workspaces:
                start = time.perf_counter()
                service.ask(question, workspace=workspace)
                timings[workspace].append((time.perf_counter() - start) * 1000)
    for workspace, taken in timings.items():
        print(f"warm ask{' in a team workspace' if workspace else ''}: n={len(taken)} "
              f"p50={statistics.median(taken):.1f} ms p90={percentile(taken, 0.9):.1f} ms max={max(taken):.1f} ms")
    if args.team:
        print(f"team / plain median: {statistics.median(timings['bench']) / statistics.median(timings['']):.2f}")

    env = os.environ | {"PLANBOT_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "bot", "ask", questions[0]]
    import_command = [sys.executable, "-c", "import bot.service"]
    walls, imports = [], []
    for _ in range(args.processes):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(import_command, env=env, check=True, capture_output=True)
        imports.append(time.perf_counter() - start)
    print(f"whole-process `planbot ask`: median {statistics.median(walls):.2f} s "
          f"(of which interpreter + imports: {statistics.median(imports):.2f} s)")


if __name__ == "__main__":
    main()
