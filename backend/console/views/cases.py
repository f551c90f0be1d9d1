"""Department worklists: credit repair (backend/repair) with its deadlines from the calendar, overdue in red, and
the review actions (accept, return with 一次性告知, extend, approve, deny). The objection and declaration worklists
are in case_objections.py.

Each page calls what the API view calls with this operator (review.for_department scopes a department to its
own applications, admins see all), so its audit entries and refusals are the API's."""

from __future__ import annotations

import datetime as dt

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import detail, due_cell, lines, list_args, scoped, worklist
from backend.console.views.forms import attempt, field, parse
from backend.console.views.guard import NAV, console_page, current
from backend.platform import uploads
from backend.platform.access import OperatorRole
from backend.platform.calendar import working_days_between
from backend.platform.clock import china_today
from backend.platform.web.uploads import send_upload
from backend.repair import review
from backend.repair.applications import OWNER_KIND
from backend.repair.presenting import describe, waiting_due
from backend.repair.schemas import ApproveSchema, RepairArgsSchema, RepairReasonSchema, ReturnSchema
from backend.repair.vocab import CHANNEL_ZH, REVIEW_STATES, STATE_ZH, RepairState

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
# The worklists in the header (added here, not in guard.NAV's literal, so pages of other issues merge cleanly).
for _role in DEPT:
    NAV[_role] += [("信用修复", "console.repairs"), ("异议", "console.objections"),
                   ("自主申报", "console.declarations"),
                   ("双公示", "console.disclosure_form"), ("双公示决定", "console.disclosures"),
                   ("公示超期报告", "console.publication_report_page")]

REPAIR_COLUMNS = [("ref", "申请编号"), ("state_zh", "状态"), ("department", "认定部门"), ("record_title", "失信记录"),
                  ("document_no", "决定文书号"), ("channel_zh", "渠道"), ("submitted_at", "提交时间"),
                  ("due", "当前期限"), ("overdue_zh", "期限情况"), ("extended_zh", "已延期")]
REPAIR_STATES = [("", "全部"), *((s.value, zh) for s, zh in STATE_ZH.items())]
ACTIONS_ZH = {"accept": "已受理", "return": "已退回补正（一次性告知）", "extend": "已延长审查期限",
              "approve": "已准予信用修复：停止公示，移出相关名单，重新评价", "deny": "已作出不予修复决定"}


def _repair_row(app) -> dict:
    d = describe(app)
    row = {**d, "record_title": d["record"].title, "document_no": d["record"].document_no,
           "channel_zh": CHANNEL_ZH.get(app.channel, app.channel), "due": waiting_due(app),
           "extended_zh": "是" if app.extended else "", "_links": {"ref": url_for("console.repair", ref=app.ref)}}
    due_cell(row, "due", d["overdue"])
    return row


@console.get("/repairs")
@console_page(*DEPT)
def repairs():
    """As GET /repairs (state filter) and GET /repairs/overdue (overdue=1): your department's, admins all."""
    args = list_args(RepairArgsSchema(), ("state",))
    if request.args.get("overdue") == "1":
        found = review.overdue(current())
        total, items = len(found), found[(args["page"] - 1) * args["per_page"]:args["page"] * args["per_page"]]
    else:
        page = review.applications(current(), args.get("state"), args["page"], args["per_page"])
        total, items = page.total, page.items
    return worklist("信用修复申请", "repairs.csv", REPAIR_COLUMNS, [_repair_row(a) for a in items], args, total,
                    filters=[{"name": "state", "label": "状态", "type": "select", "options": REPAIR_STATES},
                             {"name": "overdue", "label": "只看逾期", "type": "select",
                              "options": [("", "否"), ("1", "是")]}],
                    intro="期限按工作日计算（法定节假日与调休见平台日历）；逾期的期限以红色标出。")


def _facts(d: dict, app) -> list[tuple]:
    record, today = d["record"], china_today()
    due = waiting_due(app)
    late = f"（已逾期 {working_days_between(due, today)} 个工作日）" if d["overdue"] else ""
    return [("申请编号", d["ref"], None), ("状态", d["state_zh"], None), ("认定部门", d["department"], None),
            ("渠道", CHANNEL_ZH.get(d["channel"], d["channel"]), None),
            ("失信记录", f"{record.title}（{record.document_no}，{record.decided_on}）", None),
            ("最短公示期至", record.min_publish_until, None), ("修复申请说明", d["statement"], None),
            ("信用修复承诺", d["commitment_code"], None), ("提交时间", d["submitted_at"], None),
            ("受理期限", d["accept_due"], "overdue" if d["overdue"] and app.state == "submitted" else None),
            ("决定期限", f"{d['decide_due'] or ''}{late if app.state in REVIEW_STATES else ''}",
             "overdue" if d["overdue"] and app.state in REVIEW_STATES else None),
            ("延期理由", d["extension_reason"], None),
            ("一次性告知的补正事项", "；".join(d["returned_items"] or []), None),
            ("补正说明", app.notes, None), ("决定理由", d["decision_reason"], None), ("费用", d["fee"], None)]


