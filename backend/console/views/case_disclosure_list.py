"""双公示 decisions a department has filed (an admin: every department's): the list with its filters and CSV, one
decision's page with its deadlines, and from there publishing a held decision or withdrawing a changed or revoked
one (its 3-working-day deadline counted from the calendar, the credit record removed, the subject re-graded).

As GET /disclosures, GET /disclosures/<id> and POST /disclosures/<id>/withdraw: the same schemas and use cases
with this operator; another department's decision is 404 and the attempt audited."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_disclosures import KINDS
from backend.console.views.case_pages import detail, due_cell, list_args, scoped, worklist
from backend.console.views.forms import attempt, field, parse
from backend.console.views.guard import console_page, current
from backend.disclosure import filing, listing
from backend.disclosure.schemas import DisclosureListArgsSchema, WithdrawalSchema
from backend.disclosure.vocab import CAUSE_ZH, KIND_ZH, STATE_ZH, PublicationState, item_key
from backend.platform.access import OperatorRole
from backend.platform.clock import china_today

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
COLUMNS = [("id", "编号"), ("kind_zh", "类别"), ("document_no", "决定书文号"), ("department", "报送部门"),
           ("decided_on", "决定日期"), ("state_zh", "状态"), ("publish_due", "公示期限"), ("overdue_zh", "期限情况"),
           ("published_at", "公示时间"), ("late_zh", "逾期"), ("withdrawn_at", "撤回时间")]
LABELS = {"cause": "撤回原因", "changed_on": "变更或撤销日期", "reason": "撤回理由", "document": "变更或撤销文书",
          "_": "办理"}


def _row(d: dict) -> dict:
    late = [zh for flag, zh in ((d["published_late"], "逾期公示"), (d["withdrawn_late"], "逾期撤回")) if flag]
    page = url_for("console.disclosure", disclosure_id=d["id"])
    row = {**d, "late_zh": "、".join(late), "_links": {"id": page, "document_no": page}}
    if d["state"] == PublicationState.REGISTERED:  # held: its 7-working-day clock is running
        due_cell(row, "publish_due", china_today() > d["publish_due"])
    if late:
        row["_class"] = {**row.get("_class", {}), "late_zh": "overdue"}
    return row


@console.get("/disclosures")
@console_page(*DEPT)
def disclosures():
    """As GET /disclosures: your department's decisions, newest decision first (admins every department's)."""
    args = list_args(DisclosureListArgsSchema(), ("kind", "state", "department", "date_from", "date_to",
                                                  "document_no"))
    page = listing.decisions(args, operator=current())
    filters = [{"name": "kind", "label": "类别", "type": "select",
                "options": [("", "全部"), *((k.value, zh) for k, zh in KIND_ZH.items())]},
               {"name": "state", "label": "状态", "type": "select",
                "options": [("", "全部"), *((s.value, zh) for s, zh in STATE_ZH.items())]},
               {"name": "document_no", "label": "文号含", "type": "text"},
               {"name": "date_from", "label": "决定日期自", "type": "date"},
               {"name": "date_to", "label": "至", "type": "date"}]
    if current().role == OperatorRole.ADMIN:
        filters.append({"name": "department", "label": "部门", "type": "text"})
    return worklist("双公示决定", "disclosures.csv", COLUMNS, [_row(d) for d in page.items], args, page.total,
                    filters=filters,
                    intro="本部门报送的行政许可、行政处罚决定。待公示的决定应在作出决定后 7 个工作日内公示；"
                          "决定被变更、撤销的，应在 3 个工作日内撤回公示（工作日按平台日历）。点击编号办理。")


def _actions(d: dict) -> list[dict]:
    found = []
    if d["state"] == PublicationState.REGISTERED:
        found.append({"title": "公示", "id": "publish-form", "fields": [], "submit": "立即公示",
                      "action": url_for("console.publish_disclosure", disclosure_id=d["id"])})
    if d["state"] != PublicationState.WITHDRAWN:
        found.append({"title": "撤回公示（决定被变更、撤销或确认无效，或公示信息有误）", "id": "withdraw-form",
                      "submit": "撤回公示", "action": url_for("console.withdraw_disclosure", disclosure_id=d["id"]),
                      "help": "撤回后，该决定的信用记录一并移除，主体重新评价；撤回期限为变更或撤销之日起 3 个工作日。",
                      "fields": [field("cause", LABELS["cause"], "select", required=True,
                                       options=[(c.value, zh) for c, zh in CAUSE_ZH.items()]),
                                 field("changed_on", LABELS["changed_on"], "date", required=True),
                                 field("reason", LABELS["reason"], "textarea", required=True),
                                 field("document", LABELS["document"], required=True,
                                       help="如行政复议决定书、撤销决定书文号")]})
    return found


def _page(d: dict, status: int = 200, notice: str | None = None, errors: dict | None = None):
    facts = [("编号", d["id"], None), ("类别", d["kind_zh"], None), ("决定书文号", d["document_no"], None),
             ("报送部门", d["department"], None), ("决定日期", d["decided_on"], None), ("状态", d["state_zh"], None),
             ("公示期限（7 个工作日）", d["publish_due"], None), ("公示时间", d["published_at"], None),
             ("逾期公示", "是" if d["published_late"] else "", "overdue" if d["published_late"] else None),
             ("信用记录编号", d["credit_record_id"], None),
             ("撤回原因", CAUSE_ZH.get(d["withdrawal_cause"], ""), None), ("撤回理由", d["withdrawal_reason"], None),
             ("变更或撤销文书", d["withdrawal_document"], None), ("撤回期限（3 个工作日）", d["withdraw_due"], None),
             ("撤回时间", d["withdrawn_at"], None),
             ("逾期撤回", "是" if d["withdrawn_late"] else "", "overdue" if d["withdrawn_late"] else None)]
    _, prefix, names, _, _ = KINDS[d["kind"]]
    items = [{"code": f"{zh}（{item_key(prefix, code)}）", "value": d["items"][code]}
             for code, zh in names.items() if d["items"].get(code) not in (None, "")]
    return detail(f"双公示决定 {d['document_no']}", status, facts=facts, notice=notice, errors=errors, labels=LABELS,
                  back=("← 返回双公示决定列表", url_for("console.disclosures")), actions=_actions(d),
                  sections=[{"title": "报送的数据项（身份证件号码等不显示）", "id": "items", "rows": items,
                             "columns": [("code", "数据项"), ("value", "内容")]}])


@console.get("/disclosures/<int:disclosure_id>")
@console_page(*DEPT)
def disclosure(disclosure_id: int):
    """One decision (as GET /disclosures/<id>); another department's is 404, the attempt audited."""
    notice = {"withdraw": "已撤回公示：信用记录已移除，主体已重新评价。"}.get(request.args.get("done", ""))
    return _page(scoped(lambda: listing.decision(disclosure_id, operator=current())), notice=notice)


@console.post("/disclosures/<int:disclosure_id>/withdraw")
@console_page(*DEPT)
def withdraw_disclosure(disclosure_id: int):
    """As POST /disclosures/<id>/withdraw, with the API's WithdrawalSchema; problems are shown on the form."""
    found = scoped(lambda: listing.decision(disclosure_id, operator=current()))
    body, errors = parse(WithdrawalSchema(), {k: v for k, v in request.form.items()
                                              if k in ("cause", "changed_on", "reason", "document") and v.strip()})
    if body is not None:
        _, errors = attempt(lambda: filing.withdraw_decision(disclosure_id, body, operator=current(),
                                                             actor=current().actor))
    if errors:
        return _page(found, 422, errors=errors)
    return redirect(url_for("console.disclosure", disclosure_id=disclosure_id, done="withdraw"), code=303)
