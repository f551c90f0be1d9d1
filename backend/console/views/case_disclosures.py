"""双公示 pages: file one 行政处罚 (CF_ items) or 行政许可 (XK_ items) decision, and the publication report (published
late, overdue now, withdrawn late; working days from the calendar), whose held decisions can be published from it.

As POST /disclosures/penalties|licences, GET /publication-report and POST /disclosures/<id>/publish: the same
schemas and use cases with this operator (a department files and sees its own; an admin names the department)."""

from __future__ import annotations

from flask import redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import detail, due_cell, scoped, worklist
from backend.console.views.errors import wants_json
from backend.console.views.forms import attempt, field, parse
from backend.console.views.guard import CSV_ROWS, console_page, current, render, wants_csv
from backend.credit import decode_csv
from backend.disclosure import csv_import, deadlines, filing
from backend.disclosure.schemas import LicenceInSchema, PenaltyInSchema, ReportArgsSchema
from backend.disclosure.vocab import (
    LICENCE_FIELDS,
    LICENCE_REQUIRED,
    PENALTY_FIELDS,
    PENALTY_REQUIRED,
    PRIVATE_FIELDS,
    item_key,
)
from backend.platform.access import OperatorRole
from backend.platform.errors import Conflict, InvalidInput

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
KINDS = {"penalty": ("行政处罚", "CF_", PENALTY_FIELDS, PENALTY_REQUIRED, PenaltyInSchema),
         "licence": ("行政许可", "XK_", LICENCE_FIELDS, LICENCE_REQUIRED, LicenceInSchema)}
LONG = {"SY", "NR", "BZ", "YJ"}
HELP = {"JDRQ": "YYYY-MM-DD；须在决定后 7 个工作日内公示", "XDR_LB": "法人及非法人组织 / 自然人 / 个体工商户",
        "CFLB": "警告、罚款、没收违法所得……多项用“、”分隔",
        "YXQ": "YYYY-MM-DD，或“长期”", "YXQZI": "YYYY-MM-DD，或“长期”",
        "XKLB": "01 普通、02 特许、03 认可、04 核准、05 登记、06 其他", "ZT": "1 有效、2 无效"}


def _fields(kind: str) -> list[dict]:
    _, prefix, names, required, _ = KINDS[kind]
    found = []
    for code, zh in names.items():
        key = item_key(prefix, code)
        help_text = HELP.get(code, "")
        if code in PRIVATE_FIELDS:
            help_text = "加密保存，不公示"
        found.append(field(key, f"{zh}（{key}）", "textarea" if code in LONG else "text", required=code in required,
                           help=help_text))
    if kind == "penalty":
        found.append(field("severity", "失信信息分类", "select", help="不填时按处罚类别确定",
                           options=[("minor", "轻微"), ("general", "一般"), ("serious", "严重")]))
    found.append(field("publish", "公示", "select", required=True,
                       options=[("true", "立即公示"), ("false", "暂不公示（登记，7 个工作日期限照计）")]))
    if current().role == OperatorRole.ADMIN:
        found.append(field("department", "报送部门", required=True, help="平台管理员报送时必填"))
    return found


def _file(kind: str, body: dict) -> tuple[tuple | None, dict]:
    """(filed, {}) or (None, {item: [message]}) naming every bad item against its field."""
    try:
        return filing.file_decision(kind, body, operator=current(), actor=current().actor), {}
    except InvalidInput as e:
        found = e.details.get("errors") if isinstance(e.details, dict) else None
        if not found or wants_json():
            raise
        return None, {item["field"]: [item["message"]] for item in found}


@console.route("/disclosures/new", methods=["GET", "POST"])
@console_page(*DEPT)
def disclosure_form():
    """One decision through disclosure.filing.file_decision (filed as a credit record, re-graded at once)."""
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else "penalty"
    title, _, _, _, schema = KINDS[kind]
    fields, values, errors, done = _fields(kind), {}, {}, None
    if request.method == "POST":
        values = request.form
        data = {k: v for k, v in request.form.items() if k not in ("csrf_token", "publish") and v.strip()}
        body, errors = parse(schema(), {**data, "publish": request.form.get("publish") != "false"})
        if body is not None:
            result, errors = attempt(lambda: _file(kind, body))
            if not errors:
                done, errors = result
                values = {} if done else values
    if done is not None:
        decision, created = done
        return _receipt(decision, created)
    switch = [(f"{zh}", url_for("console.disclosure_form", kind=k)) for k, (zh, *_r) in KINDS.items()]
    return render("console/cases/disclosure_form.html", 422 if errors else 200, title=f"双公示报送：{title}",
                  fields=fields, values=values, errors=errors, labels={f["name"]: f["label"] for f in fields},
                  switch=switch, action=url_for("console.disclosure_form", kind=kind))


def _receipt(decision: dict, created: bool, notice: str | None = None):
    held = decision["state"] == "registered"
    facts = [("编号", decision["id"], None),
             ("类别", "行政处罚" if decision["kind"] == "penalty" else "行政许可", None),
             ("决定书文号", decision["document_no"], None), ("报送部门", decision["department"], None),
             ("决定日期", decision["decided_on"], None), ("公示期限（7 个工作日）", decision["publish_due"], None),
             ("状态", "已登记，暂不公示" if held else "已公示" if decision["state"] == "published" else "已撤回", None),
             ("公示时间", decision["published_at"], None),
             ("逾期公示", "是" if decision["published_late"] else "",
              "overdue" if decision["published_late"] else None),
             ("信用记录编号", decision["credit_record_id"], None)]
    actions = [{"title": "公示", "id": "publish-form", "fields": [], "submit": "立即公示",
                "action": url_for("console.publish_disclosure", disclosure_id=decision["id"])}] if held else []
    return detail("双公示报送结果", facts=facts, actions=actions,
                  notice=notice or ("已报送。" if created else "同一文号已报送过：已按本次内容更正。"),
                  links=[("查看该决定", url_for("console.disclosure", disclosure_id=decision["id"]), "to-decision"),
                         ("继续报送", url_for("console.disclosure_form", kind=decision["kind"]), "again"),
                         ("公示超期报告", url_for("console.publication_report_page"), "to-report")])


