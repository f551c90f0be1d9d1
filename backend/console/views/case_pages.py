"""What the case pages share: a worklist page (filters parsed by the API's schema, paginated, the whole filtered
list as CSV), one case's page with its action forms, and lookups by number whose misses are audited.

A department editing the URL to another department's case gets the same 404 as for a number that does not
exist (nothing leaks), and the attempt is audited like a refusal: who, which route rule, which code."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import request, url_for
from marshmallow import Schema

from backend.console.views.errors import wants_json
from backend.console.views.forms import parse
from backend.console.views.guard import CSV_ROWS, current, export, render, wants_csv
from backend.platform.access import OperatorRole
from backend.platform.calendar import working_days_between
from backend.platform.clock import china_today
from backend.platform.errors import InvalidInput, NotFound
from backend.platform.web.denials import audit_denial

PER_PAGE = 20


def scoped(lookup: Callable[[], Any]) -> Any:
    """The case the operator may see; raises NotFound after auditing the miss (an edited URL is an attempt)."""
    try:
        return lookup()
    except NotFound as e:
        audit_denial(e.code)
        raise


def list_args(schema: Schema, names: tuple[str, ...]) -> dict:
    """The page's filters through the API's query schema; every page for a CSV export. Raises InvalidInput."""
    raw = {k: v for k, v in request.args.items() if k in (*names, "page") and v.strip() != ""}
    args, errors = parse(schema, {**raw, "per_page": str(PER_PAGE)})
    if args is None:
        raise InvalidInput("查询条件有误，请更正后重新查询。", details=errors)
    if wants_csv():
        args["page"], args["per_page"] = 1, CSV_ROWS
    return args


def pager(page: int, per_page: int, total: int) -> dict:
    pages = max(1, math.ceil(total / per_page))

    def link(n: int) -> str:
        return request.path + "?" + urlencode({**{k: v for k, v in request.args.items() if k != "page"}, "page": n})

    return {"page": page, "pages": pages, "total": total, "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None}


def worklist(title: str, filename: str, columns: list[tuple[str, str]], rows: list[dict], args: dict, total: int,
             **context):
    """A paginated worklist, or with ?format=csv every row of the filtered list (neutralised cells)."""
    if wants_csv():
        return export(filename, columns, rows)
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render("console/cases/worklist.html", title=title, columns=columns, rows=rows, export_args=export_args,
                  pager=pager(args["page"], args["per_page"], total), **context)


def due_cell(row: dict, key: str, overdue: bool) -> None:
    """Overdue deadlines in red (the cell and the row's 逾期 column), and the working days left or past (calendar)."""
    due, today = row.get(key), china_today()
    row["overdue_zh"] = "已逾期" if overdue else ""
    if isinstance(due, dt.date) and not isinstance(due, dt.datetime):
        if overdue:
            row["overdue_zh"] = f"已逾期 {working_days_between(due, today)} 个工作日"
        else:
            left = working_days_between(today, due)
            row["overdue_zh"] = f"剩 {left} 个工作日" if left else "今日到期"
    if overdue:
        row["_class"] = {key: "overdue", "overdue_zh": "overdue"}


def lines(text: str | None) -> list[str]:
    """A textarea's non-empty lines (一次性告知: one missing item per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def corrections(prefix: str = "corr", count: int = 3) -> list[dict]:
    """The form's field/value pairs (corr_field_1, corr_value_1 …) as the API's corrections list."""
    found = []
    for n in range(1, count + 1):
        name = request.form.get(f"{prefix}_field_{n}", "").strip()
        if name:
            found.append({"field": name, "value": request.form.get(f"{prefix}_value_{n}", "").strip() or None})
    return found


def detail(title: str, status: int = 200, **context):
    return render("console/cases/detail.html", status, title=title, **context)


def state_filters(states: dict) -> list[dict]:
    """A worklist's filters: state, only overdue, and (admins) one department."""
    found = [{"name": "state", "label": "状态", "type": "select", "options": [("", "全部"), *states.items()]},
             {"name": "overdue", "label": "只看逾期", "type": "select", "options": [("", "否"), ("true", "是")]}]
    if current().role == OperatorRole.ADMIN:
        found.append({"name": "department", "label": "部门", "type": "text"})
    return found


def linked_rows(items: list[dict], endpoint: str) -> list[dict]:
    """Worklist rows (the API's dicts) with the number linked to its page and an overdue deadline in red."""
    rows = []
    for r in items:
        row = {**r, "_links": {"number": url_for(endpoint, number=r["number"])}}
        due_cell(row, "due_on", r["overdue"])
        rows.append(row)
    return rows


def found_or_field(lookup: Callable[[], Any], name: str) -> tuple[Any, dict]:
    """(the subject, {}) or (None, {field: [message]}): a subject not found (or a malformed code) is shown on the
    form, not as an error page."""
    try:
        return lookup(), {}
    except (NotFound, InvalidInput) as e:
        if wants_json():
            raise
        return None, {name: [e.message]}
