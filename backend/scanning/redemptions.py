"""Granting perks exactly once: quota slots claimed by INSERT … ON CONFLICT DO NOTHING, signed receipts."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

import qr
from backend.platform.clock import from_ts, now_ts
from backend.platform.extensions import db
from backend.platform.observability.metrics import count_redemption
from backend.models import Incentive, Redemption
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.scanning.scan_links import linked_scan, scan_for
from backend.scanning.devices import (CodeCheck, Device, Holder, Rule, check_code, ineligibility, period_key,
    scenario_rules)
from backend.keys.keyring import keyring

REASON_ZH = {
    "grade": "信用等级不符合条件", "subject_kind": "该主体类型不适用", "blacklisted": "已列入失信联合惩戒名单",
    "not_started": "活动尚未开始", "ended": "活动已结束", "over_quota": "本期次数已用完",
}


def _insert():
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(Redemption)


def find_rule(device: Device, incentive: str) -> Rule:
    """The active incentive this device may grant; raises NotFound or Forbidden."""
    for rule in scenario_rules(device.scenario):
        if rule.code == incentive:
            if rule.partner_id != device.partner_id:
                raise Forbidden("this incentive is granted by another partner", code="wrong_partner")
            return rule
    if db.session.execute(select(Incentive.id).where(Incentive.code == incentive)).first() is None:
        raise NotFound(f"no incentive {incentive!r}")
    raise Forbidden(f"incentive {incentive!r} is not active in scenario {device.scenario}", code="wrong_scenario")


def _receipt(device: Device, rule: Rule, holder: Holder, key: str, slot: int | None, ts: int,
             status: str, jti: str | None) -> str:
    claims = {"rid": secrets.token_urlsafe(9), "inc": rule.code, "sub": holder.handle, "dev": device.id,
              "per": period_key(rule.quota_period, ts), "slot": slot, "st": status, "iat": ts, "jti": jti,
              "idem": key}
    return qr.sign_document(keyring().signer, qr.RECEIPT_TYP, claims)


def claim_slot(device: Device, rule: Rule, holder: Holder, key: str, ts: int, jti: str | None,
               *, scan_id: int | None, offline: bool = False) -> Redemption | None:
    """Insert into the first free slot 1..quota; None when all are taken (the unique key decides, not Python)."""
    per = period_key(rule.quota_period, ts)
    for slot in range(1, rule.quota_count + 1):
        row_id = db.session.execute(_insert().values(
            incentive_id=rule.id, subject_id=holder.id, device_id=device.id, period_key=per, slot=slot,
            idempotency_key=key, granted_at=from_ts(ts), jti=jti, status="granted", offline=offline, scan_id=scan_id,
            receipt=_receipt(device, rule, holder, key, slot, ts, "granted", jti),
        ).on_conflict_do_nothing().returning(Redemption.id)).scalar()
        if row_id is not None:
            return db.session.get(Redemption, row_id)
    return None


def flag(device: Device, rule: Rule, holder: Holder, key: str, ts: int, jti: str | None, reason: str,
         *, scan_id: int | None) -> Redemption:
    """Record an offline grant the server would have refused, for review (no slot)."""
    row_id = db.session.execute(_insert().values(
        incentive_id=rule.id, subject_id=holder.id, device_id=device.id, period_key=period_key(rule.quota_period, ts),
        slot=None, idempotency_key=key, granted_at=from_ts(ts), jti=jti, status="flagged", flag_reason=reason,
        offline=True, scan_id=scan_id, receipt=_receipt(device, rule, holder, key, None, ts, "flagged", jti),
    ).on_conflict_do_nothing().returning(Redemption.id)).scalar()
    return db.session.get(Redemption, row_id) if row_id else by_key(device, key)


def by_key(device: Device, key: str) -> Redemption | None:
    return db.session.execute(select(Redemption).where(
        Redemption.device_id == device.id, Redemption.idempotency_key == key)).scalar_one_or_none()


def _answer(row: Redemption, rule: Rule, replayed: bool) -> dict:
    return {"status": row.status, "incentive": {"code": rule.code, "title": rule.title},
            "period_key": row.period_key, "slot": row.slot, "granted_at": row.granted_at,
            "receipt": row.receipt, "replayed": replayed, "scan_id": row.scan_id}


def _replay(device: Device, rule: Rule, key: str) -> dict | None:
    """The earlier answer for this Idempotency-Key; raises Conflict when the key was used for another perk."""
    row = by_key(device, key)
    if row is None:
        return None
    if row.incentive_id != rule.id:
        raise Conflict("this Idempotency-Key was already used for another incentive", code="idempotency_key_reused")
    return _answer(row, rule, True)


def _refuse(device: Device, check: CodeCheck, ts: int, scan_id: int | None, reason: str) -> None:
    """Keep the refusal on the scan (the resident sees it), commit; the caller raises."""
    scan_for(device, check, ts, scan_id, refusal=reason)
    db.session.commit()


def redeem(device: Device, code: str, incentive: str, key: str, scan_id: int | None = None) -> tuple[dict, int]:
    """Grant once within quota, linked to the scan it follows (scan_id from verify) or to a scan of its own.

    Raises Forbidden, InvalidInput (bad code, bad scan_id) or Conflict (ineligible, over quota).
    """
    rule = find_rule(device, incentive)
    if (done := _replay(device, rule, key)) is not None:
        count_redemption("replayed")
        return done, 200
    ts = now_ts()
    check = check_code(code, ts)
    if check.holder is None or check.outcome != "valid":
        count_redemption("refused", "code_rejected")
        raise InvalidInput(f"the code cannot be accepted: {check.outcome}", code="code_rejected",
                           details={"outcome": check.outcome})
    scan_id = linked_scan(device, check, ts, scan_id)
    if (reason := ineligibility(rule, check.holder, ts)) is not None:
        _refuse(device, check, ts, scan_id, reason)
        count_redemption("refused", reason)
        raise Conflict(REASON_ZH[reason], code="ineligible", details={"reason": reason})
    row = claim_slot(device, rule, check.holder, key, ts, check.jti, scan_id=scan_for(device, check, ts, scan_id))
    if row is None:
        db.session.rollback()
        # A concurrent request with the same key may have taken the slot: answer as its retry.
        if (done := _replay(device, rule, key)) is not None:
            count_redemption("replayed")
            return done, 200
        _refuse(device, check, ts, scan_id, "over_quota")
        count_redemption("refused", "over_quota")
        raise Conflict(REASON_ZH["over_quota"], code="over_quota",
                       details={"reason": "over_quota", "quota_count": rule.quota_count,
                                "quota_period": rule.quota_period})
    db.session.commit()
    count_redemption("granted")
    return _answer(row, rule, False), 201
