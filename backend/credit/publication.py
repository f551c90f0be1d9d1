"""Publication windows of negative records (36号令): the class from the filing department's classification
table, the windows from the class with the civil-code period rules (platform.calendar.period_end), and the
per-department tables themselves.

Which class a record gets, first match wins: the class the filer gave (`severity_class`); the department's
row for the record's `penalty_type`; the severity of an administrative penalty; the department's default
row (penalty_type "*"); CREDIT_DEFAULT_CLASS. The last two are marked `class_defaulted`.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from backend.credit.models import CreditRecord, PublicationClass
from backend.credit.vocab import (
    SEVERITY_ZH,
    WINDOW_MONTHS,
    WINDOW_RULE,
    PublicationState,
    RecordCategory,
    Severity,
    is_negative,
)
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.calendar import period_end
from backend.platform.clock import utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import InvalidInput, NotFound

DEFAULT_ROW = "*"
CLASS_FIELDS = ("severity_class", "reference", "published", "min_months", "max_months", "repairable")


def months_label(months: int) -> str:
    return f"{months // 12}年" if months and months % 12 == 0 else f"{months}个月"


def _row(department: str, penalty_type: str | None) -> PublicationClass | None:
    if not penalty_type:
        return None
    return db.session.execute(select(PublicationClass).where(
        PublicationClass.department == department, PublicationClass.penalty_type == penalty_type)).scalar_one_or_none()


def table_of(department: str) -> dict[str, PublicationClass]:
    """A department's classification table by penalty type (the importer loads it once per department)."""
    return {r.penalty_type: r for r in classes_of(department)}


def classify(record: CreditRecord, data: dict) -> None:
    """Set class, windows and publication state on a record being filed (no commit)."""
    table = {k: r for k in (record.penalty_type, DEFAULT_ROW) if k and (r := _row(record.department, k))}
    values = window_values({**data, "department": record.department, "category": record.category,
                            "result": record.result, "severity": record.severity,
                            "penalty_type": record.penalty_type, "decided_on": record.decided_on}, table)
    for field, value in values.items():
        if field == "publication_state" and record.publication_state in KEPT_STATES:
            continue  # re-filing does not re-publish a repaired or expired record
        setattr(record, field, value)


KEPT_STATES = (PublicationState.REPAIRED, PublicationState.EXPIRED, PublicationState.REPAIR_PENDING)


def window_values(data: dict, table: dict[str, PublicationClass]) -> dict:
    """The publication columns of a record being filed (`data` as filed, `table` its department's rows)."""
    if not is_negative(data["category"], data.get("result")):
        return {"severity_class": None, "class_basis": None, "class_defaulted": False, "window_basis": None,
                "window_overridden": False, "publish_from": data["decided_on"], "min_publish_until": None,
                "max_publish_until": None, "repairable": True, "publication_state": PublicationState.PUBLISHED}
    department, defaulted = data["department"], False
    row = table.get(data.get("penalty_type") or "")
    if data.get("severity_class"):
        cls, basis, row = data["severity_class"], f"报送部门认定为{SEVERITY_ZH[data['severity_class']]}失信信息", None
    elif row is not None:
        cls, basis = row.severity_class, f"{department}分类标准：{row.penalty_type}（{row.reference}）"
    elif data["category"] == RecordCategory.ADMIN_PENALTY and data.get("severity"):
        cls, basis = data["severity"], f"按行政处罚的严重程度（{SEVERITY_ZH[data['severity']]}）"
    else:
        row, defaulted = table.get(DEFAULT_ROW), True
        if row is not None:
            cls, basis = row.severity_class, f"未能分类，适用{department}默认分类（{row.reference}）"
        else:
            cls = current_app.config["CREDIT_DEFAULT_CLASS"]
            basis = f"未能分类，适用系统默认分类（{SEVERITY_ZH[cls]}）"
    min_m, max_m = WINDOW_MONTHS[Severity(cls)]
    window_basis = f"{WINDOW_RULE}：{SEVERITY_ZH[cls]}失信信息{months_label(min_m)}至{months_label(max_m)}"
    if row is not None and (row.min_months is not None or row.max_months is not None):
        min_m = row.min_months if row.min_months is not None else min_m
        max_m = row.max_months or max_m
        window_basis = row.reference
    overridden = bool(data.get("publish_months"))
    if overridden:  # a law giving its own period, for this record
        max_m, window_basis = data["publish_months"], data["window_basis"]
        min_m = min(min_m, max_m)
    decided = data["decided_on"]
    published = row.published if row is not None else current_app.config["CREDIT_MINOR_PUBLISHED"]
    unpublished = cls == Severity.MINOR and not published
    return {"severity_class": cls, "class_basis": basis[:300], "class_defaulted": defaulted,
            "window_basis": window_basis[:300], "window_overridden": overridden, "publish_from": decided,
            "min_publish_until": period_end(decided, months=min_m) if min_m else decided,
            "max_publish_until": period_end(decided, months=max_m),
            "repairable": row.repairable if row is not None else True,
            "publication_state": PublicationState.UNPUBLISHED if unpublished else PublicationState.PUBLISHED}


