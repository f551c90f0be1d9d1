"""Service-window pages on a subject's behalf: an organisation's credit-repair application (with proofs and the
signed 信用修复型 commitment) and its completion after a return, objections (with evidence) and this window's
list of them (reports are in window_reports.py).

As POST /repairs, /repairs/<ref>/completion, /objections and /objections/<number>/evidence: the
same schemas and use cases with this clerk; a window sees only the objections and reports it filed."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import (
    corrections,
    detail,
    due_cell,
    found_or_field,
    list_args,
    scoped,
    worklist,
)
from backend.console.views.errors import wants_json
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import NAV, console_page, current, form_data, render
from backend.credit import find_subject
from backend.objections import evidence, objections, reading
from backend.objections.schemas import FIELDS as CORRECTABLE
from backend.objections.schemas import WindowObjectionInSchema, WorklistArgsSchema
from backend.objections.vocab import GROUNDS_ZH, STATE_ZH, Channel
from backend.platform.access import OperatorRole
from backend.platform.errors import DomainError
from backend.platform.web.uploads import files_in_request
from backend.repair import applications
from backend.repair.presenting import describe
from backend.repair.schemas import CompletionFormSchema, WindowRepairFormSchema

WINDOW = (OperatorRole.WINDOW, OperatorRole.ADMIN)
NAV[OperatorRole.WINDOW] += [("代办信用修复", "console.window_repair"),
                             ("修复补正", "console.window_repair_completion"), ("代办异议", "console.window_objection"),
                             ("窗口异议办件", "console.window_objections")]
FILES = {**field("files", "证明材料（PDF、PNG、JPEG，可多选）", "file"), "multiple": True,
         "accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
REPAIR_FIELDS = [field("uscc", "统一社会信用代码", required=True,
                       help="申请修复的企业或组织；自然人请本人在小程序申请"),
                 field("record_id", "信用记录编号", required=True, help="申请人档案中该失信记录的编号（每次一条）"),
                 field("statement", "纠正失信行为、履行义务情况", "textarea", required=True), FILES,
                 field("sign_commitment", "申请人已签署信用修复承诺书（公开）", "checkbox", required=True),
                 field("commitment_content", "承诺内容（不填用标准文本）", "textarea")]
COMPLETION_FIELDS = [field("ref", "申请编号", required=True, help="退回补正通知上的 XF 编号"),
                     field("note", "补正说明", "textarea"), FILES]


def _upload_form(title: str, fields: list[dict], status: int = 200, **context):
    return render("console/form_page.html", status, title=title, fields=fields, labels={**labels_of(fields),
                  "_": "办理"}, multipart=True, action=request.path, **context)


def _files_or_errors() -> tuple[list, dict]:
    try:
        return files_in_request(), {}
    except DomainError as e:
        if wants_json():
            raise
        return [], {"files": [e.message]}


@console.route("/window/repairs/new", methods=["GET", "POST"])
@console_page(*WINDOW, upload=True)
def window_repair():
    """An organisation's repair application at the window (applications.submit_at_window, channel window)."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        body, errors = parse(WindowRepairFormSchema(), {"sign_commitment": "false", **form_data()})
        files, file_errors = _files_or_errors()
        errors = {**errors, **file_errors}
        if not errors:
            subject, errors = found_or_field(lambda: find_subject({"uscc": body["uscc"]}), "uscc")
        if not errors:
            app, errors = attempt(lambda: applications.submit_at_window(subject, current().id, body, files,
                                                                        actor=current().actor))
            if not errors:
                return _repair_receipt(app, "已受理窗口申请，请将申请编号告知申请人（凭编号查询进度）。")
    return _upload_form("代办信用修复申请", REPAIR_FIELDS, 422 if errors else 200, values=values, errors=errors,
                        submit="提交申请",
                        intro="核对申请人身份与授权后录入；证明材料请扫描上传。信用修复不收取任何费用。")


