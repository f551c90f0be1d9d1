"""The working-day calendar and civil-code periods: the one place deadlines and publication windows are counted.

Working days (工作日, 行政处罚法 art. 85) are weekdays minus statutory holidays plus the adjusted working days
(调休) of the State Council's yearly notice. The days live in the `calendar_days` table, seeded from the
chinesecalendar package (its data ends at 2026) and extended by admins as each notice appears
(`flask calendar import FILE`, `PUT /api/dept/v1/calendar/years/<year>`). A year nobody entered is counted
as plain weekdays and raises the `credit_calendar_fallbacks` metric and a warning: a deadline is never
refused for want of data, but someone is told to enter the year.

Periods in months or years (publication windows) follow the civil code (民法典 art. 200–203): the start
day is not counted, and the period ends on the corresponding date of the last month, or on that month's
last day when it has no such date (31 Jan + 1 month ends 28/29 Feb).
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import enum
import logging
from dataclasses import dataclass

from sqlalchemy import Date, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.caching import REVOCATIONS, cache
from backend.platform.db import Base, CreatedAt, db, one_of
from backend.platform.errors import NotFound
from backend.platform.observability.metrics import count_calendar_fallback

log = logging.getLogger(__name__)
MAX_WORKING_DAYS = 3660  # ten years of working days: any deadline in this domain is far shorter


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # 法定节假日 (a weekday off, or a weekend day inside a holiday run)
    WORKDAY = "workday"  # 调休上班: a Saturday or Sunday that is a working day


DAY_KIND_ZH = {DayKind.HOLIDAY: "法定节假日", DayKind.WORKDAY: "调休上班日"}


class CalendarYear(CreatedAt, Base):
    """A year whose holidays and adjusted working days are known (entered from the State Council's notice)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))  # e.g. "chinesecalendar 1.11.0" or the notice's number


class CalendarDay(Base):
    """One day that differs from the plain weekday rule in a known year."""

    __tablename__ = "calendar_days"
    __table_args__ = (one_of("kind", DayKind),)

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(40), default="")


def forget() -> None:
    """Drop every worker's copy of the days (after a year is entered)."""
    cache("calendar", ttl=3600, max_entries=1, shared=REVOCATIONS).forget()


@dataclass(frozen=True)
class Days:
    """The known years and their exceptional days, loaded once per worker (forgotten on every change)."""

    years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


def _days() -> Days:
    def load() -> Days:
        years = frozenset(db.session.scalars(select(CalendarYear.year)))
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
        return Days(years, frozenset(d for d, k in rows if k == DayKind.HOLIDAY),
                    frozenset(d for d, k in rows if k == DayKind.WORKDAY))

    return cache("calendar", ttl=3600, max_entries=1, shared=REVOCATIONS).get("days", load)


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is a working day; an unknown year counts weekdays (and raises the fallback metric)."""
    days = _days()
    if day.year not in days.years:
        _fallback(day.year)
        return day.weekday() < 5
    if day in days.workdays:
        return True
    return day.weekday() < 5 and day not in days.holidays


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the start day itself is not counted; n=0 gives `start`).

    Raises ValueError for a negative or absurd n (a programming error, not user input)."""
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}, not {n}")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def period_end(start: dt.date, *, months: int = 0, years: int = 0) -> dt.date:
    """Last day of a period of `years` and `months` counted from `start` under the civil code's rules."""
    total = start.month - 1 + months + 12 * years
    year, month = start.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(start.day, gregorian.monthrange(year, month)[1]))


def known_years() -> list[int]:
    return sorted(_days().years)


def year_summaries() -> list[dict]:
    """Every known year with its source and how many holidays and adjusted working days it has."""
    counts = {(y, k): n for y, k, n in db.session.execute(
        select(CalendarDay.year, CalendarDay.kind, func.count()).group_by(CalendarDay.year, CalendarDay.kind))}
    return [{"year": y.year, "source": y.source, "holidays": counts.get((y.year, DayKind.HOLIDAY), 0),
             "workdays": counts.get((y.year, DayKind.WORKDAY), 0)}
            for y in db.session.scalars(select(CalendarYear).order_by(CalendarYear.year))]


def year_entry(year: int) -> dict:
    """A known year with its days. Raises NotFound (calendar_year_unknown) for a year nobody entered."""
    found = db.session.get(CalendarYear, year)
    if found is None:
        raise NotFound(f"{year} 年的节假日尚未登记，工作日暂按周一至周五计算。", code="calendar_year_unknown")
    return {"year": year, "source": found.source,
            "days": [{"day": d.day, "kind": d.kind, "name": d.name} for d in year_days(year)]}


def year_days(year: int) -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)))


_warned: set[int] = set()


def _fallback(year: int) -> None:
    count_calendar_fallback(year)
    if year in _warned:
        return
    _warned.add(year)
    log.warning("no working-day calendar for %s: counting weekdays (enter the year: flask calendar import)", year)
