"""Department sampling-task pages (双随机、一公开): tasks created with a pool filter and ratios, a draft edited,
committed, the shares revealed and drawn, the drawn list with a result per object — the use cases and schemas of
/api/dept/v1/supervision/tasks, another department's task answered 404 (audited)."""

from __future__ import annotations

from flask import redirect, request, url_for
from sqlalchemy import select

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, export, form_data, render, wants_csv
from backend.console.views.paging import in_pages, paged_listing, pages, window
from backend.console.views.supervision import (
    KIND_ZH,
    SPLIT,
    STRATA,
    SUP,
    as_int,
    department_field,
    flatten,
    inspectors_of,
    links,
    own,
    ratio_fields,
    ratios_of,
    ratios_text,
    scope,
)
from backend.platform.db import db
from backend.supervision import Inspector, catalog, results, tasks
from backend.supervision.schemas import CommitInSchema, DrawInSchema, ResultInSchema, TaskInSchema, TaskUpdateSchema
from backend.supervision.vocab import OUTCOME_ZH, STRATUM_ZH, TASK_STATE_ZH, TaskState

TASK_COLUMNS = [("number", "任务编号"), ("title", "名称"), ("state_zh", "状态"), ("objects", "抽查对象"),
                ("drawn", "抽中"), ("ratios_zh", "抽查比例"), ("department", "部门"), ("created_at", "创建时间")]
STATE_OPTIONS = [("", "全部"), *((s.value, zh) for s, zh in TASK_STATE_ZH.items())]


def task_fields() -> list[dict]:
    items = catalog.list_items(scope(), 1, 500).items
    refs = "、".join(i.ref for i in db.session.scalars(inspectors_of(scope()).limit(40))) or "尚未登记"
    return [field("item_id", "抽查事项", "select", required=True,
                  options=[(str(i.id), f"{i.code} {i.name}") for i in items]),
            field("title", "任务名称", required=True, help="如 2026年第四季度马宫市场抽查"),
            field("pool_kinds", "对象类型", "select", options=list(KIND_ZH.items())),
            field("pool_market", "市场标识", help="只抽该市场的商户，如 magong"),
            field("pool_scope_contains", "经营范围包含", help="如 食品"),
            field("pool_handles", "指定主体标识", "textarea", help="逐个列出（空格、逗号或换行分隔）；不填则不限"),
            *ratio_fields("不填用事项的比例，默认 "),
            field("inspector_refs", "执法人员（执法证号）", help=f"空格或逗号分隔。本部门：{refs}"),
            field("inspectors_per_object", "每个对象派出执法人员数", value="2"),
            *department_field()]


def task_body(data: dict, department: str | None) -> tuple[dict, dict]:
    """The form as the POST /supervision/tasks body (inspectors named by ref, among `department`'s); ({}, errors)
    for an unknown ref."""
    pool = {}
    if data.get("pool_kinds"):
        pool["kinds"] = [data["pool_kinds"]]
    for key in ("market", "scope_contains"):
        if data.get(f"pool_{key}"):
            pool[key] = data[f"pool_{key}"]
    if data.get("pool_handles"):
        pool["handles"] = [h for h in SPLIT.split(data["pool_handles"]) if h]
    refs = [r for r in SPLIT.split(data.get("inspector_refs", "")) if r]
    known = dict(db.session.execute(select(Inspector.ref, Inspector.id).where(
        Inspector.ref.in_(refs), Inspector.department == department, Inspector.active.is_(True))).all()) if refs else {}
    unknown = [r for r in refs if r not in known]
    if unknown:
        return {}, {"inspector_refs": [f"执法证号 {'、'.join(unknown)} 不是{department or '该部门'}登记的执法人员。"]}
    body = {k: v for k, v in data.items() if k in ("title", "department")}
    body |= {"item_id": as_int(data.get("item_id")), "pool": pool, "ratios": ratios_of(data),
             "inspector_ids": [known[r] for r in refs],
             "inspectors_per_object": as_int(data.get("inspectors_per_object") or "2")}
    return body, {}


