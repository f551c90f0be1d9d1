"""A resident's own credit file and code-use history, as the mini-program shows them."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from backend.platform.clock import utcnow
from backend.platform.extensions import db
from backend.models import (GRADE_ZH, CreditRecord, Incentive, ListEntry, Partner, Redemption, Scan, ScannerDevice,
    Scenario, Subject)
from backend.platform.errors import Forbidden
from backend.credit.grades import current_breakdown, grade_history
from backend.scanning.redemptions import REASON_ZH
from backend.scanning.verification import OUTCOME_ZH

HISTORY_LIMIT = 20


def bound_subject(subject_id: int | None) -> Subject:
    """The caller's person subject; raises Forbidden until the account is bound to an id."""
    subject = db.session.get(Subject, subject_id) if subject_id is not None else None
    if subject is None:
        raise Forbidden("请先完成实名绑定。", code="identity_required")
    return subject


def grade_view(subject: Subject) -> dict:
    """Grade and score, the live breakdown from the evaluation model, and the recent history."""
    breakdown = current_breakdown(subject)
    return {
        "grade": subject.grade, "grade_zh": GRADE_ZH[subject.grade], "score": subject.score,
        "grade_updated_at": subject.grade_updated_at,
        "model_version": breakdown["model_version"], "breakdown": breakdown,
        "history": grade_history(subject, HISTORY_LIMIT),
    }


def my_credit(subject_id: int | None) -> dict:
    """Grade, breakdown, own records and list status; raises Forbidden before binding."""
    subject = bound_subject(subject_id)
    records = db.session.execute(
        select(CreditRecord).where(CreditRecord.subject_id == subject.id)
        .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
    ).scalars().all()
    entries = db.session.execute(
        select(ListEntry).where(ListEntry.subject_id == subject.id).order_by(ListEntry.starts_on.desc())
    ).scalars().all()
    today = utcnow().date()
    lists = [{"list_type": e.list_type, "reason": e.reason, "legal_basis": e.legal_basis,
              "decision_document": e.decision_document, "department": e.department,
              "starts_on": e.starts_on, "ends_on": e.ends_on,
              "active": e.removed_at is None and e.starts_on <= today and (e.ends_on is None or e.ends_on >= today)}
             for e in entries]
    active = {e["list_type"] for e in lists if e["active"]}
    return {
        "display_name": subject.display_name, "id_number_masked": subject.resident_id_masked,
        **grade_view(subject), "records": records, "lists": lists,
        "list_status": {"red": "red" in active, "black": "black" in active, "watch": "watch" in active},
    }


def _grants(scan_ids: list[int]) -> dict[int, list[dict]]:
    """The perks granted (or, offline, flagged for review) at each of these scans (one query)."""
    by_scan: dict[int, list[dict]] = defaultdict(list)
    if scan_ids:
        rows = db.session.execute(
            select(Redemption.scan_id, Incentive.title, Redemption.granted_at, Redemption.status)
            .join(Incentive, Incentive.id == Redemption.incentive_id)
            .where(Redemption.scan_id.in_(scan_ids)).order_by(Redemption.granted_at, Redemption.id))
        for scan_id, title, at, status in rows:
            by_scan[scan_id].append({"title": title, "granted_at": at, "status": status})
    return by_scan


def my_scans(subject_id: int | None, page: int, per_page: int) -> tuple[list[dict], int]:
    """Every scan of the caller's codes, newest first, with what was granted or refused there; raises Forbidden."""
    subject = bound_subject(subject_id)
    total = db.session.scalar(select(func.count(Scan.id)).where(Scan.subject_id == subject.id)) or 0
    rows = db.session.execute(
        select(Scan, ScannerDevice.name, Partner.name, Scenario.code, Scenario.name_zh)
        .join(ScannerDevice, ScannerDevice.id == Scan.device_id)
        .join(Partner, Partner.id == ScannerDevice.partner_id)
        .join(Scenario, Scenario.code == ScannerDevice.scenario)
        .where(Scan.subject_id == subject.id)
        .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    grants = _grants([scan.id for scan, *_ in rows])
    return [{
        "scanned_at": scan.scanned_at, "outcome": scan.outcome,
        "outcome_zh": OUTCOME_ZH.get(scan.outcome, scan.outcome), "offline": scan.offline,
        "device": device, "partner": partner, "scenario": scenario, "scenario_zh": scenario_zh,
        "granted": grants.get(scan.id, []), "refusal": scan.refusal,
        "refusal_zh": REASON_ZH.get(scan.refusal, scan.refusal) if scan.refusal else None,
    } for scan, device, partner, scenario, scenario_zh in rows], total
