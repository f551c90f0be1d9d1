"""The testing agencies whose reports market offices may record: a list platform admins keep (audited).

An inspection names its agency as display data; the credit record it files is the market department's
(credit_filing). Only an active agency on this list is accepted, so a market office cannot present a
report as coming from an agency nobody vetted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.merchants.models import InspectionAgency
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.db import db, savepoint, use_case
from backend.platform.errors import InvalidInput, NotFound


def agency_view(agency: InspectionAgency) -> dict:
    return {"id": agency.id, "name": agency.name, "active": agency.active, "created_at": agency.created_at,
            "deactivated_at": agency.deactivated_at}


def list_agencies(include_inactive: bool = False) -> list[dict]:
    """The agencies by name (active ones only unless include_inactive)."""
    query = select(InspectionAgency).order_by(InspectionAgency.name)
    if not include_inactive:
        query = query.where(InspectionAgency.active)
    return [agency_view(a) for a in db.session.execute(query).scalars()]


def _by_name(name: str) -> InspectionAgency | None:
    return db.session.execute(select(InspectionAgency).where(InspectionAgency.name == name)).scalar_one_or_none()


def listed_agency(name: str) -> InspectionAgency:
    """The active agency of this name; raises InvalidInput saying how to get it listed."""
    agency = _by_name(name)
    if agency is None or not agency.active:
        raise InvalidInput(f"检测机构“{name}”不在平台认可的检测机构名单中，不能录入其检测报告。"
                           "请联系信用办（平台管理员）核实该机构后加入名单（POST /api/dept/v1/inspection-agencies），"
                           "再重新录入；现有名单见 GET /api/dept/v1/inspection-agencies。",
                           code="unknown_agency", details={"field": "agency"})
    return agency


@use_case
def add_agency(name: str, *, actor: str) -> tuple[dict, int]:
    """List an agency (201), or reactivate a deactivated one (200); one already active is answered as is (200)."""
    agency = _by_name(name)
    if agency is not None and agency.active:
        return agency_view(agency), 200
    if agency is None:
        agency = InspectionAgency(name=name)
        try:
            with savepoint():  # a concurrent add of the same name: answer with that one
                db.session.add(agency)
                db.session.flush()
        except IntegrityError:
            return agency_view(_by_name(name)), 200
        action, status = "inspection_agency.add", 201
    else:
        agency.active, agency.deactivated_at = True, None
        action, status = "inspection_agency.reactivate", 200
    audit.record(actor, action, "inspection_agency", agency.id, details={"name": name})
    return agency_view(agency), status


@use_case
def deactivate_agency(agency_id: int, *, actor: str) -> dict:
    """Take an agency off the list (its recorded inspections stay as they are); raises NotFound."""
    agency = db.session.get(InspectionAgency, agency_id)
    if agency is None:
        raise NotFound(f"没有编号为 {agency_id} 的检测机构。", code="agency_not_found")
    if agency.active:
        agency.active, agency.deactivated_at = False, utcnow()
        audit.record(actor, "inspection_agency.deactivate", "inspection_agency", agency.id,
                     details={"name": agency.name})
    return agency_view(agency)


def ensure_agencies(names) -> None:
    """List these agencies if missing, in the caller's transaction (demo data)."""
    for name in names:
        if _by_name(name) is None:
            db.session.add(InspectionAgency(name=name))
    db.session.flush()