def task_row(t) -> dict:
    c = tasks.counts(t) if t.objects else {}
    return {"number": t.number, "title": t.title, "state_zh": TASK_STATE_ZH[TaskState(t.state)],
            "objects": sum(c.get("pool", {}).values()) if c else "", "drawn": sum(c.get("drawn", {}).values()) if c
            else "", "ratios_zh": ratios_text(t.ratios), "department": t.department, "created_at": t.created_at,
            "_links": {"number": url_for("console.supervision_task", task_id=t.id)}}


@console.route("/supervision/tasks", methods=["GET", "POST"])
@console_page(*SUP)
def supervision_tasks():
    """Tasks newest first (as GET /supervision/tasks) and a draft task (as POST /supervision/tasks)."""
    errors, values = {}, {}
    fields = task_fields()
    if request.method == "POST":
        values = request.form
        body, errors = task_body(form_data(), scope() or request.form.get("department"))
        if not errors:
            loaded, errors = parse(TaskInSchema(), body)
            if loaded is not None:
                task, errors = attempt(lambda: tasks.create_task(loaded, operator=current(), actor=current().actor))
                if not errors:
                    return redirect(url_for("console.supervision_task", task_id=task.id, done="create"), code=303)
        errors = flatten(errors)
    state = request.args.get("state") if request.args.get("state") in set(TaskState) else None
    page, per_page = window()
    found = tasks.list_tasks(scope(), (state,) if state else None, page, per_page)
    return paged_listing("双随机抽查任务", "sampling-tasks.csv", TASK_COLUMNS, [task_row(t) for t in found.items],
                         found.total, page, per_page, links=links(), errors=errors, labels=labels_of(fields),
                         filters=[{"name": "state", "label": "状态", "type": "select", "options": STATE_OPTIONS}],
                         add_title="新建抽查任务（草稿）", add_fields=fields, add_submit="创建草稿",
                         add_action=url_for("console.supervision_tasks"), add_values=values,
                         add_intro="对象池是对信用主体的筛选：所填条件须同时满足。比例按信用等级分层（优≤5%，良5–20%，"
                                   "中21–60%，差61–100%，重点关注不低于中）。提交承诺后不能再改。",
                         status=422 if errors else 200)


DONE = {"create": "已创建草稿任务：请核对对象池、比例和执法人员，然后提交承诺。",
        "edit": "已保存草稿的修改。",
        "commit": "已公示承诺：对象池、比例、执法人员、回避名单和随机种子来源已冻结。抽取时公开份额（或公开数值）。",
        "draw": "已抽取：抽中名单和每个对象的执法人员已公示，任何人可用 python -m sampling verify 复核。",
        "result": "已录入检查结果：作为抽查检查记录归入该主体的信用档案并重新评价，结果同时公示。"}
COMMIT_FIELDS = [field("seed_method", "随机种子来源", "select", required=True,
                       options=[("shares", "两名人员各自的秘密份额"), ("public_value", "事先确定的公开数值")]),
                 field("share_sha256_1", "第一份额的 SHA-256", help="份额由本人在自己电脑上生成并计算 SHA-256，"
                                                                  "此处只填哈希值，份额本身在抽取时才公开"),
                 field("share_sha256_2", "第二份额的 SHA-256"),
                 field("public_value_source", "公开数值说明", help="如 2026年12月2日福彩3D开奖号码")]
DRAW_FIELDS = [field("share_1", "第一份额", help="与承诺时的 SHA-256 不符则拒绝抽取（记入审计日志）"),
               field("share_2", "第二份额"), field("public_value", "公开数值", help="采用公开数值时填写")]
RESULT_FIELDS = {"outcome": "检查结果", "findings": "发现的问题", "inspected_on": "检查日期", "handle": "主体标识"}
DRAWN_COLUMNS = [("position", "序号"), ("handle", "主体标识"), ("name", "名称"), ("stratum_zh", "分层"),
                 ("inspectors", "执法人员"), ("outcome_zh", "结果"), ("findings", "问题"), ("inspected_on", "检查日期")]


