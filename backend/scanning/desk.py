"""What a device's staff console reads besides verify: the verdict of one of its scans, and today's grants."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.credit import Subject
from backend.platform.clock import CHINA, china_today, local_date, now_ts
from backend.platform.db import db
from backend.platform.errors import NotFound
from backend.scanning.checks import black_listed, mark_note
from backend.scanning.devices import Device, scenario_rules
from backend.scanning.models import Incentive, Redemption, Scan
from backend.scanning.rules import Holder, ineligibility
from backend.scanning.verdicts import outcome_verdict, valid_verdict
from backend.scanning.vocab import Outcome, Refusal


def _holder(subject_id: int, day: dt.date) -> Holder:
    row = db.session.execute(select(Subject.id, Subject.handle, Subject.kind, Subject.display_name, Subject.grade,
                                    black_listed(day).label("blocked"), mark_note().label("mark_note"))
                             .where(Subject.id == subject_id)).one()
    return Holder(row.id, row.handle, row.kind, row.display_name, row.grade, bool(row.blocked), row.mark_note)


def scan_verdict(device: Device, scan_id: int) -> dict:
    """Green, amber or red for one of this device's scans, with the reason; raises NotFound (others' scans)."""
    scan = db.session.get(Scan, scan_id)
    if scan is None or scan.device_id != device.id:
        raise NotFound(f"本设备没有编号为 {scan_id} 的核验记录。", code="scan_not_found")
    answer = {"scan_id": scan.id, "outcome": scan.outcome, "refusal": scan.refusal}
    if scan.outcome != Outcome.VALID or scan.subject_id is None:
        return {**answer, **outcome_verdict(scan.outcome).as_dict()}
    day = local_date(scan.scanned_at)
    holder = _holder(scan.subject_id, day)
    rules = scenario_rules(device.scenario)
    refusal, period = scan.refusal, None
    if not rules and refusal is None:  # a scenario that grants nothing: a genuine code of someone in good standing
        refusal = Refusal.BLACKLISTED if holder.blocked else (Refusal.GRADE if holder.grade is None else None)
    if refusal == Refusal.OVER_QUOTA:
        periods = {r.quota_period for r in rules if ineligibility(r, holder, day) is None}
        period = periods.pop() if len(periods) == 1 else None
    verdict = valid_verdict(refusal, period=period, unrated=holder.grade is None, grants_nothing=not rules)
    return {**answer, "refusal": refusal, **verdict.as_dict(), "notes": [holder.mark_note] if holder.mark_note else []}


def receipt_no(redemption_id: int, granted_at: dt.datetime) -> str:
    """The number a grant is known by at the desk: its China date and the redemption's number."""
    return f"{local_date(granted_at):%Y%m%d}-{redemption_id:06d}"


def todays_grants(device: Device) -> dict:
    """This device, and the perks it granted today (China date), newest first."""
    day = china_today()
    start = dt.datetime.combine(day, dt.time(), CHINA)
    rows = db.session.execute(
        select(Redemption.id, Redemption.granted_at, Redemption.status, Redemption.scan_id, Redemption.offline,
               Incentive.code, Incentive.title)
        .join(Incentive, Incentive.id == Redemption.incentive_id)
        .where(Redemption.device_id == device.id, Redemption.granted_at >= start,
               Redemption.granted_at < start + dt.timedelta(days=1))
        .order_by(Redemption.granted_at.desc(), Redemption.id.desc())).all()
    return {"device": {"name": device.name, "scenario": device.scenario, "scenario_name": device.scenario_name},
            "day": day, "checked_at": now_ts(),
            "items": [{"receipt_no": receipt_no(r.id, r.granted_at), "incentive": {"code": r.code, "title": r.title},
                       "granted_at": r.granted_at, "status": r.status, "offline": r.offline, "scan_id": r.scan_id}
                      for r in rows]}
