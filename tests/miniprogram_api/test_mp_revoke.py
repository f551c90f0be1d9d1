"""A resident voids their codes (lost phone): scanners and uploads answer revoked, exactly (no same-second gap);
the old phone is logged out and can fetch no new code."""

from __future__ import annotations

from sqlalchemy import select

import qr
from backend.keys.ring import keyring
from backend.models import AuditEntry, Subject
from backend.platform.extensions import db
from tests.factories import bearer
from tests.miniprogram_api.helpers import MpClient
from tests.scanning.helpers import scan_setup, verify


def bundle_now(client, device_token, clock):
    resp = client.get("/api/scan/v1/trust-bundle", headers=bearer(device_token))
    assert resp.status_code == 200
    return qr.load_bundle(resp.get_json()["bundle"], keyring().verification_keys(int(clock())))


def test_revoking_voids_earlier_codes_everywhere_and_ends_other_sessions(client, wechat, clock):
    device = scan_setup()["transit"]["token"]
    lost_phone = MpClient(client, wechat, "o-lost").login()
    assert lost_phone.bind().status_code == 200
    old_code = lost_phone.get("/me/code").get_json()["code"]
    assert verify(client, device, old_code).get_json()["outcome"] == "valid"
    new_phone = MpClient(client, wechat, "o-lost").login()  # same WeChat account, another session
    clock.advance(1)

    resp = new_phone.post("/me/code/revoke")
    assert resp.status_code == 200 and resp.get_json()["sessions_revoked"] == 1

    result = verify(client, device, old_code).get_json()
    assert (result["outcome"], result["detail"], result["disclosed"]) == ("revoked", "revoked", {})
    assert lost_phone.get("/me/code").status_code == 401
    new_code = new_phone.get("/me/code").get_json()["code"]
    assert verify(client, device, new_code).get_json()["outcome"] == "valid"

    # Bundles name nobody (format 2): a code already on the lost phone passes offline until it expires
    # (3 minutes), and the upload of what a scanner did with it is refused.
    bundle, now = bundle_now(client, device, clock), int(clock())
    assert bundle.revoked_subjects == {} and bundle.blocked_subjects == frozenset()
    assert qr.verify_offline(new_code, bundle, now=now).outcome == "valid"
    upload = client.post("/api/scan/v1/offline-scans", headers=bearer(device), json={"items": [
        {"ref": "lost-1", "code": old_code, "scanned_at": now, "incentive": "bus-discount"}]}).get_json()
    assert upload["items"][0]["outcome"] == "revoked" and upload["items"][0]["status"] == "rejected"
    handle = db.session.execute(select(Subject.handle)).scalar_one()
    entry = db.session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert (entry.action, entry.target_id, entry.details["sessions_ended"]) == ("code.revoke_all", handle, 1)


def test_a_code_fetched_in_the_same_second_just_before_revoking_is_void(client, mp, clock):
    device = scan_setup()["transit"]["token"]
    assert mp.bind().status_code == 200
    clock.now = float(int(clock.now)) + 0.2
    before = mp.get("/me/code").get_json()["code"]
    clock.advance(0.5)  # the same clock second
    assert mp.post("/me/code/revoke").status_code == 200
    assert verify(client, device, before).get_json()["outcome"] == "revoked"
    after = mp.get("/me/code").get_json()["code"]
    assert verify(client, device, after).get_json()["outcome"] == "valid"


def test_a_code_fetched_right_after_revoking_works(client, mp):
    device = scan_setup()["transit"]["token"]
    assert mp.bind().status_code == 200
    assert mp.post("/me/code/revoke").get_json()["sessions_revoked"] == 0
    code = mp.get("/me/code").get_json()["code"]  # same clock second as the revocation
    assert verify(client, device, code).get_json()["outcome"] == "valid"


def test_revoking_needs_a_bound_identity_and_a_session(client, mp):
    resp = mp.post("/me/code/revoke")
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "identity_required"
    assert client.post("/api/mp/v1/me/code/revoke").status_code == 401
