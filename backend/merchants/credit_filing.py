"""What market operators record that the evaluation model scores: inspections and broken commitments.

Each becomes a credit record of the merchant's subject, keyed like a department's resubmission
(department + document number), and the grade is recomputed in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.credit import CreditRecord, RecordCategory, Subject, put_record
from backend.merchants.models import Commitment, Inspection, Market, Merchant
from backend.merchants.vocab import InspectionResult
from backend.platform.db import db
from backend.platform.errors import Conflict

INSPECTION_BASIS = "《中华人民共和国产品质量法》第十五条；《中华人民共和国食品安全法》第八十七条"
COMMITMENT_BASIS = "《广东省社会信用条例》第二十四条（信用承诺）"


def _unclaimed(department: str, document_no: str, subject: Subject, category: str) -> None:
    """Raises Conflict when a department already filed this document number as something else."""
    other = db.session.execute(select(CreditRecord.subject_id, CreditRecord.category).where(
        CreditRecord.department == department, CreditRecord.document_no == document_no)).first()
    if other is not None and (other.subject_id != subject.id or other.category != category):
        raise Conflict(f"{department}已报送过文书号为 {document_no} 的其他信用记录。",
                       code="duplicate_report", details={"field": "report_no"})


def file_inspection(merchant: Merchant, inspection: Inspection) -> CreditRecord:
    """File (or update) the product_inspection record of this inspection and re-grade; raises Conflict."""
    subject = db.session.get(Subject, merchant.subject_id)
    _unclaimed(inspection.agency, inspection.report_no, subject, RecordCategory.PRODUCT_INSPECTION)
    failed = inspection.result == InspectionResult.FAIL
    title = f"产品质量抽检{'不合格' if failed else '合格'}：{inspection.product}"
    data = {"category": RecordCategory.PRODUCT_INSPECTION, "result": inspection.result, "title": title[:300],
            "content": f"不合格项目：{inspection.failed_items}" if failed else None,
            "document_no": inspection.report_no, "legal_basis": INSPECTION_BASIS,
            "decided_on": inspection.sampled_on}
    record, _ = put_record(subject, inspection.agency, data,
                           reason=f"{inspection.agency} 抽检{'不合格' if failed else '合格'} {inspection.report_no}")
    return record


def commitment_document_no(commitment: Commitment) -> str:
    return f"信用承诺-{commitment.id}"


def file_broken_commitment(merchant: Merchant, commitment: Commitment, on: dt.date, reason: str) -> CreditRecord:
    """File the commitment_broken record (decided by the market's management) and re-grade; raises Conflict."""
    subject = db.session.get(Subject, merchant.subject_id)
    department = db.session.get(Market, merchant.market_id).name
    document_no = commitment_document_no(commitment)
    _unclaimed(department, document_no, subject, RecordCategory.COMMITMENT_BROKEN)
    data = {"category": RecordCategory.COMMITMENT_BROKEN, "title": f"违背信用承诺：{commitment.title}"[:300],
            "content": reason, "document_no": document_no, "legal_basis": COMMITMENT_BASIS,
            "decided_on": on}
    record, _ = put_record(subject, department, data, reason=f"{department} 记录违背信用承诺 {document_no}")
    return record
