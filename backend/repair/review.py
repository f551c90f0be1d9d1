"""The filing department's side (谁认定、谁修复): accept or return (一次性告知), review, extend once, approve or
deny; the credit office's overdue list. Deadlines are working days (platform.calendar): acceptance within
REPAIR_ACCEPT_DAYS of submission, the decision within REPAIR_DECIDE_DAYS of acceptance, +REPAIR_EXTEND_DAYS.

Approval is the repair (36号令): publication ends (repaired), list entries founded on the record end (and
with them the joint measures their bases bring), the subject is re-graded, and the change feed says so;
the application is then `propagated`. The record stays in the file for the authority, marked.
"""

from __future__ import annotations

import csv
import io

from flask import current_app
from sqlalchemy import and_, or_, select

from backend.credit import (
    ChangeKind,
    CreditCommitment,
    CreditRecord,
    PublicationState,
    change_data,
    end_entries_of_record,
    recompute_subject,
    record_change,
    withdraw,
)
from backend.merchants import forget_pages
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.calendar import add_working_days, working_days_between
from backend.platform.clock import china_today, utcnow
from backend.platform.db import Page, db, on_commit, paginate, use_case
from backend.platform.errors import Conflict, NotFound
from backend.repair.applications import step
from backend.repair.models import RepairApplication
from backend.repair.vocab import REVIEW_STATES, STATE_ZH, Channel, RepairState


def _scoped(op: Operator):
    return True if op.role == "admin" else RepairApplication.department == op.department


def for_department(op: Operator, ref: str, *, lock: bool = False) -> RepairApplication:
    """An application to the operator's department (admins: any); raises NotFound."""
    query = select(RepairApplication).where(RepairApplication.ref == ref, _scoped(op))
    app = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if app is None:
        raise NotFound(f"本部门没有编号为 {ref} 的信用修复申请。", code="repair_not_found")
    return app


def _expect(app: RepairApplication, *states: str) -> None:
    if app.state not in states:
        raise Conflict(f"该申请当前为“{STATE_ZH[app.state]}”，不能办理此操作。", code="repair_wrong_state",
                       details={"state": app.state})


@use_case
def accept(op: Operator, ref: str, *, actor: str) -> RepairApplication:
    """Materials complete: accept and start the decision timer; raises NotFound, Conflict."""
    app = for_department(op, ref, lock=True)
    _expect(app, RepairState.SUBMITTED)
    app.state, app.accepted_at = RepairState.UNDER_REVIEW, utcnow()
    app.decide_due = add_working_days(china_today(), current_app.config["REPAIR_DECIDE_DAYS"])
    step(app, "accepted", actor)
    step(app, RepairState.UNDER_REVIEW, actor)
    audit.record(actor, "repair.accept", "repair_application", app.ref, details={"decide_due": str(app.decide_due)})
    return app


@use_case
def return_for_completion(op: Operator, ref: str, items: list[str], *, actor: str) -> RepairApplication:
    """一次性告知: list everything missing at once (a second return is refused); raises NotFound, Conflict."""
    app = for_department(op, ref, lock=True)
    _expect(app, RepairState.SUBMITTED)
    if app.returned_once:
        raise Conflict("补正材料应一次性告知：该申请已退回过一次，请受理或作出决定。", code="already_returned")
    app.state, app.returned_items, app.returned_once = RepairState.RETURNED, items, True
    step(app, RepairState.RETURNED, actor, "；".join(items))
    audit.record(actor, "repair.return", "repair_application", app.ref, details={"items": items})
    return app


@use_case
def extend(op: Operator, ref: str, reason: str, *, actor: str) -> RepairApplication:
    """Extend the decision deadline once, with the reason (案情复杂、需要核查); raises NotFound, Conflict."""
    app = for_department(op, ref, lock=True)
    _expect(app, RepairState.UNDER_REVIEW)
    app.state, app.extended, app.extension_reason = RepairState.EXTENDED, True, reason
    app.decide_due = add_working_days(app.decide_due, current_app.config["REPAIR_EXTEND_DAYS"])
    step(app, RepairState.EXTENDED, actor, reason)
    audit.record(actor, "repair.extend", "repair_application", app.ref,
                 details={"reason": reason, "decide_due": str(app.decide_due)})
    return app


