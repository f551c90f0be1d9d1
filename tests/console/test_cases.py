"""Case pages through the test client: a repair filed at the window and decided by the department (return with
一次性告知, completion, acceptance, extension, approval), overdue in red and exported; objections through the
credit office's and the department's steps with a field correction; declarations verified; 双公示 filed and the
overdue report; reports printed for an organisation and for a resident at the counter. Another department editing
the URL gets 404 (audited), a form without its CSRF token 403 (audited), a department no credit-office step."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from backend.models import AuditEntry, CreditRecord, Disclosure, Objection, RepairApplication
from backend.objections import declarations, objections
from backend.platform.audit import DENIED
from backend.platform.extensions import db
from tests.console.helpers import ConsoleClient, signed_in, text_of
from tests.credit.helpers import SAMR, TAX, days_ago, dept, penalty
from tests.disclosure.helpers import licence
from tests.disclosure.helpers import penalty as cf_penalty
from tests.factories import bearer, operator_token, resident_id, uscc_code

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = 86400
CENTRE = "汕尾市政务服务中心"


def org_penalty(client, n: int = 5, days: int = 120) -> tuple[str, int]:
    """A SAMR penalty (一般失信) on an organisation's file, past its minimum publication period."""
    code = uscc_code(n)
    resp = client.post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"uscc": code, "subject_name": f"汕尾市海丰鲜活水产有限公司{n}"}, severity="general",
        severity_class="general", decided_on=days_ago(days)))
    assert resp.status_code == 201, resp.get_json()
    return code, resp.get_json()["record"]["id"]


def window(client) -> ConsoleClient:
    return signed_in(client.application.test_client(), "window", department=CENTRE)


def window_repair(w: ConsoleClient, code: str, record_id: int):
    w.get("/console/window/repairs/new")
    return w.post("/console/window/repairs/new", {
        "uscc": code, "record_id": str(record_id), "statement": "已缴纳罚款并完成整改", "sign_commitment": "true",
        "files": [(io.BytesIO(PDF), "缴款凭证.pdf")]}, content_type="multipart/form-data")


def ref_in(resp) -> str:
    found = re.search(r"XF\d{14}", text_of(resp))
    assert found, text_of(resp)[:1500]
    return found.group(0)


def denials(code: str) -> list[AuditEntry]:
    rows = db.session.execute(select(AuditEntry).where(AuditEntry.action == DENIED)).scalars()
    return [r for r in rows if (r.details or {}).get("code") == code]


def test_repair_at_the_window_decided_by_the_department(client):
    code, record_id = org_penalty(client)
    w = window(client)
    resp = w.post("/console/window/repairs/new", {"uscc": code, "record_id": str(record_id), "statement": "已整改"},
                  content_type="multipart/form-data")
    assert resp.status_code == 422 and "信用修复承诺" in text_of(resp)
    resp = window_repair(w, code, record_id)
    assert resp.status_code == 200 and "免费" in text_of(resp)
    ref = ref_in(resp)
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    listed = d.get("/console/repairs")
    assert listed.status_code == 200 and ref in text_of(listed) and "政务服务窗口" in text_of(listed)
    page = d.get(f"/console/repairs/{ref}")
    assert "缴款凭证.pdf" in text_of(page) and 'id="accept-form"' in page.get_data(as_text=True)
    proof = re.search(r'href="(/console/repairs/[^"]+/proofs/[^"]+)"', page.get_data(as_text=True)).group(1)
    assert d.get(proof).data == PDF
    # 一次性告知: every missing item at once, one per line; a second return is not offered
    resp = d.post(f"/console/repairs/{ref}/return", {"items": "完税证明\n整改报告"})
    assert resp.status_code == 303
    app = db.session.execute(select(RepairApplication)).scalar_one()
    assert app.state == "returned" and app.returned_items == ["完税证明", "整改报告"]
    # the window completes, the department accepts, extends once, approves
    w.get("/console/window/repairs/completion")
    resp = w.post("/console/window/repairs/completion", {"ref": ref, "note": "补交完税证明",
                                                         "files": [(io.BytesIO(PDF), "完税证明.pdf")]},
                  content_type="multipart/form-data")
    assert resp.status_code == 200 and "重新进入受理" in text_of(resp)
    typo = w.post("/console/window/repairs/completion", {"ref": "XF2026", "note": "补交"},
                  content_type="multipart/form-data")
    assert typo.status_code == 422 and "申请编号" in text_of(typo)
    page = d.get(f"/console/repairs/{ref}")
    assert 'id="return-form"' not in page.get_data(as_text=True)
    assert d.post(f"/console/repairs/{ref}/accept").status_code == 303
    short = d.post(f"/console/repairs/{ref}/extend", {"reason": "x"})
    assert short.status_code == 422 and "理由" in text_of(short)
    assert d.post(f"/console/repairs/{ref}/extend", {"reason": "需向执法科室核实整改情况"}).status_code == 303
    again = d.post(f"/console/repairs/{ref}/extend", {"reason": "再次延期"})
    assert again.status_code == 422 and "不能办理此操作" in text_of(again)
    resp = d.post(f"/console/repairs/{ref}/approve", {"reason": "整改到位"})
    assert resp.status_code == 303
    done = d.get(resp.headers["Location"])
    assert "已准予信用修复" in text_of(done) and "已修复，结果已同步" in text_of(done)
    record = db.session.get(CreditRecord, record_id)
    assert record.publication_state == "repaired"
    actions = [a for (a,) in db.session.execute(select(AuditEntry.action).where(AuditEntry.action.like("repair.%")))]
    assert actions == ["repair.submit", "repair.return", "repair.complete", "repair.accept", "repair.extend",
                       "repair.approve"]