def window_problems(data: dict) -> list[tuple[str, str]]:
    problems = []
    if data.get("publish_months") and not (data.get("window_basis") or "").strip():
        problems.append(("window_basis", "另行规定公示期限时必须填写依据（法律、行政法规条款）"))
    return problems


def notice(record: CreditRecord) -> str | None:
    """The 信用修复告知书 served with the decision (两书同达): class, windows, how to repair; None if not negative."""
    if record.severity_class is None:
        return None
    cls = SEVERITY_ZH[record.severity_class]
    if record.publication_state == PublicationState.UNPUBLISHED:
        shown = "依规不予公示"
    else:
        shown = f"自{record.publish_from:%Y年%m月%d日}起公示，最长至{record.max_publish_until:%Y年%m月%d日}"
    if not record.repairable:
        how = "依照法律、行政法规的规定，该信息不适用信用修复。"
    elif record.severity_class == Severity.MINOR:
        how = "法定责任义务履行完毕后即可申请信用修复。"
    else:
        how = f"最短公示期满后（{record.min_publish_until:%Y年%m月%d日}之后）可申请信用修复。"
    return (f"信用修复告知书\n{record.subject.display_name}：\n"
            f"{record.department}作出的{record.document_no}（{record.title}）属于{cls}失信信息"
            f"（{record.class_basis}），{shown}（{record.window_basis}）。\n{how}"
            "申请信用修复须履行完毕法定责任义务、提交履行完毕的证明材料并作出信用修复承诺；"
            "可通过“信用汕尾”小程序或政务服务大厅信用修复窗口申请，由作出认定的部门办理（谁认定、谁修复）。"
            "信用修复不收取任何费用。")


def classes_of(department: str) -> list[PublicationClass]:
    return list(db.session.execute(select(PublicationClass).where(PublicationClass.department == department)
                                   .order_by(PublicationClass.penalty_type)).scalars())


def _department(op: Operator, requested: str | None) -> str:
    if op.role == "admin":
        if not requested:
            raise InvalidInput("department：平台管理员须指明部门。", code="department_required",
                               details={"field": "department"})
        return requested
    return op.department


@use_case
def put_class(op: Operator, penalty_type: str, data: dict, *, actor: str) -> PublicationClass:
    """Create or change a row of the operator's department's table (admins: any department's)."""
    department = _department(op, data.get("department"))
    if not 1 <= len(penalty_type) <= 50 or not penalty_type.isprintable():
        raise InvalidInput("penalty_type：处罚种类应为 1 到 50 个字符，不含控制字符。",
                           details={"field": "penalty_type"})
    if data.get("min_months") is not None and data.get("max_months") is not None \
            and data["min_months"] > data["max_months"]:
        raise InvalidInput("min_months：最短公示期限不能长于最长公示期限。", code="invalid_window",
                           details={"field": "min_months"})
    row = _row(department, penalty_type)
    if row is None:
        row = PublicationClass(department=department, penalty_type=penalty_type)
        db.session.add(row)
    else:
        row.updated_at = utcnow()
    for field in CLASS_FIELDS:
        if field in data:
            setattr(row, field, data[field])
    db.session.flush()
    audit.record(actor, "publication_class.put", "publication_class", row.id,
                 details={"department": department, "penalty_type": penalty_type, "class": row.severity_class})
    return row


@use_case
def delete_class(op: Operator, penalty_type: str, department: str | None, *, actor: str) -> None:
    """Remove a row of the operator's department's table; raises NotFound."""
    department = _department(op, department)
    row = _row(department, penalty_type)
    if row is None:
        raise NotFound(f"{department}的分类标准中没有“{penalty_type}”。", code="class_not_found")
    db.session.delete(row)
    audit.record(actor, "publication_class.delete", "publication_class", row.id,
                 details={"department": department, "penalty_type": penalty_type})


def min_period_passed(record: CreditRecord, day: dt.date) -> bool:
    return record.min_publish_until is None or day > record.min_publish_until or \
        (record.severity_class == Severity.MINOR)
