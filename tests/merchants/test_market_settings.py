"""What platform admins configure for markets: each market's department, and the list of testing agencies."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import AuditEntry
from backend.platform.audit import verify_chain
from tests.credit.helpers import admin, days_ago, dept
from tests.factories import bearer, operator_token
from tests.merchants.helpers import AGENCY, MARKET_DEPARTMENT, handle_of, market, market_operator, merchant

LAB = "汕尾市质量计量监督检测所"


def audit_entries(db, prefix: str) -> list[tuple[str, dict]]:
    rows = db.session.execute(select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                              .order_by(AuditEntry.seq)).scalars()
    return [(e.action, e.details) for e in rows]


def inspect(client, token, row, agency: str, report_no: str):
    body = {"product": "鲜活对虾", "sampled_on": days_ago(2), "agency": agency, "result": "pass", "report_no": report_no}
    return client.post(f"/api/dept/v1/merchants/{row.id}/inspections", json=body, headers=bearer(token))


def test_admins_keep_the_list_of_testing_agencies(client, db):
    token, row = market_operator(), merchant()
    assert inspect(client, token, row, LAB, "Q-1").get_json()["error"]["code"] == "unknown_agency"

    added = client.post("/api/dept/v1/inspection-agencies", json={"name": LAB}, headers=admin())
    assert added.status_code == 201 and added.get_json()["active"] is True
    agency_id = added.get_json()["id"]
    again = client.post("/api/dept/v1/inspection-agencies", json={"name": LAB}, headers=admin())
    assert again.status_code == 200 and again.get_json()["id"] == agency_id  # a retry adds nothing
    listed = client.get("/api/dept/v1/inspection-agencies", headers=bearer(token)).get_json()["items"]
    assert [a["name"] for a in listed] == sorted([AGENCY, LAB])
    assert inspect(client, token, row, LAB, "Q-1").status_code == 201

    off = client.post(f"/api/dept/v1/inspection-agencies/{agency_id}/deactivate", headers=admin())
    assert off.status_code == 200 and off.get_json()["active"] is False and off.get_json()["deactivated_at"]
    assert inspect(client, token, row, LAB, "Q-2").get_json()["error"]["code"] == "unknown_agency"
    assert [a["name"] for a in client.get("/api/dept/v1/inspection-agencies", headers=dept()).get_json()["items"]] \
        == [AGENCY]
    everything = client.get("/api/dept/v1/inspection-agencies?include_inactive=true", headers=admin()).get_json()
    assert {a["name"]: a["active"] for a in everything["items"]} == {AGENCY: True, LAB: False}
    # The inspection recorded while the agency was listed stays, naming it.
    page = client.get(f"/api/public/v1/merchants/{handle_of(row)}").get_json()
    assert [(i["agency"], i["report_no"]) for i in page["inspections"]] == [(LAB, "Q-1")]

    back = client.post("/api/dept/v1/inspection-agencies", json={"name": LAB}, headers=admin())
    assert back.status_code == 200 and back.get_json()["active"] is True and back.get_json()["deactivated_at"] is None
    assert inspect(client, token, row, LAB, "Q-2").status_code == 201
    assert [a for a, _ in audit_entries(db, "inspection_agency.")] == [
        "inspection_agency.add", "inspection_agency.deactivate", "inspection_agency.reactivate"]
    assert verify_chain().ok


def test_only_admins_change_the_list(client):
    market_operator()
    for headers in (bearer(market_operator()), dept(), bearer(operator_token("department", department=AGENCY))):
        assert client.post("/api/dept/v1/inspection-agencies", json={"name": "某检测公司"}, headers=headers).status_code \
            == 403
        assert client.post("/api/dept/v1/inspection-agencies/1/deactivate", headers=headers).status_code == 403
    assert client.post("/api/dept/v1/inspection-agencies/999/deactivate", headers=admin()).status_code == 404
    assert client.get("/api/dept/v1/inspection-agencies").status_code == 401


def test_admins_set_the_department_of_each_market(client, db):
    market(), market("sanmalu", "三马路步行街")
    listed = client.get("/api/dept/v1/markets", headers=admin())
    assert listed.status_code == 200
    assert {m["slug"]: m["department"] for m in listed.get_json()["items"]} == {
        "magong": MARKET_DEPARTMENT, "sanmalu": MARKET_DEPARTMENT}
    for headers in (bearer(market_operator()), dept(MARKET_DEPARTMENT)):
        assert client.get("/api/dept/v1/markets", headers=headers).status_code == 403
        assert client.patch("/api/dept/v1/markets/magong", json={"department": "汕尾市城区人民法院"},
                            headers=headers).status_code == 403
    resp = client.patch("/api/dept/v1/markets/sanmalu", json={"department": "汕尾市城区市场监督管理局"}, headers=admin())
    assert resp.status_code == 200 and resp.get_json() == {
        "slug": "sanmalu", "name": "三马路步行街", "address": "汕尾市城区", "department": "汕尾市城区市场监督管理局"}
    assert audit_entries(db, "market.") == [("market.update", {"department": {
        "from": MARKET_DEPARTMENT, "to": "汕尾市城区市场监督管理局"}})]
    assert client.patch("/api/dept/v1/markets/nowhere", json={"department": "x"}, headers=admin()).status_code == 404
    assert client.patch("/api/dept/v1/markets/magong", json={}, headers=admin()).status_code == 422
