"""Department supervision pages (双随机、一公开), the first part: the 抽查事项清单, the inspectors pool and declared
conflicts, and what every supervision page shares (scope, the 404 for another department's object, the links).
Tasks are in supervision_tasks.py; warnings, talks and the prevention list in supervision_talks.py.

The same use cases and schemas as /api/dept/v1/supervision, with the operator's scope: a department sees its own
(an admin every department's). Another department's task, talk or warning is answered 404 — its existence is not
told — and the refusal is audited like the API's 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from flask import request, url_for
from sqlalchemy import select

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, form_data, render
from backend.console.views.paging import paged_listing, window
from backend.credit import Subject
from backend.platform.access import OperatorRole
from backend.platform.db import db, paginate
from backend.platform.errors import Forbidden, NotFound
from backend.platform.web.denials import audit_denial
from backend.supervision import Inspector, catalog
from backend.supervision.schemas import (
    ConflictInSchema,
    InspectorInSchema,
    ItemInSchema,
)
from backend.supervision.vocab import (
    DEFAULT_RATIOS,
    RATIO_RANGES,
    STRATUM_ZH,
)

SUP = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
STRATA = tuple(RATIO_RANGES)
KIND_ZH = {"merchant": "商户（个体工商户、企业）", "organisation": "组织", "person": "自然人"}
SPLIT = re.compile(r"[\s,，、;；]+")
T = TypeVar("T")


def scope() -> str | None:
    """Whose supervision the operator sees: its department's (None: an admin sees every department's)."""
    op = current()
    return None if op.role == OperatorRole.ADMIN else op.department


def own(action: Callable[[], T], what: str = "事项") -> T:
    """`action`, with another department's object answered 404 like an absent one (the refusal audited)."""
    try:
        return action()
    except Forbidden as e:
        if e.code != "outside_department":
            raise
        audit_denial(e.code)
        raise NotFound(f"本部门没有这个{what}。", code="not_found") from None


def links() -> list[tuple[str, str]]:
    """The supervision pages, shown above each of them."""
    return [("抽查事项清单", url_for("console.supervision_items")), ("执法人员", url_for("console.inspectors")),
            ("抽查任务", url_for("console.supervision_tasks")), ("风险预警", url_for("console.supervision_warnings")),
            ("约谈", url_for("console.supervision_talks")),
            ("重大失信风险预防清单", url_for("console.prevention_list")),
            ("逾期事项", url_for("console.supervision_overdue"))]


def subjects(ids) -> dict[int, tuple[str, str]]:
    """subject id → (handle, public name); persons by handle only."""
    found = db.session.scalars(select(Subject).where(Subject.id.in_(set(ids)))) if ids else []
    return {s.id: (s.handle, "" if s.kind == "person" else s.display_name) for s in found}


def department_field() -> list[dict]:
    """Admins act for a named department (the API body's `department`); a department operator for its own."""
    if current().role == OperatorRole.ADMIN:
        return [field("department", "所属部门", required=True, help="平台管理员操作时必填")]
    return []


def as_int(value: str | None):
    """A form's number as the JSON body would carry it (left as text when it is none, so the schema says so)."""
    return int(value) if value and value.strip().isdigit() else value


def flatten(errors: dict) -> dict:
    """The schema's nested errors (ratios.A, pool.market) under the form's field names (ratio_A, pool_market)."""
    out = {}
    for key, value in errors.items():
        if key in ("ratios", "pool") and isinstance(value, dict):
            prefix = "ratio_" if key == "ratios" else "pool_"
            out.update({prefix + str(k): v for k, v in value.items()})
        else:
            out[key] = value
    return out


def ratio_fields(default_help: str) -> list[dict]:
    return [field(f"ratio_{s}", f"{STRATUM_ZH[s]}（{s}）抽查比例",
                  help=f"{RATIO_RANGES[s][0]}–{RATIO_RANGES[s][1]}；{default_help}{DEFAULT_RATIOS[s]}")
            for s in STRATA]


def ratios_of(form: dict) -> dict:
    return {s: form[f"ratio_{s}"] for s in STRATA if form.get(f"ratio_{s}")}


def ratios_text(ratios: dict) -> str:
    return "，".join(f"{STRATUM_ZH[s]} {ratios[s]}" for s in STRATA if s in ratios)


# ---- 抽查事项清单 ------------------------------------------------------------------------------------------------

ITEM_FIELDS = [field("code", "事项编号", required=True, help="本部门内唯一，如 SJ-001"),
               field("name", "抽查事项名称", required=True), field("basis", "抽查依据", required=True),
               field("object_type", "抽查对象类型", required=True, help="如 市场内经营户"),
               field("method", "抽查方式", value="现场检查"), field("frequency", "抽查频次", value="每年一次"),
               *ratio_fields("不填为默认 ")]
ITEM_COLUMNS = [("code", "编号"), ("name", "事项"), ("basis", "依据"), ("object_type", "对象"), ("method", "方式"),
                ("frequency", "频次"), ("ratios_zh", "抽查比例"), ("department", "部门")]


