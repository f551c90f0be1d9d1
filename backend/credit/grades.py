"""Grades from credit files: recompute one subject or many, in the caller's transaction, with history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from flask import Flask, current_app
from sqlalchemy import bindparam, insert, select, update

from backend.credit.events import GRADE_CHANGED, emit
from backend.credit.grading import Evaluation, GradingModel, ListFact, RecordFact, evaluate, load_model
from backend.credit.models import CreditMark, CreditRecord, GradeChange, ListEntry, Subject
from backend.platform.clock import china_today, utcnow
from backend.platform.db import db
from backend.platform.observability.metrics import count_regrades

CHUNK = 1000  # ids per IN (...) query


def install_model(app: Flask) -> None:
    """Load the configured model into the app; raises backend.credit.grading.ModelError."""
    app.extensions["grading_model"] = load_model(app.config["GRADING_MODEL"])


def current_model() -> GradingModel:
    return current_app.extensions["grading_model"]


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _facts(subject_ids: list[int]) -> tuple[dict[int, list[RecordFact]], dict[int, list[ListFact]]]:
    """Records published today and unremoved list entries of these subjects, with Core (no ORM objects)."""
    records, lists = defaultdict(list), defaultdict(list)
    r, today = CreditRecord, china_today()
    for chunk in _chunks(subject_ids):
        suspended_records, suspended_entries = suspended_items(chunk)
        rows = db.session.execute(select(
            r.subject_id, r.id, r.category, r.severity, r.result, r.decided_on, r.tolerant_first_offence,
            r.emergency, r.title, r.department, r.document_no,
        ).where(r.subject_id.in_(chunk), r.published_on(today)))  # expired/repaired records no longer count
        for row in rows:
            records[row[0]].append(RecordFact(*row[1:], suspended=row[1] in suspended_records))
        entries = db.session.execute(select(
            ListEntry.subject_id, ListEntry.list_type, ListEntry.starts_on, ListEntry.ends_on,
            ListEntry.decision_document, ListEntry.id,
        ).where(ListEntry.subject_id.in_(chunk), ListEntry.removed_at.is_(None)))
        for row in entries:
            lists[row[0]].append(ListFact(*row[1:5], suspended=row[5] in suspended_entries))
    return records, lists


def suspended_items(subject_ids: list[int]) -> tuple[set[int], set[int]]:
    """Record ids and list-entry ids whose uncleared marks suspend the grade (credit.marks sets them)."""
    rows = db.session.execute(select(CreditMark.record_id, CreditMark.list_entry_id).where(
        CreditMark.subject_id.in_(subject_ids), CreditMark.cleared_at.is_(None), CreditMark.suspends_grade.is_(True)))
    records: set[int] = set()
    entries: set[int] = set()
    for record_id, entry_id in rows:
        if record_id:
            records.add(record_id)
        else:
            entries.add(entry_id)
    return records, entries


def evaluate_subjects(subject_ids: list[int]) -> dict[int, Evaluation]:
    """Evaluate each subject under the current model as of today."""
    model, as_of = current_model(), china_today()
    records, lists = _facts(subject_ids)
    return {sid: evaluate(model, records.get(sid, []), lists.get(sid, []), as_of) for sid in subject_ids}


def current_breakdown(subject: Subject) -> dict:
    """The live breakdown: every record with its points and rule, adjustments, list effects, grade."""
    db.session.flush()
    return evaluate_subjects([subject.id])[subject.id].breakdown


def recompute_subject(subject: Subject, *, reason: str) -> GradeChange | None:
    """Re-grade one subject in the caller's transaction (no commit); None when nothing changed."""
    db.session.flush()
    # Lock the subject first: two filings for one subject then grade one after the other, and the
    # second (read committed) sees the first's record instead of both grading without the other's.
    db.session.execute(select(Subject.id).where(Subject.id == subject.id).with_for_update())
    ev = evaluate_subjects([subject.id])[subject.id]
    version = current_model().version
    if (ev.grade, ev.score, version) == (subject.grade, subject.score, subject.grade_model):
        count_regrades(1, 0)
        return None
    count_regrades(1, 1)
    now, old = utcnow(), subject.grade
    subject.grade, subject.score, subject.grade_model, subject.grade_updated_at = ev.grade, ev.score, version, now
    change = GradeChange(subject_id=subject.id, grade=ev.grade, score=ev.score, model_version=version,
                         reason=reason[:200], breakdown=ev.breakdown, computed_at=now)
    db.session.add(change)
    if old != ev.grade:
        emit(GRADE_CHANGED, subject_id=subject.id, old=old, new=ev.grade, reason=reason)
    return change


def recompute_many(subject_ids: Iterable[int], *, reason: str,
                   progress: Callable[[str, int, int], None] | None = None) -> int:
    """Re-grade many subjects with bulk statements (caller commits); returns how many changed. progress("regrade",
    done, total) after each chunk."""
    ids = sorted(set(subject_ids))
    if not ids:
        return 0
    db.session.flush()
    version, now, changed, done = current_model().version, utcnow(), 0, 0
    for chunk in _chunks(ids):
        current = {row.id: row for row in db.session.execute(
            select(Subject.id, Subject.grade, Subject.score, Subject.grade_model).where(Subject.id.in_(chunk))
            .order_by(Subject.id).with_for_update())}  # same lock as recompute_subject, in id order
        updates, history = [], []
        for sid, ev in evaluate_subjects(chunk).items():
            row = current.get(sid)
            if row is None or (ev.grade, ev.score, version) == (row.grade, row.score, row.grade_model):
                continue
            updates.append({"sid": sid, "g": ev.grade, "s": ev.score})
            history.append({"subject_id": sid, "grade": ev.grade, "score": ev.score, "model_version": version,
                            "reason": reason[:200], "breakdown": ev.breakdown, "computed_at": now})
        if updates:
            db.session.execute(
                update(Subject.__table__).where(Subject.__table__.c.id == bindparam("sid")).values(
                    grade=bindparam("g"), score=bindparam("s"), grade_model=version, grade_updated_at=now),
                updates)
            db.session.execute(insert(GradeChange.__table__), history)
            changed += len(updates)
            for u in updates:
                if current[u["sid"]].grade != u["g"]:
                    emit(GRADE_CHANGED, subject_id=u["sid"], old=current[u["sid"]].grade, new=u["g"], reason=reason)
        if progress is not None:
            done += len(chunk)
            progress("regrade", done, len(ids))
    db.session.expire_all()  # ORM objects loaded earlier must not show the old grades
    count_regrades(len(ids), changed)
    return changed


def grade_history(subject: Subject, limit: int = 20) -> list[GradeChange]:
    return list(db.session.execute(
        select(GradeChange).where(GradeChange.subject_id == subject.id)
        .order_by(GradeChange.computed_at.desc(), GradeChange.id.desc()).limit(limit)).scalars())
