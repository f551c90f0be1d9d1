"""Marks on a file's items (异议标注, 复议/诉讼标注): one place sets and clears them, one reads them.

An objection is marked at its acceptance (深圳条例 art. 50: 立即标注), a record under 行政复议 or 行政诉讼 by
its department (art. 43). While marked, every view that shows the item — the public page, 一键查询, the
scanner's answer, the subject's own file — shows the neutral note (vocab.MARK_NOTE). The grade keeps
counting the item unless the department suspends it; grades.py honours `suspends_grade`.

Views that cache pages (merchants.pages) are told through `on_shown_change` listeners, after commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from flask import current_app
from sqlalchemy import exists, select

from backend.credit.grades import recompute_subject
from backend.credit.models import CreditMark, CreditRecord, ListEntry, Subject
from backend.credit.records import acting_department
from backend.credit.vocab import MARK_NOTE, MARK_SUSPENDED_NOTE, MarkedItem, MarkKind
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import Conflict, Forbidden, NotFound

ItemKey = tuple[str, int]  # (MarkedItem, id)


def on_shown_change(app, listener: Callable[[str], None]) -> None:
    """Call listener(subject handle) after every committed change to what views show of a subject's items (a mark
    set or cleared, positive information hidden): e.g. to forget cached pages."""
    app.extensions.setdefault("credit_mark_listeners", []).append(listener)


def shown_changed(subject_id: int) -> None:
    """Tell the listeners once the caller's transaction commits."""
    handle = db.session.get(Subject, subject_id).handle
    for listener in current_app.extensions.get("credit_mark_listeners", []):
        on_commit(lambda listener=listener: listener(handle))


def item_of(kind: str, item_id: int) -> CreditRecord | ListEntry:
    """The record or list entry; raises NotFound (item_not_found)."""
    model = CreditRecord if kind == MarkedItem.RECORD else ListEntry
    item = db.session.get(model, item_id)
    if item is None:
        what = "信用记录" if kind == MarkedItem.RECORD else "名单记录"
        raise NotFound(f"没有编号为 {item_id} 的{what}。", code="item_not_found")
    return item


def set_mark(item: CreditRecord | ListEntry, kind: MarkKind, ref: str, *, actor: str,
             department: str | None = None, suspends_grade: bool = False) -> CreditMark:
    """Mark the item in the caller's transaction (no commit), audited; re-grades when it suspends the grade."""
    is_record = isinstance(item, CreditRecord)
    mark = CreditMark(subject_id=item.subject_id, record_id=item.id if is_record else None,
                      list_entry_id=None if is_record else item.id, kind=kind, note=MARK_NOTE[kind], ref=ref[:64],
                      suspends_grade=suspends_grade, set_at=utcnow(), set_by=actor, department=department)
    db.session.add(mark)
    db.session.flush()
    audit.record(actor, "credit.mark", "credit_mark", mark.id, details={
        "kind": kind, "ref": ref, "item": MarkedItem.RECORD if is_record else MarkedItem.LIST_ENTRY,
        "item_id": item.id, "suspends_grade": suspends_grade})
    if suspends_grade:
        recompute_subject(db.session.get(Subject, item.subject_id), reason=f"{MARK_SUSPENDED_NOTE}（{ref}）")
    shown_changed(item.subject_id)
    return mark


def clear_mark(mark: CreditMark, reason: str, *, actor: str) -> None:
    """Clear the mark (no commit), audited; re-grades when it had suspended the grade. Idempotent."""
    if mark.cleared_at is not None:
        return
    mark.cleared_at, mark.cleared_reason = utcnow(), reason[:500]
    audit.record(actor, "credit.unmark", "credit_mark", mark.id, details={"reason": reason, "ref": mark.ref})
    if mark.suspends_grade:
        recompute_subject(db.session.get(Subject, mark.subject_id), reason=f"标注解除，恢复计分（{mark.ref}）")
    shown_changed(mark.subject_id)


def suspend_grade(mark: CreditMark, suspended: bool, *, actor: str) -> None:
    """Suspend (or resume) counting the marked item in the grade, and re-grade (no commit)."""
    if mark.cleared_at is not None:
        raise Conflict("该标注已解除，不能再调整计分。", code="mark_cleared")
    mark.suspends_grade = suspended
    audit.record(actor, "credit.mark_suspend", "credit_mark", mark.id, details={"suspended": suspended})
    reason = f"{MARK_SUSPENDED_NOTE}（{mark.ref}）" if suspended else f"恢复计入信用评价（{mark.ref}）"
    recompute_subject(db.session.get(Subject, mark.subject_id), reason=reason)
    shown_changed(mark.subject_id)


def shown(mark: CreditMark) -> dict:
    """A mark as every view shows it (the neutral note, why, since when; no person's name)."""
    return {"kind": mark.kind, "note": mark.note, "ref": mark.ref, "since": mark.set_at,
            "suspends_grade": mark.suspends_grade}


