"""Filing records: validators, idempotent resubmission, re-grading, removal, department scope, binding."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from backend.credit.subjects import get_or_create_person
from backend.models import AuditEntry, CreditRecord, GradeChange
from tests.credit.helpers import SAMR, TAX, admin, dept, grade_of, merchant_ref, penalty, person_ref, record
from tests.factories import bearer, resident_id, uscc_code

URL = "/api/dept/v1/records"


def test_uscc_and_resident_id_check_characters(client):
    h = dept()
    good_uscc, good_rid = uscc_code(7), resident_id(7)
    assert client.post(URL, json=penalty({"uscc": good_uscc}), headers=h).status_code == 201
    assert client.post(URL, json=penalty({"resident_id": good_rid}), headers=h).status_code == 201
    bad_uscc = good_uscc[:-1] + ("0" if good_uscc[-1] != "0" else "1")
    bad_rid = good_rid[:-1] + ("0" if good_rid[-1] != "0" else "1")
    for body, field in ((penalty({"uscc": bad_uscc}), "uscc"), (penalty({"resident_id": bad_rid}), "resident_id"),
                        (penalty({"uscc": "12345"}), "uscc"), (penalty({"resident_id": good_rid[:-2]}), "resident_id")):
        resp = client.post(URL, json=body, headers=h)
        assert resp.status_code == 422, body
        assert resp.get_json()["error"]["details"]["field"] == field


def test_resubmission_updates_never_duplicates(client, db):
    h, ref = dept(), merchant_ref()
    body = penalty(ref, severity="general")
    first = client.post(URL, json=body, headers=h).get_json()
    again = client.post(URL, json={**body, "severity": "serious", "title": "更正后的标题"}, headers=h).get_json()
    assert first["created"] is True and again["created"] is False
    assert first["record"]["id"] == again["record"]["id"]
    assert db.session.scalar(select(func.count(CreditRecord.id))) == 1
    rec = db.session.get(CreditRecord, first["record"]["id"])
    assert (rec.severity, rec.title) == ("serious", "更正后的标题")
    # the same document number from another department is another record
    other = client.post(URL, json=body, headers=dept(TAX)).get_json()
    assert other["created"] is True and other["record"]["id"] != first["record"]["id"]


def test_grade_moves_when_a_penalty_arrives_and_when_it_is_removed(client, db):
    h, ref = dept(), merchant_ref()
    client.post(URL, json=record(ref, "admin_licence"), headers=h)
    assert grade_of(client, h, ref)["subject"]["grade"] == "B"
    filed = client.post(URL, json=penalty(ref, severity="serious"), headers=h).get_json()
    assert filed["grade"] == "D"  # 75 + 1 - 30 = 46
    after = grade_of(client, h, ref)
    assert after["subject"]["grade"] == "D" and after["subject"]["score"] == 46
    resp = client.post(f"{URL}/{filed['record']['id']}/remove", json={"reason": "行政复议撤销原处罚决定"}, headers=h)
    assert resp.status_code == 200 and resp.get_json()["status"] == "removed"
    final = grade_of(client, h, ref)
    assert final["subject"]["grade"] == "B" and final["subject"]["score"] == 76
    reasons = [c["reason"] for c in final["history"]]
    assert any("撤销" in r for r in reasons) and all(c["model_version"] == "v2" for c in final["history"])
    assert db.session.scalar(select(func.count(GradeChange.id))) == 3


def test_record_rules_from_the_model(client):
    h, ref = dept(), merchant_ref()
    cases = [
        ({**penalty(ref), "severity": None}, "severity"),
        (record(ref, "tax_rating"), "result"),
        (record(ref, "tax_rating", result="Z"), "result"),
        (record(ref, "honour", severity="minor"), "severity"),
        (record(ref, "honour", tolerant_first_offence=True), "tolerant_first_offence"),
        (record(ref, "honour", decided_on="2999-01-01"), "decided_on"),
    ]
    for body, field in cases:
        resp = client.post(URL, json=body, headers=h)
        assert resp.status_code == 422, body
        assert resp.get_json()["error"]["details"]["field"] == field
    missing = client.post(URL, json={k: v for k, v in penalty(ref).items() if k != "legal_basis"}, headers=h)
    assert missing.status_code == 422 and "legal_basis" in missing.get_json()["error"]["details"]["json"]


def test_department_writes_only_for_itself_and_roles_are_enforced(client, db):
    samr, tax, ref = dept(), dept(TAX), merchant_ref()
    resp = client.post(URL, json={**penalty(ref), "department": TAX}, headers=samr)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "outside_department"
    filed = client.post(URL, json=penalty(ref), headers=samr).get_json()
    assert filed["record"]["department"] == SAMR
    resp = client.post(f"{URL}/{filed['record']['id']}/remove", json={"reason": "越权撤销"}, headers=tax)
    assert resp.status_code == 403
    platform = admin()  # an admin may file for a named department, and must name it
    assert client.post(URL, json={**penalty(ref), "department": TAX}, headers=platform).status_code == 201
    assert client.post(URL, json=penalty(ref), headers=platform).status_code == 422
    assert client.post(URL, json=penalty(ref)).status_code == 401
    assert db.session.scalar(select(func.count(CreditRecord.id))) == 2


def test_market_and_partner_roles_cannot_read_or_write(client, runner):
    seeded = json.loads(runner.invoke(args=["seed-demo", "--json"]).output)
    tokens = {op["role"]: bearer(op["token"]) for op in seeded["operators"]
              if op["name"] in ("马宫市场管理处", "公交公司运营部")}
    ref = merchant_ref()
    client.post(URL, json=penalty(ref), headers=dept())
    for headers in tokens.values():
        assert client.post(URL, json=penalty(ref), headers=headers).status_code == 403
        resp = client.get("/api/dept/v1/subjects/file", query_string={**ref, "purpose": "看看"}, headers=headers)
        assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "wrong_role"
        assert client.get("/api/dept/v1/joint-measures", query_string={**ref, "purpose": "看看"},
                          headers=headers).status_code == 403


def test_records_filed_before_binding_attach_to_the_person(client, db):
    rid = resident_id(321)
    client.post(URL, json=penalty({"resident_id": rid}, severity="minor"), headers=dept())
    # later the person binds the same id in the mini-program, which goes through get_or_create_person
    person = get_or_create_person(rid, "王小明")
    db.session.commit()
    assert person.display_name == "王*明"
    assert db.session.scalar(select(func.count(CreditRecord.id)).where(CreditRecord.subject_id == person.id)) == 1
    assert person.score == 70 and person.grade == "C"


def test_file_is_paginated_filtered_and_every_read_is_audited(client, db):
    h, ref = dept(), person_ref()
    for i in range(3):
        client.post(URL, json=penalty(ref, severity="minor", decided_on=f"2026-0{i + 1}-15"), headers=h)
    client.post(URL, json=record(ref, "honour", decided_on="2026-04-01"), headers=h)
    q = {**ref, "purpose": "行政许可审查", "per_page": 2}
    page1 = client.get("/api/dept/v1/subjects/file", query_string=q, headers=h).get_json()
    assert page1["meta"]["total"] == 4 and len(page1["items"]) == 2
    assert page1["items"][0]["category"] == "honour"  # newest first
    assert "*" in page1["subject"]["resident_id_masked"]
    only = client.get("/api/dept/v1/subjects/file", headers=h, query_string={
        **q, "category": "admin_penalty", "date_from": "2026-02-01", "date_to": "2026-03-31"}).get_json()
    assert only["meta"]["total"] == 2
    reads = db.session.execute(select(AuditEntry).where(AuditEntry.action == "file.read")).scalars().all()
    assert len(reads) == 2 and all(r.purpose == "行政许可审查" for r in reads)
    assert ref["resident_id"] not in str([(r.target_id, r.details) for r in reads])
    no_purpose = client.get("/api/dept/v1/subjects/file", query_string=ref, headers=h)
    assert no_purpose.status_code == 422
    unknown = client.get("/api/dept/v1/subjects/file", query_string={**person_ref(999), "purpose": "核查"}, headers=h)
    assert unknown.status_code == 404


def test_admin_reads_too(client):
    ref = merchant_ref()
    client.post(URL, json=penalty(ref), headers=dept())
    assert grade_of(client, admin(), ref)["subject"]["grade"] == "C"


def test_filing_under_a_known_id_with_another_name_is_409_not_a_silent_attach(client, db):
    rid = resident_id(77)
    assert client.post("/api/dept/v1/records", json=penalty({"resident_id": rid}, subject_name="陈海生"),
                       headers=dept()).status_code == 201
    resp = client.post("/api/dept/v1/records", json=penalty({"resident_id": rid}, subject_name="陈海升"),
                       headers=dept())
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "subject_name_mismatch"
    batch = client.post("/api/dept/v1/records/batch", headers=dept(), json={"records": [
        penalty({"resident_id": rid}, subject_name="陈海升"), penalty({"resident_id": rid})]})
    assert batch.status_code == 422
    assert [(e["row"], e["field"]) for e in batch.get_json()["error"]["details"]["errors"]] == [(0, "subject_name")]
    assert client.post("/api/dept/v1/records", json=penalty({"resident_id": rid}), headers=dept()).status_code == 201
