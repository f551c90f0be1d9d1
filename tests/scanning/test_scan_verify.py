"""POST /api/scan/v1/verify: every outcome, disclosure per scenario, current grade, scans recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import qr
from backend.keys import keyring
from backend.models import ListEntry, Scan
from backend.platform.clock import utcnow
from tests.factories import bearer, person, resident_id
from tests.scanning.helpers import code_for, fetch_bundle, scan_setup, verify


@pytest.fixture
def devices(app):
    return scan_setup()


def test_valid_code_at_the_bus_shows_eligibility_and_discount_only(client, devices):
    rid = resident_id(7)
    resident = person("张小三", "A", rid=rid)
    r = verify(client, devices["transit"]["token"], code_for(resident))
    assert r.status_code == 200
    body = r.get_json()
    assert body["outcome"] == "valid" and body["outcome_zh"] == "验证通过"
    assert body["disclosed"] == {"eligible": True, "discount": ["信用+公交 乘车九折"]}
    assert [p["code"] for p in body["incentives"]] == ["bus-discount"]
    assert rid not in r.get_data(as_text=True) and resident.resident_id_masked not in r.get_data(as_text=True)
    assert "张*三" not in r.get_data(as_text=True)


@pytest.mark.parametrize("scenario", ["lodging", "medical"])
def test_front_desks_see_the_masked_name_and_eligibility(client, devices, scenario):
    rid = resident_id(8)
    resident = person("张小三", "A", rid=rid)
    r = verify(client, devices[scenario]["token"], code_for(resident))
    assert r.get_json()["disclosed"] == {"masked_name": "张*三", "eligible": True}
    assert rid not in r.get_data(as_text=True) and resident.resident_id_masked not in r.get_data(as_text=True)


def test_expired_code(client, devices, clock):
    code = code_for(person())
    clock.advance(180 + qr.LEEWAY + 1)
    body = verify(client, devices["transit"]["token"], code).get_json()
    assert body["outcome"] == "expired" and body["disclosed"] == {} and body["incentives"] == []


def test_bad_signature(client, devices):
    code = code_for(person())
    head, payload, sig = code.split(".")
    forged = f"{head}.{payload}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    assert verify(client, devices["transit"]["token"], forged).get_json()["outcome"] == "bad_signature"


def test_unknown_key(client, devices, clock):
    stranger = qr.generate_signing_key()
    code = qr.sign_code(stranger, sub=person().handle, grade="A", now=int(clock())).token
    assert verify(client, devices["transit"]["token"], code).get_json()["outcome"] == "unknown_key"


@pytest.mark.parametrize("junk", ["hello", "a.b.c", "SWC:" + "x" * 20])
def test_malformed(client, devices, junk):
    body = verify(client, devices["transit"]["token"], junk).get_json()
    assert body["outcome"] == "malformed" and body["outcome_zh"] == "不是有效的信用码"


def test_a_receipt_is_not_a_personal_code(client, devices):
    resident = person()
    code = code_for(resident)
    receipt = client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": "bus-discount"},
                          headers={**bearer(devices["transit"]["token"]), "Idempotency-Key": "k-receipt-1"}
                          ).get_json()["receipt"]
    body = verify(client, devices["transit"]["token"], receipt).get_json()
    assert body["outcome"] == "malformed" and body["detail"] == "wrong_type"


def test_revoked_subject_codes(client, devices, db, clock):
    resident = person()
    code = code_for(resident)
    resident.code_generation += 1  # what voiding one's codes does (accounts.revocation)
    db.session.commit()
    assert verify(client, devices["transit"]["token"], code).get_json()["outcome"] == "revoked"
    assert verify(client, devices["transit"]["token"], code_for(resident)).get_json()["outcome"] == "valid"


def test_format_1_codes_are_revoked_by_time(app, client, devices, db, clock):
    app.config["CODE_FORMAT"] = 1
    resident = person()
    code = code_for(resident)
    clock.advance(5)
    resident.codes_valid_after = utcnow()
    db.session.commit()
    assert verify(client, devices["transit"]["token"], code).get_json()["outcome"] == "revoked"
    clock.advance(1)
    assert verify(client, devices["transit"]["token"], code_for(resident)).get_json()["outcome"] == "valid"


def test_the_current_grade_decides_not_the_one_in_the_code(client, devices, db):
    resident = person(grade="A")
    code = code_for(resident)
    resident.grade = "C"
    db.session.commit()
    body = verify(client, devices["transit"]["token"], code).get_json()
    assert body["outcome"] == "valid" and body["disclosed"]["eligible"] is False and body["incentives"] == []
    low = person(grade="D")
    code = code_for(low)
    low.grade = "B"
    db.session.commit()
    assert verify(client, devices["transit"]["token"], code).get_json()["disclosed"]["eligible"] is True


def test_blacklisted_subject_gets_no_perks(client, devices, db):
    resident = person(grade="A")
    db.session.add(ListEntry(subject_id=resident.id, list_type="black", reason="拒不履行", legal_basis="规定",
                             decision_document="(2026)粤1502执1号", department="法院", starts_on=dt.date(2020, 1, 1)))
    db.session.commit()
    body = verify(client, devices["lodging"]["token"], code_for(resident)).get_json()
    assert body["disclosed"]["eligible"] is False and body["incentives"] == []


def test_every_scan_is_recorded(client, devices, db):
    resident = person()
    verify(client, devices["transit"]["token"], code_for(resident))
    verify(client, devices["transit"]["token"], "junk")
    rows = db.session.execute(select(Scan.outcome, Scan.subject_id, Scan.device_id).order_by(Scan.id)).all()
    assert rows == [("valid", resident.id, devices["transit"]["id"]), ("malformed", None, devices["transit"]["id"])]


def test_device_outside_its_scenario_is_refused(client, devices):
    r = verify(client, devices["transit"]["token"], code_for(person()), scenario="lodging")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "wrong_scenario"


@pytest.mark.parametrize("header", [None, "Bearer dev_nope", "Basic abc"])
def test_device_token_required(client, devices, header):
    headers = {"Authorization": header} if header else {}
    r = client.post("/api/scan/v1/verify", json={"code": "x"}, headers=headers)
    assert r.status_code == 401 and r.get_json()["error"]["code"] in ("unauthorized", "invalid_device")


def test_a_device_records_at_most_three_scans_of_one_code(client, devices, db):
    """Holding a code, a device cannot fill its holder's history: re-taps beyond three name the latest scan."""
    resident = person(grade="A")
    code = code_for(resident)
    ids = [verify(client, devices["transit"]["token"], code).get_json()["scan_id"] for _ in range(5)]
    assert len(set(ids)) == 3 and ids[2] == ids[3] == ids[4]
    assert verify(client, devices["lodging"]["token"], code).get_json()["outcome"] == "valid"  # another partner
    counts = db.session.execute(select(Scan.device_id, func.count()).where(Scan.subject_id == resident.id)
                                .group_by(Scan.device_id).order_by(Scan.device_id)).all()
    assert [n for _, n in counts] == [3, 1]
    assert verify(client, devices["transit"]["token"], code_for(resident)).get_json()["scan_id"] not in ids


def test_an_unrated_resident_is_never_eligible(client, devices, db):
    from backend.credit.subjects import get_or_create_person

    unrated = get_or_create_person(resident_id(77), "新市民")
    db.session.commit()
    assert unrated.grade is None
    code = code_for(unrated)
    now = int(client.application.config["CLOCK"]())
    claims = qr.verify_code(code, keyring().verification_keys(now), now=now)
    assert claims.grade is None and claims.eligibility  # format 2: no grade in the code
    bundle = fetch_bundle(client, devices["transit"]["token"], now)
    assert qr.verify_offline(code, bundle, now=now).incentives == ()  # offline: no perk at all
    body = verify(client, devices["transit"]["token"], code).get_json()
    assert body["outcome"] == "valid" and body["incentives"] == [] and body["disclosed"]["eligible"] is False
    assert db.session.get(Scan, body["scan_id"]).refusal == "grade"
