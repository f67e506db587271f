"""Plan log speed on 100,000 plans: bulk insert, filtered list, full-text search, coverage.

    python bench/plan_log.py [--plans 100000] [--runs 200] [--seed 7]

Builds a temporary SQLite file with deterministic random plans (English and Chinese texts,
creation dates spread over two years), then times each query ``runs`` times, rotating over
varied filters and search terms, and prints the medians against the targets.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import (
    Content,
    ContentFormat,
    ContentPlan,
    Finding,
    FindingLevel,
    PlanStatus,
)
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.models import PlanQuery
from bot.storage.plan_log import PlanLog

TARGETS_MS = {"filtered list": 10.0, "full-text search": 20.0, "coverage": 50.0}

PRODUCTS = ["FlowDesk", "LedgerLite", "HireHub", "ShipFast", "数智云", "易账通", "CloudCRM"]
COMPANIES = ["Acme", "Globex", "Initech", "蓝海科技", "星辰教育", "华东物流", "Umbrella Health"]
TOPICS_EN = ["onboarding", "pricing pages", "churn reduction", "free trial conversion",
             "ROI calculator", "security reviews", "customer success", "product-led growth"]
TOPICS_ZH = ["私域流量", "客户成功", "续约管理", "线索培育", "数字化转型", "销售提效", "产品演示"]
TITLES = [
    "{n} ways {product} cuts {topic} time",
    "How {company} improved {topic} with {product}",
    "Customer story: {company} and {product}",
    "Checklist: {topic} for busy teams",
    "{topic} explained in 90 seconds",
    "做一条关于{topic_zh}的短视频",
    "{company}如何用{product}提升{topic_zh}效率",
    "{topic_zh}实战：{n}个技巧",
    "专家课：{topic_zh}入门",
    "客户案例：{company}的{topic_zh}之路",
]
SENTENCES = [
    "A short walkthrough of {topic} for teams evaluating {product}.",
    "Shows the three numbers finance asks about before signing.",
    "Includes a live demo and a downloadable template.",
    "Based on interviews with {n} customers in manufacturing and retail.",
    "用真实客户数据讲清楚{topic_zh}的价值。",
    "结尾引导观众预约产品演示或领取免费试用。",
    "配合公众号长文和社群直播，形成完整的内容矩阵。",
    "突出{product}在{topic_zh}上的差异化优势。",
]
SEGMENTS = ["IT managers at mid-size SaaS companies", "中小企业财务负责人", "HR directors in retail",
            "growth marketers at startups", "制造业数字化负责人", "existing customers up for renewal",
            "连锁门店运营经理", "developers trying the free tier"]
UNDERSTANDINGS = ["{product} pays for itself in a quarter", "setup takes one afternoon",
                  "{topic_zh}不需要额外的IT投入", "the product fits their security policy",
                  "数据可以一键迁移", "pricing scales with usage"]
FEELINGS = ["confident", "curious", "relieved", "安心", "被理解", "excited to try it", "信任"]
ACTIONS = ["book a demo", "start a free trial", "download the checklist", "预约产品演示",
           "加入客户社群", "invite a colleague", "领取免费试用", "reply to the email"]
CAMPAIGNS = [f"{year}-Q{quarter} {name}" for year in (2024, 2025) for quarter in (1, 2, 3, 4)
             for name in ("launch", "renewal push", "双十一", "年中大促")]
TAGS = ["video", "webinar", "case-study", "pricing", "security", "新品", "客户案例", "直播",
        "seo", "nurture", "partner", "enterprise", "smb", "onboarding", "续约", "活动"]
PEOPLE = [f"{name}{number}" for name in ("ann", "bo", "chen", "dana", "eun", "li", "mia", "wang")
          for number in range(1, 8)]
STATUSES = [PlanStatus.DRAFT] * 30 + [PlanStatus.IN_REVIEW] * 15 + [PlanStatus.APPROVED] * 15 \
    + [PlanStatus.PUBLISHED] * 30 + [PlanStatus.ARCHIVED] * 10
NOW = datetime(2025, 12, 1, tzinfo=UTC)

SEARCHES = ["短视频", "onboarding", "客户案例", "ROI calculator", "私域流量", "free trial",
            "续约管理", "Globex", "产品演示", "security reviews"]


def fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(3, 12), product=rng.choice(PRODUCTS), company=rng.choice(COMPANIES),
        topic=rng.choice(TOPICS_EN), topic_zh=rng.choice(TOPICS_ZH),
    )


def random_plan(rng: random.Random) -> ContentPlan:
    stage = rng.choice(list(AwarenessStage))
    created = NOW - timedelta(seconds=rng.randint(0, 730 * 24 * 3600))
    findings = []
    if rng.random() < 0.2:
        findings.append(Finding(level=FindingLevel.WARNING, rule="short_video.duration",
                                field="content.format.duration_seconds",
                                message="short videos work best at 60–90 s", fix="cut to 90 s"))
    return ContentPlan(
        funnel_stage=rng.choice(list(FunnelStage)),
        stage=stage,
        content=Content(
            title=fill(rng.choice(TITLES), rng),
            description=" ".join(fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(1, 3))),
            format=ContentFormat(
                duration_seconds=rng.choice([None, 60, 75, 90, 900]),
                word_count=rng.choice([None, 800, 1500, 3000]),
                image_share=rng.choice([None, 0.2, 0.4]),
            ),
        ),
        channel=rng.choice(list(Channel)),
        segment=rng.choice(SEGMENTS),
        understanding=fill(rng.choice(UNDERSTANDINGS), rng),
        feeling=rng.choice(FEELINGS),
        action=rng.choice(ACTIONS),
        next_stage=stage.next,
        lang=rng.choice([Lang.EN, Lang.ZH_HANS]),
        owner=rng.choice(PEOPLE),
        campaign=rng.choice(CAMPAIGNS),
        tags=rng.sample(TAGS, rng.randint(0, 3)),
        due=(created + timedelta(days=rng.randint(7, 60))).date(),
        status=rng.choice(STATUSES),
        findings=findings,
        author=rng.choice(PEOPLE),
        created_at=created,
        updated_at=created,
    )


def timings_ms(runs: int, query: Callable[[int], object]) -> list[float]:
    query(0)  # warm the page cache and statement cache
    timings = []
    for run in range(runs):
        start = time.perf_counter()
        query(run)
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings)


def p90(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="planbot-plan-log-") as folder:
        start = time.perf_counter()
        plans = [random_plan(rng) for _ in range(args.plans)]
        print(f"generated {len(plans):,} plans in {time.perf_counter() - start:.1f} s")

        log = PlanLog(Path(folder) / "plans.db")
        start = time.perf_counter()
        log.bulk_insert(plans, who="bench")
        insert_seconds = time.perf_counter() - start
        database_mb = log.path.stat().st_size / 1e6
        wal_mb = log.path.with_name(log.path.name + "-wal").stat().st_size / 1e6
        print(f"bulk insert: {insert_seconds:.1f} s ({len(plans) / insert_seconds:,.0f} plans/s; "
              f"file {database_mb:.0f} MB, WAL {wal_mb:.0f} MB until checkpoint)")
        del plans

        combos = [
            PlanQuery(stage=rng.choice(list(AwarenessStage)), channel=rng.choice(list(Channel)),
                       status=rng.choice([s for s in PlanStatus if s is not PlanStatus.ARCHIVED]))
            for _ in range(args.runs)
        ]
        results = {
            "filtered list": timings_ms(args.runs, lambda run: log.list(combos[run], limit=50)),
            "full-text search": timings_ms(
                args.runs, lambda run: log.list(PlanQuery(text=SEARCHES[run % len(SEARCHES)]), limit=50)),
            "coverage": timings_ms(args.runs, lambda run: log.coverage()),
        }
        for name, timings in results.items():
            median = statistics.median(timings)
            verdict = "ok" if median <= TARGETS_MS[name] else "MISSED"
            print(f"{name:>18}: p50 {median:6.2f} ms  (p90 {p90(timings):6.2f})   "
                  f"target p50 <= {TARGETS_MS[name]:.0f} ms   {verdict}")

        # Not targets, but worth knowing before someone builds a screen on them.
        extra_runs = max(1, args.runs // 10)
        extras = {
            "list, no filter": lambda run: log.list(PlanQuery(), limit=50),
            "list, stage only": lambda run: log.list(PlanQuery(stage=AwarenessStage.ASK), limit=50),
            "list, author": lambda run: log.list(PlanQuery(author=PEOPLE[run % len(PEOPLE)]), limit=50),
            "list, tag": lambda run: log.list(PlanQuery(tag=TAGS[run % len(TAGS)]), limit=50),
            "list, created range": lambda run: log.list(
                PlanQuery(created_from=date(2025, 3, 1), created_to=date(2025, 3, 31)), limit=50),
            "search + stage": lambda run: log.list(
                PlanQuery(text=SEARCHES[run % len(SEARCHES)], stage=AwarenessStage.APPEAL), limit=50),
            "search, 2 chars, common (scan)": lambda run: log.list(PlanQuery(text="直播"), limit=50),
            "search, 2 chars, absent (scan)": lambda run: log.list(PlanQuery(text="Qz"), limit=50),
            "search + author (rare)": lambda run: log.list(
                PlanQuery(text="onboarding", author=PEOPLE[run % len(PEOPLE)], stage=AwarenessStage.ACT),
                limit=50),
            "count, default": lambda run: log.count(PlanQuery()),
            "count, search": lambda run: log.count(PlanQuery(text=SEARCHES[run % len(SEARCHES)])),
        }
        for name, query in extras.items():
            print(f"{name:>30}: p50 {statistics.median(timings_ms(extra_runs, query)):6.2f} ms  (n={extra_runs})")
        log.close()


if __name__ == "__main__":
    main()
