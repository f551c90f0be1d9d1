"""ID-card check at a counter: a device of a scenario that allows it looks a resident up by ID number and gets
the same outcome and perks as for a code; the perk is granted exactly once; audited, rate-limited per device."""

from __future__ import annotations

import json

from backend.models import AuditEntry, Redemption, Scan
from backend.platform.extensions import db
from tests.factories import bearer, person, resident_id
from tests.scanning.helpers import code_for, scan_setup, verify


def id_check(client, token, rid, **extra):
    return client.post("/api/scan/v1/id-checks", json={"id_number": rid, **extra}, headers=bearer(token))


def redeem_by_id(client, token, rid, incentive, key):
    return client.post("/api/scan/v1/redemptions", json={"id_number": rid, "incentive": incentive},
                       headers={**bearer(token), "Idempotency-Key": key})


def test_an_id_check_answers_as_a_code_and_grants_a_perk_exactly_once(app, client):
    devices = scan_setup()
    hotel = devices["lodging"]["token"]
    rid = resident_id(401)
    subject = person("吴伯", "A", rid=rid)
    by_id = id_check(client, hotel, rid).get_json()
    by_code = verify(client, hotel, code_for(subject)).get_json()
    assert by_id["via"] == "id" and by_code["via"] == "code"
    for key in ("outcome", "disclosed", "incentives"):
        assert by_id[key] == by_code[key]
    assert by_id["outcome"] == "valid" and [p["code"] for p in by_id["incentives"]] == ["hotel-deposit-free"]

    first = redeem_by_id(client, hotel, rid, "hotel-deposit-free", "id-key-1")
    assert first.status_code == 201, first.get_json()
    replay = redeem_by_id(client, hotel, rid, "hotel-deposit-free", "id-key-1")
    assert replay.status_code == 200 and replay.get_json()["replayed"]
    again = redeem_by_id(client, hotel, rid, "hotel-deposit-free", "id-key-2")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "over_quota"
    assert db.session.query(Redemption).filter_by(subject_id=subject.id, status="granted").count() == 1
    assert id_check(client, hotel, rid).get_json()["incentives"] == []

    # Audited with the device, the holder named by handle: the id number is kept nowhere in the log or the scans.
    entries = db.session.query(AuditEntry).filter(AuditEntry.action == "scan.id_check").all()
    assert entries and all(e.actor == f"device:{devices['lodging']['id']}" for e in entries)
    assert all(rid not in json.dumps(e.details) + e.target_id for e in db.session.query(AuditEntry))
    assert all(s.jti is None or rid not in s.jti for s in db.session.query(Scan))


def test_id_checks_only_where_the_scenario_allows_them(app, client):
    devices = scan_setup()
    rid = resident_id(402)
    person("郑姨", "A", rid=rid)
    bus = id_check(client, devices["transit"]["token"], rid)
    assert bus.status_code == 403 and bus.get_json()["error"]["code"] == "id_checks_not_allowed"
    assert redeem_by_id(client, devices["transit"]["token"], rid, "bus-discount", "id-key-0001").status_code == 403


def test_an_unknown_id_is_refused_and_audited(app, client):
    devices = scan_setup()
    resp = id_check(client, devices["medical"]["token"], resident_id(403))
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "resident_not_found"
    assert db.session.query(AuditEntry).filter(AuditEntry.action == "scan.id_check.refused").count() == 1


def test_id_checks_are_rate_limited_per_device(app, client):
    app.config["SCAN_ID_CHECK_RATE_LIMIT"] = "3 per hour"
    devices = scan_setup()
    rid = resident_id(404)
    person("何叔", "B", rid=rid)
    answers = [id_check(client, devices["medical"]["token"], rid).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert id_check(client, devices["lodging"]["token"], rid).status_code == 200  # another device: its own budget


def test_redemption_needs_exactly_one_of_code_and_id_number(app, client):
    devices = scan_setup()
    resp = client.post("/api/scan/v1/redemptions", json={"incentive": "bus-discount"},
                       headers={**bearer(devices["transit"]["token"]), "Idempotency-Key": "id-key-none"})
    assert resp.status_code == 422
