"""联合奖惩 一键查询: a subject's list status and the measures each list decision's legal basis brings.

The catalogue (grading/measures.toml, loaded by `flask sync-measures`) lists the measures and the legal
bases of list decisions with the measures each basis brings; an entry brings the measures of the bases
its legal_basis names. Every query is kept (joint_queries) with its answer and a query number, so the
printable query record (credit.query_record) shows what was answered that day, also for 查询无记录.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from sqlalchemy import select

from backend.credit.accesses import operator_viewer, record_access
from backend.credit.marks import marks_of, notes_for
from backend.credit.models import JointBasis, JointMeasure, JointQuery, ListEntry, Subject
from backend.credit.subjects import one_ref, shown_ref, subject_where, summary
from backend.credit.vocab import LIST_ZH, AccessKind, MarkedItem
from backend.platform import audit, caching
from backend.platform.access import Operator
from backend.platform.clock import china_today, local_date, utcnow
from backend.platform.db import db, on_commit, use_case

CATALOGUE = Path(__file__).resolve().parent / "grading" / "measures.toml"
MEASURE_FIELDS = ("title", "list_type", "kind", "applies_to", "legal_basis", "implementing_body")
BASIS_FIELDS = ("title", "list_type", "keywords", "measures")
RESULT_ZH = {"no_record": "查询无记录", "not_listed": "未列入联合奖惩名单"}
UNMATCHED_NOTE = ("{document}的认定依据未对应措施清单中的任何依据，系统未列出措施；"
                  "请核实该名单的认定依据，或更新措施清单（measures.toml）。")


def _upsert(model, wanted: dict[str, dict], fields: tuple[str, ...]) -> int:
    """Make the active rows of `model` exactly `wanted` (by code); others are deactivated, never deleted."""
    rows = {r.code: r for r in db.session.execute(select(model)).scalars()}
    changed = 0
    for code, item in wanted.items():
        row = rows.get(code) or model(code=code)
        before = {f: getattr(row, f) for f in (*fields, "active")}
        for field in fields:
            setattr(row, field, item[field])
        row.active = True
        if code not in rows:
            db.session.add(row)
        changed += before != {f: getattr(row, f) for f in (*fields, "active")}
    for code, row in rows.items():
        if code not in wanted and row.active:
            row.active, changed = False, changed + 1
    return changed


@use_case
def sync_catalogue(path: Path = CATALOGUE, *, actor: str = "cli") -> int:
    """Upsert the catalogue file's measures and bases by code; those missing from it are deactivated."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    changed = _upsert(JointMeasure, {m["code"]: m for m in data["measure"]}, MEASURE_FIELDS)
    changed += _upsert(JointBasis, {b["code"]: b for b in data.get("basis", [])}, BASIS_FIELDS)
    if changed:
        audit.record(actor, "measures.sync", "joint_measures", "-", details={"changed": changed})
    on_commit(_catalogue_cache().forget)
    return changed


def catalogue() -> list[JointMeasure]:
    return list(db.session.execute(select(JointMeasure).where(JointMeasure.active.is_(True))
                                   .order_by(JointMeasure.list_type, JointMeasure.code)).scalars())


def _catalogue_cache() -> caching.TTLCache:
    return caching.cache("joint_measures", ttl_setting="MEASURES_CACHE_SECONDS", max_entries=2)


def active_measures() -> list[dict]:
    """Active measures as dicts, cached per worker for MEASURES_CACHE_SECONDS (the 一键查询 hot path)."""
    return _catalogue_cache().get("measures", lambda: [{c: getattr(m, c) for c in ("code", *MEASURE_FIELDS)}
                                                       for m in catalogue()])


def active_bases() -> list[dict]:
    def load() -> list[dict]:
        rows = db.session.execute(select(JointBasis).where(JointBasis.active.is_(True))
                                  .order_by(JointBasis.code)).scalars()
        return [{c: getattr(b, c) for c in ("code", *BASIS_FIELDS)} for b in rows]

    return _catalogue_cache().get("bases", load)


def bases_of(list_type: str, legal_basis: str) -> list[dict]:
    """The catalogue's bases this list decision rests on (its list type, a keyword in its legal basis)."""
    return [b for b in active_bases() if b["list_type"] == list_type and any(k in legal_basis for k in b["keywords"])]


