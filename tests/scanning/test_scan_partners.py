"""Partners register, list and revoke their devices and manage incentives; admins manage any partner's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.models import AuditEntry, Partner
from tests.factories import bearer, operator_token, person
from tests.scanning.helpers import code_for, scan_setup, verify


@pytest.fixture
def devices(app):
    return scan_setup()


def partner_token(db, name="汕尾市公共交通有限公司"):
    return operator_token("partner", partner_name=name)


def test_partner_registers_uses_and_revokes_a_device(client, devices, db):
    token = partner_token(db)
    r = client.post("/api/dept/v1/devices", json={"name": "2路公交验码机"}, headers=bearer(token))
    assert r.status_code == 201
    device, dev_token = r.get_json()["device"], r.get_json()["token"]
    assert device["scenario"] == "transit" and dev_token.startswith("dev_")
    assert verify(client, dev_token, code_for(person())).get_json()["outcome"] == "valid"
    listed = client.get("/api/dept/v1/devices", headers=bearer(token)).get_json()["items"]
    assert {d["scenario"] for d in listed} == {"transit"} and len(listed) == 2
    assert client.post(f"/api/dept/v1/devices/{device['id']}/revoke", headers=bearer(token)).status_code == 200
    r = verify(client, dev_token, code_for(person()))
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "invalid_device"
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars().all()
    assert [a for a in actions if a.startswith("device.")] == ["device.create", "device.revoke"]


def test_partner_cannot_touch_another_partners_device(client, devices, db):
    token = partner_token(db)
    hotel_device = devices["lodging"]["id"]
    assert client.post(f"/api/dept/v1/devices/{hotel_device}/revoke", headers=bearer(token)).status_code == 404
    hotel = db.session.execute(select(Partner.id).where(Partner.scenario == "lodging")).scalar()
    r = client.post("/api/dept/v1/devices", json={"name": "x", "partner_id": hotel}, headers=bearer(token))
    assert r.status_code == 403


def test_department_role_is_refused(client, devices):
    r = client.get("/api/dept/v1/devices", headers=bearer(operator_token("department")))
    assert r.status_code == 403


def test_incentive_lifecycle(client, devices, db):
    token = partner_token(db)
    r = client.post("/api/dept/v1/incentives", headers=bearer(token), json={
        "code": "bus-night", "title": "夜班车免费", "eligible_grades": "A", "quota_count": 3, "quota_period": "week"})
    assert r.status_code == 201 and r.get_json()["scenario"] == "transit"
    rid = r.get_json()["id"]
    code = code_for(person(grade="A"))
    perks = verify(client, devices["transit"]["token"], code).get_json()["incentives"]
    assert {p["code"]: p["remaining"] for p in perks} == {"bus-discount": 1, "bus-night": 3}
    r = client.patch(f"/api/dept/v1/incentives/{rid}", json={"active": False}, headers=bearer(token))
    assert r.status_code == 200 and r.get_json()["active"] is False
    perks = verify(client, devices["transit"]["token"], code).get_json()["incentives"]
    assert [p["code"] for p in perks] == ["bus-discount"]
    bad = client.patch(f"/api/dept/v1/incentives/{rid}", json={"valid_from": "2027-01-02", "valid_to": "2027-01-01"},
                       headers=bearer(token))
    assert bad.status_code == 422
    assert client.post("/api/dept/v1/incentives", headers=bearer(token),
                       json={"code": "bus-night", "title": "again"}).status_code == 409


def test_admin_must_name_the_partner(client, devices):
    admin = operator_token("admin")
    r = client.post("/api/dept/v1/incentives", headers=bearer(admin), json={"code": "x-perk", "title": "x"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "partner_required"
