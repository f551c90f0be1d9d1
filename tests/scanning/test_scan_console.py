"""GET /scan in headless Chromium at a phone's and a desk's width: green only when a perk may be given, amber
(with each reason) for a genuine code that gets nothing, red for a code not accepted; the countdown clears it;
beeps by colour; receipts as text; today's grants; the device token kept per device; camera scanning."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image
from sqlalchemy import select

import qr
from backend.credit.subjects import get_or_create_person
from backend.models import Incentive, ListEntry, Redemption, Scan
from backend.platform.clock import china_today
from backend.platform.extensions import db
from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.factories import person, resident_id
from tests.scanning.helpers import code_for, scan_setup
from tests.scanning.servers import thread_server

pytestmark = needs_chromium

# Records the tones the page plays (before any script of the page runs): frequency of each oscillator started.
RECORD_TONES = """
window.__tones = [];
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  createOscillator() {
    const osc = super.createOscillator();
    const start = osc.start.bind(osc);
    osc.start = (...args) => { window.__tones.push(osc.frequency.value); return start(...args); };
    return osc;
  }
};
"""


def test_page_has_security_headers_and_no_inline_script(client):
    r = client.get("/scan")
    assert r.status_code == 200 and "扫码核验台" in r.get_data(as_text=True)
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and r.headers["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in r.headers["Permissions-Policy"]
    assert "<script>" not in r.get_data(as_text=True)
    assert '/scan/static/vendor/jsqr-1.4.0/jsQR.js' in r.get_data(as_text=True)


def set_rule(**fields) -> None:
    db.session.execute(Incentive.__table__.update().where(Incentive.code == "hotel-deposit-free").values(**fields))
    db.session.commit()


def shot(page, state: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"scan-console-{state}-{width}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_console_green_amber_red_and_clear_in_a_real_browser(app, clock, viewport):
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    app.config["SCAN_CONSOLE_CLEAR_SECONDS"] = 8
    devices = scan_setup()
    good, low = person("张小三", "A"), person("李四", "C")
    unrated = get_or_create_person(resident_id(501), "王新")
    listed = person("赵黑", "A")
    db.session.add(ListEntry(subject_id=listed.id, list_type="black", reason="拒不履行", legal_basis="《失信被执行人》",
                             decision_document="(2026)粤1502执1号", department="汕尾市城区人民法院",
                             starts_on=dt.date(2026, 1, 1)))
    db.session.commit()
    width = viewport["width"]
    errors: list[str] = []
    with thread_server(app) as base, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport=viewport)
            context.add_init_script(RECORD_TONES)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/scan")
            page.fill("#device-token", "dev_wrong")
            page.press("#device-token", "Enter")
            expect(page.locator("#signin-error")).to_have_text("设备凭证无效或已停用")
            page.fill("#device-token", devices["lodging"]["token"])
            page.press("#device-token", "Enter")
            expect(page.locator("#device-label")).to_have_text("前台扫码枪 · 信用+住宿")
            # Once per device: another tab of this browser is signed in already.
            other = context.new_page()
            other.goto(f"{base}/scan")
            expect(other.locator("#scanner")).to_be_visible()
            other.close()
            page.check("#beep-toggle")
            code_input = page.locator("#code-input")
            banner, headline, reason = page.locator("#result-banner"), page.locator("#result-headline"), \
                page.locator("#result-reason")

            def scan(code: str, colour: str, title: str, why: str | None, state: str) -> None:
                code_input.focus()
                page.keyboard.type(code)  # a keyboard-wedge scanner types into the focused field, then Enter
                page.keyboard.press("Enter")
                expect(banner).to_have_class(f"banner {colour}")
                expect(headline).to_have_text(title)
                if why is not None:
                    expect(reason).to_contain_text(why)
                shot(page, state, width)

            scan(code_for(good), "green", "✓ 可以发放", None, "green")
            expect(page.locator("#disclosed")).to_contain_text("张*三")
            expect(page.locator("#perks")).to_contain_text("今日剩余 1 次")
            page.click("button.grant[data-incentive='hotel-deposit-free']")
            expect(page.locator("#grant-message")).to_have_text("已发放：免押金入住")
            granted = page.locator("button.grant[data-incentive='hotel-deposit-free']")
            expect(granted).to_be_disabled()  # no second grant from a double tap
            expect(page.locator("#receipt")).to_contain_text("凭证：免押金入住 · ")
            expect(page.locator("#receipt")).to_contain_text("凭证号 ")
            expect(page.locator("#today-list li")).to_have_count(1)
            assert "eyJ" not in page.locator("#result").inner_text()  # the receipt is text, not a raw token
            shot(page, "granted", width)

            scan(code_for(good), "amber", "⚠ 不能发放", "今日次数已用完", "amber-over-quota")
            scan(code_for(low), "amber", "⚠ 不能发放", "信用等级不符合条件", "amber-grade")
            scan(code_for(unrated), "amber", "⚠ 不能发放", "尚未评价", "amber-unrated")
            scan(code_for(listed), "amber", "⚠ 不能发放", "已列入失信联合惩戒名单", "amber-blacklisted")
            fresh = person("钱五", "A")
            set_rule(subject_kinds="organisation")
            scan(code_for(fresh), "amber", "⚠ 不能发放", "该主体类型不适用", "amber-subject-kind")
            set_rule(subject_kinds="person", valid_from=china_today() + dt.timedelta(days=1))
            scan(code_for(fresh), "amber", "⚠ 不能发放", "活动尚未开始", "amber-not-started")
            set_rule(valid_from=None, valid_to=china_today() - dt.timedelta(days=1))
            scan(code_for(fresh), "amber", "⚠ 不能发放", "活动已结束", "amber-ended")
            set_rule(valid_to=None)

            scan("not-a-code", "red", "× 信用码无效", "不是有效的信用码", "red-malformed")
            revoked = code_for(fresh)
            fresh.code_generation += 1  # what voiding one's codes does (accounts.revocation)
            db.session.commit()
            scan(revoked, "red", "× 信用码无效", "二维码已作废", "red-revoked")
            old = code_for(person("孙六", "A"))
            clock.advance(qr.MAX_CODE_TTL + 60)
            scan(old, "red", "× 信用码无效", "二维码已过期", "red-expired")
            # The countdown is visible and clears the result by itself.
            expect(page.locator("#countdown-seconds")).to_have_text("6", timeout=4000)
            expect(page.locator("#result")).to_be_hidden(timeout=10000)
            expect(code_input).to_be_focused()
            shot(page, "cleared", width)
            tones = page.evaluate("window.__tones")
            assert {880, 440, 220} <= set(tones)  # one tone pattern per colour
            page.click("#signout")  # forget this device's token with one tap
            expect(page.locator("#signin")).to_be_visible()
            assert page.evaluate("localStorage.getItem('sw-device-token')") is None
        finally:
            browser.close()
    assert errors == []
    # The console sent the verify's scan_id: the grant is linked to that scan, no extra scan was recorded.
    scans = db.session.execute(select(Scan.id).where(Scan.subject_id == good.id).order_by(Scan.id)).scalars().all()
    assert db.session.execute(select(Redemption.scan_id)).scalar_one() == scans[0]


def y4m(image: Image.Image, path, frames: int = 10) -> None:
    """A raw YUV4MPEG2 video of a still grey image: what Chromium's fake camera plays."""
    grey = image.convert("L")
    w, h = grey.size
    chroma = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + grey.tobytes() + chroma + chroma)


