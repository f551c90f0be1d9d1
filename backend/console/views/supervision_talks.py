"""Department supervision pages, continued: the risk-warnings worklist, talks (约谈) — planned from a warning, taken
step by step, the rectification deadline counted in working days by the calendar, overdue ones in red — the
重大失信风险预防清单 and the overdue list. The same use cases and schemas as /api/dept/v1/supervision."""

from __future__ import annotations

import datetime as dt

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.errors import beijing
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, form_data, render
from backend.console.views.paging import in_pages, paged_listing, window
from backend.console.views.supervision import SPLIT, SUP, as_int, department_field, links, own, scope, subjects
from backend.platform.clock import CHINA, china_today, utcnow
from backend.platform.db import db
from backend.platform.errors import NotFound
from backend.supervision import talks, warnings, worklists
from backend.supervision.schemas import CloseInSchema, PreventionInSchema, TalkActionInSchema, TalkInSchema
from backend.supervision.vocab import (
    ESCALATION_ZH,
    TALK_ACTION_ZH,
    TALK_KIND_ZH,
    TALK_STATE_ZH,
    TALK_TRANSITIONS,
    WARNING_RULE_ZH,
    WARNING_STATUS_ZH,
    TalkAction,
    TalkState,
    WarningStatus,
)

WARNING_COLUMNS = [("id", "编号"), ("created_at", "时间"), ("rule_zh", "预警规则"), ("handle", "主体标识"),
                   ("name", "名称"), ("summary", "摘要"), ("sector", "重点领域"), ("department", "部门"),
                   ("status_zh", "状态"), ("plan", "约谈")]
STATUS_OPTIONS = [("", "全部"), *((s.value, zh) for s, zh in WARNING_STATUS_ZH.items())]


def moment(value: str | None):
    """A datetime-local field (Beijing time, no offset) as the aware instant the API's body carries."""
    if not value:
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the schema says what is wrong
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)).isoformat()


@console.get("/supervision/warnings")
@console_page(*SUP)
def supervision_warnings():
    """Risk warnings newest first (as GET /supervision/warnings): close one with a reason, or plan a talk."""
    status = request.args.get("status") if request.args.get("status") in set(WarningStatus) else None
    page, per_page = window()
    found = warnings.list_warnings(scope(), status, page, per_page)
    names = subjects(w.subject_id for w in found.items)
    rows = []
    for w in found.items:
        handle, name = names.get(w.subject_id, ("", ""))
        row = {"id": w.id, "created_at": w.created_at, "rule_zh": WARNING_RULE_ZH.get(w.rule, w.rule),
               "handle": handle, "name": name, "summary": w.summary, "sector": w.sector,
               "department": w.department or "信用办", "status_zh": WARNING_STATUS_ZH[WarningStatus(w.status)],
               "plan": "", "_actions": []}
        if w.status == WarningStatus.OPEN:
            row["plan"], row["_links"] = "安排约谈", {"plan": url_for("console.plan_talk", warning_id=w.id)}
            row["_actions"] = [("关闭", url_for("console.close_warning", warning_id=w.id), None, "quiet",
                                ("reason", "关闭理由"))]
        rows.append(row)
    return paged_listing("风险预警", "risk-warnings.csv", WARNING_COLUMNS, rows, found.total, page, per_page,
                         links=links(), filters=[{"name": "status", "label": "状态", "type": "select",
                                                  "options": STATUS_OPTIONS}],
                         intro="预警由规则在信用等级下降、重点领域处罚、违背承诺、列入重点关注名单时自动产生；"
                               "可据此安排约谈，或写明理由后关闭。")


@console.post("/supervision/warnings/<int:warning_id>/close")
@console_page(*SUP)
def close_warning(warning_id: int):
    """Dismiss an open warning with a reason (as POST /supervision/warnings/<id>/close)."""
    loaded, errors = parse(CloseInSchema())
    if loaded is not None:
        _, errors = attempt(lambda: own(lambda: warnings.close_warning(warning_id, loaded["reason"],
                                                                       operator=current(), actor=current().actor),
                                        "风险预警"))
    if errors:
        return render("console/error.html", 422, title="填写有误", message="未能关闭预警：",
                      details={"reason": errors.get("reason") or errors.get("_")})
    return redirect(url_for("console.supervision_warnings"), code=303)


