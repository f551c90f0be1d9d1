"""The objection (异议) worklist and its steps: the credit office accepts or does not accept and checks (its own
error corrected at once, else forwarded), the providing department extends once and decides (outcome, field
corrections), the credit office decides a 复核. Declarations are in case_declarations.py.

The same schemas and use cases as /api/dept/v1/objections, with this operator: a department sees only its own
items (reading.visible_to_operator), the credit office (admin) all."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import (
    corrections,
    detail,
    linked_rows,
    list_args,
    scoped,
    state_filters,
    worklist,
)
from backend.console.views.forms import attempt, field, parse
from backend.console.views.guard import console_page, current
from backend.credit import correctable
from backend.objections import evidence, objections, reading
from backend.objections.schemas import (
    CheckSchema,
    DecisionSchema,
    ReasonSchema,
    WorklistArgsSchema,
)
from backend.objections.steps import the_item
from backend.objections.vocab import OUTCOME_ZH, STATE_ZH, ObjectionState
from backend.platform.access import OperatorRole, check_role
from backend.platform.web.uploads import send_upload

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
S = ObjectionState
OBJECTION_COLUMNS = [(k, label) for k, label in reading.CSV_COLUMNS["objection"] if k != "overdue"] + [
    ("overdue_zh", "期限情况")]
DONE_ZH = {"accept": "已受理：相关信息已标注“信息主体已提出异议，正在核实”。", "not-accept": "已作出不予受理决定。",
           "check": "已完成核查。", "extend": "已延长核实期限。", "decide": "已作出处理决定，异议办结。"}


@console.get("/objections", endpoint="objections")
@console_page(*DEPT)
def objections_page():
    """As GET /objections: by deadline, your department's (admins all, or one department)."""
    args = list_args(WorklistArgsSchema(), ("state", "overdue", "department"))
    page = reading.objection_worklist(args, current())
    return worklist("异议办件", "objections.csv", OBJECTION_COLUMNS, linked_rows(page.items, "console.objection"), args,
                    page.total, filters=state_filters({s.value: zh for s, zh in STATE_ZH.items()}),
                    intro="期限按工作日计算；逾期的期限以红色标出。受理、核查由市信用办办理，提供单位核实并作出决定。")



def _objection(number: str):
    obj = objections.by_number(number)
    reading.visible_to_operator(obj, current())
    return obj


def _correction_fields(item) -> list[dict]:
    options = list(correctable(item).items())
    return [f for n in (1, 2, 3) for f in (field(f"corr_field_{n}", f"更正字段 {n}", "select", options=options),
                                           field(f"corr_value_{n}", f"更正后的值 {n}"))]


def _objection_actions(obj) -> list[dict]:
    admin, item = current().role == OperatorRole.ADMIN, the_item(obj)
    act = lambda name: url_for("console.objection_action", number=obj.number, action=name)
    reason = field("reason", "理由", "textarea", required=True)
    decide = {"title": "复核决定（市信用办）" if obj.state == S.REVIEWING else "处理决定", "id": "decide-form",
              "action": act("decide"), "submit": "作出决定",
              "help": "更正或补充时填写更正字段和值；不填则按申请人提出的更正办理。",
              "fields": [field("outcome", "处理结果", "select", required=True, options=list(OUTCOME_ZH.items())),
                         reason, *_correction_fields(item)]}
    if obj.state == S.SUBMITTED and admin:
        return [{"title": "受理", "id": "accept-form", "fields": [], "action": act("accept"), "submit": "受理",
                 "help": "受理后，该信息在各处显示“信息主体已提出异议，正在核实”。"},
                {"title": "不予受理（一次性告知全部理由）", "id": "not-accept-form", "fields": [reason],
                 "action": act("not-accept"), "submit": "不予受理"}]
    if obj.state == S.CHECKING and admin:
        return [{"title": "信用办核查", "id": "check-form", "action": act("check"), "submit": "提交核查结果",
                 "help": "系本平台归集错误的，当即更正并办结；否则转提供单位核实。",
                 "fields": [field("own_error", "核查结论", "select", required=True,
                                  options=[("false", "与提供单位数据一致，转提供单位核实"),
                                           ("true", "本平台归集错误，当即更正")]),
                            field("reason", "说明（更正时必填）", "textarea"), *_correction_fields(item)]}]
    if obj.state == S.FORWARDED:
        return [{"title": "延长核实期限（仅一次）", "id": "extend-form", "fields": [reason], "action": act("extend"),
                 "submit": "延长期限"}, decide]
    if obj.state == S.EXTENDED or (obj.state == S.REVIEWING and admin):
        return [decide]
    return []


