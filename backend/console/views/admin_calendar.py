"""Credit-office pages: the working-day calendar (the years entered, a year's holidays and adjusted working days,
entering a year as PUT /calendar/years/<year> does) and the departments' publication classification tables
(as GET/PUT/DELETE /publication-classes: a department edits its own, an admin any department's)."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, form_data, listing, render
from backend.console.views.paging import paged_listing
from backend.credit import publication
from backend.credit.schemas import PublicationClassInSchema
from backend.credit.vocab import SEVERITY_ZH, WINDOW_MONTHS
from backend.operators.schemas import CalendarYearDaysSchema
from backend.platform import calendar, calendar_entry
from backend.platform.access import OperatorRole
from backend.platform.calendar import DAY_KIND_ZH, DayKind
from backend.platform.errors import InvalidInput

ADMIN = (OperatorRole.ADMIN,)
CLASSES = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
FALLBACK = "未登记的年份按周一至周五计算工作日（并提示登记）：国务院办公厅每年公布放假安排后请尽快登记。"
YEAR_COLUMNS = [("year", "年份"), ("source", "来源"), ("holidays", "法定节假日（天）"),
                ("workdays", "调休上班日（天）")]
DAY_COLUMNS = [("day", "日期"), ("weekday", "星期"), ("kind_zh", "类型"), ("name", "节日")]
WEEKDAYS = "一二三四五六日"


@console.get("/calendar")
@console_page()
def calendar_years():
    """The years entered (as GET /calendar/years)."""
    rows = [{**y, "_links": {"year": url_for("console.calendar_year", year=y["year"])}}
            for y in calendar.year_summaries()]
    links = [("登记年份", url_for("console.calendar_import"))] if current().role == OperatorRole.ADMIN else []
    return paged_listing("工作日历", "calendar-years.csv", YEAR_COLUMNS, rows, len(rows), 1, max(1, len(rows)),
                         intro=FALLBACK, links=links)


@console.get("/calendar/<int:year>")
@console_page()
def calendar_year(year: int):
    """A year's holidays and adjusted working days (as GET /calendar/years/<year>); 404 when not entered."""
    entry = calendar.year_entry(year)
    rows = [{"day": d["day"].isoformat(), "weekday": "星期" + WEEKDAYS[d["day"].weekday()],
             "kind_zh": DAY_KIND_ZH[DayKind(d["kind"])], "name": d["name"],
             "_class": {"kind_zh": "overdue"} if d["kind"] == DayKind.HOLIDAY else {}} for d in entry["days"]]
    return listing(f"{year} 年工作日历", f"calendar-{year}.csv", DAY_COLUMNS, rows, total=len(rows),
                   intro=f"来源：{entry['source']}。其余日子：周一至周五为工作日，周六、周日休息。")


IMPORT_FIELDS = [field("year", "年份", required=True, help="如 2027"),
                 field("source", "来源", required=True, help="国务院办公厅通知的文号，如 国办发明电〔2026〕7号"),
                 field("days", "节假日和调休上班日", "textarea", required=True,
                       help="每行一天：日期,类型,名称。类型为 holiday（法定节假日）或 workday（调休上班日），"
                            "例：2027-02-06,holiday,春节。整年替换：未列出的日子按平常的周一至周五计算。")]


def year_body(data: dict) -> tuple[int | None, dict | None, dict]:
    """(year, the PUT body, {}) from the form, or (None, None, errors)."""
    year = data.get("year", "")
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        return None, None, {"year": ["请填写 2000 到 2100 之间的年份。"]}
    try:
        by_year = calendar_entry.parse_days_csv(data.get("days", ""))
    except InvalidInput as e:
        return None, None, {"days": [e.message]}
    others = sorted(set(by_year) - {int(year)})
    if others:
        return None, None, {"days": [f"所列日期含其他年份（{'、'.join(map(str, others))}），一次只登记 {year} 年。"]}
    days = [{"day": d.isoformat(), "kind": k, "name": n} for d, k, n in by_year.get(int(year), [])]
    loaded, errors = parse(CalendarYearDaysSchema(), {"source": data.get("source", ""), "days": days})
    return (int(year), loaded, {}) if loaded is not None else (None, None, errors)


