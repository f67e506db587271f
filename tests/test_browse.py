"""`planbot browse`: the plan log in Datasette, read-only, with facets, search and canned queries,
checked over HTTP and in a real headless Chromium (Debian's, which .ci/run installs)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from bot.domain.channels import Channel
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan
from bot.domain.stages import AwarenessStage
from bot.i18n.labels import field_label, label
from bot.storage.plan_log import PlanLog

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
CARD = {"funnel_stage": "raw_lead", "next_stage": "appeal", "content": {"title": "t"},
        "understanding": "manual scheduling costs an hour a day", "feeling": "from unaware to curious",
        "action": "Follow us"}
PLANS = [("排产短视频：一分钟看懂换线损失", "aware", "short_video", "工厂厂长"),
         ("Webinar: scheduling ROI in practice", "ask", "webinar", "plant managers"),
         ("Welcome email for new trials", "act", "email", "plant managers")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browsing(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    with PlanLog(data / "plans.db") as log:
        for title, stage, channel, segment in PLANS:
            log.save(ContentPlan.model_validate(CARD | {
                "stage": stage, "channel": channel, "segment": segment, "due": date.today().isoformat(),
                "content": {"title": title, "format": {"duration_seconds": 75} if channel == "short_video" else {}}}),
                "ann")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(data), "PLANBOT_LANG": "zh-Hans", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "bot", "browse", "--no-open", "--port", str(port)], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/plans"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(f"{base}.json")
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "planbot browse did not start"
            time.sleep(0.3)
    yield base, data
    server.terminate()
    server.wait(20)


def test_the_plan_log_has_facets_search_and_the_canned_queries(browsing):
    base, _ = browsing
    table = fetch(f"{base}/plans.json?_shape=objects")
    assert set(table["facet_results"]) >= {"stage", "funnel_stage", "channel", "status", "owner", "segment"}
    found = fetch(f"{base}/plans.json?_shape=objects&_search=" + urllib.parse.quote("scheduling ROI"))
    assert [row["content_title"] for row in found["rows"]] == ["Webinar: scheduling ROI in practice"]
    coverage = fetch(f"{base}/coverage.json?_shape=objects")["rows"]
    stage, channel = field_label("stage", Lang.ZH_HANS), field_label("channel", Lang.ZH_HANS)
    assert {(row[stage], row[channel]) for row in coverage} == {
        (label(AwarenessStage(s), Lang.ZH_HANS), label(Channel(c), Lang.ZH_HANS))
        for s, c in (("aware", "short_video"), ("ask", "webinar"), ("act", "email"))}
    assert len(fetch(f"{base}/due_this_week.json")["rows"]) == 3


def test_nothing_can_be_changed_through_it(browsing):
    base, data = browsing
    with pytest.raises(urllib.error.HTTPError):
        fetch(f"{base}.json?sql=" + urllib.parse.quote("DELETE FROM plans"))
    with PlanLog(data / "plans.db") as log:
        assert log.count() == 3


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian's chromium and chromium-driver are not installed")
def test_in_a_headless_chromium_the_page_loads_a_facet_filters_and_a_search_finds_a_plan(browsing, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    def rows_of(page):
        return page.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")

    base, _ = browsing
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        browser.get(base.removesuffix("/plans") + "/")
        assert browser.title.startswith("planbot")  # the metadata's title, in the reader's language
        browser.get(f"{base}/plans")
        assert "排产短视频" in browser.page_source
        browser.find_element(By.CSS_SELECTOR, 'a[href*="stage=ask"]').click()
        WebDriverWait(browser, 10).until(lambda page: "stage=ask" in page.current_url and len(rows_of(page)) == 1)
        browser.get(f"{base}/plans")
        search = browser.find_element(By.CSS_SELECTOR, 'input[name="_search"]')
        search.send_keys("welcome")
        search.submit()
        WebDriverWait(browser, 10).until(lambda page: "_search=welcome" in page.current_url and len(rows_of(page)) == 1)
        assert "Welcome email" in rows_of(browser)[0].text
        screenshot = tmp_path / "plan-log-in-datasette.png"
        browser.save_screenshot(str(screenshot))
        assert screenshot.stat().st_size > 10_000
    finally:
        browser.quit()