def talk_fields() -> list[dict]:
    return [field("warning_id", "所依据的预警编号", value=request.args.get("warning_id", ""),
                  help="从风险预警页进入时已填好；不依据预警时留空并填写主体标识"),
            field("handle", "约谈对象（主体标识）"),
            field("kind", "约谈类型", "select", required=True,
                  options=[(k.value, zh) for k, zh in TALK_KIND_ZH.items()]),
            field("scheduled_at", "约谈时间（北京时间）", "datetime-local", required=True),
            field("place", "地点", required=True),
            field("attendees", "参加人员", help="顿号、逗号或空格分隔"),
            field("content", "约谈内容", "textarea", required=True),
            field("rectification", "整改要求", "textarea"),
            field("rectification_days", "整改期限（工作日）", value="10",
                  help="启动整改之日起按工作日历计算（跳过法定节假日，计入调休上班日）"),
            *department_field()]


def talk_body(data: dict) -> dict:
    body = {k: v for k, v in data.items() if k in ("handle", "kind", "place", "content", "rectification", "department")}
    for key in ("warning_id", "rectification_days"):
        if data.get(key):
            body[key] = as_int(data[key])
    if data.get("scheduled_at"):
        body["scheduled_at"] = moment(data["scheduled_at"])
    if data.get("attendees"):
        body["attendees"] = [a for a in SPLIT.split(data["attendees"]) if a]
    return body


@console.route("/supervision/talks/new", methods=["GET", "POST"])
@console_page(*SUP)
def plan_talk():
    """Plan a 提示/警示约谈 about a warning or a subject (as POST /supervision/talks)."""
    errors, values = {}, request.form if request.method == "POST" else {}
    fields = talk_fields()
    if request.method == "POST":
        loaded, errors = parse(TalkInSchema(), talk_body(form_data()))
        if loaded is not None:
            talk, errors = attempt(lambda: own(lambda: talks.plan_talk(loaded, operator=current(),
                                                                       actor=current().actor), "风险预警"))
            if not errors:
                return redirect(url_for("console.supervision_talk", talk_id=talk.id, done="plan"), code=303)
    return render("console/form_page.html", 422 if errors else 200, title="安排约谈", fields=fields, values=values,
                  errors=errors, labels=labels_of(fields), action=url_for("console.plan_talk"), submit="安排约谈",
                  intro="约谈安排后依次：发出通知 → 记录约谈（或未到场）→ 启动整改（期限按工作日计算）→ 核实整改，"
                        "逾期未整改可升级处置。")


TALK_COLUMNS = [("number", "约谈编号"), ("handle", "主体标识"), ("name", "名称"), ("kind_zh", "类型"),
                ("state_zh", "状态"), ("scheduled_at", "约谈时间"), ("place", "地点"), ("due", "整改期限"),
                ("department", "部门")]


def overdue(talk, today: dt.date, now: dt.datetime) -> bool:
    """Past its time: a rectification past its deadline, or a talk not recorded after its time."""
    if talk.state == TalkState.RECTIFICATION_DUE and talk.rectification_due_on is not None:
        return talk.rectification_due_on < today
    return talk.state in (TalkState.PLANNED, TalkState.NOTIFIED) and talk.scheduled_at < now


