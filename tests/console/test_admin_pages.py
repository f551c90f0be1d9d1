"""Credit-office pages through the test client: calendar years (list, a year's days, entering a year as the PUT
does, refused to departments), classification tables (a department edits its own, an admin names the department),
and the record form showing the class, the publication windows and the 信用修复告知书 (两书同达)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from backend.models import AuditEntry, CreditRecord, PublicationClass
from backend.platform.calendar import add_working_days, is_working_day
from backend.platform.extensions import db
from tests.console.helpers import signed_in, text_of
from tests.credit.helpers import SAMR, admin, days_ago
from tests.factories import uscc_code

DAYS_2031 = "日期,类型,名称\n2031-01-01,holiday,元旦\n2031-01-22,holiday,春节\n2031-01-23,holiday,春节\n" \
            "2031-01-26,workday,春节\n"


def test_calendar_years_and_a_years_days(client):
    c = signed_in(client, "admin")
    years = c.get("/console/calendar")
    api = client.get("/api/dept/v1/calendar/years", headers=admin()).get_json()["years"]
    assert years.status_code == 200 and all(str(y["year"]) in text_of(years) for y in api)
    assert "按周一至周五计算" in text_of(years) and "登记年份" in text_of(years)
    year = api[-1]["year"]
    page = c.get(f"/console/calendar/{year}")
    assert page.status_code == 200 and "法定节假日" in text_of(page) and "调休上班日" in text_of(page)
    export = c.get(f"/console/calendar/{year}?format=csv").data.decode("utf-8-sig")
    assert len(export.strip().splitlines()) == 1 + api[-1]["holidays"] + api[-1]["workdays"]
    missing = c.get("/console/calendar/2099")
    assert missing.status_code == 404 and "尚未登记" in text_of(missing)
    department = signed_in(client.application.test_client(), "department", department=SAMR)
    assert department.get("/console/calendar").status_code == 200  # every role may read it, as through the API
    assert "登记年份" not in text_of(department.get("/console/calendar"))


def test_entering_a_year_as_the_api_does(client):
    c = signed_in(client, "admin")
    assert is_working_day(dt.date(2031, 1, 1))  # 2031 not entered yet: its weekdays count as working days
    bad = c.post("/console/calendar/import", {"year": "2031", "source": "国办发明电〔2030〕1号",
                                              "days": "2031-01-25,workday,春节\n2031-01-27,workday,春节"})
    assert bad.status_code == 422 and "本来就是工作日" in text_of(bad)  # 27 Jan 2031 is a Monday
    other = c.post("/console/calendar/import", {"year": "2031", "source": "通知", "days": "2030-12-31,holiday,元旦"})
    assert other.status_code == 422 and "其他年份" in text_of(other)
    resp = c.post("/console/calendar/import", {"year": "2031", "source": "国办发明电〔2030〕1号", "days": DAYS_2031})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/console/calendar/2031")
    page = c.get("/console/calendar/2031")
    assert "国办发明电〔2030〕1号" in text_of(page) and "2031-01-26" in text_of(page) and "星期日" in text_of(page)
    api = client.get("/api/dept/v1/calendar/years/2031", headers=admin()).get_json()
    assert [d["day"] for d in api["days"]] == ["2031-01-01", "2031-01-22", "2031-01-23", "2031-01-26"]
    assert not is_working_day(dt.date(2031, 1, 22)) and is_working_day(dt.date(2031, 1, 26))
    assert add_working_days(dt.date(2031, 1, 21), 1) == dt.date(2031, 1, 24)
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "calendar.put_year")).scalar_one()
    assert entry.actor.startswith("operator:") and entry.details["holidays"] == 3
    department = signed_in(client.application.test_client(), "department", department=SAMR)
    refused = department.post("/console/calendar/import", {"year": "2031", "source": "x", "days": DAYS_2031})
    assert refused.status_code == 403
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "access.denied")).scalars().all()
    no_csrf = c.post("/console/calendar/import", {"year": "2031", "source": "伪造", "days": DAYS_2031}, csrf=False)
    assert no_csrf.status_code == 403 and "防伪令牌" in text_of(no_csrf)


def test_a_department_edits_its_own_classification_table(client):
    c = signed_in(client, "department", department=SAMR)
    page = c.get("/console/publication-classes")
    assert page.status_code == 200 and SAMR in text_of(page)
    resp = c.post("/console/publication-classes", {"penalty_type": "警告", "severity_class": "minor",
                                                   "reference": "汕尾市市场监管领域失信信息分类标准第三条",
                                                   "published": "false", "repairable": "true",
                                                   "department": "汕尾市税务局"})  # ignored: its own table
    assert resp.status_code == 200 and "已保存" in text_of(resp), text_of(resp)[:500]
    row = db.session.execute(select(PublicationClass)).scalar_one()
    assert (row.department, row.severity_class, row.published) == (SAMR, "minor", False)
    assert "不予公示" in text_of(resp) and "警告" in text_of(resp)
    edit = c.get("/console/publication-classes?edit=警告")
    assert "第三条" in edit.get_data(as_text=True).split('id="main-form"')[1]  # the form holds the row to change
    bad = c.post("/console/publication-classes", {"penalty_type": "罚款", "severity_class": "general", "reference": "条款",
                                                  "published": "true", "repairable": "true", "min_months": "12",
                                                  "max_months": "6"})
    assert bad.status_code == 422 and "最短公示期限不能长于最长公示期限" in text_of(bad)
    assert c.post("/console/publication-classes/delete", {"penalty_type": "警告"}).status_code == 303
    assert db.session.scalar(select(PublicationClass.id)) is None


def test_an_admin_names_the_department_whose_table_it_edits(client):
    c = signed_in(client, "admin")
    assert "请先输入部门名称" in text_of(c.get("/console/publication-classes"))
    missing = c.post("/console/publication-classes", {"penalty_type": "罚款", "severity_class": "general",
                                                      "reference": "分类标准第五条", "published": "true",
                                                      "repairable": "true"})
    assert missing.status_code == 422 and "平台管理员须指明部门" in text_of(missing)
    done = c.post("/console/publication-classes", {"penalty_type": "罚款", "severity_class": "general",
                                                   "reference": "分类标准第五条", "published": "true",
                                                   "repairable": "true", "department": SAMR, "max_months": "24"})
    assert done.status_code == 200 and "已保存" in text_of(done)
    page = c.get("/console/publication-classes", query_string={"department": SAMR})
    assert "罚款" in text_of(page) and "2年" in text_of(page)
    export = c.get("/console/publication-classes", query_string={"department": SAMR, "format": "csv"})
    assert "罚款" in export.data.decode("utf-8-sig")


def test_the_record_form_shows_the_class_windows_and_the_repair_notice(client):
    c = signed_in(client, "department", department=SAMR)
    c.post("/console/publication-classes", {"penalty_type": "罚款", "severity_class": "general",
                                            "reference": "汕尾市市场监管领域失信信息分类标准第五条", "published": "true",
                                            "repairable": "true"})
    form = c.get("/console/records/new")
    assert "处罚种类" in text_of(form) and "失信信息分类" in text_of(form)
    decided = days_ago(3)
    body = {"uscc": uscc_code(1), "subject_name": "马宫蚝仔档", "category": "admin_penalty", "severity": "minor",
            "penalty_type": "罚款", "title": "销售不合格水产品", "document_no": "汕市监罚〔2026〕1号",
            "legal_basis": "《食品安全法》", "decided_on": decided}
    preview = c.post("/console/records/new", {**body, "preview": "1"})
    assert preview.status_code == 200 and "预览（尚未登记）" in text_of(preview) and "一般失信信息" in text_of(preview)
    assert db.session.scalar(select(CreditRecord.id)) is None  # nothing filed
    assert 'value="汕市监罚〔2026〕1号"' in preview.get_data(as_text=True)  # the form kept for filing
    shown = preview.get_data(as_text=True).split('id="max-until">')[1].split("<")[0]
    resp = c.post("/console/records/new", body)
    assert resp.status_code == 200, text_of(resp)[:600]
    html, text = resp.get_data(as_text=True), text_of(resp)
    record = db.session.execute(select(CreditRecord)).scalar_one()
    assert shown == record.max_publish_until.isoformat()  # the preview said what filing gave
    assert record.severity_class == "general"  # from the table's 罚款 row, not the penalty's severity
    assert "一般失信信息" in text and "第五条" in text
    assert f'id="publish-from">{decided}<' in html
    assert f'id="min-until">{record.min_publish_until.isoformat()}<' in html
    assert f'id="max-until">{record.max_publish_until.isoformat()}<' in html
    notice = html.split('id="repair-notice">')[1].split("</pre>")[0]
    api = client.post("/api/dept/v1/records", headers=admin(), json={
        "uscc": uscc_code(1), "subject_name": "马宫蚝仔档", "category": "admin_penalty", "severity": "minor",
        "penalty_type": "罚款", "title": "销售不合格水产品", "document_no": "汕市监罚〔2026〕1号",
        "legal_basis": "《食品安全法》", "decided_on": decided, "department": SAMR}).get_json()
    assert notice.startswith("信用修复告知书")
    assert text_of_html(notice) == api["repair_notice"]  # the very text the API returns
    honour = c.post("/console/records/new", {"uscc": uscc_code(2), "subject_name": "诚信档口", "category": "honour",
                                             "title": "诚信经营示范户", "document_no": "表彰-1", "legal_basis": "依据",
                                             "decided_on": decided})
    assert honour.status_code == 200 and 'id="repair-notice"' not in honour.get_data(as_text=True)
    law = c.post("/console/records/new", {"uscc": uscc_code(3), "subject_name": "乙档", "category": "admin_penalty",
                                          "severity": "serious", "title": "违法", "document_no": "D-9", "legal_basis": "依据",
                                          "decided_on": decided, "publish_months": "60"})
    assert law.status_code == 422 and "依据" in text_of(law)


def text_of_html(fragment: str) -> str:
    import html

    return html.unescape(fragment)
