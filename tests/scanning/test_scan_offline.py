"""Trust bundles and offline uploads: bundles name nobody and expire; a device's clock is trusted only inside a
bundle it fetched; batches dedupe and flag what the server would have refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import qr
from backend.keys import rotate
from backend.models import Redemption, Scan, TrustBundle
from tests.factories import bearer, person
from tests.scanning.helpers import code_for, fetch_bundle, scan_setup, upload


@pytest.fixture
def devices(app):
    return scan_setup()


def test_bundle_verifies_codes_offline_until_it_is_too_old(client, devices, clock):
    good, low = person(grade="A"), person(grade="C")
    code, low_code = code_for(good), code_for(low)
    bundle = fetch_bundle(client, devices["transit"]["token"], int(clock()))
    assert bundle.scenario == "transit" and [i["code"] for i in bundle.incentives] == ["bus-discount"]
    now = int(clock())
    claims = qr.verify_code(code, bundle.keys, now=now)
    assert qr.verify_offline(code, bundle, now=now) == qr.OfflineResult(
        "valid", sub=claims.sub, jti=claims.jti, incentives=("bus-discount",))
    assert qr.verify_offline(low_code, bundle, now=now) == qr.OfflineResult(  # grade C: the nibble says no
        "valid", sub=qr.verify_code(low_code, bundle.keys, now=now).sub,
        jti=qr.verify_code(low_code, bundle.keys, now=now).jti)
    clock.advance(86400)  # the bundle is exactly max_age old: still trusted
    assert qr.verify_offline(code_for(good), bundle, now=int(clock())).outcome == "valid"
    clock.advance(1)
    result = qr.verify_offline(code_for(good), bundle, now=int(clock()))
    assert result.outcome == "cannot_verify" and result.incentives == ()


def test_bundles_name_nobody_and_are_for_one_device(client, devices, db, clock):
    resident = person("陈海生", grade="A")
    resident.code_generation = 1  # voided codes once (lost phone): nothing of it goes to scanners
    db.session.commit()
    resp = client.get("/api/scan/v1/trust-bundle", headers=bearer(devices["transit"]["token"])).get_json()
    keys = {k["kid"]: qr.public_from_jwk(k) for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    claims = qr.verify_document(resp["bundle"], keys, qr.BUNDLE_TYP)
    assert resident.handle not in str(claims) and "陈" not in str(claims)
    assert claims["revoked_subjects"] == [] and claims["blocked_subjects"] == [] and claims["revoked_codes"] == []
    assert claims["aud"] == f"device:{devices['transit']['id']}" and claims["exp"] == claims["iat"] + claims["max_age"]
    assert db.session.get(TrustBundle, resp["bundle_id"]).device_id == devices["transit"]["id"]
    with pytest.raises(qr.WrongTokenType):
        qr.load_bundle(resp["bundle"], keys, audience=f"device:{devices['lodging']['id']}")


def test_a_scanner_reads_its_own_scenario_and_cannot_link_two_codes(client, devices, clock):
    """A gate sees eligibility for its own perks only; two codes of one person share nothing it can read."""
    resident = person(grade="B")  # bus-discount needs AB; clinic-pay-later needs A
    first, second = code_for(resident), code_for(resident)
    now = int(clock())
    bus = fetch_bundle(client, devices["transit"]["token"], now)
    clinic = fetch_bundle(client, devices["medical"]["token"], now)
    assert qr.verify_offline(first, bus, now=now).incentives == ("bus-discount",)
    assert qr.verify_offline(first, clinic, now=now).incentives == ()  # B: not for the clinic, and no grade shown
    a, b = (qr.verify_code(c, bus.keys, now=now) for c in (first, second))
    assert a.sub != b.sub and a.eligibility != b.eligibility and a.grade is None and b.grade is None
    assert resident.handle not in first + second


def test_batch_with_duplicates_and_over_quota_grants(client, devices, db, clock):
    token = devices["transit"]["token"]
    rider, low = person(grade="A"), person(grade="A")
    fetch_bundle(client, token, int(clock()))
    now = int(clock())
    first, second, low_code = code_for(rider), code_for(rider), code_for(low)
    low.grade = "D"  # dropped after the code was shown: the bus granted on the code's eligibility
    db.session.commit()
    items = [
        {"ref": "bus1-0001", "code": first, "scanned_at": now, "incentive": "bus-discount"},
        {"ref": "bus1-0002", "code": second, "scanned_at": now + 60, "incentive": "bus-discount"},
        {"ref": "bus1-0001", "code": first, "scanned_at": now, "incentive": "bus-discount"},
        {"ref": "bus1-0003", "code": first, "scanned_at": now + 5},
        {"ref": "bus1-0004", "code": "garbage", "scanned_at": now, "incentive": "bus-discount"},
        {"ref": "bus1-0005", "code": low_code, "scanned_at": now, "incentive": "bus-discount"},
    ]
    clock.advance(600)  # uploaded later, once the bus is back online: the codes have expired since
    body = upload(client, token, items).get_json()
    answers = [(a["ref"], a["status"], a.get("reason")) for a in body["items"]]
    assert answers == [("bus1-0001", "granted", None), ("bus1-0002", "flagged", "over_quota"),
                       ("bus1-0001", "duplicate", None), ("bus1-0003", "recorded", None),
                       ("bus1-0004", "rejected", "malformed"), ("bus1-0005", "flagged", "grade")]
    assert body["counts"] == {"granted": 1, "flagged": 2, "duplicate": 1, "recorded": 1, "rejected": 1}
    rows = db.session.execute(select(Redemption.status, Redemption.slot, Redemption.flag_reason, Redemption.offline)
                              .order_by(Redemption.id)).all()
    assert rows == [("granted", 1, None, True), ("flagged", None, "over_quota", True), ("flagged", None, "grade", True)]

    again = upload(client, token, items[:2]).get_json()["items"]
    assert [a["status"] for a in again] == ["duplicate", "duplicate"]
    assert again[0]["receipt"] == body["items"][0]["receipt"]
    assert len(db.session.execute(select(Redemption.id)).all()) == 3


def answer(client, token, **item):
    return upload(client, token, [{"ref": f"r-{item['scanned_at']}", "incentive": "bus-discount", **item}]
                  ).get_json()["items"][0]


def test_without_a_fetched_bundle_nothing_offline_is_granted(client, devices, clock):
    result = answer(client, devices["transit"]["token"], code=code_for(person(grade="A")), scanned_at=int(clock()))
    assert (result["status"], result["outcome"], result["reason"]) == ("flagged", "cannot_verify", "no_trust_bundle")


def test_a_backdated_scan_of_an_expired_code_is_never_granted(client, devices, clock):
    """The device claims it scanned yesterday's code yesterday; the server only trusts bundles it issued."""
    token = devices["transit"]["token"]
    resident = person(grade="A")
    old_code = code_for(resident)
    scanned = int(clock())
    clock.advance(3 * 3600)  # the code expired long ago; the device fetches its first bundle only now
    bundle = fetch_bundle(client, token, int(clock()))
    result = answer(client, token, code=old_code, scanned_at=scanned)
    assert (result["status"], result["outcome"], result["reason"]) == ("flagged", "cannot_verify", "no_trust_bundle")
    named = answer(client, token, code=old_code, scanned_at=scanned + 1, bundle=bundle.bundle_id)
    assert (named["status"], named["reason"]) == ("flagged", "outside_trust_bundle")
    stranger = answer(client, token, code=old_code, scanned_at=scanned + 2, bundle=bundle.bundle_id + 1000)
    assert (stranger["status"], stranger["reason"]) == ("flagged", "no_trust_bundle")


