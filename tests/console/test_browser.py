"""The console in headless Chromium with JavaScript off: each role's main task end to end, the CSRF token and
SameSite=Strict refusing forged posts, the idle timeout (FakeClock), a market operator editing the URL to another
market's merchant, a CSV export with a formula cell neutralised; screenshots in test-artifacts/ (docs/console.md
shows some of them)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser import ARTIFACTS, launch, needs_chromium
from tests.credit.helpers import SAMR, days_ago
from tests.credit.test_import import HEADER, good_rows
from tests.factories import operator_token, person, resident_id, uscc_code
from tests.merchants.helpers import handle_of, market_operator, merchant
from tests.scanning.helpers import code_for, redeem, scan_setup

pytestmark = needs_chromium


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


def new_page(browser, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False,
                                  accept_downloads=True, locale="zh-CN")
    # Generous: a report's PDF renders in the request, and on a loaded machine its click waited >5 s for navigation.
    context.set_default_timeout(20000)
    return context.new_page()


def sign_in(page, base: str, token: str) -> None:
    page.goto(f"{base}/console/sign-in")
    page.fill("#token", token)
    page.click("#token-form button[type=submit]")
    assert page.url.endswith("/console/"), page.url


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


def fits(page) -> bool:
    """No sideways scrolling of the page itself (wide tables scroll inside their box)."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_department_files_a_record_imports_a_csv_and_runs_a_joint_query(app, live_server, browser, tmp_path):
    page = new_page(browser)
    page.goto(f"{live_server}/console/sign-in")
    shot(page, "sign-in")
    sign_in(page, live_server, operator_token("department", department=SAMR))
    assert page.inner_text("#who-role") == "部门（department）" and "汕尾市市场监督管理局" in page.inner_text("#who-scope")
    page.click("text=登记信用记录")
    page.fill("#f-uscc", uscc_code(1))
    page.fill("#f-subject_name", "马宫蚝仔档")
    page.select_option("#f-category", "admin_penalty")
    page.select_option("#f-severity", "general")
    page.fill("#f-title", "销售不合格水产品")
    page.fill("#f-document_no", "汕市监罚〔2026〕1号")
    page.fill("#f-legal_basis", "《中华人民共和国食品安全法》第一百二十四条")
    page.fill("#f-decided_on", days_ago(3))
    page.click("#main-form button[type=submit]")
    assert "已登记记录" in page.inner_text("#notice")
    shot(page, "department-record")
    bad = tmp_path / "records.csv"
    bad.write_text("\n".join([HEADER, *good_rows(), f",{resident_id(16)[:-1]}Y,某人,admin_penalty,,,缺严重程度,D-3,依据,2026-13-01,"])
                   + "\n", encoding="gbk")
    page.click("text=导入 CSV")
    page.set_input_files("#file", str(bad))
    page.click("#import-form button[type=submit]")
    assert page.locator("#row-errors tr.bad").count() >= 1 and "未保存任何记录" in page.inner_text("#import-error")
    assert page.locator("#row-errors tr.bad td").first.inner_text() == "5"  # the file line of the bad row
    shot(page, "department-import-errors")
    page.click("text=一键查询")
    page.fill("#f-uscc", uscc_code(1))
    page.fill("#f-purpose", "政府采购资格审查")
    page.click("#query-form button[type=submit]")
    assert page.inner_text("#query-no").startswith("YJCX") and page.inner_text("#result-zh")
    shot(page, "department-joint-query")
    pdf = page.context.request.get(live_server + page.get_attribute("#record-pdf", "href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert fits(page)


def test_csv_export_neutralises_a_formula_cell(app, live_server, browser, tmp_path):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("department", department=SAMR))
    page.click("text=红黑名单")
    page.fill("#f-uscc", uscc_code(2))
    page.fill("#f-subject_name", "=HYPERLINK(\"http://evil.example\",\"点我\")")
    page.select_option("#f-list_type", "black")
    page.fill("#f-reason", "@SUM(1+1) 拒不整改")
    page.fill("#f-legal_basis", "《广东省社会信用条例》")
    page.fill("#f-decision_document", "汕市监〔2026〕9号")
    page.fill("#f-starts_on", days_ago(1))
    page.click("#main-form button[type=submit]")
    assert "已列入" in page.inner_text("#notice")
    shot(page, "department-lists")
    with page.expect_download() as download, contextlib.suppress(Exception):
        page.click("#export-csv")
    path = Path(download.value.path())
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and download.value.suggested_filename == "list-entries.csv"
    text = data.decode("utf-8-sig")
    assert "'@SUM(1+1) 拒不整改" in text and "\n=" not in text and ",=" not in text and ",@" not in text


def test_market_office_edits_a_merchant_prints_all_posters_and_cannot_reach_another_market(app, live_server, browser):
    rows = [merchant(f"第{i}号档口", stall_no=f"A-{i:02d}") for i in range(1, 4)]
    theirs = merchant("三马路茶叶铺", slug="sanmalu", stall_no="S-1")
    page = new_page(browser)
    sign_in(page, live_server, market_operator())
    page.click("nav >> text=商户")
    assert page.locator("#list tbody tr").count() == 3 and "三马路茶叶铺" not in page.content()
    shot(page, "market-merchants")
    page.click("text=A-02")
    page.fill("#edit-form #f-business_scope", "鲜活对虾、蟹")
    page.click("#edit-form button[type=submit]")
    assert "已保存修改" in page.inner_text("#notice")
    page.fill("#reason", "二维码污损")
    page.click("#reissue-form button[type=submit]")
    assert page.inner_text("#sticker-url").endswith(f"/m/{handle_of(rows[1])}-2")
    page.click("#binding-form button[type=submit]")
    assert len(page.inner_text("#once-value")) == 11
    shot(page, "market-merchant")
    resp = page.goto(f"{live_server}/console/merchants/{handle_of(theirs)}")  # the URL edited by hand
    assert resp.status == 404 and "三马路茶叶铺" not in page.content() and "没有商户" in page.inner_text("#error-message")
    shot(page, "market-other-market-404")
    page.goto(f"{live_server}/console/merchants")
    with page.expect_download() as download, contextlib.suppress(Exception):
        page.click("#all-posters")
    assert download.value.suggested_filename == "posters-magong.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    tablet = new_page(browser, 768, 1024)
    sign_in(tablet, live_server, market_operator("magong"))
    tablet.goto(f"{live_server}/console/merchants/{handle_of(rows[0])}")
    assert fits(tablet)
    shot(tablet, "market-merchant-tablet")


def test_forged_posts_are_refused_by_the_csrf_token_and_samesite(app, live_server, browser):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("admin"))
    # A forged form post that carries the session cookie but not the page's token.
    forged = page.context.request.post(f"{live_server}/console/signing-keys", form={"csrf_token": "forged"})
    assert forged.status == 403 and "防伪令牌" in forged.text()
    # Another site's page posting to the console: SameSite=Strict keeps the session cookie home.
    evil = ('<!doctype html><meta charset="utf-8"><form method="post" '
            f'action="{live_server}/console/sign-out-everywhere"><button id="go">领奖</button></form>')
    page.route("http://evil.example/", lambda route: route.fulfill(body=evil, content_type="text/html"))
    page.goto("http://evil.example/")
    page.click("#go")
    assert "/console/sign-in" in page.url  # no session came along: nothing was done, the sign-in page is shown
    page.goto(f"{live_server}/console/")
    assert page.inner_text("#who-role") == "平台管理员（admin）"  # still signed in: the forged post did nothing
    refused = page.context.new_page()
    refused.set_content(forged.text().replace('href="/console/static', f'href="{live_server}/console/static'))
    shot(refused, "csrf-refused")


