"""The rules added on the commitments and windows of issue 13, and warnings no department owns (the credit
office's): a commitment breach through credit's event, a penalty's minimum window near with obligations unmet
(the periodic job, once per record), and unassigned warnings only an admin sees, acts on and assigns."""

from __future__ import annotations

import datetime as dt

from backend.models import AuditEntry, CreditCommitment, CreditRecord, RepairApplication, RiskWarning
from backend.platform import audit
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today, utcnow
from backend.platform.db import use_case
from backend.platform.extensions import db
from backend.supervision import raise_warning
from backend.supervision.windows import warn_periodically, warn_windows_near
from tests.credit.helpers import SAMR, admin, days_ago, dept, merchant_ref, penalty, record
from tests.factories import bearer, merchant_subject
from tests.merchants.helpers import market_operator, merchant, row_subject

BASE = "/api/dept/v1/supervision"
ECO = "汕尾市生态环境局"


def warnings_of(subject_id, rule):
    return db.session.query(RiskWarning).filter_by(subject_id=subject_id, rule=rule).all()


def test_a_commitment_assessed_broken_warns_once_for_the_assessing_department(client):
    h, ref = dept(), merchant_ref()
    assert client.post("/api/dept/v1/records", headers=h, json=record(ref, "honour")).status_code == 201
    made = client.post("/api/dept/v1/commitments", headers=h, json={
        **ref, "commitment_type": "approval_replacing", "matter": "食品经营许可告知承诺",
        "content": "承诺三个月内补齐场所平面图", "committed_on": days_ago(60)}).get_json()
    got = client.post(f"/api/dept/v1/commitments/{made['code']}/fulfilment", headers=h,
                      json={"fulfilment": "none", "unfulfilled": "未补齐平面图"})
    assert got.status_code == 200
    row = db.session.query(CreditCommitment).filter_by(code=made["code"]).one()
    [warning] = warnings_of(row.subject_id, "commitment_broken")
    assert warning.cause_key == f"commitment_broken:commitment:{row.code}" and warning.department == SAMR
    assert warning.details["commitment"] == row.code and "食品经营许可告知承诺" in warning.summary


def test_a_market_marking_a_commitment_broken_raises_one_warning_for_record_and_assessment(client):
    token = market_operator()
    row = merchant()
    body = {"title": "明码标价、足斤足两", "content": "本商户承诺明码标价。", "signed_on": days_ago(100)}
    cid = client.post(f"/api/dept/v1/merchants/{row.id}/commitments", json=body, headers=bearer(token)).get_json()["id"]
    status = {"status": "broken", "on": days_ago(1), "reason": "消费者投诉短斤缺两属实"}
    assert client.post(f"/api/dept/v1/merchants/{row.id}/commitments/{cid}/status", json=status,
                       headers=bearer(token)).status_code == 200
    code = db.session.get(CreditCommitment, cid).code
    [warning] = warnings_of(row_subject(row).id, "commitment_broken")  # the record and the breach: one cause
    assert warning.cause_key == f"commitment_broken:commitment:{code}"


def penalty_near(client, name, working_days, department=SAMR):
    """A published penalty whose minimum window ends `working_days` working days from today."""
    subject = merchant_subject(name, "B")
    body = penalty({"uscc": subject.uscc, "subject_name": name}, severity="general")
    assert client.post("/api/dept/v1/records", json=body, headers=dept(department)).status_code == 201
    rec = db.session.query(CreditRecord).filter_by(document_no=body["document_no"]).one()
    rec.min_publish_until = add_working_days(china_today(), working_days)
    db.session.commit()
    return subject, rec


def repair_application(rec, state):
    db.session.add(RepairApplication(record_id=rec.id, subject_id=rec.subject_id, department=rec.department,
                                     channel="window", statement="已缴纳罚款", state=state, submitted_at=utcnow(),
                                     accept_due=china_today(), history=[]))
    db.session.commit()


@use_case
def repair_commitment(rec):
    from backend.credit import put_commitment
    put_commitment(rec.subject, {"commitment_type": "repair", "matter": "信用修复", "content": "已履行处罚决定",
                                 "committed_on": china_today(), "accepting_unit": rec.department}, recorded_by="test", record=rec)


