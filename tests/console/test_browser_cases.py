"""The case pages in headless Chromium with JavaScript off: a repair filed at the window with its proof and decided
by the department from its worklist (deadlines overdue in red), another department's case by URL (404); an
objection through the credit office and the department with a field correction; 双公示 filed from the form and
found in the overdue report; a resident's report printed at the window. Screenshots in test-artifacts/."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import select

from backend.models import CreditRecord, Objection, RepairApplication
from backend.platform.extensions import db
from tests.browser import needs_chromium
from tests.console import test_browser as pages
from tests.console.test_browser import fits, new_page, shot, sign_in
from tests.console.test_cases import CENTRE, DAY, PDF, org_penalty
from tests.credit.helpers import SAMR, TAX, days_ago, dept, penalty
from tests.disclosure.helpers import penalty as cf_penalty
from tests.factories import operator_token, resident_id

pytestmark = needs_chromium
browser, live_server = pages.browser, pages.live_server  # the fixtures of the console's browser tests
RED = "rgb(179, 38, 30)"  # console.css .overdue


def window_page(browser, base: str):
    page = new_page(browser)
    sign_in(page, base, operator_token("window", department=CENTRE))
    return page


def file_repair(page, code: str, record_id: int, proof: Path) -> str:
    page.click("nav >> text=代办信用修复")
    page.fill("#f-uscc", code)
    page.fill("#f-record_id", str(record_id))
    page.fill("#f-statement", "已缴纳罚款并完成整改，附缴款凭证。")
    assert page.get_attribute("#f-files", "accept").startswith(".pdf") and page.get_attribute("#f-files", "multiple") is not None
    page.set_input_files("#f-files", str(proof))
    page.check("#f-sign_commitment")
    page.click("#main-form button[type=submit]")
    assert "已受理窗口申请" in page.inner_text("#notice"), page.inner_text("main")
    return page.inner_text("#facts tr:first-child td")


def test_window_files_a_repair_and_the_department_decides_it(app, live_server, browser, clock, tmp_path):
    client = app.test_client()
    proof = tmp_path / "缴款凭证.pdf"
    proof.write_bytes(PDF)
    filed = [org_penalty(client, n) for n in (51, 52)]
    page = window_page(browser, live_server)
    first = file_repair(page, *filed[0], proof)
    shot(page, "window-repair-receipt")
    file_repair(page, *filed[1], proof)
    clock.advance(6 * DAY)  # past the acceptance deadline (working days): overdue
    d = new_page(browser)
    sign_in(d, live_server, operator_token("department", department=SAMR))
    d.click("nav >> text=信用修复")
    assert d.locator("#list tbody tr").count() == 2
    cell = d.locator("#list td.overdue").first
    assert cell.evaluate("e => getComputedStyle(e).color") == RED
    assert fits(d)
    shot(d, "department-repairs")
    d.click(f"text={first}")
    assert "缴款凭证.pdf" in d.inner_text("#files")
    d.click("#accept-form button[type=submit]")
    assert "已受理" in d.inner_text("#notice")
    d.fill("#extend-form textarea[name=reason]", "需向执法科室核实整改情况")
    d.click("#extend-form button[type=submit]")
    assert "审查期限已延长" in d.inner_text("#facts")
    d.fill("#approve-form textarea[name=reason]", "整改到位，准予修复")
    d.click("#approve-form button[type=submit]")
    assert "已修复，结果已同步" in d.inner_text("#facts")
    shot(d, "department-repair")
    assert db.session.get(CreditRecord, filed[0][1]).publication_state == "repaired"
    with d.expect_download() as download, contextlib.suppress(Exception):
        d.goto(f"{live_server}/console/repairs?format=csv")
    assert first in Path(download.value.path()).read_bytes().decode("utf-8-sig")
    # another department editing the URL: 404, nothing of the case shown
    tax = new_page(browser)
    sign_in(tax, live_server, operator_token("department", department=TAX))
    response = tax.goto(f"{live_server}/console/repairs/{first}")
    assert response.status == 404 and "没有找到" in tax.inner_text("h1") and filed[0][0] not in tax.inner_text("main")
    shot(tax, "department-other-department-404")
    tablet = new_page(browser, 768, 1024)
    sign_in(tablet, live_server, operator_token("department", department=SAMR))
    tablet.goto(f"{live_server}/console/repairs")
    assert fits(tablet)


def test_objection_from_the_window_through_the_credit_office_and_the_department(app, live_server, browser):
    client = app.test_client()
    code, record_id = org_penalty(client, 61, days=20)
    page = window_page(browser, live_server)
    page.click("nav >> text=代办异议")
    page.fill("#f-uscc", code)
    page.fill("#f-applicant", "王经办")
    page.fill("#f-item_id", str(record_id))
    page.select_option("#f-grounds", "wrong_facts")
    page.fill("#f-statement", "处罚决定书上载明的标题与公示不一致。")
    page.select_option("#f-corr_field_1", "title")
    page.fill("#f-corr_proposed_1", "销售标签不合格的预包装食品")
    page.click("#main-form button[type=submit]")
    assert "已提交异议" in page.inner_text("#notice")
    number = db.session.execute(select(Objection.number)).scalar_one()
    shot(page, "window-objection")
    admin = new_page(browser)
    sign_in(admin, live_server, operator_token("admin"))
    admin.goto(f"{live_server}/console/objections/{number}")
    admin.click("#accept-form button[type=submit]")
    admin.select_option("#check-form select[name=own_error]", "false")
    admin.click("#check-form button[type=submit]")
    assert "已转提供单位核实" in admin.inner_text("#facts")
    samr = new_page(browser)
    sign_in(samr, live_server, operator_token("department", department=SAMR))
    samr.click("nav >> text=异议")
    samr.click(f"text={number}")
    assert "销售标签不合格的预包装食品" in samr.inner_text("#corrections")
    samr.select_option("#decide-form select[name=outcome]", "corrected")
    samr.fill("#decide-form textarea[name=reason]", "经核实决定书，标题录入有误，予以更正")
    samr.click("#decide-form button[type=submit]")
    assert "已办结" in samr.inner_text("#facts")
    shot(samr, "department-objection")
    assert db.session.get(CreditRecord, record_id).title == "销售标签不合格的预包装食品"


def test_disclosure_filed_from_the_form_and_found_in_the_overdue_report(app, live_server, browser, clock):
    page = new_page(browser)
    sign_in(page, live_server, operator_token("department", department=SAMR))
    page.click("nav >> text=双公示")
    body = {**cf_penalty(n=401), "CF_JDRQ": days_ago(1)}
    for key, value in body.items():
        page.fill(f"#f-{key}", value)
    page.select_option("#f-publish", "false")
    shot(page, "department-disclosure-form")
    page.click("#main-form button[type=submit]")
    assert "已登记，暂不公示" in page.inner_text("#facts")
    clock.advance(15 * DAY)
    page = new_page(browser)
    sign_in(page, live_server, operator_token("department", department=SAMR))
    page.click("nav >> text=公示超期报告")
    assert "已超期未公示" in page.inner_text("#list") and body["CF_WSH"] in page.inner_text("#list")
    assert page.locator("#list td.overdue").first.evaluate("e => getComputedStyle(e).color") == RED
    shot(page, "department-publication-report")
    page.click("#list button[type=submit]")  # 立即公示
    assert "逾期公示" in page.inner_text("#list")


def test_window_prints_a_residents_report(app, live_server, browser):
    client = app.test_client()
    rid = resident_id(41)
    assert client.post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"resident_id": rid, "subject_name": "欧阳震华"}, decided_on=days_ago(30))).status_code == 201
    page = window_page(browser, live_server)
    page.click("nav >> text=出具信用报告")
    page.fill("#f-resident_id", rid)
    page.fill("#f-name", "欧阳震华")
    page.fill("#f-purpose", "政府采购")
    shot(page, "window-report-form")
    page.click("#main-form button[type=submit]")
    assert "发现 1 条记录" in page.inner_text("#facts") and rid not in page.inner_text("main")
    shot(page, "window-report")
    pdf = page.context.request.get(live_server + page.get_attribute("#print-pdf", "href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert db.session.execute(select(RepairApplication.id)).first() is None
