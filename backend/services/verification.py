"""POST /verify and the trust bundle: outcome, disclosure by scenario, grantable perks; every scan recorded."""

from __future__ import annotations

import functools

from flask import current_app
from sqlalchemy import bindparam, insert, select

import qr
from backend import dbio
from backend.clock import from_ts, now_ts
from backend.extensions import db
from backend.models import GRADE_ZH, RevokedCode, Scan, Subject
from backend.services.errors import Forbidden
from backend.services.scanning import (Device, Holder, Rule, _black_listed, check_code, ineligibility,
                                       local_time, scenario_rules)
from backend.services.signing_keys import keyring

OUTCOME_ZH = {
    "valid": "验证通过", "expired": "二维码已过期", "bad_signature": "二维码签名无效",
    "unknown_key": "二维码密钥未知", "malformed": "不是有效的信用码", "revoked": "二维码已作废",
    "cannot_verify": "暂时无法验证",
}


def require_scenario(device: Device, scenario: str | None) -> None:
    """Raises Forbidden when a device acts outside its scenario."""
    if scenario is not None and scenario != device.scenario:
        raise Forbidden(f"this device is registered for scenario {device.scenario}, not {scenario}",
                        code="wrong_scenario")


def grantable(holder: Holder, rules: list[Rule], ts: int, used: dict[int, int]) -> tuple[bool, list[dict], str | None]:
    """Whether the holder qualifies for any perk here, the perks with quota left now, and else why none."""
    reasons = [(r, ineligibility(r, holder, ts)) for r in rules]
    eligible = [r for r, why in reasons if why is None]
    perks = [{"code": r.code, "title": r.title, "description": r.description,
              "quota_period": r.quota_period, "remaining": r.quota_count - used.get(r.id, 0)}
             for r in eligible]
    perks = [p for p in perks if p["remaining"] > 0]
    refusal = None if perks or not rules else ("over_quota" if eligible else reasons[0][1])
    return bool(eligible), perks, refusal


def disclose(device: Device, holder: Holder, eligible: bool, perks: list[dict]) -> dict:
    """Only the fields this scenario's profile lists; an id number is never among them."""
    shown: dict = {}
    for field in device.disclosure:
        if field == "eligibility":
            shown["eligible"] = eligible
        elif field == "discount":
            shown["discount"] = [p["title"] for p in perks]
        elif field == "masked_name" and holder.kind == "person":
            shown["masked_name"] = holder.display_name
        elif field == "grade":
            shown["grade"] = GRADE_ZH[holder.grade]
    return shown


_SCAN_COLUMNS = ("device_id", "subject_id", "jti", "outcome", "scanned_at", "refusal")


@functools.lru_cache(maxsize=4)
def _insert_scan(relaxed: bool, dialect: str):
    """INSERT INTO scans … SELECT <bound values> RETURNING id; built once per variant.

    relaxed: its own transaction commits without waiting for the WAL (verify only; never
    inside a redemption's transaction, whose durability must not be relaxed).
    """
    values = select(*(bindparam(c, type_=Scan.__table__.c[c].type) for c in _SCAN_COLUMNS))
    if relaxed:
        values = dbio.without_wal_wait(values)
    table = Scan.__table__  # a Core insert: the ORM would treat the parameters as a bulk insert
    return insert(table).from_select([table.c[c] for c in _SCAN_COLUMNS], values).returning(table.c.id)


def record_scan(device: Device, check, ts: int, *, refusal: str | None = None) -> int:
    """Insert the scan row in the caller's transaction and return its id (Core, RETURNING: one statement)."""
    return db.session.execute(_insert_scan(False, db.engine.dialect.name), _scan_params(device, check, ts, refusal)).scalar_one()


def _scan_params(device: Device, check, ts: int, refusal: str | None) -> dict:
    return {"device_id": device.id, "subject_id": check.holder.id if check.holder else None, "jti": check.jti,
            "outcome": check.outcome, "scanned_at": from_ts(ts), "refusal": refusal}


def verify(device: Device, code: str, scenario: str | None = None) -> dict:
    """Check a code at this device and record the scan; raises Forbidden for another scenario.

    Two statements on PostgreSQL, each its own autocommit transaction (backend.dbio): the
    holder with its flags and quota use, then the scan insert. This is the hottest endpoint.
    """
    require_scenario(device, scenario)
    ts = now_ts()
    rules = scenario_rules(device.scenario)
    check = check_code(code, ts, rules)
    result = {"outcome": check.outcome, "outcome_zh": OUTCOME_ZH[check.outcome], "detail": check.detail,
              "scenario": device.scenario, "scenario_name": device.scenario_name, "checked_at": from_ts(ts),
              "disclosed": {}, "incentives": []}
    refusal = None
    if check.holder is not None and check.outcome == "valid":
        eligible, perks, refusal = grantable(check.holder, rules, ts, check.used or {})
        result["disclosed"] = disclose(device, check.holder, eligible, perks)
        result["incentives"] = perks
    # The redemption that follows names this scan (scan_id), so the resident sees per scan what was granted.
    result["scan_id"] = dbio.insert_returning(_insert_scan(True, db.engine.dialect.name),
                                              _scan_params(device, check, ts, refusal))
    return result


def trust_bundle(device: Device) -> dict:
    """A signed bundle for offline verification in this device's scenario; raises nothing."""
    ts = now_ts()
    horizon = from_ts(ts - qr.MAX_CODE_TTL - 2 * qr.LEEWAY)
    revoked_subjects = db.session.execute(
        select(Subject.handle, Subject.codes_valid_after).where(Subject.codes_valid_after > horizon)).all()
    revoked_codes = db.session.execute(
        select(RevokedCode.jti).where(RevokedCode.expires_at > from_ts(ts - qr.LEEWAY))).scalars().all()
    blocked = db.session.execute(
        select(Subject.handle).where(_black_listed(local_time(ts).date()))).scalars().all()
    max_age = current_app.config["TRUST_BUNDLE_MAX_AGE"]
    claims = {
        "iss": "信用汕尾", "scenario": device.scenario, "iat": ts, "max_age": max_age,
        "code_ttl": current_app.config["CODE_TTL_SECONDS"], "keys": keyring().published(ts),
        "revoked_subjects": [{"sub": h, "after": int(a.timestamp())} for h, a in revoked_subjects],
        "revoked_codes": list(revoked_codes), "blocked_subjects": list(blocked),
        "incentives": [{"code": r.code, "title": r.title, "eligible_grades": r.eligible_grades,
                        "subject_kinds": r.subject_kinds, "quota_count": r.quota_count,
                        "quota_period": r.quota_period,
                        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None}
                       for r in scenario_rules(device.scenario)],
    }
    token = qr.sign_document(keyring().signer, qr.BUNDLE_TYP, claims)
    return {"bundle": token, "issued_at": from_ts(ts), "max_age": max_age, "scenario": device.scenario}
