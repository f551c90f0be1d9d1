"""The portal in headless Chromium at 375 px, JavaScript off: every section of the subject page visible and
screenshot, no sideways scrolling, no CSP violation, 16 px text with AA contrast; search, lists, verification."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.credit.helpers import dept
from tests.disclosure.helpers import licence, penalty
from tests.factories import bearer, operator_token, uscc_code
from tests.merchants.test_browser import TEXT_METRICS, live_server  # noqa: F401  (fixture)

pytestmark = needs_chromium
SECTIONS = ("basic", "grade", "grade-scale", "licences", "penalties", "red", "watch", "black", "commitments",
            "declarations", "howto")


def _seed(client) -> tuple[str, str]:
    h = dept()
    assert client.post("/api/dept/v1/disclosures/penalties", json=penalty(n=401), headers=h).status_code == 201
    assert client.post("/api/dept/v1/disclosures/licences", json=licence(n=401), headers=h).status_code == 201
    for list_type in ("red", "watch"):
        client.post("/api/dept/v1/list-entries", headers=h, json={
            "uscc": uscc_code(401), "list_type": list_type, "reason": "依法认定",
            "legal_basis": "《广东省社会信用条例》", "decision_document": f"汕{list_type}〔2026〕2号",
            "starts_on": "2026-11-01"})
    handle = client.get("/api/public/v1/subjects", query_string={"q": uscc_code(401)}).get_json()["items"][0]["handle"]
    window = bearer(operator_token("window", department="汕尾市政务服务中心"))
    report = client.post("/api/dept/v1/credit-reports", headers=window, json={
        "uscc": uscc_code(401), "period_from": "2026-01-01", "period_to": "2026-11-30", "purpose": "政府采购",
        "domains": ["admin_penalty", "serious_dishonesty"]}).get_json()
    verify = report["verify_url"].split("8000", 1)[1]
    return handle, verify


def test_portal_pages_at_375_px_per_section(app, client, live_server):  # noqa: F811
    playwright = pytest.importorskip("playwright.sync_api")
    handle, verify = _seed(client)
    ARTIFACTS.mkdir(exist_ok=True)
    paths = {"search": "/credit/search?q=鲜活水产", "subject": f"/credit/s/{handle}", "red": "/credit/lists/red",
             "black": "/credit/lists/black", "verify": verify}
    problems = []
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False,
                                          device_scale_factor=2, is_mobile=True)
            page = context.new_page()
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            assert page.goto(live_server + paths["subject"]).status == 200
            for section in SECTIONS:
                element = page.locator(f"#{section}")
                assert element.is_visible(), section
                element.screenshot(path=str(ARTIFACTS / f"portal-subject-{section}-375.png"))
            assert page.locator("#subject-name").inner_text().startswith("汕尾市海丰鲜活水产有限公司")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
            for name, path in paths.items():
                assert page.goto(live_server + path).status == 200, name
                assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, name
                page.screenshot(path=str(ARTIFACTS / f"portal-{name}-375.png"), full_page=True)
            assert "报告真实有效" in page.content() and "报告生成后信息可能已变化" in page.content()
            assert not violations, violations
            metrics = browser.new_context(viewport={"width": 375, "height": 667}).new_page()
            for name, path in paths.items():
                metrics.goto(live_server + path)
                for item in metrics.evaluate(TEXT_METRICS):
                    if item["size"] < 16 or item["ratio"] < 4.5:
                        problems.append((name, item))
        finally:
            browser.close()
    assert problems == []
    assert (ARTIFACTS / "portal-subject-penalties-375.png").stat().st_size > 5_000
