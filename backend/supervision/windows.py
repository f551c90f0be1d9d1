"""Rule: a penalty's minimum publication window ends within N working days (SUPERVISION_WINDOW_NEAR_DAYS) and its
obligations are not shown as met — a risk warning for the filing department, so it can urge the subject (山东条例
art. 41: 提示约谈 during publication).

Obligations count as met when the subject has said so in the way the repair rules ask: a repair application for
the record that was not denied (its statement is how the obligations were fulfilled; pending ones also move the
record to repair_pending), or a 信用修复型 commitment naming the record that is in force or kept. A periodic job
runs the check (hourly, so the day's candidates are found soon after midnight); it is idempotent: the cause is
the record and its minimum window, so each record warns once (again only if its window is changed).
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import exists, select, text

from backend.credit import CreditCommitment, CreditRecord
from backend.credit.vocab import CommitmentStatus, CommitmentType, PublicationState, RecordCategory
from backend.platform import dbio, jobs
from backend.platform.calendar import add_working_days
from backend.platform.clock import china_today
from backend.platform.db import db, use_case
from backend.repair import RepairApplication
from backend.repair.vocab import RepairState
from backend.supervision.vocab import WarningRule
from backend.supervision.warnings import raise_warning, sector_of

MET_BY_COMMITMENT = (CommitmentStatus.ACTIVE, CommitmentStatus.KEPT)
LOCK = 0x5357_4E45_4152  # pg_advisory_xact_lock key: one run at a time across workers (SQLite writes serialise)


def obligations_unmet(r=CreditRecord):
    """SQL: no repair application (but a denied one) and no live 信用修复型 commitment for the record."""
    return ~exists().where(RepairApplication.record_id == r.id, RepairApplication.state != RepairState.DENIED) & \
        ~exists().where(CreditCommitment.record_id == r.id, CreditCommitment.commitment_type == CommitmentType.REPAIR,
                        CreditCommitment.status.in_(MET_BY_COMMITMENT))


def due(day: dt.date, days: int):
    """Penalties shown today whose minimum window ends between today and `days` working days on, obligations unmet."""
    horizon = add_working_days(day, days)
    r = CreditRecord
    return select(r).where(r.category == RecordCategory.ADMIN_PENALTY, r.status == "active",
                           r.publication_state == PublicationState.PUBLISHED, r.repairable.is_(True),
                           r.min_publish_until.is_not(None), r.min_publish_until >= day,
                           r.min_publish_until <= horizon, obligations_unmet(r)).order_by(r.id)


@use_case
def warn_windows_near(day: dt.date | None = None, days: int | None = None) -> int:
    """Raise the window_near warning for each due penalty not warned yet; returns how many were raised."""
    day = day or china_today()
    days = current_app.config["SUPERVISION_WINDOW_NEAR_DAYS"] if days is None else days
    if dbio.is_postgresql():  # two workers' runs would race on the same causes (unique cause_key)
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK})
    raised = 0
    for record in db.session.scalars(due(day, days)):
        until = record.min_publish_until
        warning = raise_warning(
            record.subject_id, WarningRule.WINDOW_NEAR, f"record:{record.id}:{until.isoformat()}",
            summary=f"行政处罚最短公示期将于{until:%Y年%m月%d日}届满，尚未见履行义务（{record.title}）",
            department=record.department, sector=sector_of(record),
            details={"document_no": record.document_no, "record_id": record.id,
                     "min_publish_until": until.isoformat()})
        raised += warning is not None
    return raised


@jobs.periodic("supervision.window-near", minutes=60)  # idempotent: every worker may run it
def warn_periodically() -> int:
    return warn_windows_near()
