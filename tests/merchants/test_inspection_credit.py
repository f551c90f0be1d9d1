"""Inspections and broken commitments recorded by market operators become credit records of the market's
department (never of a name the operator types) and move the grade."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from backend.credit.grades import current_breakdown
from backend.demo import data as D
from backend.models import CreditRecord, GradeChange, Inspection, Market, Merchant
from tests.credit.helpers import admin, days_ago, dept, record
from tests.factories import bearer
from tests.merchants.helpers import AGENCY, MARKET_DEPARTMENT, handle_of, market_operator, merchant, row_subject


def graded_a_merchant(client):
    """A merchant the model grades 优 from its records: 75 + 1 + 6 + 8 = 90."""
    row = merchant("陈伯虾蟹行")
    ref = {"uscc": row_subject(row).uscc}
    for category, extra in (("admin_licence", {}), ("honour", {}), ("tax_rating", {"result": "A"})):
        resp = client.post("/api/dept/v1/records", json=record(ref, category, **extra), headers=dept())
        assert resp.status_code == 201, resp.get_json()
    assert row_subject(row).grade == "A"
    return row


def inspect(client, token, row, result="fail", report_no="SWJ2026-0101", **over):
    body = {"product": "鲜活对虾", "sampled_on": days_ago(3), "agency": AGENCY, "result": result,
            "failed_items": "氯霉素" if result == "fail" else None, "report_no": report_no, **over}
    return client.post(f"/api/dept/v1/merchants/{row.id}/inspections", json=body, headers=bearer(token))


def test_failed_inspection_lowers_the_grade_at_once_and_is_explained(client, db):
    token = market_operator()
    row = graded_a_merchant(client)
    handle = handle_of(row)
    assert 'class="grade grade-A"' in client.get(f"/m/{handle}").get_data(as_text=True)  # now cached
    assert client.get(f"/api/public/v1/merchants/{handle}").get_json()["grade"] == "A"

    assert inspect(client, token, row).status_code == 201

    assert 'class="grade grade-B"' in client.get(f"/m/{handle}").get_data(as_text=True)
    assert client.get(f"/api/public/v1/merchants/{handle}").get_json()["grade"] == "B"
    subject = row_subject(row)
    assert subject.score == 78
    line = next(r for r in current_breakdown(subject)["records"] if r["category"] == "product_inspection")
    assert (line["department"], line["document_no"], line["points"]) == (MARKET_DEPARTMENT, "SWJ2026-0101", -12)
    assert "鲜活对虾" in line["title"] and "不合格" in line["title"]
    record_row = db.session.execute(select(CreditRecord).where(CreditRecord.document_no == "SWJ2026-0101")).scalar_one()
    assert record_row.content == f"检测机构：{AGENCY}；不合格项目：氯霉素"  # the agency stays, as display data
    latest = db.session.execute(select(GradeChange).where(GradeChange.subject_id == subject.id)
                                .order_by(GradeChange.id.desc())).scalars().first()
    assert latest.grade == "B" and "SWJ2026-0101" in latest.reason


def test_a_retried_inspection_files_one_record(client, db):
    token = market_operator()
    row = merchant()
    assert inspect(client, token, row, result="pass").status_code == 201
    assert inspect(client, token, row, result="pass").status_code == 409
    records = db.session.execute(select(CreditRecord).where(CreditRecord.document_no == "SWJ2026-0101")).scalars().all()
    assert [(r.department, r.category, r.result) for r in records] == [(MARKET_DEPARTMENT, "product_inspection", "pass")]
    assert row_subject(row).score == 77  # 75 + 2 for a passed inspection


def test_report_number_filed_by_the_markets_department_for_another_subject_is_refused(client, db):
    token = market_operator()
    row, other = merchant(), merchant("林记渔行")
    taken = record({"uscc": row_subject(other).uscc}, "admin_licence", document_no="SWJ2026-0101")
    assert client.post("/api/dept/v1/records", json=taken, headers=dept(MARKET_DEPARTMENT)).status_code == 201
    resp = inspect(client, token, row)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "duplicate_report"
    assert db.session.scalar(select(func.count(Inspection.id))) == 0


def test_an_inspection_reusing_a_department_record_number_is_a_409_not_a_500(client, db):
    """The department filed a failed inspection of this very merchant under the number; the market's
    inspection with that number used to update it and fail on NOT NULL (a 500): now refused, record intact."""
    token = market_operator()
    row = merchant()
    client.post("/api/dept/v1/inspection-agencies", json={"name": MARKET_DEPARTMENT}, headers=admin())
    filed = record({"uscc": row_subject(row).uscc}, "product_inspection", result="fail", document_no="SWJ2026-0101")
    assert client.post("/api/dept/v1/records", json=filed, headers=dept(MARKET_DEPARTMENT)).status_code == 201
    resp = inspect(client, token, row, result="pass", agency=MARKET_DEPARTMENT)
    assert resp.status_code == 409, resp.get_data(as_text=True)
    error = resp.get_json()["error"]
    assert error["code"] == "duplicate_report" and error["details"] == {"field": "report_no"}
    assert "汕尾市市场监督管理局已有文书编号为“SWJ2026-0101”的信用记录" in error["message"]
    kept = db.session.execute(select(CreditRecord).where(CreditRecord.document_no == "SWJ2026-0101")).scalar_one()
    assert (kept.result, kept.title) == ("fail", "product_inspection")
    assert db.session.scalar(select(func.count(Inspection.id))) == 0


def test_an_agency_off_the_list_is_refused_so_nothing_is_filed_in_a_courts_name(client, db):
    token = market_operator()
    row = merchant()
    resp = inspect(client, token, row, agency="汕尾市城区人民法院")
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "unknown_agency" and error["details"] == {"field": "agency"}
    assert "不在平台认可的检测机构名单中" in error["message"] and "信用办" in error["message"]
    assert db.session.scalar(select(func.count(CreditRecord.id))) == 0
    assert db.session.scalar(select(func.count(Inspection.id))) == 0


def test_records_follow_the_department_the_admin_sets_and_earlier_ones_keep_theirs(client, db):
    token = market_operator()
    row = merchant()
    assert inspect(client, token, row, result="pass", report_no="SWJ-1").status_code == 201
    resp = client.patch("/api/dept/v1/markets/magong", json={"department": "汕尾市城区市场监督管理局"}, headers=admin())
    assert resp.status_code == 200 and resp.get_json()["department"] == "汕尾市城区市场监督管理局"
    assert inspect(client, token, row, result="pass", report_no="SWJ-2").status_code == 201
    filed = dict(db.session.execute(select(CreditRecord.document_no, CreditRecord.department)).all())
    assert filed == {"SWJ-1": MARKET_DEPARTMENT, "SWJ-2": "汕尾市城区市场监督管理局"}


def test_future_sampling_date_is_refused(client):
    resp = inspect(client, market_operator(), merchant(), sampled_on="2999-01-01")
    assert resp.status_code == 422 and resp.get_json()["error"]["details"]["field"] == "sampled_on"


def test_broken_commitment_is_filed_and_lowers_the_grade(client, db):
    token = market_operator()
    row = merchant()
    body = {"title": "明码标价、足斤足两", "content": "本商户承诺明码标价。", "signed_on": days_ago(100)}
    cid = client.post(f"/api/dept/v1/merchants/{row.id}/commitments", json=body, headers=bearer(token)).get_json()["id"]
    url = f"/api/dept/v1/merchants/{row.id}/commitments/{cid}/status"
    status = {"status": "broken", "on": days_ago(1), "reason": "消费者投诉短斤缺两属实"}
    assert client.post(url, json=status, headers=bearer(token)).status_code == 200
    rec = db.session.execute(select(CreditRecord).where(CreditRecord.subject_id == row.subject_id)).scalar_one()
    assert (rec.category, rec.department, rec.content) == ("commitment_broken", MARKET_DEPARTMENT, status["reason"])
    assert row_subject(row).score == 65 and row_subject(row).grade == "C"
    assert client.get(f"/api/public/v1/merchants/{handle_of(row)}").get_json()["grade"] == "C"


def test_withdrawn_commitment_files_nothing(client, db):
    token = market_operator()
    row = merchant()
    body = {"title": "明码标价", "content": "承诺", "signed_on": days_ago(100)}
    cid = client.post(f"/api/dept/v1/merchants/{row.id}/commitments", json=body, headers=bearer(token)).get_json()["id"]
    status = {"status": "withdrawn", "on": days_ago(1), "reason": "商户退租"}
    assert client.post(f"/api/dept/v1/merchants/{row.id}/commitments/{cid}/status", json=status,
                       headers=bearer(token)).status_code == 200
    assert db.session.scalar(select(func.count(CreditRecord.id))) == 0


def test_demo_inspections_match_credit_records(runner, db):
    data = json.loads(runner.invoke(args=["seed-demo", "--json"]).output)
    assert "".join(m["grade"] for m in data["merchants"]) == D.MERCHANT_GRADES * 2
    inspections = db.session.execute(select(Inspection)).scalars().all()
    assert sum(i.result == "fail" for i in inspections) == 2 * sum(g in "CD" for g in D.MERCHANT_GRADES)
    departments = {slug: department for slug, _, _, department in D.MARKETS}
    for inspection in inspections:
        slug = db.session.execute(select(Market.slug).join(Merchant, Merchant.market_id == Market.id)
                                  .where(Merchant.id == inspection.merchant_id)).scalar_one()
        rec = db.session.execute(select(CreditRecord).where(
            CreditRecord.department == departments[slug], CreditRecord.document_no == inspection.report_no)
        ).scalar_one()
        assert inspection.agency in D.INSPECTION_AGENCIES
        assert (rec.category, rec.result, rec.decided_on) == ("product_inspection", inspection.result,
                                                              inspection.sampled_on)
    assert db.session.scalar(select(func.count(CreditRecord.id)).where(
        CreditRecord.category == "product_inspection")) == len(inspections)