def test_another_department_editing_the_url_gets_404_audited_and_changes_nothing(client):
    code, record_id = org_penalty(client)
    ref = ref_in(window_repair(window(client), code, record_id))
    tax = signed_in(client.application.test_client(), "department", department=TAX)
    assert ref not in text_of(tax.get("/console/repairs"))
    resp = tax.get(f"/console/repairs/{ref}")
    assert resp.status_code == 404 and "信用修复申请" in text_of(resp) and code not in text_of(resp)
    assert tax.post(f"/console/repairs/{ref}/accept").status_code == 404
    assert len(denials("repair_not_found")) == 2
    entry = denials("repair_not_found")[0]
    assert entry.actor.startswith("operator:") and entry.details["route"] == "/console/repairs/<ref>"
    assert db.session.execute(select(RepairApplication.state)).scalar_one() == "submitted"
    # the credit office (admin) sees every department's
    admin = signed_in(client.application.test_client(), "admin")
    assert admin.get(f"/console/repairs/{ref}").status_code == 200


def test_a_form_without_its_csrf_token_is_refused_and_audited(client):
    code, record_id = org_penalty(client)
    ref = ref_in(window_repair(window(client), code, record_id))
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    resp = d.post(f"/console/repairs/{ref}/accept", csrf=False)
    assert resp.status_code == 403 and "防伪令牌" in text_of(resp)
    resp = d.post(f"/console/repairs/{ref}/accept", {"csrf_token": "forged"}, csrf=False)
    assert resp.status_code == 403
    assert len(denials("csrf_failed")) == 2
    assert db.session.execute(select(RepairApplication.state)).scalar_one() == "submitted"


def test_overdue_deadlines_are_red_and_exported(client, clock):
    code, record_id = org_penalty(client)
    ref = ref_in(window_repair(window(client), code, record_id))
    clock.advance(10 * DAY)
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    html = d.get("/console/repairs").get_data(as_text=True)
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{ref}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert 'class="overdue"' in row and "已逾期" in row
    overdue = d.get("/console/repairs?overdue=1")
    assert ref in text_of(overdue)
    export = d.get("/console/repairs?overdue=1&format=csv")
    assert export.mimetype == "text/csv" and export.data.startswith(b"\xef\xbb\xbf")
    text = export.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("申请编号,状态") and ref in text and "已逾期" in text
    gbk = d.get("/console/repairs?format=csv&encoding=gbk")
    assert ref in gbk.data.decode("gbk")