def test_a_scan_dated_in_the_future_or_uploaded_too_late_is_never_granted(client, devices, clock):
    token = devices["transit"]["token"]
    fetch_bundle(client, token, int(clock()))
    future = answer(client, token, code=code_for(person(grade="A")), scanned_at=int(clock()) + 3600)
    assert (future["status"], future["outcome"]) == ("flagged", "cannot_verify")
    scanned = int(clock())
    code = code_for(person(grade="A"))
    clock.advance(86400 + 60)  # past the bundle's max_age after the scan
    late = answer(client, token, code=code, scanned_at=scanned)
    assert (late["status"], late["reason"]) == ("flagged", "uploaded_too_late")


def test_a_compromised_key_is_dropped_at_once_online_and_offline(client, devices, db, clock):
    token = devices["transit"]["token"]
    fetch_bundle(client, token, int(clock()))
    resident = person(grade="A")
    code = code_for(resident)  # signed by the key that is about to leak
    rotate(actor="test", compromised=True)
    jwks = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert len(jwks) == 1  # only the new key is published
    online = client.post("/api/scan/v1/verify", json={"code": code}, headers=bearer(token)).get_json()
    assert online["outcome"] == "unknown_key"
    offline = answer(client, token, code=code, scanned_at=int(clock()))
    assert offline["status"] == "rejected" and offline["outcome"] == "unknown_key"
    assert db.session.execute(select(Scan.outcome).where(Scan.client_ref.is_not(None))).scalar_one() == "unknown_key"
