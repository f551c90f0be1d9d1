"""Lists (legal basis required, removal with a reason), the measures catalogue and 一键查询."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit.joint import sync_catalogue
from backend.models import AuditEntry, JointMeasure
from tests.credit.helpers import TAX, dept, grade_of, merchant_ref, person_ref, record

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
