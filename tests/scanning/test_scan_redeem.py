"""POST /api/scan/v1/redemptions: quota per period, idempotent retries, refusals with reasons, signed receipts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import qr
from backend.keys.ring import keyring
from backend.models import Redemption
from tests.factories import bearer, operator_token, person
from tests.scanning.helpers import code_for, redeem, scan_setup


@pytest.fixture
def devices(app):
    return scan_setup()


def granted(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Redemption).where(Redemption.status == "granted"))


def test_grant_returns_a_signed_receipt_that_is_no_personal_code(client, devices, clock):
    resident = person(grade="B")
    r = redeem(client, devices["transit"]["token"], code_for(resident), "bus-discount")
    assert r.status_code == 201
    body = r.get_json()
    assert body["status"] == "granted" and body["slot"] == 1 and body["replayed"] is False
    keys = keyring().verification_keys(int(clock()))
    claims = qr.verify_document(body["receipt"], keys, qr.RECEIPT_TYP)
    assert claims["inc"] == "bus-discount" and claims["st"] == "granted"
    # It names the code (its pseudonym), never the person; it is for this device and it expires.
    assert claims["sub"] != resident.handle and resident.handle not in body["receipt"]
    assert claims["aud"] == f"device:{devices['transit']['id']}" and claims["exp"] > claims["iat"]
    with pytest.raises(qr.WrongTokenType):
        qr.verify_code(body["receipt"], keys, now=int(clock()))


def test_retry_with_the_same_key_returns_the_same_receipt(client, devices, db):
    code = code_for(person())
    first = redeem(client, devices["transit"]["token"], code, "bus-discount", key="retry-key-0001")
    again = redeem(client, devices["transit"]["token"], code, "bus-discount", key="retry-key-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["receipt"] == first.get_json()["receipt"] and again.get_json()["replayed"] is True
    assert granted(db) == 1


def test_once_a_day_then_refused_until_tomorrow(client, devices, db, clock):
    resident = person()
    assert redeem(client, devices["transit"]["token"], code_for(resident), "bus-discount").status_code == 201
    r = redeem(client, devices["transit"]["token"], code_for(resident), "bus-discount")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "over_quota" and r.get_json()["error"]["details"]["reason"] == "over_quota"
    clock.advance(86400)
    assert redeem(client, devices["transit"]["token"], code_for(resident), "bus-discount").status_code == 201
    assert granted(db) == 2


def test_quota_of_two_per_month(client, devices, db):
    resident = person(grade="A")
    results = [redeem(client, devices["medical"]["token"], code_for(resident), "clinic-pay-later").status_code
               for _ in range(3)]
    assert results == [201, 201, 409]
    slots = db.session.execute(select(Redemption.slot).order_by(Redemption.slot)).scalars().all()
    assert slots == [1, 2]


def test_ineligible_grade_is_refused_with_the_reason(client, devices, db):
    resident = person(grade="A")
    code = code_for(resident)
    resident.grade = "C"
    db.session.commit()
    r = redeem(client, devices["transit"]["token"], code, "bus-discount")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "ineligible" and r.get_json()["error"]["details"] == {"reason": "grade"}
    assert granted(db) == 0


def test_incentive_of_another_scenario_is_forbidden(client, devices):
    r = redeem(client, devices["transit"]["token"], code_for(person()), "hotel-deposit-free")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "wrong_scenario"
    assert redeem(client, devices["transit"]["token"], code_for(person()), "no-such-perk").status_code == 404


def test_key_reused_for_another_incentive(client, devices):
    admin = operator_token("admin")
    client.post("/api/dept/v1/incentives", headers=bearer(admin),
                json={"code": "bus-free-ride", "title": "免费乘车一次", "partner_id": 1, "quota_period": "month"})
    code = code_for(person())
    assert redeem(client, devices["transit"]["token"], code, "bus-discount", key="same-key-0001").status_code == 201
    r = redeem(client, devices["transit"]["token"], code, "bus-free-ride", key="same-key-0001")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "idempotency_key_reused"


def test_the_same_key_with_another_body_is_refused_not_replayed(client, devices, db):
    first_code, other_code = code_for(person()), code_for(person())
    assert redeem(client, devices["transit"]["token"], first_code, "bus-discount", key="same-key-0002").status_code == 201
    r = redeem(client, devices["transit"]["token"], other_code, "bus-discount", key="same-key-0002")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "idempotency_key_reused"
    assert granted(db) == 1  # the second person got nothing, and was not handed the first one's receipt


def test_rejected_code_and_missing_key(client, devices):
    r = redeem(client, devices["transit"]["token"], "junk", "bus-discount")
    assert r.status_code == 422 and r.get_json()["error"]["details"] == {"outcome": "malformed"}
    r = client.post("/api/scan/v1/redemptions", json={"code": "x", "incentive": "bus-discount"},
                    headers=bearer(devices["transit"]["token"]))
    assert r.status_code == 422 and "Idempotency-Key" in str(r.get_json()["error"]["details"])
