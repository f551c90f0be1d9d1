"""What market operators record that the evaluation model scores: inspections and broken commitments.

Each becomes a credit record of the merchant's subject filed under the market's own department
(`markets.department`, set by a platform admin), never under a name the operator types: the testing
agency stays display data on the inspection and in the record's text. The record is keyed like a
department's resubmission (department + document number) in that department's number space, and the
grade is recomputed in the caller's transaction. Records filed before markets had a department keep
the department they were filed under.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.credit import CreditCommitment, CreditRecord, RecordCategory, Subject, put_record
from backend.merchants.models import Inspection, Market, Merchant
from backend.merchants.vocab import InspectionResult
from backend.platform.db import db
from backend.platform.errors import Conflict

INSPECTION_BASIS = "《中华人民共和国产品质量法》第十五条；《中华人民共和国食品安全法》第八十七条"
COMMITMENT_BASIS = "《广东省社会信用条例》第二十四条（信用承诺）"
# Every field put_record sets: a market never tolerates or flags an emergency, and its records do not expire early.
DEFAULTS = {"severity": None, "result": None, "content": None, "expires_on": None, "tolerant_first_offence": False,
            "emergency": False}


def market_department(merchant: Merchant) -> str:
    return db.session.get(Market, merchant.market_id).department


def _unclaimed(department: str, document_no: str, field: str) -> None:
    """Raises Conflict when the department already has a credit record with this number.

    A market files new records only: reusing a number would rewrite a record the department (or another
    market under it) filed, e.g. turn its failed inspection into a pass.
    """
    taken = db.session.execute(select(CreditRecord.id).where(
        CreditRecord.department == department, CreditRecord.document_no == document_no)).first()
    if taken is not None:
        raise Conflict(f"{department}已有文书编号为“{document_no}”的信用记录，该编号不能再用于本条记录；"
                       "请核对编号（同一部门的编号不能重复）。", code="duplicate_report", details={"field": field})


def file_inspection(merchant: Merchant, inspection: Inspection) -> CreditRecord:
    """File the product_inspection record of this inspection under the market's department and re-grade;
    raises Conflict (the number is taken in that department)."""
    subject = db.session.get(Subject, merchant.subject_id)
    department = market_department(merchant)
    _unclaimed(department, inspection.report_no, "report_no")
    failed = inspection.result == InspectionResult.FAIL
    verdict = "不合格" if failed else "合格"
    content = f"检测机构：{inspection.agency}" + (f"；不合格项目：{inspection.failed_items}" if failed else "")
    data = {**DEFAULTS, "category": RecordCategory.PRODUCT_INSPECTION, "result": inspection.result,
            "title": f"产品质量抽检{verdict}：{inspection.product}"[:300], "content": content,
            "document_no": inspection.report_no, "legal_basis": INSPECTION_BASIS, "decided_on": inspection.sampled_on}
    record, _ = put_record(subject, department, data,
                           reason=f"{department} 录入{inspection.agency}抽检{verdict} {inspection.report_no}")
    return record


def commitment_document_no(commitment: CreditCommitment) -> str:
    return f"信用承诺-{commitment.code}"


def file_broken_commitment(merchant: Merchant, commitment: CreditCommitment, on: dt.date, reason: str) -> CreditRecord:
    """File the commitment_broken record under the market's department and re-grade; raises Conflict."""
    subject = db.session.get(Subject, merchant.subject_id)
    department = market_department(merchant)
    document_no = commitment_document_no(commitment)
    _unclaimed(department, document_no, "commitment")
    data = {**DEFAULTS, "category": RecordCategory.COMMITMENT_BROKEN,
            "title": f"违背信用承诺：{commitment.matter}"[:300], "content": reason, "document_no": document_no,
            "legal_basis": COMMITMENT_BASIS, "decided_on": on}
    record, _ = put_record(subject, department, data, reason=f"{department} 记录违背信用承诺 {document_no}")
    return record
