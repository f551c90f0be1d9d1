"""The working-day calendar: deadlines across the official holidays, civil-code periods, admins entering a year,
and weekdays (with the alert metric) for a year nobody entered."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.platform import calendar
from backend.platform.calendar_entry import put_year
from backend.platform.observability.metrics import CALENDAR_FALLBACKS
from tests.factories import bearer, operator_token

D = dt.date


def test_national_day_2026_official_calendar(app):
    # 国办发明电〔2025〕7号: 国庆节 10月1日至7日放假调休，9月20日（周日）、10月10日（周六）上班；中秋节 9月25日至27日.
    assert not calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 10, 7))
    assert calendar.is_working_day(D(2026, 9, 20))  # a Sunday, adjusted working day
    assert calendar.is_working_day(D(2026, 10, 10))  # a Saturday, adjusted working day
    # A 3-working-day deadline (撤回 of a changed decision) from Tuesday 29 September: 30 Sep, 8 Oct, 9 Oct.
    assert calendar.add_working_days(D(2026, 9, 29), 3) == D(2026, 10, 9)
    # 7 working days (双公示) from the eve of the holiday: 8, 9, 10 (Saturday, 调休), 12, 13, 14, 15 October.
    assert calendar.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 15)) == 7


def test_spring_festival_2026(app):
    # Friday 13 February + 1 working day: Saturday 14 Feb is an adjusted working day.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    # From the 14th the next working day is after the 15–23 holiday.
    assert calendar.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert calendar.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 14)


def test_unknown_year_falls_back_to_weekdays_and_raises_the_metric(app):
    before = CALENDAR_FALLBACKS.labels("2027")._value.get()
    # 2027-01-01 is a Friday: as a plain weekday it counts (the real notice will likely make it a holiday).
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert calendar.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
    assert CALENDAR_FALLBACKS.labels("2027")._value.get() > before


def test_entered_year_counts_at_once(app):
    put_year(2027, [(D(2027, 1, 1), "holiday", "元旦"), (D(2027, 2, 6), "workday", "春节")],
             source="国办发明电〔2026〕测试号", actor="test")
    assert 2027 in calendar.known_years()
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.is_working_day(D(2027, 2, 6))


@pytest.mark.parametrize(("start", "months", "years", "end"), [
    (D(2026, 3, 15), 3, 0, D(2026, 6, 15)),      # the corresponding date
    (D(2026, 1, 31), 1, 0, D(2026, 2, 28)),      # no 31 February: the month's last day
    (D(2028, 1, 31), 1, 0, D(2028, 2, 29)),      # a leap year
    (D(2028, 2, 29), 0, 1, D(2029, 2, 28)),      # a year from 29 February
    (D(2026, 11, 30), 3, 0, D(2027, 2, 28)),     # across the year end
    (D(2026, 8, 31), 0, 3, D(2029, 8, 31)),
    (D(2026, 12, 31), 12, 0, D(2027, 12, 31)),
])
def test_civil_code_periods(start, months, years, end):
    assert calendar.period_end(start, months=months, years=years) == end


def test_admin_enters_a_year_through_the_api(app, client):
    admin = operator_token(role="admin")
    dept = operator_token(role="department")
    body = {"source": "国办发明电〔2026〕测试号",
            "days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
                     {"day": "2027-02-06", "kind": "workday", "name": "春节"}]}
    assert client.put("/api/dept/v1/calendar/years/2027", json=body, headers=bearer(dept)).status_code == 403
    r = client.put("/api/dept/v1/calendar/years/2027", json=body, headers=bearer(admin))
    assert r.status_code == 200, r.get_json()
    assert [d["kind_zh"] for d in r.get_json()["days"]] == ["法定节假日", "调休上班日"]
    years = client.get("/api/dept/v1/calendar/years", headers=bearer(dept)).get_json()["years"]
    assert {"year": 2027, "source": body["source"], "holidays": 1, "workdays": 1} in years
    assert 2026 in [y["year"] for y in years]


@pytest.mark.parametrize(("day", "kind", "says"), [
    ("2028-01-01", "holiday", "不在 2027 年内"),
    ("2027-01-05", "workday", "本来就是工作日"),
])
def test_bad_calendar_entries_are_refused_and_nothing_stored(app, client, day, kind, says):
    admin = operator_token(role="admin")
    body = {"source": "x", "days": [{"day": "2027-01-01", "kind": "holiday"}, {"day": day, "kind": kind}]}
    r = client.put("/api/dept/v1/calendar/years/2027", json=body, headers=bearer(admin))
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "calendar_invalid"
    assert says in r.get_json()["error"]["message"]
    assert client.get("/api/dept/v1/calendar/years/2027", headers=bearer(admin)).get_json()["error"]["code"] == (
        "calendar_year_unknown")


def test_calendar_import_command(app, runner, tmp_path):
    f = tmp_path / "2027.csv"
    f.write_text("date,kind,name\n2027-01-01,法定节假日,元旦\n2027-02-06,调休上班日,春节\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(f), "--source", "国办发明电〔2026〕测试号"])
    assert result.exit_code == 0, result.output
    assert "2027: 2 days entered" in result.output
    assert not calendar.is_working_day(D(2027, 1, 1))
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind\n2027-13-01,holiday\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(bad), "--source", "x"])
    assert result.exit_code != 0 and "第 2 行" in result.output