def _actions(app) -> list[dict]:
    act = lambda name: url_for("console.repair_action", ref=app.ref, action=name)
    if app.state == RepairState.SUBMITTED:
        found = [{"title": "受理", "id": "accept-form", "fields": [], "action": act("accept"),
                  "submit": "材料齐全，受理",
                  "help": "受理后决定期限按工作日起算。"}]
        if not app.returned_once:
            found.append({"title": "退回补正（一次性告知）", "id": "return-form", "action": act("return"),
                          "submit": "退回补正", "help": "一次列明全部需补正的材料，每行一项；只能退回一次。",
                          "fields": [field("items", "需补正的材料（每行一项）", "textarea", required=True)]})
        return found
    if app.state not in REVIEW_STATES:
        return []
    found = [{"title": "准予信用修复", "id": "approve-form", "action": act("approve"), "submit": "准予修复",
              "help": "停止公示该记录，移出以该记录为依据的名单，重新评价，并通过变更推送告知。",
              "fields": [field("reason", "决定理由（可选）", "textarea")]},
             {"title": "不予信用修复", "id": "deny-form", "action": act("deny"), "submit": "不予修复",
              "fields": [field("reason", "不予修复的理由", "textarea", required=True)]}]
    if app.state == RepairState.UNDER_REVIEW:
        found.insert(0, {"title": "延长审查期限（仅一次）", "id": "extend-form", "action": act("extend"),
                         "submit": "延长期限", "fields": [field("reason", "延期理由", "textarea", required=True)]})
    return found


def _repair_page(app, status: int = 200, notice: str | None = None, errors: dict | None = None):
    d = describe(app)
    steps = [{**h, "at": dt.datetime.fromisoformat(h["at"])} for h in d["history"]]  # shown in Beijing time
    return detail(f"信用修复申请 {app.ref}", status, facts=_facts(d, app), notice=notice, errors=errors,
                  back=("← 返回信用修复申请列表", url_for("console.repairs")), actions=_actions(app),
                  labels={"items": "补正材料", "reason": "理由", "_": "办理"},
                  files=[(p["filename"], url_for("console.repair_proof", ref=app.ref, upload_ref=p["ref"]))
                         for p in d["proofs"]],
                  sections=[{"title": "办理过程", "id": "history", "rows": steps,
                             "columns": [("at", "时间"), ("step_zh", "环节"), ("by", "经办"),
                                         ("note", "说明")]}])


@console.get("/repairs/<ref>")
@console_page(*DEPT)
def repair(ref: str):
    """One application (as GET /repairs/<ref>); another department's is 404, and the attempt audited."""
    app = scoped(lambda: review.for_department(current(), ref))
    done = request.args.get("done")
    return _repair_page(app, notice=ACTIONS_ZH.get(done))


@console.get("/repairs/<ref>/proofs/<upload_ref>")
@console_page(*DEPT)
def repair_proof(ref: str, upload_ref: str):
    app = scoped(lambda: review.for_department(current(), ref))
    return send_upload(uploads.get(upload_ref, owner_kind=OWNER_KIND, owner_ref=app.ref))


SCHEMAS = {"return": ReturnSchema, "extend": RepairReasonSchema, "approve": ApproveSchema, "deny": RepairReasonSchema}


@console.post("/repairs/<ref>/<any(accept, return, extend, approve, deny):action>")
@console_page(*DEPT)
def repair_action(ref: str, action: str):
    """The review steps, as POST /repairs/<ref>/<action>: the same schema, the same use case, this operator."""
    op, actor = current(), current().actor
    scoped(lambda: review.for_department(op, ref))
    body, errors = {}, {}
    if action in SCHEMAS:
        data = {"items": lines(request.form.get("items"))} if action == "return" else None
        body, errors = parse(SCHEMAS[action](), data)
    if not errors:
        calls = {"accept": lambda: review.accept(op, ref, actor=actor),
                 "return": lambda: review.return_for_completion(op, ref, body["items"], actor=actor),
                 "extend": lambda: review.extend(op, ref, body["reason"], actor=actor),
                 "approve": lambda: review.approve(op, ref, body.get("reason"), actor=actor),
                 "deny": lambda: review.deny(op, ref, body["reason"], actor=actor)}
        _, errors = attempt(calls[action])
    if errors:
        return _repair_page(review.for_department(op, ref), 422, errors=errors)
    return redirect(url_for("console.repair", ref=ref, done=action), code=303)