def _repair_receipt(app, notice: str):
    d = describe(app)
    facts = [("申请编号（查询码）", d["ref"], None), ("状态", d["state_zh"], None), ("认定部门", d["department"], None),
             ("失信记录", f"{d['record'].title}（{d['record'].document_no}）", None),
             ("受理期限", d["accept_due"], None), ("证明材料", f"{len(d['proofs'])} 份", None),
             ("信用修复承诺编号", d["commitment_code"], None), ("费用", d["fee"], None)]
    return detail(f"信用修复申请 {app.ref}", facts=facts, notice=notice,
                  links=[("继续代办", url_for("console.window_repair"), "again"),
                         ("补正材料", url_for("console.window_repair_completion"), "to-completion")])


@console.route("/window/repairs/completion", methods=["GET", "POST"])
@console_page(*WINDOW, upload=True)
def window_repair_completion():
    """Supply what a return listed (applications.complete on an application filed at a window)."""
    errors, values = {}, {"ref": request.args.get("ref", "")}  # from the window's list of its applications
    if request.method == "POST":
        values = request.form
        body, errors = parse(CompletionFormSchema(), {k: v for k, v in form_data().items() if k == "note"})
        files, file_errors = _files_or_errors()
        errors = {**errors, **file_errors}
        if not errors:
            ref = request.form.get("ref", "").strip()  # any window may complete one filed at a window
            app, errors = found_or_field(lambda: applications.at_window(ref), "ref")
        if not errors:
            done, errors = attempt(lambda: applications.complete(app, body.get("note"), files, actor=current().actor))
            if not errors:
                return _repair_receipt(done, "已补正，申请重新进入受理。")
    return _upload_form("信用修复申请补正", COMPLETION_FIELDS, 422 if errors else 200, values=values, errors=errors,
                        submit="提交补正", intro="按退回补正通知一次性列明的事项补充材料或说明。")


OBJECTION_FIELDS = [
    field("uscc", "统一社会信用代码", help="企业或组织（与身份证号二选一）"),
    field("resident_id", "居民身份证号", help="核对身份证原件后录入；页面只显示打码后的号码"),
    field("applicant", "经办人", required=True, help="受理回执上的经办人姓名"),
    field("item", "异议信息类型", "select", required=True, options=[("record", "信用记录"), ("list_entry", "名单")]),
    field("item_id", "信息编号", required=True, help="该信息在档案中的编号"),
    field("grounds", "异议理由", "select", required=True, options=list(GROUNDS_ZH.items())),
    field("statement", "异议说明", "textarea", required=True),
    *[f for n in (1, 2) for f in (field(f"corr_field_{n}", f"申请更正的字段 {n}", "select",
                                        options=[(c, c) for c in CORRECTABLE]),
                                  field(f"corr_current_{n}", f"现值 {n}"),
                                  field(f"corr_proposed_{n}", f"应更正为 {n}"))],
    {**FILES, "label": "证据材料（PDF、PNG、JPEG，可多选）"}]


def _asked_corrections() -> list[dict]:
    return [{"field": c["field"], "current": request.form.get(f"corr_current_{n}") or None,
             "proposed": request.form.get(f"corr_proposed_{n}") or None}
            for n, c in enumerate(corrections(), start=1)]


