"""The object pool of a task: a filter over subjects, resolved to (handle, stratum, public name, subject id)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from backend.credit import ListEntry, ListType, Subject, SubjectKind
from backend.merchants import Market, Merchant
from backend.platform.clock import china_today
from backend.platform.db import db
from backend.supervision.models import DrawnObject, Inspector, InspectorConflict, SamplingTask, Talk
from backend.supervision.vocab import Escalation, TalkState

POOL_KEYS = ("kinds", "market", "scope_contains", "handles")


def raised_ratio_subjects(department: str) -> set[int]:
    """Subjects a talk of this department escalated to a higher sampling ratio (drawn in stratum W)."""
    return set(db.session.scalars(select(Talk.subject_id).where(
        Talk.department == department, Talk.state == TalkState.ESCALATED, Talk.escalation == Escalation.HIGHER_RATIO)))


def resolve(pool: dict, department: str) -> list[tuple[str, str, str | None, int]]:
    """Sorted by handle: (handle, stratum, name shown publicly — None for persons —, subject id)."""
    query = select(Subject.id, Subject.handle, Subject.grade, Subject.kind, Subject.display_name)
    if pool.get("market") or pool.get("scope_contains"):
        query = query.join(Merchant, Merchant.subject_id == Subject.id)
        if pool.get("market"):
            query = query.join(Market, Market.id == Merchant.market_id).where(Market.slug == pool["market"])
        if pool.get("scope_contains"):
            query = query.where(Merchant.business_scope.contains(pool["scope_contains"], autoescape=True))
    if pool.get("kinds"):
        query = query.where(Subject.kind.in_(pool["kinds"]))
    if pool.get("handles"):
        query = query.where(Subject.handle.in_(pool["handles"]))
    rows = db.session.execute(query).all()
    watched = set(db.session.scalars(select(ListEntry.subject_id).where(
        ListEntry.list_type == ListType.WATCH, ListEntry.active_on(china_today()))))
    watched |= raised_ratio_subjects(department)
    out = []
    for sid, handle, grade, kind, name in rows:
        stratum = "W" if sid in watched else (grade or "U")
        out.append((handle, stratum, None if kind == SubjectKind.PERSON else name, sid))
    return sorted(out)


def recusals(subject_ids: dict[str, int], inspector_ids: list[int], department: str) -> dict[str, list[str]]:
    """handle → inspector refs that may not inspect it: the inspectors of its last drawn inspection in this
    department, and declared conflicts. Only inspectors of this task's pool are named."""
    refs = dict(db.session.execute(select(Inspector.id, Inspector.ref).where(Inspector.id.in_(inspector_ids))).all())
    pool_refs = set(refs.values())
    by_subject: dict[int, set[str]] = defaultdict(set)
    seen: set[int] = set()
    last = db.session.execute(select(DrawnObject.subject_id, DrawnObject.inspectors).join(
        SamplingTask, SamplingTask.id == DrawnObject.task_id).where(SamplingTask.department == department)
        .order_by(DrawnObject.id.desc()))
    for sid, inspectors in last:
        if sid not in seen and inspectors:
            seen.add(sid)
            by_subject[sid] |= set(inspectors) & pool_refs
    for sid, iid in db.session.execute(select(InspectorConflict.subject_id, InspectorConflict.inspector_id)
                                       .where(InspectorConflict.inspector_id.in_(inspector_ids))):
        by_subject[sid].add(refs[iid])
    return {handle: sorted(by_subject[sid]) for handle, sid in subject_ids.items() if by_subject.get(sid)}
