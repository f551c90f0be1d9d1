"""Market operators: merchants, stickers, inspections and commitments under /api/dept/v1 (audited)."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import AuditEntry, Subject
from backend.platform.audit import verify_chain
from tests.factories import bearer, operator_token, uscc_code
from tests.merchants.helpers import handle_of, market_operator, merchant

INSPECTION = {"product": "鲜活对虾", "sampled_on": "2026-11-20", "agency": "汕尾市食品检验所", "result": "fail",
              "failed_items": "氯霉素", "report_no": "SWJ2026-0001"}


def create(client, token, **overrides):
    body = {"uscc": uscc_code(), "name": "黄记冰鲜", "stall_no": "M007", "business_scope": "冰鲜海产", **overrides}
    return client.post("/api/dept/v1/merchants", json=body, headers=bearer(token))


def actions(db) -> list[str]:
    """The feature's own audit trail (risk warnings the filings raise are left out: supervision audits those)."""
    return [a for a in db.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars()
            if not a.startswith("supervision.")]


def test_create_list_update_and_audit(client, db):
    token = market_operator()
    resp = create(client, token)
    assert resp.status_code == 201, resp.get_json()
    m = resp.get_json()
    assert m["code_serial"] == 1 and m["sticker_url"] == f"http://127.0.0.1:8000/m/{m['handle']}-1"
    assert client.get(f"/m/{m['handle']}-1").status_code == 200
    assert (m["name"], m["registered_name"], m["stall_name"]) == ("黄记冰鲜", "黄记冰鲜", "黄记冰鲜")
    resp = client.patch(f"/api/dept/v1/merchants/{m['id']}", json={"stall_no": "M070", "stall_name": "黄记冰鲜行"},
                        headers=bearer(token))
    assert resp.status_code == 200 and resp.get_json()["stall_no"] == "M070"
    assert (resp.get_json()["stall_name"], resp.get_json()["name"]) == ("黄记冰鲜行", "黄记冰鲜")
    listed = client.get("/api/dept/v1/merchants?q=冰鲜行", headers=bearer(token)).get_json()
    assert [i["stall_name"] for i in listed["items"]] == ["黄记冰鲜行"] and listed["meta"]["total"] == 1
    assert actions(db)[-2:] == ["merchant.create", "merchant.update"] and verify_chain().ok


def test_create_rejects_bad_uscc_duplicates_and_taken_stalls(client):
    token = market_operator()
    bad = create(client, token, uscc="92441502MA4T00001X")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_uscc"
    code = uscc_code()
    assert create(client, token, uscc=code).status_code == 201
    assert create(client, token, uscc=code, stall_no="M099").get_json()["error"]["code"] == "merchant_exists"
    assert create(client, token).get_json()["error"]["code"] == "stall_taken"


def test_operators_see_only_their_market(client):
    other = merchant(slug="sanmalu")
    token = market_operator("magong")
    assert client.get(f"/api/dept/v1/merchants/{other.id}", headers=bearer(token)).status_code == 404
    resp = client.post(f"/api/dept/v1/merchants/{other.id}/inspections", json=INSPECTION, headers=bearer(token))
    assert resp.status_code == 404
    dept = operator_token("department")
    assert client.get("/api/dept/v1/merchants", headers=bearer(dept)).status_code == 403
    assert client.get("/api/dept/v1/merchants").status_code == 401


def test_reissue_voids_the_old_sticker(client, db):
    token = market_operator()
    row = merchant()
    handle = handle_of(row)
    assert client.get(f"/m/{handle}-1").status_code == 200  # now in this worker's page cache
    resp = client.post(f"/api/dept/v1/merchants/{row.id}/reissue-code", json={"reason": "贴纸被撕毁"},
                       headers=bearer(token))
    assert resp.status_code == 200 and resp.get_json()["code_serial"] == 2
    assert resp.get_json()["sticker_url"].endswith(f"/m/{handle}-2")
    assert client.get(f"/m/{handle}-1").status_code == 410
    assert client.get(f"/m/{handle}-2").status_code == 200
    assert actions(db)[-1] == "merchant.reissue_code"


