"""Is this code good, and whose is it: signature and expiry, the pseudonym opened (format 2), then the
holder with its revocation state, black-list flag and quota use, in one read. The SQL form of the
revocation rule (scan_log, on PostgreSQL) sits beside the Python form here (code_check_from_row)
so the two stay the same.

Revoked means: format 2, the generation sealed in the code is not the holder's current one (a
resident voided their codes: exact, no clock); format 1, issued before codes_valid_after.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Date, bindparam, exists, func, select

import qr
from backend.cards import card_holder
from backend.credit import CreditMark, ListEntry, ListType, Subject, entry_suspended
from backend.keys import card_keys, keyring, seal_key
from backend.platform import dbio
from backend.platform.clock import from_ts, local_date, local_time
from backend.platform.db import db
from backend.scanning.models import Redemption
from backend.scanning.rules import Holder, Rule, period_key
from backend.scanning.vocab import Outcome, RedemptionStatus

GENERATIONS = qr.pseudonym.GENERATIONS


@dataclass(frozen=True)
class CodeCheck:
    outcome: str
    detail: str | None = None
    jti: str | None = None  # the code's id (format 2: its pseudonym, which is also what receipts name)
    holder: Holder | None = None
    used: dict[int, int] | None = None  # granted count per rule id this period (rules passed to check_code)
    via: str = "code"  # what identified the holder: a phone code, a printed card ("card") or an ID check ("id")


@dataclass(frozen=True)
class OpenedCode:
    """A verified code with its holder's handle found: from the pseudonym (format 2) or the claims."""

    claims: qr.CodeClaims
    handle: str
    generation: int | None  # format 2 only


def open_code(code: str, ts: int, keys=None) -> OpenedCode | CodeCheck:
    """Verify a code at ts (with `keys`, default the ring's for ts) and open its pseudonym; a CodeCheck
    when it is rejected. Raises nothing."""
    ring = keyring()
    try:
        claims = qr.verify_code(code, ring.verification_keys(ts) if keys is None else keys, now=ts)
    except qr.CodeError as e:
        return CodeCheck(qr.scan_outcome(e), detail=e.outcome)
    if claims.version == 1:
        if not current_app.config["ACCEPT_FORMAT_1_CODES"]:
            return CodeCheck(Outcome.MALFORMED, detail="format_1_retired")
        return OpenedCode(claims, claims.sub, None)
    seal = seal_key(ring, claims.kid)
    try:
        if seal is None:
            raise qr.MalformedCode("no code secret for this key")
        handle, generation = qr.open_handle(seal, claims.sub)
    except qr.MalformedCode:
        return CodeCheck(Outcome.MALFORMED, detail="pseudonym")
    return OpenedCode(claims, handle, generation)


def black_listed(day):
    """EXISTS a black-list entry of the subject in force on `day` (a date or a bound parameter) that counts: one
    whose department suspended counting it while an objection, reconsideration or lawsuit is decided
    (credit.entry_suspended) no longer weighs in the grade, so it refuses no perk either. Every scan path (verify,
    redeem, desk, perks, offline bits, trust bundle) asks this one function."""
    return exists().where(ListEntry.subject_id == Subject.id, ListEntry.list_type == ListType.BLACK,
                          ListEntry.active_on(day), ~entry_suspended())


def mark_note():
    """The note of the holder's first uncleared mark (异议/复议/诉讼), or NULL: a scalar subquery over Subject."""
    return (select(CreditMark.note).where(CreditMark.subject_id == Subject.id, CreditMark.cleared_at.is_(None))
            .order_by(CreditMark.id).limit(1).scalar_subquery())


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
                  Subject.codes_valid_after, Subject.code_generation,
                  black_listed(bindparam("today", type_=Date)).label("blocked"), mark_note().label("mark_note"),
                  *used).where(Subject.handle == bindparam("sub"))


def holder_params(opened: OpenedCode | str, rules: Sequence[Rule], ts: int) -> dict:
    """Bound values for holder_query (of an opened code, or of a subject's handle)."""
    day = local_date(ts)
    params: dict = {"sub": opened if isinstance(opened, str) else opened.handle, "today": day}
    for i, rule in enumerate(rules):
        params[f"inc{i}"], params[f"per{i}"] = rule.id, period_key(rule.quota_period, day)
    return params