def _measures_for(entries: list[dict], applies_to: str | None) -> tuple[list[dict], list[str]]:
    """The measures the entries' bases bring (each naming the decisions that bring it), and notes."""
    by_code = {m["code"]: m for m in active_measures()}
    found: dict[str, dict] = {}
    notes = []
    for entry in entries:
        if not entry["bases"]:
            notes.append(UNMATCHED_NOTE.format(document=entry["decision_document"]))
        for basis in entry["bases"]:
            for code in next(b["measures"] for b in active_bases() if b["code"] == basis):
                measure = by_code.get(code)
                if measure is None or (applies_to and measure["applies_to"] != applies_to):
                    continue
                found.setdefault(code, {**measure, "because": []})["because"].append(entry["decision_document"])
    return sorted(found.values(), key=lambda m: (m["list_type"], m["code"])), notes


def _jsonable(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@use_case
def joint_query(args: dict, *, operator: Operator | None, actor: str) -> dict:
    """List status and the measures that apply, with a query number; a well-formed identifier without a
    credit file answers 查询无记录. The query, its purpose and its answer are kept. Raises InvalidInput."""
    field, value = one_ref(args)
    s = Subject.__table__.c
    subject = db.session.execute(select(s.id, s.handle, s.kind, s.display_name, s.uscc, s.resident_id_masked,
                                        s.grade, s.score).where(subject_where(field, value))).first()
    now, day = utcnow(), china_today()
    entries = []
    if subject is not None:
        e = ListEntry
        marks = marks_of(subject.id)
        for row in db.session.execute(select(e.id, e.list_type, e.decision_document, e.legal_basis, e.department,
                                             e.starts_on, e.ends_on)
                                      .where(e.subject_id == subject.id, e.active_on(day)).order_by(e.starts_on)):
            bases = [b["code"] for b in bases_of(row.list_type, row.legal_basis)]
            fields = row._asdict()
            entry_id = fields.pop("id")
            entries.append({**fields, "list_zh": LIST_ZH[row.list_type], "bases": bases,
                            "basis_matched": bool(bases), "marks": notes_for(marks, MarkedItem.LIST_ENTRY, entry_id)})
    measures, notes = _measures_for(entries, args.get("applies_to"))
    notes += [f"{e['list_zh']}（{e['decision_document']}）：{note}" for e in entries for note in e["marks"]]
    result = "no_record" if subject is None else ("listed" if entries else "not_listed")
    listed_zh = "、".join(dict.fromkeys(e["list_zh"] for e in entries))
    answer = _jsonable({
        "result": result, "result_zh": RESULT_ZH.get(result) or f"列入{listed_zh}", "queried": shown_ref(field, value),
        "subject": summary(subject) if subject is not None else None, "lists": entries, "measures": measures,
        "notes": notes, "checked_on": day, "purpose": args["purpose"], "applies_to": args.get("applies_to")})
    query = JointQuery(queried_at=now, operator_id=operator.id if operator else None,
                       department=operator.department if operator else None, purpose=args["purpose"],
                       applies_to=args.get("applies_to"), subject_id=subject.id if subject else None,
                       subject_ref=answer["queried"], result=result, answer=answer)
    db.session.add(query)
    db.session.flush()
    query.query_no = f"YJCX{local_date(now):%Y%m%d}{query.id:06d}"
    audit.record(actor, "joint.query", "joint_query", query.query_no, purpose=args["purpose"],
                 details={"result": result, "subject": subject.handle if subject else None,
                          "lists": sorted({e["list_type"] for e in entries}), "applies_to": args.get("applies_to")})
    if subject is not None and operator is not None:
        record_access(subject.id, AccessKind.JOINT_QUERY, operator_viewer(operator), args["purpose"], query.query_no)
    return with_number(query)


def with_number(query: JointQuery) -> dict:
    """A kept query's answer with its number, time and where its printable record is."""
    return {**query.answer, "query_no": query.query_no, "queried_at": query.queried_at,
            "record_url": f"/api/dept/v1/joint-measures/queries/{query.query_no}/record.pdf"}
