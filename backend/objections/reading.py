"""Reading objections and declarations: who may see which, one item in full, the subject's own list, the
department worklists (state, overdue, the department's own; admin all) and their CSV export, evidence."""

from __future__ import annotations

import csv
import io

from sqlalchemy import or_, select

from backend.credit import MarkedItem, Subject, item_of
from backend.objections.models import Declaration, Objection, ObjectionCorrection, ObjectionStep
from backend.objections.vocab import (
    CHANNEL_ZH,
    DECLARATION_CATEGORY_ZH,
    DECLARATION_OPEN,
    DECLARATION_STATE_ZH,
    GROUNDS_ZH,
    OPEN_STATES,
    OUTCOME_ZH,
    STATE_ZH,
)
from backend.platform import uploads
from backend.platform.access import Operator
from backend.platform.clock import china_today
from backend.platform.db import Page, db, paginate
from backend.platform.errors import NotFound

OBJECTION_FILES = "objection"
DECLARATION_FILES = "declaration"


def is_overdue(due_on, state: str, open_states) -> bool:
    return due_on is not None and state in open_states and due_on < china_today()


def item_summary(obj: Objection) -> dict:
    kind = MarkedItem.RECORD if obj.record_id else MarkedItem.LIST_ENTRY
    item = item_of(kind, obj.record_id or obj.list_entry_id)
    title = item.title if kind == MarkedItem.RECORD else item.reason
    number = item.document_no if kind == MarkedItem.RECORD else item.decision_document
    return {"item": kind, "item_id": item.id, "title": title, "document_no": number, "department": item.department}


def objection_row(obj: Objection) -> dict:
    """What a list shows of an objection (no person's name: the subject appears by its handle)."""
    return {"number": obj.number, "state": obj.state, "state_zh": STATE_ZH[obj.state], "grounds": obj.grounds,
            "grounds_zh": GROUNDS_ZH[obj.grounds], "channel": obj.channel, "channel_zh": CHANNEL_ZH[obj.channel],
            "department": obj.department, "due_on": obj.due_on, "extended": obj.extended,
            "overdue": is_overdue(obj.due_on, obj.state, OPEN_STATES), "outcome": obj.outcome,
            "outcome_zh": OUTCOME_ZH.get(obj.outcome), "review_outcome": obj.review_outcome,
            "submitted_at": obj.created_at, "closed_at": obj.closed_at,
            "subject_handle": db.session.get(Subject, obj.subject_id).handle, **item_summary(obj)}


def objection_detail(obj: Objection) -> dict:
    """Everything about one objection: the item, corrections (asked, applied old → new), steps, evidence."""
    corrections = db.session.scalars(select(ObjectionCorrection).where(ObjectionCorrection.objection_id == obj.id)
                                     .order_by(ObjectionCorrection.id))
    steps = db.session.scalars(select(ObjectionStep).where(ObjectionStep.objection_id == obj.id)
                               .order_by(ObjectionStep.at, ObjectionStep.id))
    return {**objection_row(obj), "statement": obj.statement, "applicant": obj.applicant,
            "not_accepted_reason": obj.not_accepted_reason, "outcome_reason": obj.outcome_reason,
            "decided_by": obj.decided_by, "review_reason": obj.review_reason,
            "review_outcome_reason": obj.review_outcome_reason,
            "corrections": [{"field": c.field, "current": c.current_value, "proposed": c.proposed_value,
                             "applied": c.applied, "old_value": c.old_value, "new_value": c.new_value,
                             "applied_at": c.applied_at} for c in corrections],
            "steps": [{"at": s.at, "state": s.state, "state_zh": STATE_ZH[s.state], "by": s.by, "note": s.note,
                       "due_on": s.due_on} for s in steps],
            "evidence": [uploads.describe(u) for u in uploads.of_owner(OBJECTION_FILES, obj.number)]}


def visible_to_operator(obj: Objection | Declaration, op: Operator) -> None:
    """Raises NotFound for an item outside the operator's department (admins see all; windows what they filed)."""
    if op.role == "admin":
        return
    if op.role == "window" and getattr(obj, "window_operator_id", None) == op.id:
        return
    if op.role == "department" and obj.department == op.department:
        return
    raise NotFound(f"没有编号为 {obj.number} 的办件。", code="objection_not_found"
                   if isinstance(obj, Objection) else "declaration_not_found")


def _worklist(model, args: dict, op: Operator, open_states):
    query = select(model)
    if op.role == "department":
        query = query.where(model.department == op.department)
    elif op.role == "window":
        query = query.where(model.window_operator_id == op.id)
    elif args.get("department"):
        query = query.where(model.department == args["department"])
    if args.get("state"):
        query = query.where(model.state == args["state"])
    if args.get("overdue"):
        query = query.where(model.state.in_(open_states), model.due_on < china_today())
    return query.order_by(model.due_on.is_(None), model.due_on, model.id)


