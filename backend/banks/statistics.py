"""Aggregate 信易贷 figures per bank and per China-time month for the credit office: counts and sums only,
never a subject."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backend.banks.models import Bank, BankAuthorisation, BankFetch, LoanApplication
from backend.banks.vocab import Outcome
from backend.platform.clock import CHINA
from backend.platform.db import db


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[first instant, next month's first instant) of a YYYY-MM month in China time, as UTC."""
    year, mon = (int(p) for p in month.split("-"))
    start = dt.datetime(year, mon, 1, tzinfo=CHINA)
    end = dt.datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=CHINA)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _count_by_bank(column, when, start, end, *extra) -> dict[int, int]:
    query = select(column, func.count()).where(when >= start, when < end, *extra).group_by(column)
    return dict(db.session.execute(query).all())


def monthly_statistics(month: str) -> dict:
    """Per bank: authorisations granted and revoked, profile fetches, applications received, outcomes reported
    (approved, declined) and the approved amount, for events in that month."""
    start, end = month_bounds(month)
    granted = _count_by_bank(BankAuthorisation.bank_id, BankAuthorisation.granted_at, start, end)
    revoked = _count_by_bank(BankAuthorisation.bank_id, BankAuthorisation.revoked_at, start, end)
    fetches = _count_by_bank(BankFetch.bank_id, BankFetch.fetched_at, start, end)
    received = _count_by_bank(LoanApplication.bank_id, LoanApplication.received_at, start, end)
    approved = _count_by_bank(LoanApplication.bank_id, LoanApplication.reported_at, start, end,
                              LoanApplication.outcome == Outcome.APPROVED)
    declined = _count_by_bank(LoanApplication.bank_id, LoanApplication.reported_at, start, end,
                              LoanApplication.outcome == Outcome.DECLINED)
    amounts = dict(db.session.execute(
        select(LoanApplication.bank_id, func.coalesce(func.sum(LoanApplication.amount_yuan), 0))
        .where(LoanApplication.reported_at >= start, LoanApplication.reported_at < end,
               LoanApplication.outcome == Outcome.APPROVED).group_by(LoanApplication.bank_id)).all())
    banks = db.session.execute(select(Bank).order_by(Bank.id)).scalars()
    return {"month": month, "banks": [{
        "bank_id": b.id, "bank_name": b.name, "authorisations_granted": granted.get(b.id, 0),
        "authorisations_revoked": revoked.get(b.id, 0), "profile_fetches": fetches.get(b.id, 0),
        "applications_received": received.get(b.id, 0), "approved": approved.get(b.id, 0),
        "declined": declined.get(b.id, 0), "approved_amount_yuan": int(amounts.get(b.id, 0)),
    } for b in banks]}
