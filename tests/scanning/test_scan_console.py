"""GET /scan in headless Chromium: sign in, wedge-scan a code (typed + Enter), grant a perk, see the receipt."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.models import Redemption, Scan
from backend.platform.extensions import db
from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.factories import person
from tests.scanning.helpers import code_for, scan_setup
from tests.scanning.servers import thread_server

pytestmark = needs_chromium


def test_page_has_security_headers_and_no_inline_script(client):
    r = client.get("/scan")
    assert r.status_code == 200 and "扫码核验台" in r.get_data(as_text=True)
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and r.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in r.get_data(as_text=True)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_console_flow_in_a_real_browser(app, viewport):
    sync_api = pytest.importorskip("playwright.sync_api")
    devices = scan_setup()
    good, low = person("张小三", "A"), person("李四", "D")
    good_code, low_code = code_for(good), code_for(low)
    errors: list[str] = []
    with thread_server(app) as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=viewport)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/scan")
            page.fill("#device-token", "dev_wrong")
            page.press("#device-token", "Enter")
            sync_api.expect(page.locator("#signin-error")).to_have_text("设备凭证无效或已停用")
            page.fill("#device-token", devices["lodging"]["token"])
            page.press("#device-token", "Enter")
            code_input = page.locator("#code-input")
            sync_api.expect(code_input).to_be_focused()
            # A keyboard-wedge scanner types into the focused field and presses Enter.
            page.keyboard.type(good_code)
            page.keyboard.press("Enter")
            banner = page.locator("#result-banner")
            sync_api.expect(banner).to_have_text("✔ 验证通过")
            sync_api.expect(page.locator("#disclosed")).to_contain_text("张*三")
            page.click("button.grant[data-incentive='hotel-deposit-free']")
            sync_api.expect(page.locator("#grant-message")).to_have_text("已发放：免押金入住")
            granted = page.locator("button.grant[data-incentive='hotel-deposit-free']")
            sync_api.expect(granted).to_be_disabled()  # no second grant from a double tap
            sync_api.expect(granted).to_have_text("已发放")
            sync_api.expect(page.locator("#receipt")).to_contain_text(".")
            sync_api.expect(code_input).to_be_focused()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"scan-console-{viewport['width']}.png"), full_page=True)
            page.keyboard.type(low_code)
            page.keyboard.press("Enter")
            sync_api.expect(page.locator("#disclosed")).to_contain_text("不符合")
            assert page.locator("button.grant").count() == 0
            page.keyboard.type("not-a-code")
            page.keyboard.press("Enter")
            sync_api.expect(banner).to_have_text("✘ 不是有效的信用码")
            assert "bad" in banner.get_attribute("class")
        finally:
            browser.close()
    assert errors == []
    # The console sent the verify's scan_id: the grant is linked to that scan, no second scan was recorded.
    (scan,) = db.session.execute(select(Scan).where(Scan.subject_id == good.id)).scalars().all()
    assert db.session.execute(select(Redemption.scan_id)).scalar_one() == scan.id
