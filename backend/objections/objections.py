"""An objection's life: submitted → accepted (marked at once) or not accepted → the credit office's check (its own
error corrected at once) → the providing department decides (+ one extension) → closed with an outcome; one
复核 after an upheld decision. Every deadline counts working days (platform.calendar, OBJECTION_*_DAYS)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.credit import (
    CreditRecord,
    MarkedItem,
    MarkKind,
    Subject,
    check_fields,
    correctable,
    item_of,
    open_mark,
    set_mark,
    value_of,
)
from backend.objections.events import outcome_changed
from backend.objections.models import Objection, ObjectionCorrection
from backend.objections.outcomes import close
from backend.objections.steps import by_number, credit_office, due_in, item_key, need_state, step, the_item
from backend.objections.vocab import Grounds, ObjectionState, Outcome
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import local_date, utcnow
from backend.platform.db import db, savepoint, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound

S = ObjectionState


def open_objection_conflict(open_item: str) -> Conflict:
    number = db.session.scalar(select(Objection.number).where(Objection.open_item == open_item))
    return Conflict(f"该信息已有正在办理的异议申请（编号 {number}），请等待处理结果，不要重复提交。",
                    code="objection_open", details={"open_objection": number})


def claim_item(obj: Objection, key: str) -> None:
    """Make this the item's one open objection; raises Conflict (objection_open) with the open one's number."""
    if db.session.scalar(select(Objection.id).where(Objection.open_item == key, Objection.id != obj.id)):
        raise open_objection_conflict(key)
    try:
        with savepoint():
            obj.open_item = key
            db.session.flush()
    except IntegrityError:  # another objection to the item won the race
        obj.open_item = None
        raise open_objection_conflict(key) from None


@use_case
def submit(subject: Subject, data: dict, *, channel: str, actor: str, account_id: int | None = None,
           operator: Operator | None = None) -> Objection:
    """A new objection to one item of the subject's file; raises NotFound (item_not_found: not the subject's),
    InvalidInput (invalid_correction), Conflict (objection_open)."""
    item = item_of(data["item"], data["item_id"])
    removed = item.status == "removed" if isinstance(item, CreditRecord) else item.removed_at is not None
    if item.subject_id != subject.id or removed:
        raise NotFound(f"您的信用档案中没有编号为 {data['item_id']} 的在公示信息。", code="item_not_found")
    corrections = data.get("corrections") or []
    check_fields(item, corrections)
    if data["grounds"] == Grounds.WRONGLY_LISTED and data["item"] != MarkedItem.LIST_ENTRY:
        raise InvalidInput("grounds：“不符合条件被列入名单”只能针对名单记录提出。", code="invalid_correction",
                           details={"field": "grounds"})
    obj = Objection(subject_id=subject.id, department=item.department, channel=channel, account_id=account_id,
                    window_operator_id=operator.id if operator else None, applicant=data.get("applicant"),
                    grounds=data["grounds"], statement=data["statement"], state=S.SUBMITTED,
                    due_on=due_in("OBJECTION_ACCEPT_DAYS"),
                    record_id=item.id if data["item"] == MarkedItem.RECORD else None,
                    list_entry_id=item.id if data["item"] == MarkedItem.LIST_ENTRY else None)
    db.session.add(obj)
    db.session.flush()
    obj.number = f"YY{local_date(utcnow()):%Y%m%d}{obj.id:06d}"
    claim_item(obj, f"{data['item']}:{item.id}")
    for c in corrections:
        db.session.add(ObjectionCorrection(objection_id=obj.id, field=c["field"], current_value=c.get("current"),
                                           proposed_value=c.get("proposed")))
    step(obj, "政务服务窗口" if operator else "信息主体", data["statement"][:200])
    audit.record(actor, "objection.submit", "objection", obj.number, details={
        "item": data["item"], "item_id": item.id, "grounds": obj.grounds, "channel": channel,
        "corrections": [c["field"] for c in corrections]})
    outcome_changed("objection", obj, "submitted")
    return obj


@use_case
def accept(number: str, *, operator: Operator, actor: str) -> Objection:
    """受理: mark the item at once (every view shows the note from this commit on); the credit office's check is
    due in OBJECTION_CHECK_DAYS. Raises NotFound, Conflict (objection_state)."""
    obj = by_number(number)
    need_state(obj, S.SUBMITTED)
    mark = set_mark(the_item(obj), MarkKind.OBJECTION, obj.number, actor=actor)
    obj.mark_id, obj.state, obj.due_on = mark.id, S.CHECKING, due_in("OBJECTION_CHECK_DAYS")
    step(obj, credit_office(), "已受理，相关信息已标注“信息主体已提出异议，正在核实”")
    audit.record(actor, "objection.accept", "objection", obj.number, details={"mark_id": mark.id})
    outcome_changed("objection", obj, "accepted")
    return obj


@use_case
def not_accept(number: str, reason: str, *, operator: Operator, actor: str) -> Objection:
    """不予受理, telling every reason at once (一次性告知); the item is free for a new objection. Raises NotFound,
    Conflict."""
    obj = by_number(number)
    need_state(obj, S.SUBMITTED)
    obj.state, obj.not_accepted_reason, obj.open_item, obj.due_on, obj.closed_at = (
        S.NOT_ACCEPTED, reason, None, None, utcnow())
    step(obj, credit_office(), reason)
    audit.record(actor, "objection.not_accept", "objection", obj.number, details={"reason": reason})
    outcome_changed("objection", obj, "not_accepted")
    return obj


@use_case
def check(number: str, data: dict, *, operator: Operator, actor: str) -> Objection:
    """The credit office's check against its own data: its own error is corrected at once (closed, corrected);
    otherwise the objection goes to the providing department, due in OBJECTION_DECIDE_DAYS. Raises NotFound,
    Conflict, InvalidInput."""
    obj = by_number(number)
    need_state(obj, S.CHECKING)
    if data["own_error"]:
        return close(obj, {"outcome": Outcome.CORRECTED, **data}, by=credit_office(), actor=actor)
    obj.state, obj.due_on = S.FORWARDED, due_in("OBJECTION_DECIDE_DAYS")
    step(obj, credit_office(), data.get("reason") or f"经核查与提供单位数据一致，已转{obj.department}核实")
    audit.record(actor, "objection.forward", "objection", obj.number, details={"department": obj.department})
    outcome_changed("objection", obj, "forwarded")
    return obj


def department_only(obj: Objection, operator: Operator) -> None:
    """Raises Forbidden (outside_department) for another department's objection."""
    if operator.role != "admin" and obj.department != operator.department:
        raise Forbidden("该异议涉及其他部门提供的信息，本部门不能办理。", code="outside_department")