def _objection_page(obj, status: int = 200, notice: str | None = None, errors: dict | None = None):
    d = {**reading.objection_detail(obj), "current_values": objections.current_values(obj)}
    names = correctable(the_item(obj))
    facts = [("异议编号", d["number"], None), ("状态", d["state_zh"], None), ("异议理由", d["grounds_zh"], None),
             ("信息", f"{d['title']}（{d['document_no']}）", None), ("提供单位", d["department"], None),
             ("主体标识", d["subject_handle"], None), ("提交渠道", d["channel_zh"], None),
             ("经办人（窗口）", d["applicant"], None), ("异议说明", d["statement"], None),
             ("提交时间", d["submitted_at"], None), ("当前期限", d["due_on"], "overdue" if d["overdue"] else None),
             ("逾期", "已逾期" if d["overdue"] else "", "overdue" if d["overdue"] else None),
             ("不予受理理由", d["not_accepted_reason"], None), ("处理结果", d["outcome_zh"], None),
             ("决定理由", d["outcome_reason"], None), ("复核申请理由", d["review_reason"], None)]
    current_rows = [{"field": names.get(k, k), "value": v} for k, v in d["current_values"].items()]
    asked = [{**c, "field": names.get(c["field"], c["field"]), "applied": "已更正" if c["applied"] else ""}
             for c in d["corrections"]]
    return detail(f"异议 {obj.number}", status, facts=facts, notice=notice, errors=errors,
                  back=("← 返回异议办件列表", url_for("console.objections")), actions=_objection_actions(obj),
                  labels={"reason": "理由", "outcome": "处理结果", "own_error": "核查结论", "_": "办理"},
                  files=[(e["filename"], url_for("console.objection_evidence", number=obj.number, ref=e["ref"]))
                         for e in d["evidence"]],
                  sections=[{"title": "该信息当前内容（可更正字段）", "id": "current-values", "rows": current_rows,
                             "columns": [("field", "字段"), ("value", "当前值")]},
                            {"title": "申请更正的内容", "id": "corrections", "rows": asked,
                             "columns": [("field", "字段"), ("current", "申请人所述现值"), ("proposed", "应更正为"),
                                         ("applied", "办理"), ("old_value", "原值"), ("new_value", "新值")]},
                            {"title": "办理过程", "id": "steps", "rows": d["steps"],
                             "columns": [("at", "时间"), ("state_zh", "环节"), ("by", "办理单位"), ("note", "说明"),
                                         ("due_on", "期限")]}])


@console.get("/objections/<number>")
@console_page(*DEPT)
def objection(number: str):
    """One objection (as GET /objections/<number>); another department's is 404, the attempt audited."""
    return _objection_page(scoped(lambda: _objection(number)), notice=DONE_ZH.get(request.args.get("done", "")))


@console.get("/objections/<number>/evidence/<ref>")
@console_page(*DEPT)
def objection_evidence(number: str, ref: str):
    return send_upload(evidence.evidence_file(scoped(lambda: _objection(number)), ref))


def _objection_call(action: str, number: str):
    """(use-case call, errors) for the submitted form, parsed by the API's schema."""
    op, actor = current(), current().actor
    if action == "accept":
        return lambda: objections.accept(number, operator=op, actor=actor), {}
    if action in ("not-accept", "extend"):
        body, errors = parse(ReasonSchema())
        use = objections.not_accept if action == "not-accept" else objections.extend
        return (lambda: use(number, body["reason"], operator=op, actor=actor)), errors
    fixes = corrections()
    if action == "check":
        data = {**{k: v for k, v in request.form.items() if k == "reason" and v.strip()},
                "own_error": request.form.get("own_error") == "true", "corrections": fixes}
        body, errors = parse(CheckSchema(), data)
        return (lambda: objections.check(number, body, operator=op, actor=actor)), errors
    data = {k: v for k, v in request.form.items() if k in ("outcome", "reason") and v.strip()}
    body, errors = parse(DecisionSchema(), {**data, "corrections": fixes})
    return (lambda: objections.decide(number, body, operator=op, actor=actor)), errors


@console.post("/objections/<number>/<any('accept', 'not-accept', 'check', 'extend', 'decide'):action>")
@console_page(*DEPT)
def objection_action(number: str, action: str):
    """The objection's steps, as POST /objections/<number>/<step> (accept, not-accept, check: the credit office)."""
    scoped(lambda: _objection(number))
    if action in ("accept", "not-accept", "check"):  # the credit office's steps, as the API's require_operator
        check_role(current(), (OperatorRole.ADMIN,))
    call, errors = _objection_call(action, number)
    if not errors:
        _, errors = attempt(call)
    if errors:
        return _objection_page(_objection(number), 422, errors=errors)
    return redirect(url_for("console.objection", number=number, done=action), code=303)