@console.route("/calendar/import", methods=["GET", "POST"])
@console_page(*ADMIN)
def calendar_import():
    """Enter or replace a year from the State Council's notice (as PUT /calendar/years/<year>)."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        year, body, errors = year_body(form_data())
        if body is not None:
            days = [(d["day"], d["kind"], d["name"]) for d in body["days"]]
            _, errors = attempt(lambda: calendar_entry.put_year(year, days, source=body["source"],
                                                                actor=current().actor))
            if not errors:
                return redirect(url_for("console.calendar_year", year=year), code=303)
    return render("console/form_page.html", 422 if errors else 200, title="登记工作日历年份", fields=IMPORT_FIELDS,
                  values=values, errors=errors, labels=labels_of(IMPORT_FIELDS),
                  action=url_for("console.calendar_import"),
                  submit="登记（替换该年）", intro="各项期限（双公示 7 个工作日、修复和异议办理时限、约谈整改期限）"
                                             "都按工作日历计算。登记后立即生效。")


CLASS_COLUMNS = [("penalty_type", "处罚种类"), ("class_zh", "失信程度"), ("reference", "分类依据"),
                 ("published_zh", "是否公示"), ("window", "公示期"), ("repairable_zh", "可否修复")]
CLASS_FIELDS = [field("penalty_type", "处罚种类", required=True,
                      help="与报送记录的“处罚种类”一致，如 罚款、警告；* 为本部门默认"),
                field("severity_class", "失信程度", "select", required=True,
                      options=[(s.value, f"{zh}失信") for s, zh in SEVERITY_ZH.items()]),
                field("reference", "分类依据", required=True, help="分类标准的条款"),
                field("published", "是否公示", "select", required=True,
                      options=[("true", "公示"), ("false", "不予公示")],
                      help="轻微失信信息可依规不予公示"),
                field("min_months", "最短公示期（月）", help="不填按失信程度的默认期限"),
                field("max_months", "最长公示期（月）", help="不填按失信程度的默认期限"),
                field("repairable", "可否修复", "select", required=True,
                      options=[("true", "可以申请信用修复"), ("false", "法律、行政法规规定不适用修复")])]


def class_department() -> str | None:
    """Whose table: a department operator's own; an admin names one (?department= or the form's)."""
    if current().role != OperatorRole.ADMIN:
        return current().department
    return (request.form.get("department") or request.args.get("department") or "").strip() or None


def class_row(r) -> dict:
    low, high = WINDOW_MONTHS[r.severity_class]
    low = r.min_months if r.min_months is not None else low
    high = r.max_months or high
    return {"penalty_type": r.penalty_type, "class_zh": SEVERITY_ZH[r.severity_class] + "失信",
            "reference": r.reference,
            "published_zh": "公示" if r.published else "不予公示",
            "window": f"{publication.months_label(low) if low else '无'}至{publication.months_label(high)}",
            "repairable_zh": "可修复" if r.repairable else "不适用修复",
            "_links": {"penalty_type": url_for("console.publication_classes", edit=r.penalty_type,
                                               department=r.department if current().role == OperatorRole.ADMIN
                                               else None)},
            "_actions": [("删除", url_for("console.delete_publication_class"),
                          {"penalty_type": r.penalty_type, "department": r.department}, "danger")]}


def class_body(data: dict) -> dict:
    body = {k: v for k, v in data.items() if k in ("severity_class", "reference", "department")}
    for key in ("published", "repairable"):
        if key in data:
            body[key] = data[key] == "true"
    for key in ("min_months", "max_months"):
        if data.get(key):
            body[key] = int(data[key]) if data[key].isdigit() else data[key]
    return body


@console.route("/publication-classes", methods=["GET", "POST"])
@console_page(*CLASSES)
def publication_classes():
    """A department's classification table (as GET /publication-classes) and a row set (as PUT …/<type>)."""
    department, errors, notice, values = class_department(), {}, None, {}
    admin = current().role == OperatorRole.ADMIN
    if request.method == "POST":
        values = request.form
        data = form_data()
        loaded, errors = parse(PublicationClassInSchema(), class_body(data))
        if loaded is not None:
            row, errors = attempt(lambda: publication.put_class(current(), data.get("penalty_type", ""), loaded,
                                                                actor=current().actor))
            if not errors:
                notice = f"已保存：{row.department}“{row.penalty_type}”为{SEVERITY_ZH[row.severity_class]}失信。"
                values = {}
    rows = [class_row(r) for r in publication.classes_of(department)] if department else []
    editing = next((r for r in publication.classes_of(department) if r.penalty_type == request.args.get("edit")),
                   None) if department and request.method == "GET" else None
    if editing is not None:
        values = {"penalty_type": editing.penalty_type, "severity_class": editing.severity_class,
                  "reference": editing.reference, "published": "true" if editing.published else "false",
                  "min_months": editing.min_months, "max_months": editing.max_months,
                  "repairable": "true" if editing.repairable else "false"}
    fields = [*CLASS_FIELDS, *([field("department", "部门", required=True, value=department or "")] if admin else [])]
    intro = (f"{department}的分类标准：报送的负面记录按处罚种类归入轻微、一般、严重失信，决定公示期和能否修复。"
             if department else "请先输入部门名称查看其分类标准。")
    return listing("失信信息分类标准", "publication-classes.csv", CLASS_COLUMNS, rows, total=len(rows), intro=intro,
                   notice=notice, errors=errors, labels=labels_of(fields),
                   filters=[{"name": "department", "label": "部门"}] if admin else None,
                   export_args={"department": department} if admin and department else {},
                   new_title="修改" if editing else "新增或修改一行", new_fields=fields,
                   new_action=url_for("console.publication_classes", department=department if admin else None),
                   new_submit="保存", new_values=values, status=422 if errors else 200)


@console.post("/publication-classes/delete")
@console_page(*CLASSES)
def delete_publication_class():
    """Remove a row of the table (as DELETE /publication-classes/<type>)."""
    department = class_department()
    publication.delete_class(current(), request.form.get("penalty_type", ""), department, actor=current().actor)
    return redirect(url_for("console.publication_classes",
                            department=department if current().role == OperatorRole.ADMIN else None), code=303)