def test_worklists_are_paginated(client):
    w = window(client)
    for n in range(21, 44):
        code, record_id = org_penalty(client, n)
        window_repair(w, code, record_id)
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    first = d.get("/console/repairs")
    assert "共 23 条 · 第 1 / 2 页" in text_of(first) and 'id="next-page"' in first.get_data(as_text=True)
    second = d.get("/console/repairs?page=2")
    assert "第 2 / 2 页" in text_of(second) and text_of(second).count("XF") == 3
    assert len(d.get("/console/repairs?page=2&format=csv").data.decode("utf-8-sig").splitlines()) == 24


def window_objection(w: ConsoleClient, code: str, record_id: int, **over):
    w.get("/console/window/objections/new")
    return w.post("/console/window/objections/new", {
        "uscc": code, "applicant": "王经办", "item": "record", "item_id": str(record_id), "grounds": "wrong_facts",
        "statement": "处罚决定书上载明的标题与公示不一致。", "corr_field_1": "title", "corr_current_1": "销售不合格食用农产品",
        "corr_proposed_1": "销售标签不合格的预包装食品", "files": [(io.BytesIO(PDF), "决定书.pdf")], **over},
        content_type="multipart/form-data")


def test_objection_from_the_window_through_the_credit_office_and_the_department(client):
    code, record_id = org_penalty(client, days=20)
    w = window(client)
    resp = window_objection(w, code, record_id)
    assert resp.status_code == 303, text_of(resp)[:1500]
    receipt = w.get(resp.headers["Location"])
    number = re.search(r"YY\d{14}", text_of(receipt)).group(0)
    assert "决定书.pdf" in text_of(receipt) and "王经办" in text_of(receipt)
    assert window_objection(w, code, record_id).status_code == 422  # one open objection per item
    assert number in text_of(w.get("/console/window/objections"))
    samr = signed_in(client.application.test_client(), "department", department=SAMR)
    # the credit office's steps are not a department's, as in the API
    assert samr.post(f"/console/objections/{number}/accept").status_code == 403
    assert denials("wrong_role")
    admin = signed_in(client.application.test_client(), "admin")
    assert "已提交，待受理" in text_of(admin.get("/console/objections"))
    assert admin.post(f"/console/objections/{number}/accept").status_code == 303
    assert admin.post(f"/console/objections/{number}/check", {"own_error": "false"}).status_code == 303
    page = samr.get(f"/console/objections/{number}")
    assert "已转提供单位核实" in text_of(page) and "销售标签不合格的预包装食品" in text_of(page)
    assert 'id="decide-form"' in page.get_data(as_text=True)
    bad = samr.post(f"/console/objections/{number}/decide", {"outcome": "corrected", "reason": "经核实",
                                                             "corr_field_1": "decided_on", "corr_value_1": "昨天"})
    assert bad.status_code == 422
    resp = samr.post(f"/console/objections/{number}/decide", {
        "outcome": "corrected", "reason": "经核实决定书，标题录入有误", "corr_field_1": "title",
        "corr_value_1": "销售标签不合格的预包装食品"})
    assert resp.status_code == 303
    assert "已办结" in text_of(samr.get(resp.headers["Location"]))
    assert db.session.get(CreditRecord, record_id).title == "销售标签不合格的预包装食品"
    tax = signed_in(client.application.test_client(), "department", department=TAX)
    assert tax.get(f"/console/objections/{number}").status_code == 404
    assert denials("objection_not_found")
    assert number not in text_of(tax.get("/console/objections"))
    export = admin.get("/console/objections?format=csv").data.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("异议编号") and number in export