@console.post("/disclosures/<int:disclosure_id>/publish")
@console_page(*DEPT)
def publish_disclosure(disclosure_id: int):
    """As POST /disclosures/<id>/publish: a held decision published now (its lateness counted)."""
    scoped(lambda: filing.publish_decision(disclosure_id, operator=current(), actor=current().actor))
    return redirect(url_for("console.publication_report_page"), code=303)


@console.route("/disclosures/import", methods=["GET", "POST"])
@console_page(*DEPT, upload=True)
def disclosure_import():
    """A CSV of decisions (the national codes or their Chinese names as the header; UTF-8 or GBK), as
    POST /disclosures/penalties|licences/import: every row or none, the bad rows shown against their lines."""
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else "penalty"
    report, row_errors, message = None, [], None
    if request.method == "POST":
        upload = request.files.get("file")
        raw = upload.read() if upload else b""
        parsed: list = []
        try:
            if not raw:
                raise InvalidInput("请选择要导入的 CSV 文件。")
            text, encoding = decode_csv(raw)
            parsed = csv_import.parse(kind, text)
            report = filing.file_decisions(kind, parsed, operator=current(), actor=current().actor, source="csv",
                                           encoding=encoding)
        except (InvalidInput, Conflict) as e:
            if wants_json():
                raise
            message, row_errors = e.message, _row_errors(e.details, dict(parsed))
    return render("console/cases/disclosure_import.html", 422 if message else 200,
                  title=f"双公示批量导入：{KINDS[kind][0]}", report=report, row_errors=row_errors, message=message,
                  kind=kind,
                  switch=[(zh, url_for("console.disclosure_import", kind=k)) for k, (zh, *_r) in KINDS.items()])


def _row_errors(details, rows: dict[int, dict]) -> list[dict]:
    """Each problem beside what its row said; identity documents never shown back."""
    found = []
    for item in (details or {}).get("errors", []) if isinstance(details, dict) else []:
        said = {k: ("（已隐去）" if k.split("_", 1)[-1] in PRIVATE_FIELDS else v)
                for k, v in rows.get(item.get("row"), {}).items()}
        found.append({**item, "content": "，".join(f"{k}={v}" for k, v in said.items()), "_bad": True})
    return found


REPORT_COLUMNS = [("department", "部门"), ("problem_zh", "问题"), ("kind_zh", "类别"), ("document_no", "决定书文号"),
                  ("decided_on", "决定日期"), ("due", "应公示（撤回）截止"), ("done_on", "实际公示（撤回）日期"),
                  ("working_days_late", "超期工作日")]
SUMMARY_COLUMNS = [("department", "部门"), ("filed", "报送"), ("published_on_time", "按时公示"),
                   ("late", "逾期公示"), ("overdue", "超期未公示"), ("withdrawn_late", "逾期撤回")]


@console.get("/publication-report")
@console_page(*DEPT)
def publication_report_page():
    """As GET /publication-report: per department (yours; admins every one), one line per late or overdue decision."""
    raw = {k: v for k, v in request.args.items() if k in ("department", "date_from", "date_to") and v.strip()}
    args, errors = parse(ReportArgsSchema(), raw)
    if args is None:
        raise InvalidInput("查询条件有误，请更正后重新查询。", details=errors)
    report = deadlines.publication_report(args, operator=current())
    summary, found = [], []
    for d in report["departments"]:
        summary.append({"department": d["department"], "filed": d["filed"], "published_on_time":
                        d["published_on_time"], "late": len(d["published_late"]), "overdue": len(d["overdue"]),
                        "withdrawn_late": len(d["withdrawn_late"])})
        for line in (*d["overdue"], *d["published_late"], *d["withdrawn_late"]):
            row = {**line, "department": d["department"], "_actions": []}
            due_cell(row, "working_days_late", True)
            if line["problem"] == "overdue":
                row["_actions"] = [("立即公示", url_for("console.publish_disclosure", disclosure_id=line["id"]))]
            found.append(row)
    page = max(1, request.args.get("page", 1, type=int))
    per_page = CSV_ROWS if wants_csv() else 20
    shown = found if wants_csv() else found[(page - 1) * per_page:page * per_page]
    filters = [{"name": "date_from", "label": "决定日期自", "type": "date"},
               {"name": "date_to", "label": "至", "type": "date"}]
    if current().role == OperatorRole.ADMIN:
        filters.insert(0, {"name": "department", "label": "部门", "type": "text"})
    return worklist("双公示超期报告", "publication-report.csv", REPORT_COLUMNS, shown,
                    {"page": page, "per_page": per_page}, len(found), filters=filters,
                    intro=f"截至 {report['as_of']}：行政许可、行政处罚决定应在作出决定后 7 个工作日内公示，"
                          "变更或撤销后 3 个工作日内撤回；超期以红色标出（工作日按平台日历）。",
                    summary=summary, summary_columns=SUMMARY_COLUMNS)
