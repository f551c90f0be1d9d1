"""Uploading offline scans: deduplicated by the device's own reference, reconciled against quotas."""

from __future__ import annotations

from flask import current_app

import qr
from backend.platform import dbio
from backend.platform.clock import from_ts, local_date, now_ts
from backend.platform.db import db, use_case
from backend.platform.errors import Forbidden, NotFound
from backend.scanning.checks import CodeCheck, check_code
from backend.scanning.devices import Device
from backend.scanning.models import Scan
from backend.scanning.redemptions import by_key, claim_slot, find_rule, flag
from backend.scanning.rules import ineligibility
from backend.scanning.vocab import Outcome, Refusal

# How far back an offline scan may be dated: a bundle's maximum age plus a day of upload delay.
UPLOAD_DELAY_SECONDS = 86400


def _record_once(device: Device, ref: str, check, ts: int) -> int | None:
    """Insert the scan unless this device already uploaded this ref; returns its id, None when not new."""
    return db.session.execute(dbio.conflict_insert(Scan).values(
        device_id=device.id, subject_id=check.holder.id if check.holder else None, jti=check.jti,
        outcome=check.outcome, scanned_at=from_ts(ts), offline=True, client_ref=ref,
    ).on_conflict_do_nothing().returning(Scan.id)).scalar()


def _previous(device: Device, ref: str) -> dict:
    row = by_key(device, f"offline:{ref}")
    if row is None:
        return {"ref": ref, "status": "duplicate"}
    return {"ref": ref, "status": "duplicate", "receipt": row.receipt, "reason": row.flag_reason}


def _one(device: Device, item: dict, now: int) -> dict:
    ref, ts = item["ref"], item["scanned_at"]
    oldest = now - current_app.config["TRUST_BUNDLE_MAX_AGE"] - UPLOAD_DELAY_SECONDS
    if oldest <= ts <= now + qr.LEEWAY:
        check = check_code(item["code"], ts)
    else:
        check = CodeCheck(Outcome.CANNOT_VERIFY, detail="scanned_at_out_of_range")
    scan_id = _record_once(device, ref, check, ts)
    if scan_id is None:
        return _previous(device, ref)
    answer = {"ref": ref, "outcome": check.outcome}
    if not item.get("incentive"):
        return {**answer, "status": "recorded"}
    if check.outcome != Outcome.VALID or check.holder is None:
        return {**answer, "status": "rejected", "reason": check.detail or check.outcome}
    try:
        rule = find_rule(device, item["incentive"])
    except (Forbidden, NotFound) as e:
        return {**answer, "status": "rejected", "reason": e.code}
    key = f"offline:{ref}"
    reason = ineligibility(rule, check.holder, local_date(ts))
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
