"""Recording scans. On PostgreSQL a verify reads its holder and logs its scan in ONE statement.

Why: POST /api/scan/v1/verify is the hottest endpoint (issue 5 asks for at least half the
rate of a trivial endpoint). Through the ORM it cost five round trips; as two Core
statements on autocommit connections it ran at 0.35 of jwks.json. Here a data-modifying
CTE inserts the scan (its outcome computed from the same holder row, by the rule that
check_code applies in Python) and returns the scan id with the holder row, through the
driver (platform.dbio.first). Only a scan that ends with a refusal reason (no perk
grantable) needs a second, small UPDATE. SQLite (tests, `make run`) takes the portable
path: check_code, then an insert.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import bindparam, case, false, func, insert, or_, select, true, update

import qr
from backend.keys import keyring
from backend.platform import dbio
from backend.platform.clock import from_ts
from backend.platform.db import db
from backend.scanning.checks import CodeCheck, check_code, code_check_from_row, holder_params, holder_query, issued_at
from backend.scanning.devices import Device
from backend.scanning.models import Scan
from backend.scanning.rules import Rule
from backend.scanning.vocab import Outcome

SCANS = Scan.__table__  # Core: the ORM would treat bound parameters as a bulk insert
_COLUMNS = ("device_id", "subject_id", "jti", "outcome", "scanned_at", "refusal")


@functools.lru_cache(maxsize=4)
def insert_scan(relaxed: bool):
    """INSERT INTO scans … SELECT <bound values> RETURNING id (relaxed: no WAL wait, own transaction only)."""
    values = select(*(bindparam(c, type_=SCANS.c[c].type) for c in _COLUMNS))
    if relaxed:
        values = dbio.without_wal_wait(values)
    return insert(SCANS).from_select([SCANS.c[c] for c in _COLUMNS], values).returning(SCANS.c.id)


@functools.lru_cache(maxsize=32)
def _verify_and_log(n_rules: int):
    """WITH h AS (holder), scan AS (INSERT … RETURNING id) SELECT scan.id, h.* — one round trip."""
    h = holder_query(n_rules).cte("h")
    relaxed = select(func.set_config("synchronous_commit", "off", True).label("relaxed")).subquery("relaxed")
    revoked = or_(h.c.id.is_(None), h.c.jti_revoked, h.c.codes_valid_after > bindparam("issued_at"))
    values = (select(bindparam("device_id"), h.c.id, bindparam("jti"),
                     case((revoked, Outcome.REVOKED.value), else_=Outcome.VALID.value),
                     bindparam("scanned_at"), false())
              .select_from(relaxed.outerjoin(h, true())))
    scan = (insert(SCANS).from_select([SCANS.c.device_id, SCANS.c.subject_id, SCANS.c.jti, SCANS.c.outcome,
                                       SCANS.c.scanned_at, SCANS.c.offline], values)
            .returning(SCANS.c.id).cte("scan"))
    return select(scan.c.id.label("scan_id"), *h.c).select_from(scan.outerjoin(h, true()))


# Built once: dbio compiles a statement once per object, so a fresh .returning() per call would recompile.
_SET_REFUSAL = update(SCANS).where(SCANS.c.id == bindparam("scan_id")).values(refusal=bindparam("refusal"))
_SET_REFUSAL_RETURNING = _SET_REFUSAL.returning(SCANS.c.id)


def check_and_log(device: Device, code: str, ts: int, rules: Sequence[Rule]) -> tuple[CodeCheck, int]:
    """Verify the code, load its holder and quota use, and record the scan; raises nothing of its own."""
    if not dbio.is_postgresql():
        check = check_code(code, ts, rules)
        return check, dbio.insert_returning(insert_scan(True), scan_values(device, check, ts))
    try:
        claims = qr.verify_code(code, keyring().verification_keys(ts), now=ts)
    except qr.CodeError as e:
        check = CodeCheck(qr.scan_outcome(e), detail=e.outcome)
        return check, dbio.insert_returning(insert_scan(True), scan_values(device, check, ts))
    params = {**holder_params(claims, rules, ts), "device_id": device.id, "scanned_at": from_ts(ts),
              "issued_at": from_ts(issued_at(claims))}
    row = dbio.first(_verify_and_log(len(rules)), params)
    return code_check_from_row(claims, rules, row if row.id is not None else None), row.scan_id


def note_refusal(scan_id: int, refusal: str) -> None:
    """Why nothing was grantable at this scan (a separate write: most scans grant)."""
    if dbio.is_postgresql():
        dbio.first(_SET_REFUSAL_RETURNING, {"scan_id": scan_id, "refusal": refusal})
    else:
        db.session.execute(_SET_REFUSAL, {"scan_id": scan_id, "refusal": refusal})  # the caller's use case commits


def scan_values(device: Device, check: CodeCheck, ts: int, refusal: str | None = None) -> dict:
    return {"device_id": device.id, "subject_id": check.holder.id if check.holder else None, "jti": check.jti,
            "outcome": check.outcome, "scanned_at": from_ts(ts), "refusal": refusal}
