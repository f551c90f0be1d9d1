"""Redemptions reference the scan they came from: scan_id from verify, validated; or a scan of their own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.models import Redemption, Scan
from tests.factories import bearer, person
from tests.scanning.helpers import code_for, fetch_bundle, scan_setup, verify

_keys = iter(range(1, 10**6))


@pytest.fixture
def devices(app):
    return scan_setup()


def redeem(client, token, code, incentive="bus-discount", **extra):
    return client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": incentive, **extra},
                       headers={**bearer(token), "Idempotency-Key": f"link-key-{next(_keys):06d}"})


def test_grant_after_verify_is_linked_to_that_scan(client, devices, db):
    bus = devices["transit"]["token"]
    code = code_for(person(grade="B"))
    scan_id = verify(client, bus, code).get_json()["scan_id"]
    resp = redeem(client, bus, code, scan_id=scan_id)
    assert resp.status_code == 201 and resp.get_json()["scan_id"] == scan_id
    assert db.session.scalar(select(func.count(Scan.id))) == 1
    assert db.session.execute(select(Redemption.scan_id)).scalar_one() == scan_id


def test_redemption_without_scan_id_records_its_own_scan(client, devices, db):
    resident = person(grade="B")
    resp = redeem(client, devices["transit"]["token"], code_for(resident))
    assert resp.status_code == 201
    scan = db.session.execute(select(Scan)).scalar_one()
    assert (scan.subject_id, scan.outcome, resp.get_json()["scan_id"]) == (resident.id, "valid", scan.id)


def test_refusals_are_kept_on_the_scan(client, devices, db):
    bus, clinic = devices["transit"]["token"], devices["medical"]["token"]
    code = code_for(person(grade="B"))
    assert redeem(client, bus, code).status_code == 201
    # Verify sees nothing left today: the scan says why.
    scan_id = verify(client, bus, code).get_json()["scan_id"]
    assert db.session.get(Scan, scan_id).refusal == "over_quota"
    # A grade refusal at redemption is noted on the scan it names.
    clinic_scan = verify(client, clinic, code).get_json()["scan_id"]
    db.session.get(Scan, clinic_scan).refusal = None
    db.session.commit()
    resp = redeem(client, clinic, code, "clinic-pay-later", scan_id=clinic_scan)
    assert resp.status_code == 409 and resp.get_json()["error"]["details"]["reason"] == "grade"
    db.session.expire_all()
    assert db.session.get(Scan, clinic_scan).refusal == "grade"
    # Without a scan_id, an over-quota refusal is a scan of its own.
    assert redeem(client, bus, code).status_code == 409
    assert db.session.execute(select(Scan.refusal).order_by(Scan.id.desc())).scalars().first() == "over_quota"


def test_scan_id_must_be_this_devices_recent_scan_of_the_same_person(client, devices, db, clock):
    bus, hotel = devices["transit"]["token"], devices["lodging"]["token"]
    resident = person(grade="A")
    code, other_code = code_for(resident), code_for(person(grade="A"))
    hotel_scan = verify(client, hotel, code).get_json()["scan_id"]
    other_scan = verify(client, bus, other_code).get_json()["scan_id"]
    bad_scan = verify(client, bus, "not-a-code").get_json()["scan_id"]
    bus_scan = verify(client, bus, code).get_json()["scan_id"]
    for scan_id, reason in ((hotel_scan, "unknown_scan"), (999999, "unknown_scan"), (other_scan, "other_subject"),
                            (bad_scan, "other_subject")):
        resp = redeem(client, bus, code, scan_id=scan_id)
        assert resp.status_code == 422, resp.get_json()
        assert resp.get_json()["error"]["code"] == "invalid_scan"
        assert resp.get_json()["error"]["details"]["reason"] == reason
    clock.advance(601)  # the first code has expired too: the person shows a fresh one
    resp = redeem(client, bus, code_for(resident), scan_id=bus_scan)
    assert resp.status_code == 422 and resp.get_json()["error"]["details"]["reason"] == "scan_too_old"
    assert db.session.scalar(select(func.count(Redemption.id))) == 0


def test_offline_grants_reference_their_offline_scan(client, devices, db, clock):
    fetch_bundle(client, devices["transit"]["token"], int(clock()))
    code = code_for(person(grade="B"))
    items = [{"ref": "bus-7-0001", "code": code, "scanned_at": int(clock()), "incentive": "bus-discount"},
             {"ref": "bus-7-0002", "code": code, "scanned_at": int(clock()), "incentive": "bus-discount"}]
    resp = client.post("/api/scan/v1/offline-scans", json={"items": items},
                       headers=bearer(devices["transit"]["token"]))
    assert [i["status"] for i in resp.get_json()["items"]] == ["granted", "flagged"]
    rows = db.session.execute(select(Redemption.status, Scan.client_ref).join(Scan, Scan.id == Redemption.scan_id)
                              .order_by(Redemption.id)).all()
    assert [tuple(r) for r in rows] == [("granted", "bus-7-0001"), ("flagged", "bus-7-0002")]