def test_the_idle_timeout_signs_out(app, live_server, browser, clock):
    app.config["CONSOLE_IDLE_SECONDS"] = 900
    page = new_page(browser)
    sign_in(page, live_server, operator_token("admin"))
    clock.advance(600)
    page.goto(f"{live_server}/console/overview")
    assert page.inner_text("h1") == "概览"
    clock.advance(901)
    page.goto(f"{live_server}/console/operators")
    assert "/console/sign-in" in page.url and "登录已过期" in page.inner_text("#expired")
    shot(page, "session-expired")
    page.fill("#token", operator_token("admin"))
    page.click("#token-form button[type=submit]")
    assert page.url.endswith("/console/operators")  # back where the operator was going


def test_partner_settlement_and_window_binding(app, live_server, browser, clock):
    devices = scan_setup()
    client = app.test_client()
    for i in range(3):
        assert redeem(client, devices["transit"]["token"], code_for(person(rid=resident_id(700 + i))),
                      "bus-discount").status_code == 201
    page = new_page(browser)
    sign_in(page, live_server, operator_token("partner", partner_name="汕尾市公共交通有限公司"))
    page.click("text=结算")
    assert "已发放 3 次" in page.inner_text("#intro")
    assert page.locator("#totals tbody tr").count() == 2  # one device × incentive, and the total
    shot(page, "partner-settlement")
    page.click("nav >> text=扫码设备")
    page.fill("#f-name", "2 路公交验码机")
    page.click("#main-form button[type=submit]")
    assert page.inner_text("#once-value").startswith("dev_")
    shot(page, "partner-devices")


def test_admin_audit_log_and_operators(app, live_server, browser):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("admin"))
    page.click("nav >> text=操作员")
    page.fill("#f-name", "税务局张三")
    page.select_option("#f-role", "department")
    page.fill("#f-department", "国家税务总局汕尾市税务局")
    page.click("#main-form button[type=submit]")
    assert page.inner_text("#once-value").startswith("op_")
    shot(page, "admin-operators")
    page.goto(f"{live_server}/console/audit-log?verify=1")
    assert "校验通过" in page.inner_text("#notice")
    shot(page, "admin-audit-log")