def issued_at(claims: qr.CodeClaims) -> int:
    """When a code was signed: exp − its lifetime (codes carry no iat, see qr.codes)."""
    return claims.expires_at - min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)


def revoked(opened: OpenedCode, generation: int, valid_after: dt.datetime | None) -> bool:
    """The revocation rule in Python (scan_log.revoked_sql is the same rule in SQL)."""
    if opened.generation is not None:
        return generation % GENERATIONS != opened.generation
    return valid_after is not None and from_ts(issued_at(opened.claims)) < valid_after


def holder_from_row(rules: Sequence[Rule], row) -> tuple[Holder, dict[int, int]]:
    """The holder of a holder_query row and its granted count per rule."""
    counts = (getattr(row, f"used{i}") for i in range(len(rules)))
    used = {rule.id: count for rule, count in zip(rules, counts, strict=True) if count}
    return Holder(row.id, row.handle, row.kind, row.display_name, row.grade, blocked=bool(row.blocked),
                  mark_note=row.mark_note), used


def code_check_from_row(opened: OpenedCode, rules: Sequence[Rule], row) -> CodeCheck:
    """The outcome for an opened code given its holder_query row (None: unknown subject)."""
    claims = opened.claims
    if row is None:
        return CodeCheck(Outcome.REVOKED, detail="unknown_subject", jti=claims.jti)
    if revoked(opened, row.code_generation, row.codes_valid_after):
        return CodeCheck(Outcome.REVOKED, detail="revoked", jti=claims.jti)
    holder, used = holder_from_row(rules, row)
    return CodeCheck(Outcome.VALID, jti=claims.jti, holder=holder, used=used)


def check_code(code: str, ts: int, rules: Sequence[Rule] = (), keys=None) -> CodeCheck:
    """Verify signature, expiry and revocation, load the holder and its use of `rules` (one read); raises nothing.
    A printed resident card (qr.cards) is checked as such."""
    if qr.is_card(code):
        return check_card(code, ts, rules)
    opened = open_code(code, ts, keys)
    if isinstance(opened, CodeCheck):
        return opened
    row = dbio.first(holder_query(len(rules)), holder_params(opened, rules, ts))
    return code_check_from_row(opened, rules, row)


def handle_check(handle: str, rules: Sequence[Rule], ts: int, *, jti: str | None, via: str) -> CodeCheck:
    """The holder with this handle, found by a card or an ID check: valid, or revoked when unknown."""
    row = dbio.first(holder_query(len(rules)), holder_params(handle, rules, ts))
    if row is None:
        return CodeCheck(Outcome.REVOKED, detail="unknown_subject", jti=jti, via=via)
    holder, used = holder_from_row(rules, row)
    return CodeCheck(Outcome.VALID, jti=jti, holder=holder, used=used, via=via)


def check_card(token: str, ts: int, rules: Sequence[Rule] = ()) -> CodeCheck:
    """A printed resident card: signature (any key that may have signed a live card), validity, then the
    card's own revocation (lost card); raises nothing. Its scans name the card (card:<serial>:<hour>), never
    the holder."""
    try:
        card = qr.verify_card(token, card_keys(), now=ts)
    except qr.CodeError as e:
        return CodeCheck(qr.scan_outcome(e), detail=f"card_{e.outcome}", via="card")
    # The scan log counts a device's scans per code id (scan_log.SCANS_PER_CODE) to stop re-taps filling the
    # holder's history; a phone code lives 3 minutes, a card a year, so a card's scans are counted per hour.
    jti = f"card:{card.serial}:{local_time(ts):%Y%m%d%H}"
    found = card_holder(card.serial)
    if found is None or found[1]:
        return CodeCheck(Outcome.REVOKED, detail="card_revoked", jti=jti, via="card")
    handle = db.session.execute(select(Subject.handle).where(Subject.id == found[0])).scalar_one()
    return handle_check(handle, rules, ts, jti=jti, via="card")
