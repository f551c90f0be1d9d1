"""Trust bundle and offline uploads: bundle verifies offline and expires; batches dedupe and flag over-quota."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import qr
from backend.keys.ring import keyring
from backend.models import Redemption
from backend.platform.clock import utcnow
from tests.factories import bearer, person
from tests.scanning.helpers import code_for, scan_setup


@pytest.fixture
def devices(app):
    return scan_setup()


def fetch_bundle(client, token, clock) -> qr.TrustBundle:
    r = client.get("/api/scan/v1/trust-bundle", headers=bearer(token))
    assert r.status_code == 200 and r.get_json()["max_age"] == 86400
    return qr.load_bundle(r.get_json()["bundle"], keyring().verification_keys(int(clock())))


def test_bundle_verifies_codes_offline_until_it_is_too_old(client, devices, db, clock):
    good, revoked = person(grade="A"), person(grade="B")
    code, revoked_code = code_for(good), code_for(revoked)
    clock.advance(1)
    revoked.codes_valid_after = utcnow()
    db.session.commit()
    bundle = fetch_bundle(client, devices["transit"]["token"], clock)
    assert bundle.scenario == "transit" and [i["code"] for i in bundle.incentives] == ["bus-discount"]
    now = int(clock())
    assert qr.verify_offline(code, bundle, now=now) == qr.OfflineResult(
        "valid", sub=good.handle, jti=qr.verify_code(code, bundle.keys, now=now).jti, incentives=("bus-discount",))
    assert qr.verify_offline(revoked_code, bundle, now=now).outcome == "revoked"
    clock.advance(86400)  # the bundle is exactly max_age old: still trusted
    assert qr.verify_offline(code_for(good), bundle, now=int(clock())).outcome == "valid"
    clock.advance(1)
    result = qr.verify_offline(code_for(good), bundle, now=int(clock()))
    assert result.outcome == "cannot_verify" and result.incentives == ()


def test_bundle_cannot_be_verified_with_untrusted_keys(client, devices):
    token = client.get("/api/scan/v1/trust-bundle", headers=bearer(devices["transit"]["token"])).get_json()["bundle"]
    stranger = qr.generate_signing_key()
    with pytest.raises(qr.UnknownKey):
        qr.load_bundle(token, {stranger.kid: stranger.public})


def upload(client, token, items):
    return client.post("/api/scan/v1/offline-scans", json={"items": items}, headers=bearer(token))


def test_batch_with_duplicates_and_over_quota_grants(client, devices, db, clock):
    token = devices["transit"]["token"]
    rider, low = person(grade="A"), person(grade="A")
    now = int(clock())
    first, second, low_code = code_for(rider), code_for(rider), code_for(low)
    low.grade = "D"  # dropped after the code was shown: the bus granted on the code's grade
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


def test_offline_scan_dated_in_the_future_cannot_be_verified(client, devices, clock):
    code = code_for(person())
    items = [{"ref": "x-1", "code": code, "scanned_at": int(clock()) + 3600, "incentive": "bus-discount"}]
    answer = upload(client, devices["transit"]["token"], items).get_json()["items"][0]
    assert answer["status"] == "rejected" and answer["outcome"] == "cannot_verify"
