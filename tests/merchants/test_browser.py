"""The merchant page in headless Chromium at a phone's viewport: Chinese text visible, no JavaScript needed."""

from __future__ import annotations

import contextlib
import io
import threading

import pytest
from PIL import Image
from werkzeug.serving import make_server

from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.merchants.helpers import handle_of, inspection, listing, market_operator, merchant

pytestmark = needs_chromium


@pytest.fixture
def live_server(app):
    """The test app on an ephemeral 127.0.0.1 port, in a thread, for the browser to load."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_page_renders_chinese_at_375x667_without_javascript(app, live_server):
    playwright = pytest.importorskip("playwright.sync_api")
    row = merchant("陈伯虾蟹行", grade="D", stall_no="M104", business_scope="虾蟹批发")
    inspection(row, "fail", "镉(以Cd计)超标")
    listing(row, "black")
    url = f"{live_server}/m/{handle_of(row)}-1"
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False,
                                          device_scale_factor=2, is_mobile=True)
            page = context.new_page()
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            assert page.goto(url).status == 200
            assert page.locator("#merchant-name").inner_text() == "陈伯虾蟹行"
            grade = page.locator("#grade-letter")
            assert grade.inner_text() == "差" and grade.is_visible()
            box = grade.bounding_box()
            assert box and box["width"] > 50 and box["height"] > 50
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 375  # no sideways scrolling
            assert page.locator("#list-black").is_visible() and "已列入失信联合惩戒对象名单" in page.content()
            assert page.get_by_text("不合格项目：镉(以Cd计)超标").is_visible()
            # The stylesheet applied (CSP allowed it): the grade is large, on its colour, glyph drawn in white.
            shot = Image.open(io.BytesIO(grade.screenshot())).convert("RGB")
            colours = set(shot.get_flattened_data())
            assert (0xB3, 0x26, 0x1E) in colours and any(min(c) > 240 for c in colours)
            page.screenshot(path=str(ARTIFACTS / "merchant-page-375x667.png"), full_page=True)
            assert not violations, violations  # the inline stylesheet is allowed by its CSP hash
        finally:
            browser.close()
    assert (ARTIFACTS / "merchant-page-375x667.png").stat().st_size > 10_000


def test_chromium_saves_posters_under_the_stall_number(app, live_server):
    """The download name a real browser picks: the Chinese stall number via filename*, and a hostile one
    that tries to add its own filename* parameter stays inside the name."""
    playwright = pytest.importorskip("playwright.sync_api")
    from tests.factories import bearer
    from tests.merchants.helpers import market_operator

    token = market_operator()
    chinese, hostile = merchant(stall_no="马宫A区-07"), merchant(stall_no="x\";filename*=UTF-8''a.exe;x=\"")
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context(accept_downloads=True, extra_http_headers=bearer(token))
            names = []
            for row in (chinese, hostile):
                page = context.new_page()
                # page.goto raises "Download is starting": the navigation became a download.
                with page.expect_download() as download, contextlib.suppress(playwright.Error):
                    page.goto(f"{live_server}/api/dept/v1/merchants/{row.id}/poster.png")
                names.append(download.value.suggested_filename)
                assert download.value.failure() is None
                page.close()
        finally:
            browser.close()
    assert names[0] == "poster-马宫A区-07.png"
    assert names[1] == "poster-x_;filename_=UTF-8''a.exe;x=_.png"  # Chromium's own replacements of " and *


# Every element with text of its own: its font size and its contrast with the background behind it (WCAG 2.x).
TEXT_METRICS = """() => {
  const parse = (c) => { const p = c.match(/rgba?\\(([^)]+)\\)/)[1].split(",").map(Number);
                         return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                                 return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                                                                       if (c.a > 0.5) return c; }
                           return { r: 255, g: 255, b: 255, a: 1 }; };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const st = getComputedStyle(el);
    if (st.display === "none" || st.visibility === "hidden") continue;
    const a = lum(parse(st.color)), b = lum(behind(el));
    out.push({ text: el.textContent.trim().slice(0, 24), size: parseFloat(st.fontSize),
               ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
  }
  return out;
}"""


def test_public_pages_have_16px_text_and_aa_contrast_everywhere(app, live_server, client):
    playwright = pytest.importorskip("playwright.sync_api")
    listed = merchant("名单档", grade="D", stall_no="M201")
    listing(listed, "black")
    inspection(listed, "fail", "镉(以Cd计)超标")
    watched = merchant("关注档", grade="C", stall_no="M202")
    listing(watched, "watch")
    token = market_operator()
    client.post(f"/api/dept/v1/merchants/{handle_of(watched)}/reissue-code", json={"reason": "换码"},
                headers={"Authorization": f"Bearer {token}"})
    paths = {"merchant-black": f"/m/{handle_of(listed)}", "merchant-watch": f"/m/{handle_of(watched)}",
             "void": f"/m/{handle_of(watched)}-1", "unknown": "/m/NoSuchOne", "grades": "/credit-grades",
             "market": "/markets/magong"}
    problems = []
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=True).new_page()
            for name, path in paths.items():
                page.goto(live_server + path)
                measured = page.evaluate(TEXT_METRICS)
                assert len(measured) >= 5, (name, measured)  # the check saw the page's text
                for item in measured:
                    if item["size"] < 16 or item["ratio"] < 4.5:
                        problems.append((name, item))
                page.screenshot(path=str(ARTIFACTS / f"public-{name}-375.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
