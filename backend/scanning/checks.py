"""Is this code good, and whose is it: signature, expiry and revocation, then the holder with its
black-list flag and quota use, in one read. The SQL form of the revocation rule (scan_log, on
PostgreSQL) sits beside the Python form here (code_check_from_row) so the two stay the same."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Date, bindparam, exists, func, select

import qr
from backend.credit import ListEntry, ListType, Subject
from backend.keys import keyring
from backend.platform import dbio
from backend.platform.clock import from_ts, local_date
from backend.scanning.models import Redemption, RevokedCode
from backend.scanning.rules import Holder, Rule, period_key
from backend.scanning.vocab import Outcome, RedemptionStatus


@dataclass(frozen=True)
class CodeCheck:
    outcome: str
    detail: str | None = None
    jti: str | None = None
    holder: Holder | None = None
    used: dict[int, int] | None = None  # granted count per rule id this period (rules passed to check_code)


def black_listed(day):
    """EXISTS an active black-list entry of the subject on `day` (a date or a bound parameter)."""
    return exists().where(ListEntry.subject_id == Subject.id, ListEntry.list_type == ListType.BLACK,
                          ListEntry.active_on(day))


@functools.lru_cache(maxsize=32)
def holder_query(n_rules: int):
    """Subject, black-list and revocation flags, and the granted count per rule: one statement.

    Built once per rule count (values are bound parameters), so the hot path pays no
    statement construction; the counts use the redemptions' unique (incentive, subject,
    period, slot) index.
    """
    used = [select(func.count()).where(
        Redemption.incentive_id == bindparam(f"inc{i}"), Redemption.subject_id == Subject.id,
        Redemption.period_key == bindparam(f"per{i}"), Redemption.status == RedemptionStatus.GRANTED)
        .scalar_subquery().label(f"used{i}") for i in range(n_rules)]
    return select(Subject.id, Subject.handle, Subject.kind, Subject.display_name, Subject.grade,
                  Subject.codes_valid_after, black_listed(bindparam("today", type_=Date)).label("blocked"),
                  exists().where(RevokedCode.jti == bindparam("jti")).label("jti_revoked"),
                  *used).where(Subject.handle == bindparam("sub"))


def holder_params(claims: qr.CodeClaims, rules: Sequence[Rule], ts: int) -> dict:
    """Bound values for holder_query."""
    day = local_date(ts)
    params: dict = {"sub": claims.sub, "jti": claims.jti, "today": day}
    for i, rule in enumerate(rules):
        params[f"inc{i}"], params[f"per{i}"] = rule.id, period_key(rule.quota_period, day)
    return params


def issued_at(claims: qr.CodeClaims) -> int:
    """When a code was signed: exp − its lifetime (codes carry no iat, see qr.codes)."""
    return claims.expires_at - min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)


def code_check_from_row(claims: qr.CodeClaims, rules: Sequence[Rule], row) -> CodeCheck:
    """The outcome for a verified code given its holder_query row (None: unknown subject).

    Revoked when the code's own jti is revoked, or it was issued before the holder's
    codes_valid_after (lost phone); scan_log's SQL applies the same rule.
    """
    if row is None:
        return CodeCheck(Outcome.REVOKED, detail="unknown_subject", jti=claims.jti)
    valid_after: dt.datetime | None = row.codes_valid_after
    if row.jti_revoked or (valid_after is not None and from_ts(issued_at(claims)) < valid_after):
        return CodeCheck(Outcome.REVOKED, detail="revoked", jti=claims.jti)
    counts = (getattr(row, f"used{i}") for i in range(len(rules)))
    used = {rule.id: count for rule, count in zip(rules, counts, strict=True) if count}
    holder = Holder(row.id, row.handle, row.kind, row.display_name, row.grade, blocked=bool(row.blocked))
    return CodeCheck(Outcome.VALID, jti=claims.jti, holder=holder, used=used)


def check_code(code: str, ts: int, rules: Sequence[Rule] = ()) -> CodeCheck:
    """Verify signature, expiry and revocation, load the holder and its use of `rules` (one read); raises nothing."""
    try:
        claims = qr.verify_code(code, keyring().verification_keys(ts), now=ts)
    except qr.CodeError as e:
        return CodeCheck(qr.scan_outcome(e), detail=e.outcome)
    row = dbio.first(holder_query(len(rules)), holder_params(claims, rules, ts))
    return code_check_from_row(claims, rules, row)
