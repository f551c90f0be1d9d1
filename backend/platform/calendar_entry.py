"""Entering the working-day calendar: a year from the State Council's notice (CSV or the admin API), or every
year the pinned chinesecalendar package knows (what migration 0015 seeds)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from sqlalchemy import delete, select

from backend.platform import audit
from backend.platform.calendar import CalendarDay, CalendarYear, DayKind, forget
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import InvalidInput


@use_case
def put_year(year: int, days: Iterable[tuple[dt.date, str, str]], *, source: str, actor: str) -> int:
    """Replace a year's holidays and adjusted working days (from the State Council's notice); returns how many.

    Raises InvalidInput (calendar_invalid) when a day is outside the year, is listed twice, has an unknown
    kind, or is an adjusted working day on a weekday (which would be no adjustment)."""
    rows: dict[dt.date, tuple[str, str]] = {}
    for day, kind, name in days:
        problem = _day_problem(year, day, kind, rows)
        if problem:
            raise InvalidInput(problem, code="calendar_invalid", details={"day": day.isoformat()})
        rows[day] = (kind, name)
    db.session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    found = db.session.get(CalendarYear, year)
    if found is None:
        db.session.add(CalendarYear(year=year, source=source))
    else:
        found.source = source
    db.session.flush()
    db.session.add_all(CalendarDay(day=d, year=year, kind=k, name=n) for d, (k, n) in sorted(rows.items()))
    audit.record(actor, "calendar.put_year", "calendar_year", str(year),
                 details={"source": source, "holidays": sum(k == DayKind.HOLIDAY for k, _ in rows.values()),
                          "workdays": sum(k == DayKind.WORKDAY for k, _ in rows.values())})
    on_commit(forget)
    return len(rows)


def _day_problem(year: int, day: dt.date, kind: str, seen: dict) -> str | None:
    if day.year != year:
        return f"{day.isoformat()} 不在 {year} 年内。"
    if day in seen:
        return f"{day.isoformat()} 重复出现。"
    if kind not in DayKind.__members__.values():
        return f"{day.isoformat()} 的类型应为 holiday（法定节假日）或 workday（调休上班日）。"
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return f"{day.isoformat()} 本来就是工作日，不能登记为调休上班日。"
    return None


def package_years() -> dict[int, list[tuple[dt.date, str, str]]]:
    """Every year the chinesecalendar package knows, as (day, kind, name) lists."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    zh = {h.value: h.chinese for h in Holiday}
    by_year: dict[int, list[tuple[dt.date, str, str]]] = {}
    for day, name in chinese_calendar.holidays.items():
        by_year.setdefault(day.year, []).append((day, DayKind.HOLIDAY, zh.get(name, str(name or ""))[:40]))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # the package also lists ordinary weekdays in some years
            by_year.setdefault(day.year, []).append((day, DayKind.WORKDAY, zh.get(name, str(name or ""))[:40]))
    return by_year


KIND_WORDS = {"holiday": DayKind.HOLIDAY, "workday": DayKind.WORKDAY, "法定节假日": DayKind.HOLIDAY,
              "节假日": DayKind.HOLIDAY, "调休上班日": DayKind.WORKDAY, "调休": DayKind.WORKDAY}


def parse_days_csv(text: str) -> dict[int, list[tuple[dt.date, str, str]]]:
    """CSV `date,kind,name` (a header row) by year. Raises InvalidInput (calendar_invalid) naming the bad line."""
    by_year: dict[int, list[tuple[dt.date, str, str]]] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or (number == 1 and row[0].strip().lower() in ("date", "日期")):
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
            kind = KIND_WORDS[row[1].strip()]
        except (ValueError, IndexError, KeyError):
            raise InvalidInput(f"第 {number} 行应为：日期（YYYY-MM-DD）,类型（holiday 或 workday）,名称。",
                               code="calendar_invalid", details={"line": number}) from None
        by_year.setdefault(day.year, []).append((day, kind, row[2].strip()[:40] if len(row) > 2 else ""))
    if not by_year:
        raise InvalidInput("文件中没有日期。", code="calendar_invalid")
    return by_year


@use_case
def seed_from_package(*, actor: str) -> list[int]:
    """Enter every year chinesecalendar knows that the table lacks (an admin's entry is never overwritten)."""
    import chinese_calendar

    have = set(db.session.scalars(select(CalendarYear.year)))
    added = []
    for year, days in sorted(package_years().items()):
        if year not in have:
            put_year(year, days, source=f"chinesecalendar {chinese_calendar.__version__}", actor=actor)
            added.append(year)
    return added