@console.route("/supervision/items", methods=["GET", "POST"])
@console_page(*SUP)
def supervision_items():
    """The department's 抽查事项清单 (as GET /supervision/items) and a new line (as POST /supervision/items)."""
    errors, values, notice = {}, {}, None
    fields = [*ITEM_FIELDS, *department_field()]
    if request.method == "POST":
        values = request.form
        data = form_data()
        body = {k: v for k, v in data.items() if not k.startswith("ratio_")} | {"ratios": ratios_of(data)}
        loaded, errors = parse(ItemInSchema(), body)
        if loaded is not None:
            item, errors = attempt(lambda: catalog.create_item(loaded, operator=current(), actor=current().actor))
            if not errors:
                notice, values = f"已加入抽查事项清单：{item.code} {item.name}。", {}
        errors = flatten(errors)
    page, per_page = window()
    found = catalog.list_items(scope(), page, per_page)
    rows = [{**{c: getattr(i, c) for c, _ in ITEM_COLUMNS if c != "ratios_zh"}, "ratios_zh": ratios_text(i.ratios)}
            for i in found.items]
    return paged_listing("抽查事项清单", "supervision-items.csv", ITEM_COLUMNS, rows, found.total, page, per_page,
                         links=links(), notice=notice, errors=errors, labels=labels_of(fields),
                         add_title="新增抽查事项", add_fields=fields, add_action=url_for("console.supervision_items"),
                         add_submit="加入清单", add_values=values, status=422 if errors else 200)


# ---- 执法人员 ----------------------------------------------------------------------------------------------------

INSPECTOR_FIELDS = [field("ref", "执法证号", required=True, help="公示时只显示执法证号，不显示姓名"),
                    field("name", "姓名", required=True)]
INSPECTOR_COLUMNS = [("id", "编号"), ("ref", "执法证号"), ("name", "姓名"), ("department", "部门")]


def inspectors_of(department: str | None):
    query = select(Inspector).where(Inspector.active.is_(True)).order_by(Inspector.ref)
    return query.where(Inspector.department == department) if department else query


@console.route("/supervision/inspectors", methods=["GET", "POST"])
@console_page(*SUP)
def inspectors():
    """The department's inspectors pool and a new inspector (as POST /supervision/inspectors)."""
    errors, values, notice = {}, {}, None
    fields = [*INSPECTOR_FIELDS, *department_field()]
    if request.method == "POST":
        values = request.form
        loaded, errors = parse(InspectorInSchema())
        if loaded is not None:
            done, errors = attempt(lambda: catalog.create_inspector(loaded, operator=current(), actor=current().actor))
            if not errors:
                notice, values = f"已登记执法人员 {done.ref}。", {}
    page, per_page = window()
    found = paginate(inspectors_of(scope()), page, per_page)
    rows = [{c: getattr(i, c) for c, _ in INSPECTOR_COLUMNS} for i in found.items]
    return paged_listing("执法人员", "inspectors.csv", INSPECTOR_COLUMNS, rows, found.total, page, per_page,
                         links=[*links(), ("登记回避", url_for("console.declare_conflict"))], notice=notice,
                         errors=errors, labels=labels_of(fields),
                         add_title="登记执法人员", add_fields=fields, add_action=url_for("console.inspectors"),
                         add_submit="登记", add_values=values, status=422 if errors else 200,
                         intro="执法人员与某个对象有利害关系的，请先登记回避（页首“登记回避”）。")


CONFLICT_FIELDS = [field("ref", "执法证号", required=True), field("handle", "利害关系主体（主体标识）", required=True),
                   field("reason", "回避理由", required=True, help="如 近亲属经营")]


@console.route("/supervision/inspectors/conflicts", methods=["GET", "POST"])
@console_page(*SUP)
def declare_conflict():
    """A declared conflict of interest (as POST /supervision/inspectors/<id>/conflicts): never drawn for it."""
    if request.method == "GET":
        return render("console/form_page.html", title="登记回避", fields=CONFLICT_FIELDS, values={}, errors={},
                      action=url_for("console.declare_conflict"), submit="登记回避",
                      intro="执法人员与抽查对象有利害关系的，登记后不会被派往该对象。")
    data = form_data()
    inspector = db.session.scalar(inspectors_of(scope()).where(Inspector.ref == data.get("ref", "")))
    errors, notice = {}, None
    if inspector is None:
        errors = {"ref": [f"本部门没有执法证号为 {data.get('ref', '')} 的执法人员。"]}
    else:
        loaded, errors = parse(ConflictInSchema(), {k: v for k, v in data.items() if k in ("handle", "reason")})
        if loaded is not None:
            _, errors = attempt(lambda: own(lambda: catalog.declare_conflict(
                inspector.id, loaded, operator=current(), actor=current().actor), "执法人员"))
            if not errors:
                notice = (f"已登记：{inspector.ref} 不参与对 {loaded['handle']} 的抽查"
                          "（以后的任务提交承诺时计入回避名单）。")
    return render("console/form_page.html", 422 if errors else 200, title="登记回避", fields=CONFLICT_FIELDS,
                  values=request.form if errors else {}, errors=errors, labels=labels_of(CONFLICT_FIELDS),
                  notice=notice, action=url_for("console.declare_conflict"), submit="登记回避",
                  intro="执法人员与抽查对象有利害关系的，登记后不会被派往该对象。")