@console.get("/supervision/talks")
@console_page(*SUP)
def supervision_talks():
    """Talks under way (the worklist's, as GET /supervision/worklist), soonest first; overdue ones in red."""
    page, per_page = window()
    under_way = worklists.worklist(scope())["talks"]
    names = subjects(t.subject_id for t in under_way)
    today, now, rows = china_today(), utcnow(), []
    for t in in_pages(under_way, page, per_page):
        handle, name = names.get(t.subject_id, ("", ""))
        late = overdue(t, today, now)
        due = t.rectification_due_on.isoformat() if t.rectification_due_on else ""
        rows.append({"number": t.number, "handle": handle, "name": name, "kind_zh": TALK_KIND_ZH[t.kind],
                     "state_zh": TALK_STATE_ZH[TalkState(t.state)] + ("（逾期）" if late else ""),
                     "scheduled_at": t.scheduled_at, "place": t.place, "due": due, "department": t.department,
                     "_links": {"number": url_for("console.supervision_talk", talk_id=t.id)},
                     "_class": {"state_zh": "overdue", "due": "overdue"} if late else {}, "_bad": late})
    return paged_listing("约谈", "talks.csv", TALK_COLUMNS, rows, len(under_way), page, per_page,
                         links=[("安排约谈", url_for("console.plan_talk")), *links()],
                         intro="进行中的约谈（已核实、已升级的不再列出）。红色为逾期：整改期满未核实，或约谈时间已过仍未记录。")


ACTION_FIELDS = {
    TalkAction.NOTIFY: [],
    TalkAction.HOLD: [field("outcome", "约谈情况", "textarea"),
                      field("held_at", "约谈时间（北京时间）", "datetime-local", help="不填为现在"),
                      field("commitment_text", "整改承诺（签署的文字）", "textarea"),
                      field("commitment_signer", "承诺签署人")],
    TalkAction.NO_SHOW: [field("outcome", "情况说明", value="被约谈对象未到场")],
    TalkAction.RECTIFY: [field("rectification", "整改要求", "textarea", help="已填写的可不改"),
                         field("rectification_days", "整改期限（工作日）", help="不填沿用约谈安排时的天数")],
    TalkAction.VERIFY: [field("outcome", "核实情况", "textarea")],
    TalkAction.ESCALATE: [field("escalation", "升级方式", "select", required=True,
                                options=[(e.value, zh) for e, zh in ESCALATION_ZH.items()]),
                          field("reference", "文书号",
                                help="依法立案处罚时填处罚决定书文号；列入重点关注名单时可填认定文书号")],
}


def talk_page(talk, status: int = 200, errors: dict | None = None, failed: str | None = None):
    """One talk (as GET /supervision/talks/<id>) with its history and the steps its state allows."""
    handle, name = subjects([talk.subject_id]).get(talk.subject_id, ("", ""))
    steps = [{"action": a.value, "label": TALK_ACTION_ZH[a], "fields": ACTION_FIELDS[a]}
             for a, (allowed, _) in TALK_TRANSITIONS.items() if talk.state in allowed]
    labels = {f["name"]: f["label"] for fs in ACTION_FIELDS.values() for f in fs}
    done = {"plan": "已安排约谈。", "step": "已记录。"}.get(request.args.get("done", ""))
    return render("console/supervision/talk.html", status, title=f"约谈 {talk.number}", talk=talk, handle=handle,
                  name=name, kind_zh=TALK_KIND_ZH[talk.kind], state_zh=TALK_STATE_ZH[TalkState(talk.state)],
                  late=overdue(talk, china_today(), utcnow()), steps=steps, errors=errors or {}, labels=labels,
                  failed=failed, values=request.form if failed else {}, notice=done, links=links(),
                  action_zh={a.value: zh for a, zh in TALK_ACTION_ZH.items()} | {"plan": "安排约谈"},
                  state_names={s.value: zh for s, zh in TALK_STATE_ZH.items()},
                  escalation_zh=ESCALATION_ZH.get(talk.escalation) if talk.escalation else None)


