"""Uploading offline scans: deduplicated by the device's own reference, reconciled against quotas, and
trusted only as far as a trust bundle the device actually fetched.

A device's clock is not trusted: an offline scan is verified as of its `scanned_at` only when that
moment lies within the validity of a bundle the server issued to this device (trust_bundles), the
code verifies at that moment under a key that bundle listed (a compromised key never does), and
the upload comes within the bundle's max_age of the scan. Otherwise the scan is recorded as
cannot_verify with the reason, and a perk the device granted is flagged for review, never granted.
"""

from __future__ import annotations

from sqlalchemy import select

import qr
from backend.keys import keyring
from backend.platform import dbio
from backend.platform.clock import from_ts, local_date, now_ts
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden, NotFound
from backend.scanning.checks import CodeCheck, check_code
from backend.scanning.devices import Device
from backend.scanning.models import Scan, TrustBundle
from backend.scanning.redemptions import by_key, claim_slot, find_rule, flag
from backend.scanning.rules import ineligibility
from backend.scanning.vocab import Outcome, Refusal


def _record_once(device: Device, ref: str, check, ts: int) -> int | None:
    """Insert the scan unless this device already uploaded this ref; returns its id, None when not new."""
    return db.session.execute(dbio.conflict_insert(Scan).values(
        device_id=device.id, subject_id=check.holder.id if check.holder else None, jti=check.jti,
        outcome=check.outcome, scanned_at=from_ts(ts), offline=True, client_ref=ref,
    ).on_conflict_do_nothing(index_elements=["device_id", "client_ref"]).returning(Scan.id)).scalar()


def _previous(device: Device, ref: str) -> dict:
    row = by_key(device, f"offline:{ref}")
    if row is None:
        return {"ref": ref, "status": "duplicate"}
    return {"ref": ref, "status": "duplicate", "receipt": row.receipt, "reason": row.flag_reason}


def _bundle(device: Device, bundle_id: int | None, ts: int) -> TrustBundle | None:
    """The bundle the device says it used, else its latest one issued before the scan."""
    if bundle_id is not None:
        row = db.session.get(TrustBundle, bundle_id)
        return row if row is not None and row.device_id == device.id else None
    return db.session.execute(select(TrustBundle).where(
        TrustBundle.device_id == device.id, TrustBundle.issued_at <= from_ts(ts + qr.LEEWAY))
        .order_by(TrustBundle.issued_at.desc()).limit(1)).scalar_one_or_none()


def _untrusted(bundle: TrustBundle | None, ts: int, now: int) -> str | None:
    """Why the scan's moment cannot be trusted (None: it can)."""
    if bundle is None:
        return "no_trust_bundle"
    issued = int(bundle.issued_at.timestamp())
    if not issued - qr.LEEWAY <= ts <= issued + bundle.max_age:
        return "outside_trust_bundle"
    if ts > now + qr.LEEWAY:
        return "scanned_in_the_future"
    if now - ts > bundle.max_age:
        return "uploaded_too_late"
    return None


def _check(device: Device, item: dict, now: int) -> CodeCheck:
    ts = item["scanned_at"]
    bundle = _bundle(device, item.get("bundle"), ts)
    problem = _untrusted(bundle, ts, now)
    if problem is None:
        listed = set(bundle.kids)
        keys = {kid: key for kid, key in keyring().verification_keys(ts).items() if kid in listed}
        return check_code(item["code"], ts, keys=keys)
    # Not trusted as of scanned_at: find whose code it is (for a review flag), never call it valid.
    seen = check_code(item["code"], min(ts, now))
    return CodeCheck(Outcome.CANNOT_VERIFY, detail=problem, jti=seen.jti, holder=seen.holder)


def _one(device: Device, item: dict, now: int) -> dict:
    ref, ts = item["ref"], item["scanned_at"]
    check = _check(device, item, now)
    scan_id = _record_once(device, ref, check, ts)
    if scan_id is None:
        return _previous(device, ref)
    answer = {"ref": ref, "outcome": check.outcome}
    if not item.get("incentive"):
        return {**answer, "status": "recorded"}
    if check.holder is None or check.outcome not in (Outcome.VALID, Outcome.CANNOT_VERIFY):
        return {**answer, "status": "rejected", "reason": check.detail or check.outcome}
    try:
        rule = find_rule(device, item["incentive"])
    except (Forbidden, NotFound) as e:
        return {**answer, "status": "rejected", "reason": e.code}
    key = f"offline:{ref}"
    reason = check.detail if check.outcome == Outcome.CANNOT_VERIFY else ineligibility(rule, check.holder,
                                                                                      local_date(ts))
    row = None if reason else claim_slot(device, rule, check.holder, key, ts, check.jti, scan_id=scan_id, offline=True)
    if row is None:  # granted at the bus already: keep it visible for review, never drop it
        reason = reason or Refusal.OVER_QUOTA
        row = flag(device, rule, check.holder, key, ts, check.jti, reason, scan_id=scan_id)
        return {**answer, "status": "flagged", "reason": reason, "receipt": row.receipt}
    return {**answer, "status": "granted", "receipt": row.receipt}


@use_case
def upload(device: Device, items: list[dict]) -> dict:
    """Reconcile a batch; one answer per item, in order; raises nothing for bad items."""
    now, seen, results = now_ts(), set(), []
    for item in items:
        if item["ref"] in seen:
            results.append({"ref": item["ref"], "status": "duplicate"})
            continue
        seen.add(item["ref"])
        results.append(_one(device, item, now))
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {"items": results, "counts": counts}


