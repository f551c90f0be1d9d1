"""POST /verify and the trust bundle: outcome, disclosure by scenario, grantable perks; every scan recorded."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

import qr
from backend.cards import revoked_serials
from backend.credit import Subject, latest_cursor
from backend.keys import card_jwks, keyring, scenario_key
from backend.platform.clock import from_ts, local_date, now_ts
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden
from backend.platform.observability.metrics import count_scan
from backend.scanning import scan_log
from backend.scanning.checks import CodeCheck, black_listed
from backend.scanning.devices import Device, scenario_rules
from backend.scanning.models import Scan, TrustBundle
from backend.scanning.rules import disclose, grantable
from backend.scanning.vocab import OUTCOME_ZH, Outcome, Refusal
from qr.b64 import b64url_encode as b64url


def require_scenario(device: Device, scenario: str | None) -> None:
    """Raises Forbidden when a device acts outside its scenario."""
    if scenario is not None and scenario != device.scenario:
        raise Forbidden(f"本设备登记的场景是 {device.scenario}（{device.scenario_name}），不能用于 {scenario}。",
                        code="wrong_scenario")


def record_scan(device: Device, check: CodeCheck, ts: int, *, refusal: str | None = None) -> int:
    """Insert the scan row in the caller's transaction (fully durable) and return its id (or the device's
    latest scan of this code, when it has recorded as many as it may)."""
    scan_id = db.session.execute(scan_log.insert_scan(False), scan_log.scan_values(device, check, ts, refusal)).scalar()
    if scan_id is None:  # the device recorded this code SCANS_PER_CODE times already: name its latest scan
        scan_id = db.session.execute(select(Scan.id).where(Scan.device_id == device.id, Scan.jti == check.jti,
                                                           Scan.offline.is_(False))
                                     .order_by(Scan.id.desc()).limit(1)).scalar_one()
        if refusal is not None:
            db.session.execute(update(Scan).where(Scan.id == scan_id).values(refusal=refusal))
    return scan_id


@use_case
def verify(device: Device, code: str, scenario: str | None = None) -> dict:
    """Check a code at this device and record the scan; raises Forbidden for another scenario.

    The hottest endpoint: on PostgreSQL one statement reads the holder and logs the scan
    (scanning.scan_log); a refusal reason costs a second one.
    """
    require_scenario(device, scenario)
    ts = now_ts()
    rules = scenario_rules(device.scenario)
    check, scan_id = scan_log.check_and_log(device, code, ts, rules)
    return answer(device, rules, check, scan_id, ts)


def answer(device: Device, rules, check: CodeCheck, scan_id: int, ts: int) -> dict:
    """What a verify (or an ID check) answers for a logged scan: outcome, disclosure, perks grantable now."""
    count_scan(check.outcome)
    result = {"via": check.via, "outcome": check.outcome, "outcome_zh": OUTCOME_ZH[check.outcome],
              "detail": check.detail, "scenario": device.scenario, "scenario_name": device.scenario_name,
              "checked_at": from_ts(ts), "disclosed": {}, "incentives": []}
    refusal = None
    if check.holder is not None and check.outcome == Outcome.VALID:
        eligible, perks, refusal = grantable(check.holder, rules, local_date(ts), check.used or {})
        if check.via == "card" and not device.card_perks and rules:
            eligible, perks, refusal = False, [], Refusal.LIVE_CODE
        result["disclosed"] = disclose(device.disclosure, check.holder, eligible, perks)
        result["incentives"] = perks
    # Part of the file this answer rests on is being decided (异议/复议/诉讼): the scanner says so, neutrally.
    result["notes"] = [check.holder.mark_note] if check.holder is not None and check.holder.mark_note else []
    if refusal is not None:
        scan_log.note_refusal(scan_id, refusal)
    # The redemption that follows names this scan (scan_id), so the resident sees per scan what was granted.
    result["scan_id"] = scan_id
    return result


BUNDLE_AUDIENCE = "device:{}"


@use_case
def trust_bundle(device: Device) -> dict:
    """A signed bundle for offline verification in this device's scenario, recorded as fetched by it.

    Format 2 (CODE_FORMAT 2): keys, this scenario's slot and scenario key per key, and its incentives
    with their offline bits; nothing about any person. Format 1 adds the revoked and black-listed
    handles (what format-1 codes need), while scanners move over.
    """
    ts = now_ts()
    cursor = latest_cursor()  # read first: everything up to it is in what follows
    ring = keyring()
    max_age = current_app.config["TRUST_BUNDLE_MAX_AGE"]
    keys = ring.published(ts)
    row = TrustBundle(device_id=device.id, issued_at=from_ts(ts), max_age=max_age, kids=[k["kid"] for k in keys])
    db.session.add(row)
    db.session.flush()
    claims = {
        "iss": "信用汕尾", "aud": BUNDLE_AUDIENCE.format(device.id), "bid": row.id, "scenario": device.scenario,
        "iat": ts, "exp": ts + max_age, "max_age": max_age, "code_ttl": current_app.config["CODE_TTL_SECONDS"],
        "keys": keys, "slot": device.slot,
        "scenario_keys": {k["kid"]: b64url(key) for k in keys
                          if (key := scenario_key(ring, k["kid"], device.scenario)) is not None},
        "incentives": [{"code": r.code, "title": r.title, "eligible_grades": r.eligible_grades,
                        "subject_kinds": r.subject_kinds, "quota_count": r.quota_count,
                        "quota_period": r.quota_period, "bit": r.offline_bit,
                        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None}
                       for r in scenario_rules(device.scenario)],
        **_format_1_lists(ts),
        # Printed resident cards live up to a year: the keys that may have signed one, the serials revoked.
        "card_keys": card_jwks(), "revoked_cards": revoked_serials(),
        # The change feed cursor this bundle reflects: a device syncs GET /changes?after=<cursor> from here.
        "changes_cursor": cursor,
    }
    token = qr.sign_document(ring.signer, qr.BUNDLE_TYP, claims)
    return {"bundle": token, "issued_at": from_ts(ts), "max_age": max_age, "scenario": device.scenario,
            "bundle_id": row.id, "changes_cursor": cursor}


def _format_1_lists(ts: int) -> dict:
    """What format-1 codes (handle and grade in clear) need offline; empty once codes are format 2."""
    if current_app.config["CODE_FORMAT"] != 1:
        return {"revoked_subjects": [], "revoked_codes": [], "blocked_subjects": []}
    horizon = from_ts(ts - qr.MAX_CODE_TTL - 2 * qr.LEEWAY)
    revoked = db.session.execute(
        select(Subject.handle, Subject.codes_valid_after).where(Subject.codes_valid_after > horizon)).all()
    blocked = db.session.execute(select(Subject.handle).where(black_listed(local_date(ts)))).scalars().all()
    return {"revoked_subjects": [{"sub": h, "after": int(a.timestamp())} for h, a in revoked],
            "revoked_codes": [], "blocked_subjects": list(blocked)}