def test_camera_scanning_reads_the_code_with_the_vendored_decoder(app, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    devices = scan_setup()
    code = code_for(person("周七", "A"))
    frame = Image.new("L", (640, 480), 255)
    qr_image = Image.open(__import__("io").BytesIO(qr.render_png(code, scale=5, border=4))).convert("L")
    frame.paste(qr_image, ((640 - qr_image.width) // 2, (480 - qr_image.height) // 2))
    video = tmp_path / "code.y4m"
    y4m(frame, video)
    with thread_server(app) as base, sync_api.sync_playwright() as p:
        browser = launch(p, ("--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}",
                             "--use-fake-ui-for-media-stream"))
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, permissions=["camera"])
            page = context.new_page()
            page.goto(f"{base}/scan")
            page.fill("#device-token", devices["transit"]["token"])
            page.press("#device-token", "Enter")
            page.click("#camera-toggle")
            sync_api.expect(page.locator("#result-banner")).to_have_class("banner green", timeout=15000)
            sync_api.expect(page.locator("#perks")).to_contain_text("乘车九折")
            shot(page, "camera", 390)
            page.click("#camera-toggle")
            sync_api.expect(page.locator("#camera")).to_be_hidden()
        finally:
            browser.close()
    assert db.session.execute(select(Scan.outcome)).scalars().all() == ["valid"]  # one scan, not one per frame