def test_extension_upheld_and_the_credit_offices_review(client):
    code, record_id = org_penalty(client, 7, days=20)
    w = window(client)
    assert window_objection(w, code, record_id).status_code == 303
    obj = db.session.execute(select(Objection)).scalar_one()
    number = obj.number
    admin = signed_in(client.application.test_client(), "admin")
    assert admin.post(f"/console/objections/{number}/accept").status_code == 303
    assert admin.post(f"/console/objections/{number}/check", {"own_error": "false"}).status_code == 303
    samr = signed_in(client.application.test_client(), "department", department=SAMR)
    before = db.session.execute(select(Objection.due_on)).scalar_one()
    assert samr.post(f"/console/objections/{number}/extend", {"reason": "需调取执法记录核实"}).status_code == 303
    db.session.expire_all()
    assert db.session.execute(select(Objection.due_on)).scalar_one() > before
    assert "提供单位延期核实" in text_of(samr.get(f"/console/objections/{number}"))
    assert samr.post(f"/console/objections/{number}/decide", {"outcome": "upheld",
                                                              "reason": "经核实原信息无误"}).status_code == 303
    objections.request_review(db.session.get(Objection, obj.id), "决定书标题与公示确有不同", actor="test")
    page = samr.get(f"/console/objections/{number}")
    assert "复核中" in text_of(page) and 'id="decide-form"' not in page.get_data(as_text=True)
    assert samr.post(f"/console/objections/{number}/decide", {"outcome": "corrected",
                                                              "reason": "越权复核"}).status_code == 403
    page = admin.get(f"/console/objections/{number}")
    assert "复核决定（市信用办）" in text_of(page)
    resp = admin.post(f"/console/objections/{number}/decide", {
        "outcome": "corrected", "reason": "复核认定标题录入有误", "corr_field_1": "title",
        "corr_value_1": "销售标签不合格的预包装食品"})
    assert resp.status_code == 303
    assert db.session.get(CreditRecord, record_id).title == "销售标签不合格的预包装食品"


def test_declaration_verified_by_the_competent_department(client):
    code, _ = org_penalty(client)
    subject = db.session.execute(select(CreditRecord)).scalar_one().subject
    decl, _ = declarations.submit(subject, {"category": "operation", "title": "守合同重信用企业",
                                            "issuer": "汕尾市市场监督管理局", "document_no": "SW-2026-88",
                                            "issued_on": dt.date(2026, 3, 1), "department": SAMR,
                                            "commitment_accepted": True}, actor="test", channel="merchant")
    number = decl.number
    samr = signed_in(client.application.test_client(), "department", department=SAMR)
    assert number in text_of(samr.get("/console/declarations"))
    assert signed_in(client.application.test_client(), "department", department=TAX).get(f"/console/declarations/{number}").status_code == 404
    missing = samr.post(f"/console/declarations/{number}/decide", {"decision": "rejected"})
    assert missing.status_code == 422
    resp = samr.post(f"/console/declarations/{number}/decide", {"decision": "verified"})
    assert resp.status_code == 303 and "已核验通过" in text_of(samr.get(resp.headers["Location"]))
    page = samr.get(f"/console/declarations/{number}")
    assert 'id="found-false-form"' in page.get_data(as_text=True)


