"""联合奖惩 一键查询: a subject's list status and every measure that applies, from the catalogue."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from backend.credit.models import JointMeasure, ListEntry, Subject
from backend.credit.subjects import one_ref, summary, valid_resident_id_field
from backend.platform import audit, caching
from backend.platform.clock import china_today
from backend.platform.crypto import keyed_hash
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import NotFound
from backend.platform.identifiers import valid_uscc

CATALOGUE = Path(__file__).resolve().parent / "grading" / "measures.toml"
MEASURE_FIELDS = ("title", "list_type", "kind", "applies_to", "legal_basis", "implementing_body")


@use_case
def sync_catalogue(path: Path = CATALOGUE, *, actor: str = "cli") -> int:
    """Upsert the catalogue file into joint_measures by code; measures missing from it are deactivated."""
    with open(path, "rb") as f:
        measures = {m["code"]: m for m in tomllib.load(f)["measure"]}
    rows = {m.code: m for m in db.session.execute(select(JointMeasure)).scalars()}
    changed = 0
    for code, m in measures.items():
        row = rows.get(code) or JointMeasure(code=code)
        before = {f: getattr(row, f) for f in (*MEASURE_FIELDS, "active")}
        for field in MEASURE_FIELDS:
            setattr(row, field, m[field])
        row.active = True
        if code not in rows:
            db.session.add(row)
        changed += before != {f: getattr(row, f) for f in (*MEASURE_FIELDS, "active")}
    for code, row in rows.items():
        if code not in measures and row.active:
            row.active, changed = False, changed + 1
    if changed:
        audit.record(actor, "measures.sync", "joint_measures", "-", details={"changed": changed})
    on_commit(_measures().forget)
    return changed


def catalogue() -> list[JointMeasure]:
    return list(db.session.execute(select(JointMeasure).where(JointMeasure.active.is_(True))
                                   .order_by(JointMeasure.list_type, JointMeasure.code)).scalars())


def _measures() -> caching.TTLCache:
    return caching.cache("joint_measures", ttl_setting="MEASURES_CACHE_SECONDS", max_entries=1)


def active_measures() -> list[dict]:
    """Active measures as dicts, cached per worker for MEASURES_CACHE_SECONDS (the 一键查询 hot path)."""
    return _measures().get("all", lambda: [{c: getattr(m, c) for c in ("code", *MEASURE_FIELDS)}
                                           for m in catalogue()])


def _subject_row(args: dict):
    """The subject's summary columns by USCC or resident id, with Core (no ORM objects); raises NotFound."""
    field, value = one_ref(args)
    s = Subject.__table__.c
    where = s.uscc == valid_uscc(value) if field == "uscc" else s.resident_id_hash == keyed_hash(
        valid_resident_id_field(value))
    row = db.session.execute(select(s.id, s.handle, s.kind, s.display_name, s.uscc, s.resident_id_masked, s.grade,
                                    s.score).where(where)).first()
    if row is None:
        raise NotFound("没有该主体的信用档案。")
    return row


@use_case
def joint_query(args: dict, *, actor: str) -> dict:
    """List status and applicable measures; the query and its purpose go to the audit log. Raises NotFound."""
    subject, day = _subject_row(args), china_today()
    e = ListEntry
    entries = db.session.execute(select(e.list_type, e.decision_document, e.legal_basis, e.department, e.starts_on,
                                        e.ends_on).where(e.subject_id == subject.id, e.active_on(day))
                                 .order_by(e.starts_on)).all()
    listed = {entry.list_type for entry in entries}
    measures = [m for m in active_measures() if m["list_type"] in listed
                and (not args.get("applies_to") or m["applies_to"] == args["applies_to"])]
    audit.record(actor, "joint.query", "subject", subject.handle, purpose=args["purpose"],
                 details={"lists": sorted(listed), "applies_to": args.get("applies_to")})
    return {"subject": summary(subject), "lists": entries, "measures": measures, "checked_on": day}