def test_new_inspection_shows_on_the_page_at_once(client, db):
    token = market_operator()
    row = merchant()
    path = f"/m/{handle_of(row)}"
    before = client.get(path)
    assert "暂无抽检记录" in before.get_data(as_text=True)
    resp = client.post(f"/api/dept/v1/merchants/{row.id}/inspections", json=INSPECTION, headers=bearer(token))
    assert resp.status_code == 201 and resp.get_json()["result"] == "fail"
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "不合格项目：氯霉素" in after.get_data(as_text=True)
    dup = client.post(f"/api/dept/v1/merchants/{row.id}/inspections", json=INSPECTION, headers=bearer(token))
    assert dup.status_code == 409
    no_items = {**INSPECTION, "report_no": "SWJ2026-0002", "failed_items": None}
    assert client.post(f"/api/dept/v1/merchants/{row.id}/inspections", json=no_items,
                       headers=bearer(token)).status_code == 422
    assert actions(db)[-1] == "inspection.create"


def test_commitments_signed_and_broken(client, db):
    token = market_operator()
    row = merchant()
    body = {"title": "明码标价、足斤足两", "content": "本商户承诺明码标价，不缺斤少两。", "signed_on": "2026-06-01"}
    resp = client.post(f"/api/dept/v1/merchants/{row.id}/commitments", json=body, headers=bearer(token))
    assert resp.status_code == 201 and resp.get_json()["status"] == "active"
    cid = resp.get_json()["id"]
    status = {"status": "broken", "on": "2026-11-02", "reason": "消费者投诉短斤缺两属实"}
    url = f"/api/dept/v1/merchants/{row.id}/commitments/{cid}/status"
    assert client.post(url, json=status, headers=bearer(token)).get_json()["status"] == "broken"
    assert client.post(url, json=status, headers=bearer(token)).status_code == 409
    html = client.get(f"/m/{handle_of(row)}").get_data(as_text=True)
    assert "明码标价、足斤足两" in html and "未履行，2026-11-02 记录" in html
    assert actions(db)[-2:] == ["commitment.create", "commitment.broken"]


def test_merchants_are_named_by_handle_everywhere_and_the_id_still_works(client, db):
    token = market_operator()
    row = merchant()
    handle = handle_of(row)
    by_handle = client.get(f"/api/dept/v1/merchants/{handle}", headers=bearer(token))
    by_id = client.get(f"/api/dept/v1/merchants/{row.id}", headers=bearer(token))  # deprecated, kept working
    assert by_handle.status_code == by_id.status_code == 200 and by_handle.get_json() == by_id.get_json()
    for path, body in ((f"/merchants/{handle}/inspections", INSPECTION), (f"/merchants/{handle}/reissue-code",
                                                                         {"reason": "旧码污损"})):
        assert client.post(f"/api/dept/v1{path}", json=body, headers=bearer(token)).status_code in (200, 201)
    assert client.get(f"/api/dept/v1/merchants/{handle}/poster.png", headers=bearer(token)).status_code == 200
    assert client.post(f"/api/dept/v1/merchants/{row.id}/binding-codes", json={},
                       headers=bearer(token)).status_code == 201
    other = merchant("别的市场", slug="sanmalu")
    assert client.get(f"/api/dept/v1/merchants/{handle_of(other)}", headers=bearer(token)).status_code == 404
    spec = client.get("/openapi.json").get_json()["paths"]
    assert not [p for p in spec if p.startswith("/api/dept/") and ("merchant_id" in p or "{handle}" in p)]
    (param,) = spec["/api/dept/v1/merchants/{merchant}"]["parameters"]
    assert "handle" in param["description"] and "Deprecated" in param["description"]


def test_a_refused_registration_leaves_no_subject_behind(client, db):
    """The new subject is written in a savepoint; when the stall then turns out taken, the whole use case rolls
    back — on SQLite too, where a bare SAVEPOINT used to commit on its own (platform.db.savepoint)."""
    token = market_operator()
    assert create(client, token).status_code == 201
    code = uscc_code()
    assert create(client, token, uscc=code).get_json()["error"]["code"] == "stall_taken"
    db.session.remove()
    assert db.session.scalar(select(Subject).where(Subject.uscc == code)) is None