def test_a_minimum_window_near_with_obligations_unmet_warns_once_per_record(client, app):
    unmet, unmet_rec = penalty_near(client, "未履行商户", 3)
    applied, applied_rec = penalty_near(client, "已申请修复", 3)
    repair_application(applied_rec, "submitted")
    denied, denied_rec = penalty_near(client, "修复被驳回", 2)
    repair_application(denied_rec, "denied")
    committed, committed_rec = penalty_near(client, "已作修复承诺", 1)
    repair_commitment(committed_rec)
    far, far_rec = penalty_near(client, "尚早商户", 15)
    past, past_rec = penalty_near(client, "已过最短期", 0)
    past_rec.min_publish_until = china_today() - dt.timedelta(days=1)
    db.session.commit()

    assert warn_periodically() == 2  # the unmet one and the one whose repair was denied
    [warning] = warnings_of(unmet.id, "window_near")
    assert warning.department == SAMR and warning.sector == "食品药品"
    assert warning.cause_key == f"window_near:record:{unmet_rec.id}:{unmet_rec.min_publish_until.isoformat()}"
    assert warning.details["document_no"] == unmet_rec.document_no
    assert len(warnings_of(denied.id, "window_near")) == 1
    for s in (applied, committed, far, past):
        assert warnings_of(s.id, "window_near") == []
    assert warn_periodically() == 0  # idempotent: once per record and cause
    app.config["SUPERVISION_WINDOW_NEAR_DAYS"] = 20  # configurable: the later one is now near too
    assert warn_windows_near() == 1 and len(warnings_of(far.id, "window_near")) == 1
    unmet_rec.min_publish_until = add_working_days(china_today(), 4)  # its window changed: a new cause
    db.session.commit()
    assert warn_windows_near() == 1 and len(warnings_of(unmet.id, "window_near")) == 2


@use_case
def unowned_warning(subject_id):
    return raise_warning(subject_id, "grade_drop", f"{subject_id}:B>D:test", summary="信用等级由良降为差")


def test_a_warning_with_no_department_is_the_credit_offices_until_assigned(client):
    subject = merchant_subject("无记录主体", "B")
    warning_id = unowned_warning(subject.id).id
    mine, eco = dept(), dept(ECO)
    listed = client.get(f"{BASE}/warnings", headers=mine).get_json()
    assert warning_id not in [w["id"] for w in listed["items"]]
    assert client.get(f"{BASE}/worklist", headers=mine).get_json()["warnings"] == []
    for path, body in ((f"/warnings/{warning_id}/close", {"reason": "已处理"}),
                       ("/talks", {"warning_id": warning_id, "kind": "reminder", "place": "会议室",
                                   "scheduled_at": "2026-12-08T09:30:00+08:00", "content": "约谈"}),
                       ("/prevention-list", {"handle": subject.handle, "basis": "依据", "reason": "原因",
                                             "review_on": china_today().isoformat(), "warning_id": warning_id})):
        resp = client.post(BASE + path, json=body, headers=mine)
        assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "warning_unassigned", path
    assert client.post(f"{BASE}/warnings/{warning_id}/assign", json={"department": SAMR, "reason": "我来"},
                       headers=mine).status_code == 403
    refusals = [e.details["code"] for e in db.session.query(AuditEntry).filter_by(action=audit.DENIED)]
    assert refusals.count("warning_unassigned") == 3  # every refusal audited

    office = admin()
    unassigned = client.get(f"{BASE}/warnings?unassigned=true", headers=office).get_json()
    assert [w["id"] for w in unassigned["items"]] == [warning_id]
    assigned = client.post(f"{BASE}/warnings/{warning_id}/assign", json={"department": SAMR, "reason": "食品经营户"},
                           headers=office)
    assert assigned.status_code == 200 and assigned.get_json()["department"] == SAMR
    entry = db.session.query(AuditEntry).filter_by(action="supervision.warning.assign").one()
    assert entry.details == {"from": None, "to": SAMR, "reason": "食品经营户"}
    assert client.get(f"{BASE}/warnings?unassigned=true", headers=office).get_json()["items"] == []
    assert [w["id"] for w in client.get(f"{BASE}/worklist", headers=mine).get_json()["warnings"]] == [warning_id]
    other = client.post(f"{BASE}/warnings/{warning_id}/close", json={"reason": "x"}, headers=eco)
    assert other.status_code == 403 and other.get_json()["error"]["code"] == "outside_department"
    assert client.post(f"{BASE}/warnings/{warning_id}/close", json={"reason": "已约谈"}, headers=mine).status_code == 200
    again = client.post(f"{BASE}/warnings/{warning_id}/assign", json={"department": ECO, "reason": "改派"},
                        headers=office)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "warning_closed"
