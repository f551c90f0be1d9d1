"""联合奖惩 一键查询: a subject's list status and every measure that applies, from the catalogue."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from backend.extensions import db
from backend.models import JointMeasure, ListEntry
from backend.services import audit
from backend.services.credit_subjects import find_subject, summary
from backend.services.grading import today

CATALOGUE = Path(__file__).resolve().parent.parent / "grading" / "measures.toml"
MEASURE_FIELDS = ("title", "list_type", "kind", "applies_to", "legal_basis", "implementing_body")


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
    db.session.commit()
    return changed


def catalogue() -> list[JointMeasure]:
    return list(db.session.execute(select(JointMeasure).where(JointMeasure.active.is_(True))
                                   .order_by(JointMeasure.list_type, JointMeasure.code)).scalars())


def joint_query(args: dict, *, actor: str) -> dict:
    """List status and applicable measures; the query and its purpose go to the audit log. Raises NotFound."""
    subject, day = find_subject(args), today()
    entries = db.session.execute(select(ListEntry).where(
        ListEntry.subject_id == subject.id, ListEntry.removed_at.is_(None), ListEntry.starts_on <= day,
        (ListEntry.ends_on.is_(None)) | (ListEntry.ends_on >= day)).order_by(ListEntry.starts_on)).scalars().all()
    measures = []
    if entries:
        query = select(JointMeasure).where(JointMeasure.active.is_(True),
                                           JointMeasure.list_type.in_({e.list_type for e in entries}))
        if args.get("applies_to"):
            query = query.where(JointMeasure.applies_to == args["applies_to"])
        measures = db.session.execute(query.order_by(JointMeasure.code)).scalars().all()
    audit.record(actor, "joint.query", "subject", subject.handle, purpose=args["purpose"],
                 details={"lists": sorted({e.list_type for e in entries}), "applies_to": args.get("applies_to")})
    db.session.commit()
    return {"subject": summary(subject), "lists": entries, "measures": measures, "checked_on": day}
