"""Lists (legal basis required, removal with a reason), the measures catalogue and 一键查询."""

from __future__ import annotations

import shutil
import subprocess

from sqlalchemy import select

from backend.credit.joint import sync_catalogue
from backend.models import AuditEntry, JointMeasure
from tests.credit.helpers import TAX, admin, dept, grade_of, merchant_ref, person_ref, record

LISTS = "/api/dept/v1/list-entries"
COURT = "汕尾市城区人民法院"


def entry(ref: dict, list_type: str = "black", **over) -> dict:
    body = {**ref, "list_type": list_type, "reason": "拒不履行生效判决",
            "legal_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》",
            "decision_document": "(2026)粤1502执88号", "starts_on": "2026-01-01", **over}
    if "uscc" in ref:
        body.setdefault("subject_name", "港口鱿鱼行")
    return body


def test_entry_without_legal_basis_or_document_is_refused(client, db):
    h, ref = dept(COURT), merchant_ref()
    for field in ("legal_basis", "decision_document"):
        missing = client.post(LISTS, json={k: v for k, v in entry(ref).items() if k != field}, headers=h)
        assert missing.status_code == 422
        blank = client.post(LISTS, json=entry(ref, **{field: "  "}), headers=h)
        assert blank.status_code == 422 and blank.get_json()["error"]["details"]["field"] == field


def test_black_list_forces_d_and_removal_restores(client):
    h, ref = dept(COURT), merchant_ref()
    client.post("/api/dept/v1/records", json=record(ref, "honour"), headers=h)
    assert grade_of(client, h, ref)["subject"]["grade"] == "B"
    added = client.post(LISTS, json=entry(ref), headers=h)
    assert added.status_code == 201
    assert client.post(LISTS, json=entry(ref), headers=h).status_code == 409
    report = grade_of(client, h, ref)
    assert report["subject"]["grade"] == "D" and report["breakdown"]["lists"][0]["list_type"] == "black"
    other = client.post(f"{LISTS}/{added.get_json()['id']}/remove", json={"reason": "已履行"}, headers=dept(TAX))
    assert other.status_code == 403
    removed = client.post(f"{LISTS}/{added.get_json()['id']}/remove", json={"reason": "已全部履行，依法移出"},
                          headers=h)
    assert removed.status_code == 200 and removed.get_json()["removed_reason"].startswith("已全部履行")
    assert grade_of(client, h, ref)["subject"]["grade"] == "B"
    listed = client.get(LISTS, query_string={"list_type": "black", "active": "false"}, headers=h).get_json()
    assert listed["meta"]["total"] == 1


def test_red_list_lifts(client):
    h, ref = dept(), person_ref()
    client.post("/api/dept/v1/records", json=record(ref, "admin_penalty", severity="general"), headers=h)
    assert grade_of(client, h, ref)["subject"]["grade"] == "C"
    client.post(LISTS, json=entry(ref, "red", reason="守信激励", decision_document="汕发改〔2026〕9号"), headers=h)
    assert grade_of(client, h, ref)["subject"]["grade"] == "B"


def test_catalogue_sync_is_idempotent(app, db):
    assert sync_catalogue() >= 12
    assert sync_catalogue() == 0
    kinds = {(m.list_type, m.applies_to) for m in db.session.execute(select(JointMeasure)).scalars()}
    assert ("black", "government_procurement") in kinds and ("red", "administrative_approval") in kinds