def test_disclosure_filed_held_then_overdue_in_the_report_and_published(client, clock):
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    assert "行政处罚决定书文号" in text_of(d.get("/console/disclosures/new"))
    body = {k: v for k, v in cf_penalty(n=301).items()}
    body["CF_JDRQ"] = days_ago(1)
    bad = d.post("/console/disclosures/new?kind=penalty", {**body, "CF_JDRQ": "2026-13-40", "publish": "true"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in text_of(bad)
    resp = d.post("/console/disclosures/new?kind=penalty", {**body, "publish": "false"})
    assert resp.status_code == 200 and "已登记，暂不公示" in text_of(resp), text_of(resp)[:1500]
    clock.advance(15 * DAY)
    d = signed_in(client.application.test_client(), "department", department=SAMR)  # the idle session ended
    report = d.get("/console/publication-report")
    assert "已超期未公示" in text_of(report) and body["CF_WSH"] in text_of(report)
    assert 'class="overdue"' in report.get_data(as_text=True)
    csv = d.get("/console/publication-report?format=csv").data.decode("utf-8-sig")
    assert body["CF_WSH"] in csv and "已超期未公示" in csv
    disclosure = db.session.execute(select(Disclosure)).scalar_one()
    assert signed_in(client.application.test_client(), "department", department=TAX).post(
        f"/console/disclosures/{disclosure.id}/publish").status_code == 404
    assert denials("decision_not_found")
    assert d.post(f"/console/disclosures/{disclosure.id}/publish").status_code == 303
    db.session.refresh(disclosure)
    assert disclosure.state == "published"
    after = d.get("/console/publication-report")
    assert "逾期公示" in text_of(after)


def test_denial_not_acceptance_and_a_licence(client):
    code, record_id = org_penalty(client, 8)
    ref = ref_in(window_repair(window(client), code, record_id))
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    assert 'id="deny-form"' not in d.get(f"/console/repairs/{ref}").get_data(as_text=True)  # not yet accepted
    assert d.post(f"/console/repairs/{ref}/accept").status_code == 303
    no_reason = d.post(f"/console/repairs/{ref}/deny", {})
    assert no_reason.status_code == 422 and db.session.execute(select(RepairApplication.state)).scalar_one() != "denied"
    assert d.post(f"/console/repairs/{ref}/deny", {"reason": "罚款尚未缴清"}).status_code == 303
    assert "不予信用修复" in text_of(d.get(f"/console/repairs/{ref}"))
    assert db.session.get(CreditRecord, record_id).publication_state == "published"
    # an objection not accepted, with every reason at once: closed, the item free again
    code2, record2 = org_penalty(client, 9, days=20)
    w = window(client)
    assert window_objection(w, code2, record2).status_code == 303
    number = db.session.execute(select(Objection.number)).scalar_one()
    admin = signed_in(client.application.test_client(), "admin")
    resp = admin.post(f"/console/objections/{number}/not-accept", {"reason": "未提交决定书原件，且异议事项不属于本平台归集信息"})
    assert resp.status_code == 303 and "不予受理" in text_of(admin.get(resp.headers["Location"]))
    assert window_objection(w, code2, record2).status_code == 303
    # the credit office finds its own error: corrected at once and closed
    second = db.session.execute(select(Objection.number).where(Objection.number != number)).scalar_one()
    assert admin.post(f"/console/objections/{second}/accept").status_code == 303
    no_reason = admin.post(f"/console/objections/{second}/check", {"own_error": "true"})
    assert no_reason.status_code == 422 and "理由" in text_of(no_reason)
    resp = admin.post(f"/console/objections/{second}/check", {"own_error": "true", "reason": "归集时录入错误",
                                                              "corr_field_1": "title", "corr_value_1": "标签不合格"})
    assert resp.status_code == 303 and "已办结" in text_of(admin.get(resp.headers["Location"]))
    assert db.session.get(CreditRecord, record2).title == "标签不合格"
    # a licence (XK_ items) from the form
    form = d.get("/console/disclosures/new?kind=licence")
    assert "行政许可决定文书名称" in text_of(form)
    resp = d.post("/console/disclosures/new?kind=licence", {**licence(n=501), "XK_JDRQ": days_ago(2),
                                                            "XK_YXQZ": days_ago(2), "publish": "true"})
    assert resp.status_code == 200 and "已公示" in text_of(resp), text_of(resp)[:1500]
    assert db.session.execute(select(Disclosure.kind)).scalar_one() == "licence"


def test_disclosure_csv_import_shows_bad_rows_and_hides_identity_numbers(client):
    d = signed_in(client.application.test_client(), "department", department=SAMR)
    good, person = cf_penalty(n=601, CF_JDRQ=days_ago(1)), cf_penalty("person", n=602, CF_JDRQ="2026-13-01")
    header = list(dict.fromkeys([*good, *person]))
    lines = [",".join(header), *(",".join(row.get(k, "") for k in header) for row in (good, person))]
    upload = lambda text: d.post("/console/disclosures/import?kind=penalty",
                                 {"file": (io.BytesIO(text.encode("gbk")), "cf.csv")},
                                 content_type="multipart/form-data")
    resp = upload("\n".join(lines) + "\n")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="row-errors"' in html and "<td>3</td>" in html and "CF_JDRQ" in html
    assert person["CF_XDR_ZJHM"] not in html and "（已隐去）" in html
    assert db.session.execute(select(Disclosure.id)).first() is None  # all rows or none
    resp = upload("\n".join(lines[:2]) + "\n")
    assert resp.status_code == 200 and "已导入 1 行" in text_of(resp) and "GBK" in text_of(resp).upper()
    assert db.session.execute(select(Disclosure.document_no)).scalar_one() == good["CF_WSH"]


def report_form(w: ConsoleClient, **body):
    w.get("/console/window/reports/new")
    return w.post("/console/window/reports/new", {"period_from": days_ago(700), "period_to": days_ago(0),
                                                  "domains": ["admin_penalty", "serious_dishonesty"],
                                                  "purpose": "招投标", **body})


def test_reports_printed_for_an_organisation_and_a_resident_at_the_counter(client):
    code, _ = org_penalty(client)
    rid = resident_id(31)
    assert client.post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"resident_id": rid, "subject_name": "欧阳震华"}, decided_on=days_ago(30))).status_code == 201
    w = window(client)
    resp = report_form(w, uscc=code)
    assert resp.status_code == 303, text_of(resp)[:1200]
    assert report_form(w, uscc=code).headers["Location"] == resp.headers["Location"]  # a double click: one report
    bad = report_form(w, uscc=code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert bad.status_code == 422 and "统一社会信用代码" in text_of(bad)
    page = w.get(resp.headers["Location"])
    assert "发现 1 条记录" in text_of(page)
    pdf = w.get(re.search(r'href="(/console/window/reports/[^"]+\.pdf)"', page.get_data(as_text=True)).group(1))
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    wrong = report_form(w, resident_id=rid, name="欧阳震")
    assert wrong.status_code == 422 and "相符" in text_of(wrong) and rid not in wrong.get_data(as_text=True)
    resp = report_form(w, resident_id=rid, name="欧阳震华")
    assert resp.status_code == 303
    page = w.get(resp.headers["Location"])
    assert rid not in text_of(page) and f"{rid[:4]}**********{rid[-4:]}" in text_of(page)
    printed = w.get(resp.headers["Location"] + ".pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=printed.data, capture_output=True, check=True).stdout
        assert "欧阳震华" in text.decode() and rid not in text.decode()  # the full name only in the printed PDF
    # another window cannot open this window's report
    other = signed_in(client.application.test_client(), "window", department=CENTRE)
    assert other.get(resp.headers["Location"] + ".pdf").status_code == 404
    # a department issues organisations' reports, not a resident's at a counter (as the API)
    samr = signed_in(client.application.test_client(), "department", department=SAMR)
    assert report_form(samr, resident_id=rid, name="欧阳震华").status_code == 403


@pytest.mark.parametrize("path", ["/console/repairs", "/console/objections", "/console/declarations",
                                  "/console/publication-report", "/console/disclosures/new"])
def test_department_pages_are_not_for_windows_or_markets(client, path):
    assert signed_in(client.application.test_client(), "window", department=CENTRE).get(path).status_code == 403


def test_window_pages_are_not_for_departments(client):
    d = ConsoleClient(client)
    d.sign_in(operator_token("department", department=SAMR))
    for path in ("/console/window/repairs/new", "/console/window/objections/new", "/console/window/objections"):
        assert d.get(path).status_code == 403


def test_the_api_issues_a_residents_report_at_a_window_only(client):
    """The page's counterpart in the API: POST /credit-reports with resident_id and name (windows only)."""
    rid = resident_id(32)
    assert client.post("/api/dept/v1/records", headers=dept(), json=penalty(
        {"resident_id": rid, "subject_name": "陈小春"}, decided_on=days_ago(30))).status_code == 201
    body = {"period_from": days_ago(365), "period_to": days_ago(0), "domains": ["admin_penalty"], "purpose": "其他"}
    win = bearer(operator_token("window", department=CENTRE))
    resp = client.post("/api/dept/v1/credit-reports", headers=win, json={**body, "resident_id": rid, "name": "陈小春"})
    assert resp.status_code == 201 and resp.get_json()["summary"]["findings"] == 1
    pdf = client.get(resp.get_json()["download_path"], headers=win)
    assert pdf.data.startswith(b"%PDF")
    wrong = client.post("/api/dept/v1/credit-reports", headers=win, json={**body, "resident_id": rid, "name": "陈大春"})
    unknown = client.post("/api/dept/v1/credit-reports", headers=win,
                          json={**body, "resident_id": resident_id(33), "name": "陈小春"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json()["error"]["message"] == unknown.get_json()["error"]["message"]  # no oracle
    assert client.post("/api/dept/v1/credit-reports", headers=dept(),
                       json={**body, "resident_id": rid, "name": "陈小春"}).status_code == 403
    both = client.post("/api/dept/v1/credit-reports", headers=win,
                       json={**body, "resident_id": rid, "name": "陈小春", "uscc": uscc_code(5)})
    assert both.status_code == 422
    no_name = client.post("/api/dept/v1/credit-reports", headers=win, json={**body, "resident_id": rid})
    assert no_name.status_code == 422
