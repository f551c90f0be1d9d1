"""POST /verify and the trust bundle: outcome, disclosure by scenario, grantable perks; every scan recorded."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

import qr
from backend.platform.clock import from_ts, now_ts
from backend.platform.extensions import db
from backend.platform.observability.metrics import count_scan
from backend.models import GRADE_ZH, RevokedCode, Subject
from backend.scanning import scan_log
from backend.platform.errors import Forbidden
from backend.scanning.devices import Device, Holder, Rule, _black_listed, ineligibility, local_time, scenario_rules
from backend.keys.keyring import keyring

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


def record_scan(device: Device, check, ts: int, *, refusal: str | None = None) -> int:
    """Insert the scan row in the caller's transaction (fully durable) and return its id."""
    return db.session.execute(scan_log.insert_scan(False), scan_log.scan_values(device, check, ts, refusal)).scalar_one()


def verify(device: Device, code: str, scenario: str | None = None) -> dict:
    """Check a code at this device and record the scan; raises Forbidden for another scenario.

    The hottest endpoint: on PostgreSQL one statement reads the holder and logs the scan
    (backend.services.scan_log); a refusal reason costs a second one.
    """
    require_scenario(device, scenario)
    ts = now_ts()
    rules = scenario_rules(device.scenario)
    check, scan_id = scan_log.check_and_log(device, code, ts, rules)
    count_scan(check.outcome)
    result = {"outcome": check.outcome, "outcome_zh": OUTCOME_ZH[check.outcome], "detail": check.detail,
              "scenario": device.scenario, "scenario_name": device.scenario_name, "checked_at": from_ts(ts),
              "disclosed": {}, "incentives": []}
    refusal = None
    if check.holder is not None and check.outcome == "valid":
        eligible, perks, refusal = grantable(check.holder, rules, ts, check.used or {})
        result["disclosed"] = disclose(device, check.holder, eligible, perks)
        result["incentives"] = perks
    if refusal is not None:
        scan_log.note_refusal(scan_id, refusal)
    # The redemption that follows names this scan (scan_id), so the resident sees per scan what was granted.
    result["scan_id"] = scan_id
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