@console.route("/window/objections/new", methods=["GET", "POST"])
@console_page(*WINDOW, upload=True)
def window_objection():
    """An objection for the subject at the counter (objections.submit, channel window), then its evidence."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form
        data = {k: v for k, v in form_data().items() if not k.startswith("corr_")}
        if data.get("item_id", "").isdigit():  # the API's body_id takes a JSON number; a form sends text
            data["item_id"] = int(data["item_id"])
        body, errors = parse(WindowObjectionInSchema(), {**data, "corrections": _asked_corrections()})
        files, file_errors = _files_or_errors()
        errors = {**errors, **file_errors}
        ref = {k: body[k] for k in ("uscc", "resident_id") if body and body.get(k)}
        if not errors:
            subject, errors = found_or_field(lambda: find_subject(ref), next(iter(ref), "uscc"))
        if not errors:
            obj, errors = attempt(lambda: objections.submit(subject, body, channel=Channel.WINDOW,
                                                            actor=current().actor, operator=current()))
            if not errors:
                if files:
                    _, errors = attempt(lambda: evidence.add_evidence(obj, files, actor=current().actor))
                if not errors:
                    return redirect(url_for("console.window_objection_page", number=obj.number, done=1), code=303)
                return redirect(url_for("console.window_objection_page", number=obj.number, evidence_failed=1),
                                code=303)
    shown = {k: v for k, v in values.items() if k != "resident_id"}  # an id never goes back into the page
    return _upload_form("代办异议申请", OBJECTION_FIELDS, 422 if errors else 200, values=shown, errors=errors,
                        submit="提交异议", intro="每条信息只能有一件在办异议；受理后该信息标注“正在核实”。")


@console.get("/window/objections")
@console_page(*WINDOW)
def window_objections():
    """As GET /objections for a window: the objections this window filed, by deadline."""
    args = list_args(WorklistArgsSchema(), ("state", "overdue"))
    page = reading.objection_worklist(args, current())
    rows = []
    for r in page.items:
        row = {**r, "_links": {"number": url_for("console.window_objection_page", number=r["number"])}}
        due_cell(row, "due_on", r["overdue"])
        rows.append(row)
    columns = [("number", "异议编号"), ("state_zh", "状态"), ("title", "信息"), ("department", "提供单位"),
               ("submitted_at", "提交时间"), ("due_on", "当前期限"), ("overdue_zh", "期限情况"),
               ("outcome_zh", "处理结果")]
    return worklist("本窗口代办的异议", "window-objections.csv", columns, rows, args, page.total,
                    filters=[{"name": "state", "label": "状态", "type": "select",
                              "options": [("", "全部"), *((s.value, zh) for s, zh in STATE_ZH.items())]}])


def _window_objection(number: str):
    obj = objections.by_number(number)
    reading.visible_to_operator(obj, current())
    return obj


@console.route("/window/objections/<number>", methods=["GET", "POST"])
@console_page(*WINDOW, upload=True)
def window_objection_page(number: str):
    """The receipt and progress of an objection this window filed; evidence added until it is accepted."""
    obj = scoped(lambda: _window_objection(number))
    errors, notice = {}, ("已提交异议，请将异议编号告知申请人。" if request.args.get("done") else None)
    if request.args.get("evidence_failed"):
        errors = {"files": ["异议已提交，但证据材料未能保存，请在下方重新上传。"]}
    if request.method == "POST":
        files, errors = _files_or_errors()
        if not errors:
            _, errors = attempt(lambda: evidence.add_evidence(obj, files, actor=current().actor))
            notice = None if errors else "已保存证据材料。"
        obj = _window_objection(number)
    d = reading.objection_detail(obj)
    facts = [("异议编号", d["number"], None), ("状态", d["state_zh"], None),
             ("信息", f"{d['title']}（{d['document_no']}）", None), ("提供单位", d["department"], None),
             ("经办人", d["applicant"], None), ("当前期限", d["due_on"], "overdue" if d["overdue"] else None),
             ("处理结果", d["outcome_zh"], None), ("决定理由", d["outcome_reason"] or d["not_accepted_reason"], None),
             ("证据材料", "、".join(e["filename"] for e in d["evidence"]) or "（无）", None)]
    actions = [{"title": "补充证据材料", "id": "evidence-form", "fields": [FILES], "submit": "上传", "multipart": True,
                "action": url_for("console.window_objection_page", number=number)}] \
        if obj.state in ("submitted", "reviewing") else []
    return detail(f"异议 {obj.number}", 422 if errors else 200, facts=facts, notice=notice, errors=errors,
                  labels={"files": "证据材料", "_": "办理"}, actions=actions,
                  back=("← 本窗口代办的异议", url_for("console.window_objections")),
                  sections=[{"title": "办理过程", "id": "steps", "rows": d["steps"],
                             "columns": [("at", "时间"), ("state_zh", "环节"), ("by", "办理单位"), ("note", "说明")]}])