def objection_worklist(args: dict, op: Operator) -> Page:
    found = paginate(_worklist(Objection, args, op, OPEN_STATES), args["page"], args["per_page"])
    return Page([objection_row(o) for o in found.items], found.total, found.page, found.per_page)


def declaration_row(d: Declaration) -> dict:
    return {"number": d.number, "state": d.state, "state_zh": DECLARATION_STATE_ZH[d.state], "category": d.category,
            "category_zh": DECLARATION_CATEGORY_ZH[d.category], "title": d.title, "issuer": d.issuer,
            "document_no": d.document_no, "issued_on": d.issued_on, "valid_until": d.valid_until,
            "department": d.department, "channel": d.channel, "channel_zh": CHANNEL_ZH[d.channel],
            "applicant": d.applicant, "due_on": d.due_on,
            "overdue": is_overdue(d.due_on, d.state, DECLARATION_OPEN), "verification_method": d.verification_method,
            "verified_by": d.verified_by, "verified_at": d.verified_at, "note": d.note, "submitted_at": d.created_at,
            "subject_handle": db.session.get(Subject, d.subject_id).handle}


def declaration_worklist(args: dict, op: Operator) -> Page:
    found = paginate(_worklist(Declaration, args, op, DECLARATION_OPEN), args["page"], args["per_page"])
    return Page([declaration_row(d) for d in found.items], found.total, found.page, found.per_page)


CSV_COLUMNS = {
    "objection": [("number", "异议编号"), ("state_zh", "状态"), ("grounds_zh", "异议理由"), ("item", "信息类型"),
                  ("document_no", "文书号"), ("title", "信息标题"), ("department", "提供单位"),
                  ("channel_zh", "提交渠道"), ("submitted_at", "提交时间"), ("due_on", "办理期限"),
                  ("overdue", "是否逾期"), ("outcome_zh", "处理结果"), ("subject_handle", "主体标识")],
    "declaration": [("number", "申报编号"), ("state_zh", "状态"), ("category_zh", "类别"), ("title", "申报事项"),
                    ("issuer", "颁发单位"), ("document_no", "证书或文书编号"), ("department", "核验部门"),
                    ("channel_zh", "提交渠道"), ("submitted_at", "提交时间"), ("due_on", "核验期限"),
                    ("overdue", "是否逾期"), ("note", "说明"), ("subject_handle", "主体标识")],
}


def worklist_csv(kind: str, args: dict, op: Operator) -> str:
    """The whole filtered worklist as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    model, row, open_states = ((Objection, objection_row, OPEN_STATES) if kind == "objection"
                               else (Declaration, declaration_row, DECLARATION_OPEN))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([zh for _, zh in CSV_COLUMNS[kind]])
    for item in db.session.scalars(_worklist(model, args, op, open_states)):
        shown = row(item)
        writer.writerow([_cell(shown[key]) for key, _ in CSV_COLUMNS[kind]])
    return "\ufeff" + out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text[:1] in "=+-@" else text  # a cell a spreadsheet would run as a formula


def mine(account_id: int, subject_id: int | None):
    """Objections the account filed or that concern the account's own (person) file."""
    cond = Objection.account_id == account_id
    return or_(cond, Objection.subject_id == subject_id) if subject_id else cond


def my_objections(account_id: int, subject_id: int | None, page: int, per_page: int) -> Page:
    found = paginate(select(Objection).where(mine(account_id, subject_id)).order_by(Objection.id.desc()),
                     page, per_page)
    return Page([objection_row(o) for o in found.items], found.total, found.page, found.per_page)


def my_objection(account_id: int, subject_id: int | None, number: str) -> Objection:
    """Raises NotFound (objection_not_found) for others' objections, so none leak."""
    obj = db.session.scalar(select(Objection).where(Objection.number == number, mine(account_id, subject_id)))
    if obj is None:
        raise NotFound(f"没有编号为 {number} 的异议申请。", code="objection_not_found")
    return obj


def _my_declarations(account_id: int, subject_id: int | None):
    cond = Declaration.account_id == account_id
    return or_(cond, Declaration.subject_id == subject_id) if subject_id else cond


def my_declarations(account_id: int, subject_id: int | None, page: int, per_page: int) -> Page:
    found = paginate(select(Declaration).where(_my_declarations(account_id, subject_id))
                     .order_by(Declaration.id.desc()), page, per_page)
    return Page([declaration_row(d) for d in found.items], found.total, found.page, found.per_page)


def my_declaration(account_id: int, subject_id: int | None, number: str) -> Declaration:
    """Raises NotFound (declaration_not_found) for others' declarations."""
    found = db.session.scalar(select(Declaration).where(Declaration.number == number,
                                                        _my_declarations(account_id, subject_id)))
    if found is None:
        raise NotFound(f"没有编号为 {number} 的自主申报。", code="declaration_not_found")
    return found