def marks_of(subject_id: int) -> dict[ItemKey, list[dict]]:
    """The subject's uncleared marks by item: {("record", 12): [shown mark, …], ("list_entry", 3): […]}."""
    found: dict[ItemKey, list[dict]] = defaultdict(list)
    for mark in db.session.scalars(select(CreditMark).where(CreditMark.subject_id == subject_id,
                                                            CreditMark.cleared_at.is_(None)).order_by(CreditMark.id)):
        key = (MarkedItem.RECORD, mark.record_id) if mark.record_id else (MarkedItem.LIST_ENTRY, mark.list_entry_id)
        found[key].append(shown(mark))
    return found


def notes_for(marks: dict[ItemKey, list[dict]], kind: str, item_id: int) -> list[str]:
    """The notes to print next to one item (empty when unmarked)."""
    return [m["note"] for m in marks.get((kind, item_id), [])]


def any_mark():
    """EXISTS an uncleared mark of the subject (SQL over Subject, for the scan path's one statement)."""
    return exists().where(CreditMark.subject_id == Subject.id, CreditMark.cleared_at.is_(None))


def entry_suspended():
    """EXISTS an uncleared mark that suspends counting the list entry (SQL over ListEntry): the grade leaves such an
    entry out (grades.suspended_items), and so must every check that refuses perks for it (the scan path)."""
    return exists().where(CreditMark.list_entry_id == ListEntry.id, CreditMark.cleared_at.is_(None),
                          CreditMark.suspends_grade.is_(True))


# Departments mark their own records under 行政复议 or 行政诉讼 (深圳条例 art. 43).


@use_case
def department_mark(data: dict, *, operator: Operator, actor: str) -> CreditMark:
    """Mark a record or list entry of the operator's department; raises NotFound, Forbidden, Conflict."""
    item = item_of(data["item"], data["item_id"])
    department = acting_department(operator, item.department if operator.role == "admin" else None)
    if item.department != department:
        raise Forbidden("部门只能标注本部门报送的信用信息。", code="outside_department")
    open_one = db.session.scalar(select(CreditMark.id).where(
        CreditMark.kind == data["kind"], CreditMark.ref == data["ref"], CreditMark.cleared_at.is_(None),
        (CreditMark.record_id if data["item"] == MarkedItem.RECORD else CreditMark.list_entry_id) == item.id))
    if open_one is not None:
        raise Conflict("该信用信息已有同一案件的标注。", code="already_marked", details={"mark_id": open_one})
    return set_mark(item, MarkKind(data["kind"]), data["ref"], actor=actor, department=department,
                    suspends_grade=data.get("suspends_grade", False))


def _own_mark(mark_id: int, operator: Operator) -> CreditMark:
    mark = db.session.get(CreditMark, mark_id)
    if mark is None:
        raise NotFound(f"没有编号为 {mark_id} 的标注。", code="mark_not_found")
    item = item_of(MarkedItem.RECORD if mark.record_id else MarkedItem.LIST_ENTRY, mark.record_id or mark.list_entry_id)
    if operator.role != "admin" and item.department != operator.department:
        raise Forbidden("部门只能调整本部门信用信息的标注。", code="outside_department")
    return mark


@use_case
def department_unmark(mark_id: int, reason: str, *, operator: Operator, actor: str) -> CreditMark:
    """Clear a reconsideration or litigation mark (an objection's mark clears with its outcome); raises
    NotFound, Forbidden, Conflict."""
    mark = _own_mark(mark_id, operator)
    if mark.kind == MarkKind.OBJECTION:
        raise Conflict("异议标注随异议处理结果解除，请在异议中作出处理决定。", code="objection_mark")
    clear_mark(mark, reason, actor=actor)
    return mark


@use_case
def department_suspend(mark_id: int, suspended: bool, *, operator: Operator, actor: str) -> CreditMark:
    """Suspend or resume counting the marked item in the grade; raises NotFound, Forbidden, Conflict."""
    mark = _own_mark(mark_id, operator)
    suspend_grade(mark, suspended, actor=actor)
    return mark


def mark_row(mark: CreditMark) -> dict:
    return {"id": mark.id, **shown(mark), "item": MarkedItem.RECORD if mark.record_id else MarkedItem.LIST_ENTRY,
            "item_id": mark.record_id or mark.list_entry_id, "cleared_at": mark.cleared_at}


def open_mark(item: CreditRecord | ListEntry, kind: MarkKind, ref: str) -> CreditMark | None:
    column = CreditMark.record_id if isinstance(item, CreditRecord) else CreditMark.list_entry_id
    return db.session.scalar(select(CreditMark).where(column == item.id, CreditMark.kind == kind,
                                                      CreditMark.ref == ref, CreditMark.cleared_at.is_(None)))