def task_page(task, status: int = 200, **context):
    """The task (as GET /supervision/tasks/<id>), the step its state allows, the drawn list with result forms."""
    names = {o[0]: o[2] or "" for o in task.objects or []}
    drawn = [{"position": d.position, "handle": d.handle, "name": names.get(d.handle, ""),
              "stratum_zh": STRATUM_ZH.get(d.stratum, d.stratum), "inspectors": "、".join(d.inspectors),
              "outcome": d.outcome, "outcome_zh": OUTCOME_ZH.get(d.outcome, "") if d.outcome else "待录入",
              "findings": d.findings, "inspected_on": d.inspected_on} for d in tasks.drawn_objects(task)]
    if wants_csv():
        return export(f"drawn-{task.number}.csv", DRAWN_COLUMNS, drawn)
    page, per_page = window()
    counts = tasks.counts(task) if task.objects else {}
    strata = [{"stratum": f"{STRATUM_ZH[s]}（{s}）", "ratio": task.ratios.get(s, ""),
               "pool": counts.get("pool", {}).get(s, 0), "drawn": counts.get("drawn", {}).get(s, 0)}
              for s in STRATA if counts.get("pool", {}).get(s) or s in task.ratios]
    refs = list(db.session.scalars(select(Inspector.ref).where(Inspector.id.in_(task.inspector_ids or [0]))))
    errors = context.pop("errors", {})
    return render("console/supervision/task.html", status, title=f"抽查任务 {task.number}", task=task,
                  state_zh=TASK_STATE_ZH[TaskState(task.state)], item=catalog.get_item(task.item_id), refs=refs,
                  strata=strata, drawn=in_pages(drawn, page, per_page), drawn_total=len(drawn),
                  pager=pages(len(drawn), page, per_page), columns=DRAWN_COLUMNS, links=links(), errors=errors,
                  labels={**labels_of(COMMIT_FIELDS), **labels_of(DRAW_FIELDS), **RESULT_FIELDS},
                  commit_fields=COMMIT_FIELDS, draw_fields=DRAW_FIELDS, today=context.pop("today", None),
                  edit_fields=edit_fields() if task.state == TaskState.DRAFT else [],
                  edit_values=context.pop("edit_values", None) or draft_values(task, refs),
                  notice=DONE.get(request.args.get("done", "")), pool_zh=pool_text(task.pool), **context)


def pool_text(pool: dict) -> str:
    parts = []
    if pool.get("kinds"):
        parts.append("类型：" + "、".join(KIND_ZH.get(k, k) for k in pool["kinds"]))
    if pool.get("market"):
        parts.append(f"市场：{pool['market']}")
    if pool.get("scope_contains"):
        parts.append(f"经营范围包含“{pool['scope_contains']}”")
    if pool.get("handles"):
        parts.append(f"指定主体 {len(pool['handles'])} 个")
    return "；".join(parts) or "全部信用主体"


@console.get("/supervision/tasks/<int:task_id>")
@console_page(*SUP)
def supervision_task(task_id: int):
    return task_page(own(lambda: tasks.get_task(task_id, current()), "抽查任务"))


EDIT_FIELDS = ("title", "pool_kinds", "pool_market", "pool_scope_contains", "pool_handles",
               *(f"ratio_{s}" for s in STRATA), "inspector_refs", "inspectors_per_object")


def edit_fields() -> list[dict]:
    return [f for f in task_fields() if f["name"] in EDIT_FIELDS]


def draft_values(task, refs: list[str]) -> dict:
    """The draft as its edit form shows it."""
    pool = task.pool or {}
    return {"title": task.title, "pool_kinds": (pool.get("kinds") or [""])[0], "pool_market": pool.get("market", ""),
            "pool_scope_contains": pool.get("scope_contains", ""), "pool_handles": " ".join(pool.get("handles", [])),
            **{f"ratio_{s}": v for s, v in task.ratios.items()}, "inspector_refs": " ".join(refs),
            "inspectors_per_object": str(task.inspectors_per_object)}


