"""A department's 抽查事项清单 and its inspectors pool, with declared conflicts of interest."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import subject_by_handle
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.db import Page, db, paginate, use_case
from backend.platform.errors import Conflict, Forbidden, NotFound
from backend.supervision.models import Inspector, InspectorConflict, SupervisionItem
from backend.supervision.vocab import DEFAULT_RATIOS


def department_of(op: Operator | None, requested: str | None) -> str:
    """The department a supervision write acts for: the operator's own (an admin names one); raises Forbidden."""
    if op is None or op.role == "admin":
        if not requested:
            raise Forbidden("平台管理员操作时必须填写所属部门（department）。", code="outside_department")
        return requested
    if requested and requested != op.department:
        raise Forbidden(f"{op.department}的操作员不能代{requested}操作。", code="outside_department")
    return op.department


def check_scope(op: Operator, department: str) -> None:
    """Raises Forbidden when a department operator reaches another department's task, talk or entry."""
    if op.role != "admin" and op.department != department:
        raise Forbidden("只能处理本部门的双随机任务、预警和约谈。", code="outside_department")


@use_case
def create_item(data: dict, *, operator: Operator, actor: str) -> SupervisionItem:
    """Add a line to the department's 抽查事项清单; raises Conflict for a code already used, Forbidden."""
    department = department_of(operator, data.get("department"))
    if db.session.scalar(select(SupervisionItem.id).where(SupervisionItem.department == department,
                                                          SupervisionItem.code == data["code"])):
        raise Conflict(f"本部门已有编号为 {data['code']} 的抽查事项。", code="item_code_taken")
    item = SupervisionItem(department=department, code=data["code"], name=data["name"], basis=data["basis"],
                           object_type=data["object_type"], method=data["method"], frequency=data["frequency"],
                           ratios={**DEFAULT_RATIOS, **(data.get("ratios") or {})})
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "supervision.item.create", "supervision_item", item.id,
                 details={"department": department, "code": item.code, "ratios": item.ratios})
    return item


def list_items(department: str | None, page: int, per_page: int) -> Page:
    query = select(SupervisionItem).where(SupervisionItem.active.is_(True)).order_by(SupervisionItem.id)
    if department:
        query = query.where(SupervisionItem.department == department)
    return paginate(query, page, per_page)


def get_item(item_id: int) -> SupervisionItem:
    item = db.session.get(SupervisionItem, item_id)
    if item is None:
        raise NotFound(f"没有编号为 {item_id} 的抽查事项。")
    return item


@use_case
def create_inspector(data: dict, *, operator: Operator, actor: str) -> Inspector:
    """Add an enforcement officer to the department's pool; raises Conflict for a ref already used, Forbidden."""
    department = department_of(operator, data.get("department"))
    if db.session.scalar(select(Inspector.id).where(Inspector.ref == data["ref"])):
        raise Conflict(f"执法人员编号 {data['ref']} 已登记。", code="inspector_ref_taken")
    inspector = Inspector(department=department, ref=data["ref"], name=data["name"])
    db.session.add(inspector)
    db.session.flush()
    audit.record(actor, "supervision.inspector.create", "inspector", inspector.id,
                 details={"department": department, "ref": inspector.ref})
    return inspector


def get_inspector(inspector_id: int, op: Operator) -> Inspector:
    inspector = db.session.get(Inspector, inspector_id)
    if inspector is None:
        raise NotFound(f"没有编号为 {inspector_id} 的执法人员。")
    check_scope(op, inspector.department)
    return inspector


@use_case
def declare_conflict(inspector_id: int, data: dict, *, operator: Operator, actor: str) -> InspectorConflict:
    """Record that an inspector must never inspect a subject (利害关系回避); raises NotFound, Forbidden."""
    inspector = get_inspector(inspector_id, operator)
    subject = subject_by_handle(data["handle"])
    conflict = db.session.scalar(select(InspectorConflict).where(InspectorConflict.inspector_id == inspector.id,
                                                                 InspectorConflict.subject_id == subject.id))
    if conflict is None:
        conflict = InspectorConflict(inspector_id=inspector.id, subject_id=subject.id, reason=data["reason"])
        db.session.add(conflict)
        db.session.flush()
    audit.record(actor, "supervision.inspector.conflict", "inspector", inspector.id,
                 details={"subject": subject.handle, "reason": data["reason"]})
    return conflict
