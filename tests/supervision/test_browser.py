"""The 双随机、一公开 portal pages in headless Chromium at 375 px, JavaScript off: every section visible and
screenshot, no sideways scrolling (64-digit hashes and the commands wrap), no CSP violation, 16 px text with AA
contrast."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.credit.helpers import days_ago
from tests.merchants.test_browser import TEXT_METRICS, live_server  # noqa: F401  (fixture)
from tests.supervision.helpers import Supervisor, graded_merchants

pytestmark = needs_chromium
SECTIONS = ("task", "strata", "commitment", "draw", "results", "verify")


def _drawn_task(client) -> str:
    s = Supervisor(client)
    graded_merchants({"A": 4, "B": 6, "C": 3, "D": 2})
    task = s.task(s.item()["id"], [i["id"] for i in s.inspectors(4)])
    s.commit(task["id"])
    s.draw(task["id"])
    first = s.public(task["number"])["drawn"][0]
    s.post(f"/tasks/{task['id']}/results", {"handle": first["handle"], "outcome": "fail", "inspected_on": days_ago(1),
                                             "findings": "冰鲜产品未标明产地"}, expect=201)
    return task["number"]


def test_supervision_pages_at_375_px(app, client, live_server):  # noqa: F811
    playwright = pytest.importorskip("playwright.sync_api")
    number = _drawn_task(client)
    ARTIFACTS.mkdir(exist_ok=True)
    paths = {"tasks": "/credit/supervision", "task": f"/credit/supervision/{number}"}
    problems = []
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False,
                                          device_scale_factor=2, is_mobile=True)
            page = context.new_page()
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            assert page.goto(live_server + paths["task"]).status == 200
            for section in SECTIONS:
                element = page.locator(f"#{section}")
                assert element.is_visible(), section
                element.screenshot(path=str(ARTIFACTS / f"supervision-task-{section}-375.png"))
            assert page.locator("#drawn > li").count() == 5  # ⌈.05·4⌉ + ⌈.10·6⌉ + ⌈.30·3⌉ + ⌈.70·2⌉ = 1+1+1+2
            assert page.locator("#drawn li.failed").count() == 1
            for name, path in paths.items():
                assert page.goto(live_server + path).status == 200, name
                assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, name
                page.screenshot(path=str(ARTIFACTS / f"supervision-{name}-375.png"), full_page=True)
            assert not violations, violations
            context.close()  # its idle sockets would hold the single-threaded test server
            metrics = browser.new_context(viewport={"width": 375, "height": 667}).new_page()
            for name, path in paths.items():
                metrics.goto(live_server + path)
                for item in metrics.evaluate(TEXT_METRICS):
                    if item["size"] < 16 or item["ratio"] < 4.5:
                        problems.append((name, item))
        finally:
            browser.close()
    assert problems == []
    assert (ARTIFACTS / "supervision-task-commitment-375.png").stat().st_size > 5_000