@console.app_template_filter("iso_beijing")
def iso_beijing(value) -> str:
    """A history entry's ISO instant in Beijing time."""
    try:
        return beijing(dt.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return value or ""


@console.get("/supervision/talks/<int:talk_id>")
@console_page(*SUP)
def supervision_talk(talk_id: int):
    return talk_page(own(lambda: talks.get_talk(talk_id, current()), "约谈"))


@console.post("/supervision/talks/<int:talk_id>/<action>")
@console_page(*SUP)
def talk_step(talk_id: int, action: str):
    """One step of the talk (as POST /supervision/talks/<id>/<action>)."""
    talk = own(lambda: talks.get_talk(talk_id, current()), "约谈")
    if action not in set(TalkAction):
        raise NotFound("没有这个约谈步骤。")
    data = form_data()
    body = {k: v for k, v in data.items() if k in ("outcome", "commitment_text", "commitment_signer", "rectification",
                                                   "escalation", "reference")}
    if data.get("held_at"):
        body["held_at"] = moment(data["held_at"])
    if data.get("rectification_days"):
        body["rectification_days"] = as_int(data["rectification_days"])
    loaded, errors = parse(TalkActionInSchema(), body)
    if loaded is not None:
        _, errors = attempt(lambda: talks.act(talk_id, action, loaded, operator=current(), actor=current().actor))
    if errors:
        db.session.refresh(talk)
        return talk_page(talk, 422, errors, failed=action)
    return redirect(url_for("console.supervision_talk", talk_id=talk_id, done="step"), code=303)


PREVENTION_FIELDS = [field("handle", "主体标识", required=True), field("basis", "列入依据", required=True),
                     field("reason", "事由", required=True), field("review_on", "复核日期", "date", required=True),
                     field("warning_id", "相关预警编号")]
PREVENTION_COLUMNS = [("id", "编号"), ("handle", "主体标识"), ("name", "名称"), ("basis", "依据"), ("reason", "事由"),
                      ("review_on", "复核日期"), ("department", "部门"), ("created_at", "列入时间")]


@console.route("/supervision/prevention", methods=["GET", "POST"])
@console_page(*SUP)
def prevention_list():
    """The 重大失信风险预防清单 (the worklist's) and a new entry (as POST /supervision/prevention-list)."""
    errors, values, notice = {}, {}, None
    fields = [*PREVENTION_FIELDS, *department_field()]
    if request.method == "POST":
        values = request.form
        data = form_data()
        if data.get("warning_id"):
            data["warning_id"] = as_int(data["warning_id"])
        loaded, errors = parse(PreventionInSchema(), data)
        if loaded is not None:
            entry, errors = attempt(lambda: own(lambda: talks.add_prevention_entry(
                loaded, operator=current(), actor=current().actor), "风险预警"))
            if not errors:
                notice, values = f"已列入重大失信风险预防清单（编号 FX-{entry.id}），复核日期 {entry.review_on}。", {}
    page, per_page = window()
    entries = worklists.worklist(scope())["prevention"]
    names = subjects(e.subject_id for e in entries)
    today, rows = china_today(), []
    for e in in_pages(entries, page, per_page):
        handle, name = names.get(e.subject_id, ("", ""))
        late = e.review_on < today
        rows.append({"id": f"FX-{e.id}", "handle": handle, "name": name, "basis": e.basis, "reason": e.reason,
                     "review_on": e.review_on.isoformat() + ("（已过复核日期）" if late else ""),
                     "department": e.department, "created_at": e.created_at,
                     "_class": {"review_on": "overdue"} if late else {}})
    return paged_listing("重大失信风险预防清单", "risk-prevention.csv", PREVENTION_COLUMNS, rows, len(entries), page,
                         per_page, links=links(), notice=notice, errors=errors, labels=labels_of(fields),
                         add_title="列入预防清单", add_fields=fields, add_action=url_for("console.prevention_list"),
                         add_submit="列入", add_values=values, status=422 if errors else 200)


OVERDUE_COLUMNS = [("kind", "类型"), ("number", "编号"), ("handle", "主体标识"), ("name", "名称"), ("reason", "事由"),
                   ("state", "状态"), ("due", "期限"), ("department", "部门")]


@console.get("/supervision/overdue")
@console_page(*SUP)
def supervision_overdue():
    """Everything past its deadline, oldest first (as GET /supervision/overdue.csv)."""
    page, per_page = window()
    rows = [{**r, "name": r["name"] or "", "_class": {"due": "overdue"}} for r in worklists.overdue_rows(scope())]
    return paged_listing("逾期事项", "overdue.csv", OVERDUE_COLUMNS, in_pages(rows, page, per_page), len(rows), page,
                         per_page, links=links(),
                         intro="整改期满未核实的约谈、约谈时间已过仍未记录的、预防清单过了复核日期的、"
                               "超过 30 天未处置的预警。期限按工作日历计算。")
