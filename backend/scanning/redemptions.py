"""Granting perks exactly once: quota slots claimed by INSERT … ON CONFLICT DO NOTHING, signed receipts,
each grant linked to the scan it follows (the verify it names, or a scan row of its own)."""

from __future__ import annotations

import hashlib
import json
import secrets

from flask import current_app
from sqlalchemy import select, update

import qr
from backend.keys import keyring
from backend.platform import dbio
from backend.platform.clock import from_ts, local_date, now_ts
from backend.platform.crypto import keyed_hash
from backend.platform.db import commit_then_raise, db, on_commit, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.platform.observability.metrics import count_redemption
from backend.scanning.checks import CodeCheck, check_code
from backend.scanning.devices import Device, scenario_rules
from backend.scanning.id_checks import check_by_id
from backend.scanning.models import Incentive, Redemption, Scan
from backend.scanning.rules import Holder, Rule, ineligibility, period_key
from backend.scanning.verification import record_scan
from backend.scanning.vocab import OUTCOME_ZH, REASON_ZH, Outcome, RedemptionStatus, Refusal

# A grant may follow its verify by this much (a hotel desk fills in forms between the two).
LINK_WINDOW_SECONDS = 600
SCAN_PROBLEM_ZH = {"unknown_scan": "没有这次核验", "other_subject": "核验的不是这位市民，或当时信用码无效",
                   "scan_too_old": "核验已超过 10 分钟"}


def find_rule(device: Device, incentive: str) -> Rule:
    """The active incentive this device may grant; raises NotFound or Forbidden."""
    for rule in scenario_rules(device.scenario):
        if rule.code == incentive:
            if rule.partner_id != device.partner_id:
                raise Forbidden("该优惠由其他合作单位发放，本设备不能发放。", code="wrong_partner")
            return rule
    if db.session.execute(select(Incentive.id).where(Incentive.code == incentive)).first() is None:
        raise NotFound(f"没有代码为 {incentive!r} 的优惠。")
    raise Forbidden(f"优惠 {incentive!r} 不在本设备的场景（{device.scenario_name}）中发放，或已停用。",
                    code="wrong_scenario")


def linked_scan(device: Device, check: CodeCheck, ts: int, scan_id: int | None) -> int | None:
    """The given scan id once it is this device's recent valid scan of the same subject; raises InvalidInput."""
    if scan_id is None:
        return None
    row = db.session.execute(select(Scan.device_id, Scan.subject_id, Scan.outcome, Scan.scanned_at)
                             .where(Scan.id == scan_id)).first()
    if row is None or row.device_id != device.id:  # another device's scans are not revealed
        problem = "unknown_scan"
    elif row.outcome != Outcome.VALID or row.subject_id != check.holder.id:
        problem = "other_subject"
    elif not 0 <= ts - int(row.scanned_at.timestamp()) <= LINK_WINDOW_SECONDS:
        problem = "scan_too_old"
    else:
        return scan_id
    raise InvalidInput(f"scan_id 不是本设备 10 分钟内对这张信用码的核验（{SCAN_PROBLEM_ZH[problem]}）。",
                       code="invalid_scan", details={"field": "scan_id", "reason": problem})


def scan_for(device: Device, check: CodeCheck, ts: int, scan_id: int | None, refusal: str | None = None) -> int:
    """The linked scan (noting the refusal on it), or a new scan row for a redemption that named none."""
    if scan_id is None:
        return record_scan(device, check, ts, refusal=refusal)
    if refusal is not None:
        db.session.execute(update(Scan).where(Scan.id == scan_id).values(refusal=refusal))
    return scan_id


def _receipt(device: Device, rule: Rule, key: str, slot: int | None, ts: int, status: str, jti: str | None) -> str:
    """The signed proof of a grant, for the device that granted it (aud). It names the code (its id: a format-2
    code's pseudonym), never the holder: a partner keeping receipts cannot link one person's visits."""
    claims = {"rid": secrets.token_urlsafe(9), "inc": rule.code, "sub": jti, "dev": device.id,
              "aud": f"device:{device.id}", "per": period_key(rule.quota_period, local_date(ts)), "slot": slot,
              "st": status, "iat": ts, "exp": ts + current_app.config["RECEIPT_TTL_SECONDS"], "idem": key}
    return qr.sign_document(keyring().signer, qr.RECEIPT_TYP, claims)


def claim_slot(device: Device, rule: Rule, holder: Holder, key: str, ts: int, jti: str | None,
               *, scan_id: int | None, offline: bool = False, request_hash: str | None = None) -> Redemption | None:
    """Insert into the first free slot 1..quota; None when all are taken (the unique key decides, not Python)."""
    per = period_key(rule.quota_period, local_date(ts))
    for slot in range(1, rule.quota_count + 1):
        row_id = db.session.execute(dbio.conflict_insert(Redemption).values(
            incentive_id=rule.id, subject_id=holder.id, device_id=device.id, period_key=per, slot=slot,
            idempotency_key=key, granted_at=from_ts(ts), jti=jti, status=RedemptionStatus.GRANTED.value,
            offline=offline, scan_id=scan_id, request_hash=request_hash,
            receipt=_receipt(device, rule, key, slot, ts, RedemptionStatus.GRANTED, jti),
        ).on_conflict_do_nothing().returning(Redemption.id)).scalar()
        if row_id is not None:
            return db.session.get(Redemption, row_id)
    return None