@console.post("/supervision/tasks/<int:task_id>/edit")
@console_page(*SUP)
def edit_task(task_id: int):
    """Change a draft (as PATCH /supervision/tasks/<id>); once committed refused (task_committed) and audited."""
    task = own(lambda: tasks.get_task(task_id, current()), "抽查任务")
    body, errors = task_body(form_data(), task.department)
    if not errors:
        body = {k: v for k, v in body.items() if k not in ("item_id", "department")}
        loaded, errors = parse(TaskUpdateSchema(), body)
        if loaded is not None:
            _, errors = attempt(lambda: tasks.update_task(task_id, loaded, operator=current(), actor=current().actor))
    if errors:
        db.session.refresh(task)
        return task_page(task, 422, errors=flatten(errors), edit_values=request.form)
    return redirect(url_for("console.supervision_task", task_id=task_id, done="edit"), code=303)


@console.post("/supervision/tasks/<int:task_id>/commit")
@console_page(*SUP)
def commit_task(task_id: int):
    """Freeze and publish the commitment (as POST /supervision/tasks/<id>/commit)."""
    task = own(lambda: tasks.get_task(task_id, current()), "抽查任务")
    data = form_data()
    body = {k: v for k, v in data.items() if k in ("seed_method", "public_value_source")}
    if data.get("seed_method") == "shares":
        body["share_sha256"] = [data.get("share_sha256_1", ""), data.get("share_sha256_2", "")]
    loaded, errors = parse(CommitInSchema(), body)
    if loaded is not None:
        _, errors = attempt(lambda: tasks.commit_task(task_id, loaded, operator=current(), actor=current().actor))
    if errors:
        db.session.refresh(task)
        return task_page(task, 422, errors=errors, commit_values=request.form)
    return redirect(url_for("console.supervision_task", task_id=task_id, done="commit"), code=303)


@console.post("/supervision/tasks/<int:task_id>/draw")
@console_page(*SUP)
def draw_task(task_id: int):
    """Reveal the shares (or the public value) and draw (as POST /supervision/tasks/<id>/draw)."""
    task = own(lambda: tasks.get_task(task_id, current()), "抽查任务")
    data = form_data()
    shares = [data[k] for k in ("share_1", "share_2") if data.get(k)]
    body = {"shares": shares} if shares else {k: v for k, v in data.items() if k == "public_value"}
    loaded, errors = parse(DrawInSchema(), body)
    if loaded is not None:
        _, errors = attempt(lambda: tasks.draw_task(task_id, loaded, operator=current(), actor=current().actor))
    if errors:
        db.session.refresh(task)
        return task_page(task, 422, errors=errors)
    return redirect(url_for("console.supervision_task", task_id=task_id, done="draw"), code=303)


@console.post("/supervision/tasks/<int:task_id>/results")
@console_page(*SUP)
def record_result(task_id: int):
    """One drawn object's result, filed as a credit record (as POST /supervision/tasks/<id>/results)."""
    task = own(lambda: tasks.get_task(task_id, current()), "抽查任务")
    body = {k: v for k, v in form_data().items() if k != "page"}  # the page the form was on, to go back to
    loaded, errors = parse(ResultInSchema(), body)
    if loaded is not None:
        _, errors = attempt(lambda: results.record_result(task_id, loaded, operator=current(),
                                                          actor=current().actor))
    if errors:
        db.session.refresh(task)
        return task_page(task, 422, errors=errors, failed=request.form.get("handle"), result_values=request.form)
    return redirect(url_for("console.supervision_task", task_id=task_id, done="result",
                            page=request.form.get("page") or None, _anchor=f"row-{request.form.get('handle')}"),
                    code=303)
