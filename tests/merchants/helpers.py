"""Builders for market tests: markets, merchants with a grade, market operators."""

from __future__ import annotations

import datetime as dt
import itertools

from backend.models import Inspection, InspectionAgency, ListEntry, Market, Merchant, Subject
from backend.platform.clock import utcnow
from backend.platform.extensions import db
from tests.factories import merchant_subject, operator_token

_stall = itertools.count(1)


MARKET_DEPARTMENT = "汕尾市市场监督管理局"
AGENCY = "汕尾市食品检验所"


def market(slug: str = "magong", name: str = "马宫水产品批发市场", department: str = MARKET_DEPARTMENT) -> Market:
    """The market (supervised by `department`), with AGENCY on the list of testing agencies."""
    found = db.session.query(Market).filter_by(slug=slug).one_or_none()
    if found is None:
        found = Market(slug=slug, name=name, address="汕尾市城区", department=department)
        db.session.add(found)
    if db.session.query(InspectionAgency).filter_by(name=AGENCY).one_or_none() is None:
        db.session.add(InspectionAgency(name=AGENCY))
    db.session.commit()
    return found


def merchant(name: str = "阿海鲜活水产", grade: str = "B", slug: str = "magong", stall_no: str | None = None,
             **fields) -> Merchant:
    m = market(slug)
    subject = merchant_subject(name, grade)
    subject.grade_updated_at = utcnow()
    fields.setdefault("stall_name", name)
    row = Merchant(subject_id=subject.id, market_id=m.id, stall_no=stall_no or f"M{next(_stall):03d}", **fields)
    db.session.add(row)
    db.session.commit()
    return row


def row_subject(row: Merchant) -> Subject:
    return db.session.get(Subject, row.subject_id)


def handle_of(row: Merchant) -> str:
    return row_subject(row).handle


def inspection(row: Merchant, result: str = "pass", failed_items: str | None = None, n: int = 1,
               sampled_on: dt.date = dt.date(2026, 10, 1), product: str = "鲜活对虾") -> Inspection:
    item = Inspection(merchant_id=row.id, product=product, sampled_on=sampled_on, agency=AGENCY,
                      result=result, failed_items=failed_items, report_no=f"T-{row.id}-{n}")
    db.session.add(item)
    db.session.commit()
    return item


def listing(row: Merchant, list_type: str, ends_on: dt.date | None = None, removed: bool = False) -> ListEntry:
    entry = ListEntry(subject_id=row.subject_id, list_type=list_type, reason="销售不合格食用农产品且拒不整改",
                      legal_basis="《广东省社会信用条例》", decision_document="汕市监〔2026〕1号",
                      department="汕尾市市场监督管理局", starts_on=dt.date(2026, 1, 1), ends_on=ends_on,
                      removed_at=utcnow() if removed else None)
    db.session.add(entry)
    db.session.commit()
    return entry


def market_operator(slug: str = "magong") -> str:
    market(slug, name="三马路步行街" if slug == "sanmalu" else "马宫水产品批发市场")
    return operator_token("market", market_slug=slug)
