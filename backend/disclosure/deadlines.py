"""The publication report: per department, which decisions were published later than 7 working days after
the decision, which withdrawals came later than 3 working days after the change, and what is overdue now."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from backend.disclosure.models import Disclosure
from backend.disclosure.vocab import KIND_ZH, DecisionKind, PublicationState
from backend.platform.access import Operator
from backend.platform.calendar import working_days_between
from backend.platform.clock import china_today
from backend.platform.db import db

CSV_COLUMNS = ("部门", "问题", "类别", "决定书文号", "决定日期", "应公示（撤回）截止", "实际公示（撤回）日期",
               "超期工作日")
PROBLEM_ZH = {"published_late": "逾期公示", "overdue": "已超期未公示", "withdrawn_late": "逾期撤回"}


def _line(d: Disclosure, problem: str, due: dt.date, done: dt.date | None, today: dt.date) -> dict:
    return {"id": d.id, "problem": problem, "problem_zh": PROBLEM_ZH[problem], "kind": d.kind,
            "kind_zh": KIND_ZH[DecisionKind(d.kind)], "document_no": d.document_no, "decided_on": d.decided_on,
            "due": due, "done_on": done, "working_days_late": working_days_between(due, done or today)}


def publication_report(args: dict, *, operator: Operator) -> dict:
    """{"as_of", "departments": [{department, filed, published_on_time, published_late, overdue,
    withdrawn_late}]}: a department operator sees its own, an admin every department (or `department`)."""
    today = china_today()
    query = select(Disclosure).order_by(Disclosure.department, Disclosure.decided_on, Disclosure.id)
    department = operator.department if operator.role != "admin" else args.get("department")
    if department:
        query = query.where(Disclosure.department == department)
    if args.get("date_from"):
        query = query.where(Disclosure.decided_on >= args["date_from"])
    if args.get("date_to"):
        query = query.where(Disclosure.decided_on <= args["date_to"])
    by_dept: dict[str, dict] = {}
    for d in db.session.execute(query).scalars():
        row = by_dept.setdefault(d.department, {"department": d.department, "filed": 0, "published_on_time": 0,
                                                "published_late": [], "overdue": [], "withdrawn_late": []})
        row["filed"] += 1
        if d.published_on is not None and d.published_on > d.publish_due:
            row["published_late"].append(_line(d, "published_late", d.publish_due, d.published_on, today))
        elif d.published_on is not None:
            row["published_on_time"] += 1
        elif d.state == PublicationState.REGISTERED and today > d.publish_due:
            row["overdue"].append(_line(d, "overdue", d.publish_due, None, today))
        if d.withdrawn_on is not None and d.withdraw_due is not None and d.withdrawn_on > d.withdraw_due:
            row["withdrawn_late"].append(_line(d, "withdrawn_late", d.withdraw_due, d.withdrawn_on, today))
    return {"as_of": today, "departments": list(by_dept.values())}


def report_csv(report: dict) -> bytes:
    """One line per late or overdue decision, UTF-8 with a BOM (spreadsheets read it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for dept in report["departments"]:
        for line in (*dept["published_late"], *dept["overdue"], *dept["withdrawn_late"]):
            writer.writerow((dept["department"], line["problem_zh"], line["kind_zh"], _cell(line["document_no"]),
                             line["decided_on"], line["due"], line["done_on"] or "", line["working_days_late"]))
    return out.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    """No formula injection in a spreadsheet (=, +, -, @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