def flag(device: Device, rule: Rule, holder: Holder, key: str, ts: int, jti: str | None, reason: str,
         *, scan_id: int | None) -> Redemption:
    """Record an offline grant the server would have refused, for review (no slot)."""
    row_id = db.session.execute(dbio.conflict_insert(Redemption).values(
        incentive_id=rule.id, subject_id=holder.id, device_id=device.id,
        period_key=period_key(rule.quota_period, local_date(ts)), slot=None, idempotency_key=key,
        granted_at=from_ts(ts), jti=jti, status=RedemptionStatus.FLAGGED.value, flag_reason=reason, offline=True,
        scan_id=scan_id, receipt=_receipt(device, rule, key, None, ts, RedemptionStatus.FLAGGED, jti),
    ).on_conflict_do_nothing().returning(Redemption.id)).scalar()
    return db.session.get(Redemption, row_id) if row_id else by_key(device, key)


def by_key(device: Device, key: str) -> Redemption | None:
    return db.session.execute(select(Redemption).where(
        Redemption.device_id == device.id, Redemption.idempotency_key == key)).scalar_one_or_none()


def _answer(row: Redemption, rule: Rule, replayed: bool) -> dict:
    return {"status": row.status, "incentive": {"code": rule.code, "title": rule.title},
            "period_key": row.period_key, "slot": row.slot, "granted_at": row.granted_at,
            "receipt": row.receipt, "replayed": replayed, "scan_id": row.scan_id}


def request_hash(code: str | None, incentive: str, scan_id: int | None, id_number: str | None = None) -> str:
    """What a retry must repeat exactly for its Idempotency-Key to replay the first answer."""
    parts = [code, incentive, scan_id] if id_number is None else [keyed_hash("redeem-id:" + id_number), incentive,
                                                                  scan_id]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _replay(device: Device, rule: Rule, key: str, digest: str) -> dict | None:
    """The earlier answer for this Idempotency-Key; raises InvalidInput when the key came with another request."""
    row = by_key(device, key)
    if row is None:
        return None
    if row.incentive_id != rule.id or (row.request_hash is not None and row.request_hash != digest):
        raise InvalidInput("这个 Idempotency-Key 已用于另一个请求内容，请为每次发放生成新的键。",
                           code="idempotency_key_reused")
    return _answer(row, rule, True)


@use_case
def redeem(device: Device, code: str | None, incentive: str, key: str, scan_id: int | None = None,
           id_number: str | None = None) -> tuple[dict, int]:
    """Grant once within quota, linked to the scan it follows (scan_id from verify) or to a scan of its own.
    The resident is named by a code (phone or printed card) or, where the scenario allows, an ID number.

    Raises Forbidden, InvalidInput (bad code, bad scan_id) or Conflict (ineligible, over quota); a refusal
    is kept on the scan (committed before the error is raised: the resident sees why).
    """
    rule = find_rule(device, incentive)
    digest = request_hash(code, incentive, scan_id, id_number)
    if (done := _replay(device, rule, key, digest)) is not None:
        count_redemption("replayed")
        return done, 200
    ts = now_ts()
    check = check_by_id(device, id_number, ts, []) if id_number is not None else check_code(code, ts)
    if check.holder is None or check.outcome != Outcome.VALID:
        count_redemption("refused", "code_rejected")
        raise InvalidInput(f"该信用码不能受理：{OUTCOME_ZH[check.outcome]}。", code="code_rejected",
                           details={"outcome": check.outcome})
    scan_id = linked_scan(device, check, ts, scan_id)
    reason = ineligibility(rule, check.holder, local_date(ts))
    if reason is None and check.via == "card" and not device.card_perks:
        reason = Refusal.LIVE_CODE
    if reason is not None:
        scan_for(device, check, ts, scan_id, refusal=reason)  # kept on the scan: the resident sees why
        count_redemption("refused", reason)
        commit_then_raise(Conflict(REASON_ZH[reason], code="ineligible", details={"reason": reason}))
    row = claim_slot(device, rule, check.holder, key, ts, check.jti, scan_id=scan_for(device, check, ts, scan_id),
                     request_hash=digest)
    if row is None:
        db.session.rollback()
        # A concurrent request with the same key may have taken the slot: answer as its retry.
        if (done := _replay(device, rule, key, digest)) is not None:
            count_redemption("replayed")
            return done, 200
        scan_for(device, check, ts, scan_id, refusal=Refusal.OVER_QUOTA)
        count_redemption("refused", Refusal.OVER_QUOTA)
        commit_then_raise(Conflict(REASON_ZH[Refusal.OVER_QUOTA], code="over_quota",
                                   details={"reason": Refusal.OVER_QUOTA, "quota_count": rule.quota_count,
                                            "quota_period": rule.quota_period}))
    on_commit(lambda: count_redemption("granted"))
    return _answer(row, rule, False), 201