@use_case
def approve(op: Operator, ref: str, reason: str | None, *, actor: str) -> RepairApplication:
    """Repair: end publication and the list entries founded on the record, re-grade, feed item; raises."""
    app = for_department(op, ref, lock=True)
    _expect(app, *REVIEW_STATES)
    record = db.session.execute(select(CreditRecord).where(CreditRecord.id == app.record_id)
                                .with_for_update()).scalar_one()
    if record.publication_state == PublicationState.WITHDRAWN:
        raise Conflict("该记录已被撤销，无需再作信用修复决定；请作出不予修复决定并说明原因。", code="not_published")
    now = utcnow()
    app.state, app.decided_at, app.decision_reason = RepairState.APPROVED, now, reason
    step(app, RepairState.APPROVED, actor, reason)
    record.publication_state, record.publication_ended_at = PublicationState.REPAIRED, now
    ended = end_entries_of_record(record, f"信用修复（{app.ref}）")
    change = recompute_subject(record.subject, reason=f"信用修复 {record.department} {record.document_no}")
    record_change(ChangeKind.REPAIR_APPROVED, record.subject, record=record, data={
        **change_data(record, change), "repair": app.ref, "list_entries_ended": [e.id for e in ended],
        "grade": record.subject.grade})
    app.state, app.propagated_at = RepairState.PROPAGATED, now
    step(app, RepairState.PROPAGATED, "system", f"停止公示，移出名单 {len(ended)} 条，重新评价")
    audit.record(actor, "repair.approve", "repair_application", app.ref,
                 details={"record": record.id, "list_entries_ended": [e.id for e in ended]})
    handle = record.subject.handle
    on_commit(lambda: forget_pages(handle))
    return app


@use_case
def deny(op: Operator, ref: str, reason: str, *, actor: str) -> RepairApplication:
    """Refuse with the reason: the record stays published and the commitment is withdrawn; raises NotFound,
    Conflict."""
    app = for_department(op, ref, lock=True)
    _expect(app, *REVIEW_STATES)
    record = db.session.get(CreditRecord, app.record_id)
    app.state, app.decided_at, app.decision_reason = RepairState.DENIED, utcnow(), reason
    if record.publication_state == PublicationState.REPAIR_PENDING:
        record.publication_state = PublicationState.PUBLISHED
    if app.commitment_id is not None:
        withdraw(db.session.get(CreditCommitment, app.commitment_id))
    step(app, RepairState.DENIED, actor, reason)
    audit.record(actor, "repair.deny", "repair_application", app.ref, details={"reason": reason})
    return app


def applications(op: Operator, state: str | None, page: int, per_page: int) -> Page:
    """Newest first: to the operator's department (admins: all); for a service-window clerk, the ones they filed."""
    if op.role == "window":
        query = select(RepairApplication).where(RepairApplication.channel == Channel.WINDOW,
                                                RepairApplication.applicant_operator_id == op.id)
    else:
        query = select(RepairApplication).where(_scoped(op))
    if state:
        query = query.where(RepairApplication.state == state)
    return paginate(query.order_by(RepairApplication.id.desc()), page, per_page)


def overdue_where(today):
    a = RepairApplication
    return or_(and_(a.state == RepairState.SUBMITTED, a.accept_due < today),
               and_(a.state.in_([s.value for s in REVIEW_STATES]), a.decide_due < today))


def is_overdue(app: RepairApplication, today) -> bool:
    return (app.state == RepairState.SUBMITTED and app.accept_due < today) or (
        app.state in REVIEW_STATES and app.decide_due is not None and app.decide_due < today)


def overdue(op: Operator) -> list[RepairApplication]:
    """Open applications past their acceptance or decision deadline, oldest deadline first (credit office:
    admins see every department's)."""
    rows = db.session.execute(select(RepairApplication).where(_scoped(op), overdue_where(china_today()))
                              .order_by(RepairApplication.id)).scalars()
    return sorted(rows, key=lambda a: a.decide_due or a.accept_due)


OVERDUE_COLUMNS = ("申请编号", "认定部门", "状态", "提交时间", "受理期限", "决定期限", "是否延期", "逾期工作日")


def overdue_csv(op: Operator) -> bytes:
    today, out = china_today(), io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OVERDUE_COLUMNS)
    for a in overdue(op):
        due = a.decide_due if a.state in REVIEW_STATES else a.accept_due
        writer.writerow((a.ref, a.department, STATE_ZH[a.state], a.submitted_at.isoformat(timespec="minutes"),
                         a.accept_due.isoformat(), a.decide_due.isoformat() if a.decide_due else "",
                         "是" if a.extended else "否", working_days_between(due, today)))
    return out.getvalue().encode("utf-8-sig")

