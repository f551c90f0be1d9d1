"""Risk warnings (信用风险预警): rules that react to credit events, each firing once per cause.

The listeners below are subscribed to credit's events by the app factory (credit never imports supervision);
they run inside the filing's transaction. A penalty's minimum window near with obligations unmet is found by a
periodic job instead (supervision.windows). A warning no department follows up (a grade drop with no record
behind it) belongs to the credit office: only an admin sees it and assigns it to a department (audited).
"""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from backend.credit import CreditCommitment, CreditRecord, ListEntry, ListType, RecordCategory
from backend.notifications import PushEvent, notify
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today
from backend.platform.db import Page, db, paginate, use_case
from backend.platform.errors import Conflict, Forbidden, NotFound
from backend.supervision.catalog import check_scope
from backend.supervision.models import RiskWarning
from backend.supervision.vocab import KEY_SECTORS, WARNING_RULE_ZH, WarningRule, WarningStatus

LEVELS = "ABCD"
COMMITMENT_CODE = re.compile(r"(?<!\d)\d{20}(?!\d)")  # the national 20-digit 承诺编码
# Words in a penalty's department, title or legal basis that place it in a key sector (SUPERVISION_KEY_SECTORS
# overrides them).
DEFAULT_SECTOR_WORDS = {
    "食品药品": ("食品", "药品", "药监", "化妆品", "医疗器械"), "生态环境": ("生态环境", "环境保护", "环保", "污染"),
    "安全生产": ("安全生产", "应急管理", "危险化学品", "消防"), "养老托幼": ("养老", "托育", "托幼", "幼儿园"),
    "医疗卫生": ("医疗机构", "卫生健康", "医师", "传染病"),
}


def sector_of(record: CreditRecord) -> str | None:
    words = current_app.config.get("SUPERVISION_KEY_SECTORS") or DEFAULT_SECTOR_WORDS
    text = " ".join(filter(None, (record.department, record.title, record.legal_basis, record.content)))
    return next((sector for sector in KEY_SECTORS if any(w in text for w in words.get(sector, ()))), None)


def raise_warning(subject_id: int, rule: str, cause: str, *, summary: str, department: str | None = None,
                  sector: str | None = None, details: dict | None = None) -> RiskWarning | None:
    """Raise the warning once per (rule, cause) in the caller's transaction and tell the subject; None when this
    cause has raised it already."""
    key = f"{rule}:{cause}"[:120]
    if db.session.scalar(select(RiskWarning.id).where(RiskWarning.cause_key == key)) is not None:
        return None
    warning = RiskWarning(subject_id=subject_id, rule=rule, cause_key=key, sector=sector, department=department,
                          summary=summary[:300], details=details or {}, status=WarningStatus.OPEN)
    db.session.add(warning)
    db.session.flush()
    audit.record("supervision", "supervision.warning.raise", "risk_warning", warning.id,
                 details={"rule": rule, "cause": key, "subject_id": subject_id})
    data = {"title": WARNING_RULE_ZH[WarningRule(rule)], "summary": summary, "department": department or "信用汕尾",
            "date": china_today().isoformat()}
    notify(subject_id, PushEvent.RISK_WARNING, data, cause=f"warning:{warning.id}")
    return warning


def _newest_record(subject_id: int) -> CreditRecord | None:
    """The subject's newest record: its department follows up a fall in grade, its sector (if key) is the warning's."""
    return db.session.scalar(select(CreditRecord).where(CreditRecord.subject_id == subject_id)
                             .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc()).limit(1))


def on_grade_changed(*, subject_id: int, old: str | None, new: str | None, reason: str) -> None:
    """Rule: the grade falls to 差, or drops two levels at once."""
    if new is None or old == new:
        return
    drop = LEVELS.index(new) - LEVELS.index(old) if old is not None else 0
    if not (new == "D" or drop >= 2):  # a first grade of 差 (old unrated) is a fall to 差 too
        return
    before = "未评价" if old is None else "优良中差"[LEVELS.index(old)]
    newest = _newest_record(subject_id)
    raise_warning(subject_id, WarningRule.GRADE_DROP, f"{subject_id}:{old or '-'}>{new}:{china_today().isoformat()}",
                  summary=f"信用等级由{before}降为{'优良中差'[LEVELS.index(new)]}（{reason}）",
                  department=newest.department if newest else None, sector=sector_of(newest) if newest else None,
                  details={"old": old, "new": new, "reason": reason})


