"""The self-declaration (自主申报) worklist: the competent department verifies, rejects (with the reason) or asks for
more, and marks a verified declaration found false (the subject goes on the watch list).

As /api/dept/v1/declarations, with this operator: a department sees those it verifies, the credit office all."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import detail, linked_rows, list_args, scoped, state_filters, worklist
from backend.console.views.forms import attempt, field, parse
from backend.console.views.guard import console_page, current
from backend.objections import declarations, evidence, reading
from backend.objections.schemas import DeclarationDecisionSchema, DeclarationWorklistArgsSchema, ReasonSchema
from backend.objections.vocab import DECLARATION_STATE_ZH, DeclarationState
from backend.platform.access import OperatorRole
from backend.platform.web.uploads import send_upload

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
DECLARATION_COLUMNS = [(k, label) for k, label in reading.CSV_COLUMNS["declaration"] if k != "overdue"] + [
    ("overdue_zh", "期限情况")]
DONE_ZH = {"verified": "已核验通过。", "rejected": "已作出不予核验决定。", "more_info": "已通知申报主体补充材料。",
           "found-false": "已认定申报不实：承诺记为违背，主体列入重点关注名单。"}


@console.get("/declarations", endpoint="declarations")
@console_page(*DEPT)
def declarations_page():
    """As GET /declarations: those your department verifies (admins all)."""
    args = list_args(DeclarationWorklistArgsSchema(), ("state", "overdue", "department"))
    page = reading.declaration_worklist(args, current())
    rows = linked_rows(page.items, "console.declaration")
    return worklist("自主申报核验", "declarations.csv", DECLARATION_COLUMNS, rows, args, page.total,
                    filters=state_filters({s.value: zh for s, zh in DECLARATION_STATE_ZH.items()}),
                    intro="主体在承诺真实的前提下申报的信用信息，由主管部门核验；期限按工作日计算。")


def _declaration(number: str):
    d = declarations.by_number(number)
    reading.visible_to_operator(d, current())
    return d


def _declaration_page(decl, status: int = 200, notice: str | None = None, errors: dict | None = None):
    d = declarations.declaration_detail(decl)
    facts = [("申报编号", d["number"], None), ("状态", d["state_zh"], None), ("类别", d["category_zh"], None),
             ("申报事项", d["title"], None), ("颁发单位", d["issuer"], None),
             ("证书或文书编号", d["document_no"], None),
             ("颁发日期", d["issued_on"], None), ("有效期至", d["valid_until"], None),
             ("核验部门", d["department"], None),
             ("主体标识", d["subject_handle"], None), ("核验期限", d["due_on"], "overdue" if d["overdue"] else None),
             ("逾期", "已逾期" if d["overdue"] else "", "overdue" if d["overdue"] else None),
             ("核验方式", d["verification_method"], None), ("说明", d["note"], None),
             ("真实性承诺", d["commitment"]["text"], None)]
    act = lambda name: url_for("console.declaration_action", number=decl.number, action=name)
    actions = []
    if decl.state in (DeclarationState.SUBMITTED, DeclarationState.VERIFYING, DeclarationState.MORE_INFO):
        actions.append({"title": "核验", "id": "decide-form", "action": act("decide"), "submit": "提交核验结果",
                        "fields": [field("decision", "核验结论", "select", required=True,
                                         options=[("verified", "核验通过"), ("rejected", "不予核验（写明理由）"),
                                                  ("more_info", "需补充材料（写明所需材料）")]),
                                   field("note", "理由或所需材料", "textarea")]})
    if decl.state == DeclarationState.VERIFIED:
        actions.append({"title": "认定申报不实", "id": "found-false-form", "action": act("found-false"),
                        "submit": "认定不实", "help": "撤销已记入档案的申报信息，承诺记为违背，主体列入重点关注名单。",
                        "fields": [field("reason", "认定理由", "textarea", required=True)]})
    return detail(f"自主申报 {decl.number}", status, facts=facts, notice=notice, errors=errors, actions=actions,
                  back=("← 返回自主申报列表", url_for("console.declarations")),
                  labels={"decision": "核验结论", "note": "理由或所需材料", "reason": "理由", "_": "办理"},
                  files=[(e["filename"], url_for("console.declaration_evidence", number=decl.number, ref=e["ref"]))
                         for e in d["evidence"]])


@console.get("/declarations/<number>")
@console_page(*DEPT)
def declaration(number: str):
    return _declaration_page(scoped(lambda: _declaration(number)), notice=DONE_ZH.get(request.args.get("done", "")))


@console.get("/declarations/<number>/evidence/<ref>")
@console_page(*DEPT)
def declaration_evidence(number: str, ref: str):
    return send_upload(evidence.evidence_file(scoped(lambda: _declaration(number)), ref))


@console.post("/declarations/<number>/<any('decide', 'found-false'):action>")
@console_page(*DEPT)
def declaration_action(number: str, action: str):
    """As POST /declarations/<number>/decide and /found-false."""
    op, actor = current(), current().actor
    scoped(lambda: _declaration(number))
    if action == "decide":
        body, errors = parse(DeclarationDecisionSchema())
        call = lambda: declarations.decide(number, body, operator=op, actor=actor)
    else:
        body, errors = parse(ReasonSchema())
        call = lambda: declarations.found_false(number, body["reason"], operator=op, actor=actor)
    if not errors:
        _, errors = attempt(call)
    if errors:
        return _declaration_page(_declaration(number), 422, errors=errors)
    done = body["decision"] if action == "decide" else action
    return redirect(url_for("console.declaration", number=number, done=done), code=303)