def test_joint_query_returns_measures_with_legal_basis_and_is_audited(client, db):
    sync_catalogue()
    h, ref = dept(COURT), person_ref()
    client.post(LISTS, json=entry(ref), headers=h)
    resp = client.get("/api/dept/v1/joint-measures", headers=h,
                      query_string={**ref, "purpose": "政府采购供应商资格审查"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert [e["list_type"] for e in body["lists"]] == ["black"]
    assert body["measures"] and all(m["list_type"] == "black" and m["legal_basis"] for m in body["measures"])
    assert "B-PROCUREMENT" in {m["code"] for m in body["measures"]}
    only = client.get("/api/dept/v1/joint-measures", headers=h, query_string={
        **ref, "purpose": "采购审查", "applies_to": "government_procurement"}).get_json()
    assert [m["code"] for m in only["measures"]] == ["B-PROCUREMENT"]
    clean = merchant_ref()
    client.post("/api/dept/v1/records", json=record(clean, "honour"), headers=h)
    nothing = client.get("/api/dept/v1/joint-measures", headers=h, query_string={**clean, "purpose": "行政审批"})
    assert nothing.get_json()["lists"] == [] and nothing.get_json()["measures"] == []
    queries = db.session.execute(select(AuditEntry).where(AuditEntry.action == "joint.query")).scalars().all()
    assert [q.purpose for q in queries] == ["政府采购供应商资格审查", "采购审查", "行政审批"]
    assert all(q.actor.startswith("operator:") for q in queries)
    assert client.get("/api/dept/v1/joint-measures", headers=h, query_string=ref).status_code == 422
    catalogue = client.get("/api/dept/v1/joint-measures/catalogue", headers=h).get_json()
    assert len(catalogue["items"]) >= 12


JOINT = "/api/dept/v1/joint-measures"
FOOD_SAFETY = "《中华人民共和国食品安全法》第一百三十五条；《市场监督管理严重违法失信名单管理办法》第九条"


def test_measures_come_from_the_legal_basis_not_the_list_type(client):
    sync_catalogue()
    h = dept(COURT)
    court, food, unknown = merchant_ref(), merchant_ref(), merchant_ref()
    client.post(LISTS, json=entry(court), headers=h)
    client.post(LISTS, json=entry(food, legal_basis=FOOD_SAFETY, reason="销售不合格食品"), headers=h)
    client.post(LISTS, json=entry(unknown, legal_basis="某某内部通知", reason="其他"), headers=h)

    def codes(ref):
        body = client.get(JOINT, headers=h, query_string={**ref, "purpose": "政府采购资格审查"}).get_json()
        return body, {m["code"] for m in body["measures"]}

    body, court_codes = codes(court)
    assert "B-CONSUMPTION" in court_codes and body["lists"][0]["bases"] == ["court-dishonest-debtor"]
    body, food_codes = codes(food)
    assert "B-PROCUREMENT" in food_codes and "B-CONSUMPTION" not in food_codes  # no court 限制高消费
    assert body["lists"][0]["bases"] == ["market-serious-violation"]
    assert all(m["because"] == ["(2026)粤1502执88号"] for m in body["measures"])
    body, unknown_codes = codes(unknown)
    assert unknown_codes == set() and body["lists"][0]["basis_matched"] is False
    assert body["result"] == "listed" and "认定依据未对应" in body["notes"][0]


def test_no_file_is_200_no_record_with_a_query_number_and_a_printable_record(client, db, tmp_path):
    sync_catalogue()
    h = dept()
    rid = person_ref()["resident_id"]
    resp = client.get(JOINT, headers=h, query_string={"resident_id": rid, "purpose": "行政审批前置核查"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["result"], body["result_zh"], body["subject"], body["lists"], body["measures"]) == (
        "no_record", "查询无记录", None, [], [])
    assert body["queried"] == rid[:4] + "*" * 10 + rid[-4:] and body["query_no"].startswith("YJCX")
    record = client.get(f"{JOINT}/queries/{body['query_no']}", headers=h).get_json()
    assert record["result_zh"] == "查询无记录" and record["purpose"] == "行政审批前置核查"
    assert record["operator"] == "test department" and record["department"] == "汕尾市市场监督管理局"
    pdf = client.get(body["record_url"], headers=h)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(pdf.data)
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
        for shown in (body["query_no"], "查询无记录", "行政审批前置核查", "test department", body["queried"]):
            assert shown in text
        assert rid not in text
    assert client.get(f"{JOINT}/queries/{body['query_no']}", headers=dept(TAX)).status_code == 404  # not theirs
    assert client.get(f"{JOINT}/queries/{body['query_no']}", headers=admin()).status_code == 200
    reads = db.session.execute(select(AuditEntry).where(AuditEntry.action == "joint.record.read")).scalars().all()
    assert len(reads) == 3 and all(r.target_id == body["query_no"] for r in reads)
    malformed = client.get(JOINT, headers=h, query_string={"resident_id": "441502199001011230", "purpose": "核查"})
    assert malformed.status_code == 422


def test_officers_look_a_subject_up_by_handle(client):
    sync_catalogue()
    h, ref = dept(COURT), person_ref()
    added = client.post(LISTS, json=entry(ref), headers=h).get_json()
    handle = added["subject_handle"]
    by_handle = {"handle": handle, "purpose": "核查名单对象"}
    assert client.get("/api/dept/v1/subjects/grade", headers=h, query_string=by_handle).get_json()["subject"][
        "grade"] == "D"
    assert client.get("/api/dept/v1/subjects/file", headers=h, query_string=by_handle).status_code == 200
    joint = client.get(JOINT, headers=h, query_string=by_handle).get_json()
    assert joint["result"] == "listed" and joint["queried"] == handle
    both = client.get(JOINT, headers=h, query_string={**by_handle, **ref})
    assert both.status_code == 422 and both.get_json()["error"]["code"] == "subject_ref"
