"""A resident's own scans: every use of their code, where and when, with what was granted or refused."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from backend.platform.db import Page, db, paginate
from backend.scanning.models import Incentive, Partner, Redemption, Scan, ScannerDevice, Scenario
from backend.scanning.vocab import OUTCOME_ZH, REASON_ZH


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


def my_scans(subject_id: int, page: int, per_page: int) -> Page:
    """Every scan of this person's codes, newest first, with what was granted or refused there."""
    query = (select(Scan, ScannerDevice.name.label("device"), Partner.name.label("partner"),
                    Scenario.code.label("scenario"), Scenario.name_zh.label("scenario_zh"))
             .join(ScannerDevice, ScannerDevice.id == Scan.device_id)
             .join(Partner, Partner.id == ScannerDevice.partner_id)
             .join(Scenario, Scenario.code == ScannerDevice.scenario)
             .where(Scan.subject_id == subject_id)
             .order_by(Scan.scanned_at.desc(), Scan.id.desc()))
    found = paginate(query, page, per_page, rows=True)
    grants = _grants([row.Scan.id for row in found.items])
    items = [{
        "scanned_at": r.Scan.scanned_at, "outcome": r.Scan.outcome,
        "outcome_zh": OUTCOME_ZH.get(r.Scan.outcome, r.Scan.outcome), "offline": r.Scan.offline,
        "device": r.device, "partner": r.partner, "scenario": r.scenario, "scenario_zh": r.scenario_zh,
        "granted": grants.get(r.Scan.id, []), "refusal": r.Scan.refusal,
        "refusal_zh": REASON_ZH.get(r.Scan.refusal, r.Scan.refusal) if r.Scan.refusal else None,
    } for r in found.items]
    return Page(items, found.total, found.page, found.per_page)
