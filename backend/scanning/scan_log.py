"""Recording scans. On PostgreSQL a verify reads its holder and logs its scan in ONE statement.

Why: POST /api/scan/v1/verify is the hottest endpoint (issue 5 asks for at least half the
rate of a trivial endpoint). Through the ORM it cost five round trips; as two Core
statements on autocommit connections it ran at 0.35 of jwks.json. Here a data-modifying
CTE inserts the scan (its outcome computed from the same holder row, by the rule that
check_code applies in Python) and returns the scan id with the holder row, through the
driver (platform.dbio.first). Only a scan that ends with a refusal reason (no perk
grantable) needs a second, small UPDATE. SQLite (tests, `make run`) takes the portable
path: check_code, then an insert.

A device records at most SCANS_PER_CODE online scans of one code (a re-tap, a retry): past that a
verify answers as usual and names the device's latest scan of the code, so a device holding a code
cannot fill its holder's history with it (a code lives 3 minutes; new ones come only from the phone).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import (
    DateTime,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

import qr
from backend.platform import dbio
from backend.platform.clock import from_ts
from backend.platform.db import db
from backend.scanning.checks import (
    GENERATIONS,
    CodeCheck,
    check_code,
    code_check_from_row,
    holder_params,
    holder_query,
    issued_at,
    open_code,
)
from backend.scanning.devices import Device
from backend.scanning.models import Scan
from backend.scanning.rules import Rule
from backend.scanning.vocab import Outcome

SCANS = Scan.__table__  # Core: the ORM would treat bound parameters as a bulk insert
_COLUMNS = ("device_id", "subject_id", "jti", "outcome", "scanned_at", "refusal")
SCANS_PER_CODE = 3
_SAME_CODE = and_(SCANS.c.device_id == bindparam("device_id"), SCANS.c.jti == bindparam("jti"),
                  SCANS.c.offline.is_(False))
_ROOM = select(func.count()).where(_SAME_CODE).scalar_subquery() < SCANS_PER_CODE
_LATEST = select(SCANS.c.id).where(_SAME_CODE).order_by(SCANS.c.id.desc()).limit(1)


@functools.lru_cache(maxsize=4)
def insert_scan(relaxed: bool):
    """INSERT INTO scans … SELECT <bound values> WHERE the device has room for another scan of this code
    RETURNING id (relaxed, PostgreSQL only: no WAL wait, own transaction only)."""
    values = select(*(bindparam(c, type_=SCANS.c[c].type) for c in _COLUMNS)).where(
        or_(bindparam("jti").is_(None), _ROOM))
    if relaxed:
        values = dbio.without_wal_wait(values)
    return insert(SCANS).from_select([SCANS.c[c] for c in _COLUMNS], values).returning(SCANS.c.id)


def latest_scan(device_id: int, jti: str) -> int:
    """The device's latest online scan of this code (it has SCANS_PER_CODE already)."""
    return dbio.first(_LATEST, {"device_id": device_id, "jti": jti}).id


def revoked_sql(h):
    """The revocation rule of checks.revoked, in SQL over the holder row `h`."""
    generation = cast(bindparam("gen"), Integer)
    return or_(h.c.id.is_(None), case(
        (generation.is_(None), h.c.codes_valid_after > cast(bindparam("issued_at"), DateTime(timezone=True))),
        else_=(h.c.code_generation % GENERATIONS) != generation))


@functools.lru_cache(maxsize=32)
def _verify_and_log(n_rules: int):
    """WITH h AS (holder), scan AS (INSERT … WHERE room RETURNING id) SELECT scan.id, h.*: one round trip."""
    h = holder_query(n_rules).cte("h")
    relaxed = select(func.set_config("synchronous_commit", "off", True).label("relaxed")).subquery("relaxed")
    values = (select(bindparam("device_id"), h.c.id, bindparam("jti"),
                     case((revoked_sql(h), Outcome.REVOKED.value), else_=Outcome.VALID.value),
                     bindparam("scanned_at"), false())
              .select_from(relaxed.outerjoin(h, true())).where(_ROOM))
    scan = (insert(SCANS).from_select([SCANS.c.device_id, SCANS.c.subject_id, SCANS.c.jti,
                                       SCANS.c.outcome, SCANS.c.scanned_at, SCANS.c.offline], values)
            .returning(SCANS.c.id).cte("scan"))
    one = select(literal(1).label("one")).subquery("one")
    return select(scan.c.id.label("scan_id"), *h.c).select_from(one.outerjoin(h, true()).outerjoin(scan, true()))


# Built once: dbio compiles a statement once per object, so a fresh .returning() per call would recompile.
_SET_REFUSAL = update(SCANS).where(SCANS.c.id == bindparam("scan_id")).values(refusal=bindparam("refusal"))
_SET_REFUSAL_RETURNING = _SET_REFUSAL.returning(SCANS.c.id)


def _log(device: Device, check: CodeCheck, ts: int) -> int:
    values = scan_values(device, check, ts)
    scan_id = dbio.insert_returning(insert_scan(dbio.is_postgresql()), values)
    return scan_id if scan_id is not None else latest_scan(device.id, check.jti)


def check_and_log(device: Device, code: str, ts: int, rules: Sequence[Rule]) -> tuple[CodeCheck, int]:
    """Verify the code, load its holder and quota use, and record the scan; raises nothing of its own."""
    if not dbio.is_postgresql() or qr.is_card(code):  # cards are rare: the portable path
        check = check_code(code, ts, rules)
        return check, _log(device, check, ts)
    opened = open_code(code, ts)
    if isinstance(opened, CodeCheck):
        return opened, _log(device, opened, ts)
    params = {**holder_params(opened, rules, ts), "device_id": device.id, "jti": opened.claims.jti,
              "scanned_at": from_ts(ts), "gen": opened.generation, "issued_at": from_ts(issued_at(opened.claims))}
    row = dbio.first(_verify_and_log(len(rules)), params)
    check = code_check_from_row(opened, rules, row if row.id is not None else None)
    return check, row.scan_id if row.scan_id is not None else latest_scan(device.id, opened.claims.jti)


def note_refusal(scan_id: int, refusal: str) -> None:
    """Why nothing was grantable at this scan (a separate write: most scans grant)."""
    if dbio.is_postgresql():
        dbio.first(_SET_REFUSAL_RETURNING, {"scan_id": scan_id, "refusal": refusal})
    else:
        db.session.execute(_SET_REFUSAL, {"scan_id": scan_id, "refusal": refusal})  # the caller's use case commits


def scan_values(device: Device, check: CodeCheck, ts: int, refusal: str | None = None) -> dict:
    return {"device_id": device.id, "subject_id": check.holder.id if check.holder else None, "jti": check.jti,
            "outcome": check.outcome, "scanned_at": from_ts(ts), "refusal": refusal}