def on_record_filed(*, record: CreditRecord, created: bool) -> None:
    """Rules: a new penalty in a key sector; a broken commitment recorded."""
    if not created:
        return
    if record.category == RecordCategory.ADMIN_PENALTY and (sector := sector_of(record)) is not None:
        raise_warning(record.subject_id, WarningRule.KEY_SECTOR_PENALTY, f"record:{record.id}",
                      summary=f"{sector}领域行政处罚：{record.title}", department=record.department, sector=sector,
                      details={"document_no": record.document_no})
    elif record.category == RecordCategory.COMMITMENT_BROKEN:
        raise_warning(record.subject_id, WarningRule.COMMITMENT_BROKEN, _breach_cause(record),
                      summary=record.title, department=record.department, details={"document_no": record.document_no})


def _breach_cause(record: CreditRecord) -> str:
    """One breach, one cause: a record naming a commitment we keep (a market files one before assessing the
    commitment) has the commitment's cause, so the record and the assessment raise one warning."""
    found = COMMITMENT_CODE.search(record.document_no or "")
    if found and db.session.scalar(select(CreditCommitment.id).where(CreditCommitment.code == found.group())):
        return f"commitment:{found.group()}"
    return f"record:{record.id}"


def on_commitment_broken(*, commitment: CreditCommitment, department: str) -> None:
    """Rule: a credit commitment assessed 部分履行 or 全部未履行 (credit.commitments.assess)."""
    raise_warning(commitment.subject_id, WarningRule.COMMITMENT_BROKEN, f"commitment:{commitment.code}",
                  summary=f"违背信用承诺：{commitment.matter}", department=department,
                  details={"commitment": commitment.code, "fulfilment": commitment.fulfilment,
                           "unfulfilled": (commitment.unfulfilled or "")[:300]})


def on_list_entry_added(*, entry: ListEntry) -> None:
    """Rule: entry to the watch list."""
    if entry.list_type == ListType.WATCH:
        raise_warning(entry.subject_id, WarningRule.WATCH_LIST, f"entry:{entry.id}",
                      summary=f"列入重点关注名单：{entry.reason}", department=entry.department,
                      details={"decision_document": entry.decision_document})


CREDIT_LISTENERS = {"grade_changed": on_grade_changed, "record_filed": on_record_filed,
                    "list_entry_added": on_list_entry_added, "commitment_broken": on_commitment_broken}


def get_warning(warning_id: int, op: Operator) -> RiskWarning:
    """Raises NotFound; Forbidden for another department's warning, and for an unassigned one unless admin."""
    warning = db.session.get(RiskWarning, warning_id)
    if warning is None:
        raise NotFound(f"没有编号为 {warning_id} 的风险预警。")
    if warning.department is None:
        if op.role != "admin":
            raise Forbidden("该预警尚未分派部门，由信用办（平台管理员）处置或分派。", code="warning_unassigned")
    else:
        check_scope(op, warning.department)
    return warning


@use_case
def assign_warning(warning_id: int, department: str, reason: str, *, operator: Operator, actor: str) -> RiskWarning:
    """The credit office (admin) assigns an open warning to a department; raises NotFound, Forbidden (admins only),
    Conflict (warning_closed)."""
    if operator.role != "admin":
        raise Forbidden("只有信用办（平台管理员）可以分派预警。", code="warning_unassigned")
    warning = get_warning(warning_id, operator)
    if warning.status != WarningStatus.OPEN:
        raise Conflict("该预警已处置，不能再分派。", code="warning_closed")
    before, warning.department = warning.department, department
    audit.record(actor, "supervision.warning.assign", "risk_warning", warning.id,
                 details={"from": before, "to": department, "reason": reason})
    return warning


@use_case
def close_warning(warning_id: int, reason: str, *, operator: Operator, actor: str) -> RiskWarning:
    """Dismiss an open warning with a reason; raises NotFound, Forbidden, Conflict (warning_closed)."""
    warning = get_warning(warning_id, operator)
    if warning.status != WarningStatus.OPEN:
        raise Conflict("该预警已处置，不能关闭。", code="warning_closed")
    warning.status, warning.closed_reason = WarningStatus.CLOSED, reason
    audit.record(actor, "supervision.warning.close", "risk_warning", warning.id, details={"reason": reason})
    return warning


def list_warnings(department: str | None, status: str | None, page: int, per_page: int,
                  unassigned: bool = False) -> Page:
    """A department's warnings (department None: every one, for the admin; unassigned: those with none)."""
    query = select(RiskWarning).order_by(RiskWarning.id.desc())
    if department:
        query = query.where(RiskWarning.department == department)
    if unassigned:
        query = query.where(RiskWarning.department.is_(None))
    if status:
        query = query.where(RiskWarning.status == status)
    return paginate(query, page, per_page)