@use_case
def extend(number: str, reason: str, *, operator: Operator, actor: str) -> Objection:
    """The providing department extends its time once by OBJECTION_EXTENSION_DAYS (approved by its head).
    Raises NotFound, Forbidden, Conflict."""
    obj = by_number(number)
    department_only(obj, operator)
    need_state(obj, S.FORWARDED)
    obj.state, obj.extended = S.EXTENDED, True
    obj.due_on = due_in("OBJECTION_EXTENSION_DAYS", obj.due_on)
    step(obj, obj.department, reason)
    audit.record(actor, "objection.extend", "objection", obj.number, details={"reason": reason,
                                                                              "due_on": obj.due_on.isoformat()})
    outcome_changed("objection", obj, "extended")
    return obj


@use_case
def decide(number: str, data: dict, *, operator: Operator, actor: str) -> Objection:
    """The providing department's decision (or, in a 复核, the credit office's); applies it and closes.
    Raises NotFound, Forbidden, Conflict, InvalidInput (invalid_outcome, invalid_correction)."""
    obj = by_number(number)
    if obj.state == S.REVIEWING:
        if operator.role != "admin":
            raise Forbidden("复核由市信用办（平台管理员）作出决定。", code="outside_department")
        return close(obj, data, by=credit_office(), actor=actor, review=True)
    department_only(obj, operator)
    need_state(obj, S.FORWARDED, S.EXTENDED)
    return close(obj, data, by=obj.department, actor=actor)


@use_case
def request_review(obj: Objection, reason: str, *, actor: str) -> Objection:
    """复核, once, after an upheld decision: the item is marked again; the credit office decides within
    OBJECTION_REVIEW_DAYS. Raises Conflict (objection_state, objection_open)."""
    if obj.state != S.CLOSED or obj.outcome != Outcome.UPHELD or obj.review_reason is not None:
        raise Conflict("只有“维持原信息”的异议决定可以申请复核，且只能申请一次。", code="objection_state",
                       details={"state": obj.state})
    kind, item_id = item_key(obj)
    claim_item(obj, f"{kind}:{item_id}")
    item = the_item(obj)
    mark = open_mark(item, MarkKind.OBJECTION, obj.number) or set_mark(item, MarkKind.OBJECTION, obj.number,
                                                                      actor=actor)
    obj.mark_id, obj.review_reason, obj.state = mark.id, reason, S.REVIEWING
    obj.due_on, obj.closed_at = due_in("OBJECTION_REVIEW_DAYS"), None
    step(obj, "信息主体", f"申请复核：{reason}")
    audit.record(actor, "objection.review", "objection", obj.number, details={"reason": reason})
    outcome_changed("objection", obj, "reviewing")
    return obj


def current_values(obj: Objection) -> dict:
    """The item as it stands, for the department deciding (its correctable fields)."""
    item = the_item(obj)
    return {field: value_of(item, field) for field in correctable(item)}
