"""Scanner devices and code checks: who is scanning, is the code good, what may be disclosed and granted."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Date, bindparam, exists, func, or_, select

import qr
from backend.platform import dbio
from backend.platform.clock import from_ts
from backend.platform.extensions import db
from backend.models import Incentive, ListEntry, Redemption, RevokedCode, ScannerDevice, Scenario, Subject
from backend.platform.crypto import credential_hash
from backend.platform.errors import Unauthorized
from backend.keys.keyring import keyring

CHINA = qr.offline.CHINA


@dataclass(frozen=True)
class Device:
    id: int
    partner_id: int
    scenario: str
    scenario_name: str
    disclosure: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Rule:
    id: int
    code: str
    scenario: str
    partner_id: int
    title: str
    description: str | None
    eligible_grades: str
    subject_kinds: str
    quota_count: int
    quota_period: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class Holder:
    """The subject behind a valid code, as the scan path needs it."""

    id: int
    handle: str
    kind: str
    display_name: str
    grade: str
    blocked: bool


@dataclass(frozen=True)
class CodeCheck:
    outcome: str
    detail: str | None = None
    jti: str | None = None
    holder: Holder | None = None
    used: dict[int, int] | None = None  # granted count per rule id this period (rules passed to check_code)


def _cached(name: str, key, load):
    """Per-worker cache with SCAN_CACHE_SECONDS lifetime (0 disables it)."""
    ttl = current_app.config["SCAN_CACHE_SECONDS"]
    store = current_app.extensions.setdefault(name, {})
    hit = store.get(key)
    if hit is not None and time.monotonic() - hit[1] < ttl:
        return hit[0]
    value = load()
    store[key] = (value, time.monotonic())
    return value


def forget_cached() -> None:
    """Drop this worker's device and rule caches (after a revocation or an edit)."""
    current_app.extensions.pop("scan_devices", None)
    current_app.extensions.pop("scan_rules", None)


def authenticate_device(token: str) -> Device:
    """The active device holding this token; raises Unauthorized."""
    def load():
        row = db.session.execute(
            select(ScannerDevice.id, ScannerDevice.partner_id, ScannerDevice.scenario, Scenario.name_zh,
                   Scenario.disclosure, ScannerDevice.name)
            .join(Scenario, Scenario.code == ScannerDevice.scenario)
            .where(ScannerDevice.token_hash == credential_hash(token), ScannerDevice.revoked_at.is_(None))
        ).first()
        return None if row is None else Device(row[0], row[1], row[2], row[3], tuple(row[4] or ()), row[5])

    device = _cached("scan_devices", credential_hash(token), load)
    if device is None:
        raise Unauthorized("invalid or revoked device token", code="invalid_device")
    return device


def scenario_rules(scenario: str) -> list[Rule]:
    """Active incentives of a scenario (cached per worker)."""
    def load():
        rows = db.session.execute(select(Incentive).where(Incentive.scenario == scenario,
                                                          Incentive.active.is_(True))
                                  .order_by(Incentive.id)).scalars().all()
        return [Rule(r.id, r.code, r.scenario, r.partner_id, r.title, r.description, r.eligible_grades,
                     r.subject_kinds, r.quota_count, r.quota_period, r.valid_from, r.valid_to) for r in rows]

    return _cached("scan_rules", scenario, load)


def local_time(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, CHINA)


def period_key(period: str, ts: int) -> str:
    """The quota period a moment falls in, in China time: 'once', '2026-06-01', '2026-W22', '2026-06'."""
    day = local_time(ts).date()
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return "once"


def ineligibility(rule: Rule, holder: Holder, ts: int) -> str | None:
    """Why this holder may not get this perk now (None: eligible); the current grade decides."""
    today = local_time(ts).date()
    if rule.valid_from and today < rule.valid_from:
        return "not_started"
    if rule.valid_to and today > rule.valid_to:
        return "ended"
    if holder.blocked:
        return "blacklisted"
    if holder.kind not in rule.subject_kinds.split(","):
        return "subject_kind"
    if holder.grade not in rule.eligible_grades:
        return "grade"
    return None


def _black_listed(today: dt.date):
    return exists().where(ListEntry.subject_id == Subject.id, ListEntry.list_type == "black",
                          ListEntry.removed_at.is_(None), ListEntry.starts_on <= today,
                          or_(ListEntry.ends_on.is_(None), ListEntry.ends_on >= today))


@functools.lru_cache(maxsize=32)
def _holder_query(n_rules: int):
    """Subject, black-list and revocation flags, and the granted count per rule: one statement.

    Built once per rule count (values are bound parameters), so the hot path pays no
    statement construction; the counts use the redemptions' unique (incentive, subject,
    period, slot) index.
    """
    today = bindparam("today", type_=Date)
    black = exists().where(ListEntry.subject_id == Subject.id, ListEntry.list_type == "black",
                           ListEntry.removed_at.is_(None), ListEntry.starts_on <= today,
                           or_(ListEntry.ends_on.is_(None), ListEntry.ends_on >= today))
    used = [select(func.count()).where(
        Redemption.incentive_id == bindparam(f"inc{i}"), Redemption.subject_id == Subject.id,
        Redemption.period_key == bindparam(f"per{i}"), Redemption.status == "granted").scalar_subquery()
        .label(f"used{i}") for i in range(n_rules)]
    return select(Subject.id, Subject.handle, Subject.kind, Subject.display_name, Subject.grade,
                  Subject.codes_valid_after, black.label("blocked"),
                  exists().where(RevokedCode.jti == bindparam("jti")).label("jti_revoked"),
                  *used).where(Subject.handle == bindparam("sub"))


def holder_params(claims: qr.CodeClaims, rules: Sequence[Rule], ts: int) -> dict:
    """Bound values for _holder_query."""
    params = {"sub": claims.sub, "jti": claims.jti, "today": local_time(ts).date()}
    for i, rule in enumerate(rules):
        params[f"inc{i}"], params[f"per{i}"] = rule.id, period_key(rule.quota_period, ts)
    return params


def code_check_from_row(claims: qr.CodeClaims, rules: Sequence[Rule], row) -> CodeCheck:
    """The outcome for a verified code given its _holder_query row (None: unknown subject)."""
    if row is None:
        return CodeCheck("revoked", detail="unknown_subject", jti=claims.jti)
    if row[7] or (row[5] is not None and from_ts(issued_at(claims)) < row[5]):
        return CodeCheck("revoked", detail="revoked", jti=claims.jti)
    used = {rule.id: count for rule, count in zip(rules, row[8:]) if count}
    return CodeCheck("valid", jti=claims.jti, holder=Holder(*row[:5], blocked=bool(row[6])), used=used)


def issued_at(claims: qr.CodeClaims) -> int:
    """When a code was signed: exp − its lifetime (codes carry no iat, see qr.codes)."""
    return claims.expires_at - min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)


def check_code(code: str, ts: int, rules: Sequence[Rule] = ()) -> CodeCheck:
    """Verify signature, expiry and revocation, load the holder and its use of `rules` (one read); raises nothing."""
    try:
        claims = qr.verify_code(code, keyring().verification_keys(ts), now=ts)
    except qr.CodeError as e:
        return CodeCheck(qr.scan_outcome(e), detail=e.outcome)
    row = dbio.first(_holder_query(len(rules)), holder_params(claims, rules, ts))
    return code_check_from_row(claims, rules, row)
