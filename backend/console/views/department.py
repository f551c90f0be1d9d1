"""Department pages: file a record, import a CSV (row errors against rows; large files as a job), lists and list
entries, a subject's file (audited with its purpose), 一键查询 with its printable record."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, g, redirect, request, url_for

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, form_data, listing, render
from backend.credit import files, import_jobs, joint, lists, publication, query_record, record_import, records
from backend.credit.schemas import (
    FileArgsSchema,
    JointQueryArgsSchema,
    ListArgsSchema,
    ListEntryInSchema,
    ListEntrySchema,
    RecordInSchema,
    RecordSchema,
    RemovalSchema,
)
from backend.credit.vocab import CATEGORY_ZH, LIST_ZH, SEVERITY_ZH
from backend.platform.access import OperatorRole
from backend.platform.errors import Forbidden, InvalidInput
from backend.platform.identifiers import mask_resident_id

DEPT = (OperatorRole.DEPARTMENT, OperatorRole.ADMIN)
SHOWN_ERRORS = 500  # a file with more bad rows shows the first ones (the count says how many more)
CATEGORIES = [(c.value, zh) for c, zh in CATEGORY_ZH.items()]
SEVERITIES = [(s.value, f"{zh}失信") for s, zh in SEVERITY_ZH.items()]
LIST_TYPES = [(t.value, zh) for t, zh in LIST_ZH.items()]
SUBJECT_FIELDS = [field("uscc", "统一社会信用代码", help="商户、企业、组织填写（与身份证号二选一）"),
                  field("resident_id", "居民身份证号", help="自然人填写；页面与导出只显示打码后的号码")]
RECORD_FIELDS = [
    *SUBJECT_FIELDS, field("subject_name", "主体名称", help="统一社会信用代码主体必填"),
    field("category", "记录类别", "select", required=True, options=CATEGORIES),
    field("severity", "失信程度（仅行政处罚）", "select", options=SEVERITIES,
          help="轻微、一般、严重：决定公示期（最短公示期满后可申请信用修复）"),
    field("result", "结果", help="纳税等级 A/B/M/C/D；抽检 pass/fail；合同 kept/broken"),
    field("title", "标题", required=True), field("content", "内容", "textarea"),
    field("document_no", "决定文书号", required=True), field("legal_basis", "法律依据", required=True),
    field("decided_on", "决定日期", "date", required=True), field("expires_on", "有效期至", "date"),
    field("tolerant_first_offence", "首次轻微违法且无危害后果（包容审慎）", "checkbox"),
    field("emergency", "因突发事件所致（只展示不计分）", "checkbox"),
    field("penalty_type", "处罚种类", help="按本部门分类标准中的名称填写（罚款、警告……），据此确定失信程度和公示期"),
    field("severity_class", "失信信息分类（不填按分类标准）", "select", options=SEVERITIES),
    field("publish_months", "法律另行规定的公示期（月）", help="仅当法律、行政法规另有规定时填写，须同时填写依据"),
    field("window_basis", "另行规定公示期的依据"),
]
LIST_FIELDS = [*SUBJECT_FIELDS, field("subject_name", "主体名称"),
               field("list_type", "名单", "select", required=True, options=LIST_TYPES),
               field("reason", "列入事由", required=True), field("legal_basis", "认定依据", required=True),
               field("decision_document", "决定文书号", required=True),
               field("starts_on", "开始日期", "date", required=True), field("ends_on", "结束日期", "date")]
DEPARTMENT_FIELD = field("department", "决定部门", required=True, help="平台管理员报送时必填")


def with_department(fields: list[dict]) -> list[dict]:
    """Admins name the deciding department (as in the API body); a department operator's is its own."""
    return [*fields, DEPARTMENT_FIELD] if current().role == OperatorRole.ADMIN else fields


QUERY_FIELDS = [*SUBJECT_FIELDS, field("handle", "主体标识", help="名单上显示的 8 位标识"),
                field("purpose", "查询目的", required=True, help="写入审计日志，例如：政府采购资格审查")]


@console.route("/records/new", methods=["GET", "POST"])
@console_page(*DEPT)
def record_form():
    """One record through credit.records.file_record (re-grades at once), as POST /records."""
    values, errors, done, preview = {}, {}, None, None
    if request.method == "POST":
        values = request.form
        data = {k: v for k, v in form_data().items() if k != "preview"}
        if data.get("publish_months", "").isdigit():
            data["publish_months"] = int(data["publish_months"])  # a JSON number in the API's body
        body, errors = parse(RecordInSchema(), data)
        if body is not None and request.form.get("preview"):
            preview = _preview(body)
        elif body is not None:
            filed, errors = attempt(lambda: records.file_record(body, operator=current(), actor=current().actor))
            if not errors:
                record, created = filed
                done = {"record": RecordSchema().dump(record), "created": created, "grade": record.subject.grade,
                        "repair_notice": publication.notice(record)}  # as POST /records answers (两书同达)
                values = {}
    fields = with_department(RECORD_FIELDS)
    return render("console/record_form.html", 422 if errors else 200, title="登记信用记录", fields=fields,
                  values=values, errors=errors, labels=labels_of(fields), done=done, severity_zh=SEVERITY_ZH,
                  preview=preview)


def _preview(body: dict) -> dict:
    """The class and windows filing would give, by the department's table; nothing written, no subject read."""
    department = (body.get("department") if current().role == OperatorRole.ADMIN else current().department) or ""
    return publication.window_values({**body, "department": department}, publication.table_of(department))


@console.route("/records/import", methods=["GET", "POST"])
@console_page(*DEPT, upload=True)
def import_form():
    """A CSV of records, all rows or none: bad rows shown against their line numbers; large files as a job."""
    report, row_errors, message = None, [], None
    if request.method == "POST":
        upload = request.files.get("file")
        raw = upload.read() if upload else b""
        if not raw:
            message = "请选择要导入的 CSV 文件。"
        elif len(raw) > current_app.config["CSV_ASYNC_BYTES"]:
            # The same file sent twice from this session (a double click, a reload) is the same job.
            key = "console-" + hashlib.sha256(f"{g.console_session.id}:".encode() + raw).hexdigest()[:40]
            job = import_jobs.submit_csv_import(raw, operator=current(), actor=current().actor, idempotency_key=key)
            return redirect(url_for("console.job", job_id=job.id), code=303)
        else:
            parsed = []
            try:
                text, encoding = record_import.decode_csv(raw)
                parsed = record_import.parse_csv(text)
                report = record_import.store_rows(parsed, operator=current(), actor=current().actor, source="csv",
                                                  encoding=encoding)
            except (InvalidInput, Forbidden) as e:
                message, row_errors = e.message, _row_errors(e.details, dict(parsed))
    status = 422 if (message or row_errors) else 200
    return render("console/import.html", status, title="导入信用记录（CSV）", report=report,
                  row_errors=row_errors[:SHOWN_ERRORS], more_errors=max(0, len(row_errors) - SHOWN_ERRORS),
                  message=message, max_bytes=current_app.config["CSV_ASYNC_BYTES"])


def _row_errors(details, rows: dict[int, dict]) -> list[dict]:
    """The importer's {"errors": [{row, field, message}]} beside what each bad row said (resident ids masked)."""
    found = []
    for item in (details or {}).get("errors", []) if isinstance(details, dict) else []:
        raw = rows.get(item.get("row"), {})
        shown = {k: (mask_resident_id(v) if k == "resident_id" and len(v) >= 8 else v) for k, v in raw.items() if v}
        found.append({"row": item.get("row"), "field": item.get("field"), "message": item.get("message"),
                      "content": "，".join(f"{k}={v}" for k, v in shown.items()), "_bad": True})
    return found


@console.get("/records/import/template.csv")
@console_page(*DEPT)
def import_template():
    return Response(record_import.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="credit-records-template.csv"'})


LIST_COLUMNS = [("id", "编号"), ("list_zh", "名单"), ("subject_handle", "主体标识"), ("subject_name", "主体名称"),
                ("reason", "事由"), ("decision_document", "决定文书号"), ("department", "认定部门"),
                ("starts_on", "开始"), ("ends_on", "结束"), ("status", "状态")]


@console.route("/list-entries", methods=["GET", "POST"])
@console_page(*DEPT)
def list_entries():
    """Entries (as GET /list-entries) and the form that adds one (as POST /list-entries)."""
    notice, errors, values = None, {}, {}
    if request.method == "POST":
        values = request.form
        body, errors = parse(ListEntryInSchema())
        if body is not None:
            entry, errors = attempt(lambda: lists.add_entry(body, operator=current(), actor=current().actor))
            if not errors:
                notice, values = f"已列入{LIST_ZH[entry.list_type]}（编号 {entry.id}）。", {}
    args, _ = parse(ListArgsSchema(), {k: v for k, v in request.args.items() if k in ("list_type", "active", "page")})
    args = args or {"active": True, "page": 1}
    page = lists.list_entries({**args, "page": 1, "per_page": 10_000 if request.args.get("format") else 200})
    rows = []
    for entry in page.items:
        d = ListEntrySchema().dump(entry)
        d["list_zh"] = LIST_ZH.get(d.get("list_type"), d.get("list_type"))
        d["status"] = "已移出" if entry.removed_at else "有效"
        d["subject_name"] = entry.subject.display_name
        if not entry.removed_at:
            d["_actions"] = [("移出", url_for("console.remove_list_entry", entry_id=entry.id), None, "quiet",
                              ("reason", "移出理由"))]
        rows.append(d)
    return listing("红黑名单", "list-entries.csv", LIST_COLUMNS, rows, total=page.total, notice=notice,
                   filters=[{"name": "list_type", "label": "名单", "type": "select",
                             "options": [("", "全部"), *LIST_TYPES]}],
                   new_title="列入名单", new_fields=with_department(LIST_FIELDS),
                   new_action=url_for("console.list_entries"),
                   new_submit="列入名单", new_values=values, errors=errors)


@console.post("/list-entries/<int:entry_id>/remove")
@console_page(*DEPT)
def remove_list_entry(entry_id: int):
    body, errors = parse(RemovalSchema())
    if body is None:
        raise InvalidInput("reason：请填写移出理由（至少 2 个字）。", details=errors)
    lists.remove_entry(entry_id, body["reason"], operator=current(), actor=current().actor)
    return redirect(url_for("console.list_entries"), code=303)


FILE_COLUMNS = [("id", "编号"), ("category_zh", "类别"), ("title", "标题"), ("department", "部门"),
                ("document_no", "文书号"), ("decided_on", "决定日期"), ("expires_on", "有效期至"), ("status", "状态")]


def _asked(names: tuple[str, ...]) -> dict:
    """What the operator asked for: a resident id only from a POSTed form (never in a URL, history or log);
    a USCC or handle also from the query string (the export links name the subject by its handle)."""
    source = request.form if request.method == "POST" else request.args
    allowed = names if request.method == "POST" else tuple(n for n in names if n != "resident_id")
    return {k: v.strip() for k, v in source.items() if k in allowed and v.strip()}


@console.route("/subjects/file", methods=["GET", "POST"])
@console_page(*DEPT)
def credit_file():
    """A subject's file through credit.files.read_file: the purpose is required and the read audited (CSV too)."""
    asked = _asked(("uscc", "resident_id", "handle", "purpose", "category"))
    context = {"title": "信用档案", "fields": QUERY_FIELDS, "labels": labels_of(QUERY_FIELDS), "submit": "查看档案",
               "action": url_for("console.credit_file")}
    if not asked:
        return render("console/query.html", values={}, errors={}, **context)
    args, errors = parse(FileArgsSchema(), {**asked, "per_page": "100"})
    if args is None:
        return render("console/query.html", 422, values=asked, errors=errors, **context)
    found = files.read_file(args, operator=current(), actor=current().actor)
    rows = [{**RecordSchema().dump(r), "category_zh": CATEGORY_ZH.get(r.category, r.category)} for r in found["items"]]
    s = found["subject"]
    intro = (f"{s['display_name']}（标识 {s['handle']}，{s.get('uscc') or s.get('resident_id_masked') or ''}）"
             f" 信用等级：{s.get('grade') or '未评价'}。本次查阅已记入审计日志（目的：{args['purpose']}）。")
    return listing("信用档案", f"credit-file-{s['handle']}.csv", FILE_COLUMNS, rows, total=found["meta"]["total"],
                   intro=intro, export_args={"handle": s["handle"], "purpose": args["purpose"]})


@console.route("/joint-query", methods=["GET", "POST"])
@console_page(*DEPT)
def joint_query():
    """一键查询 (as GET /joint-measures): the answer with its query number and a link to the printable record."""
    asked = _asked(("uscc", "resident_id", "handle", "purpose"))
    context = {"title": "一键查询", "fields": QUERY_FIELDS, "labels": labels_of(QUERY_FIELDS), "submit": "查询",
               "action": url_for("console.joint_query")}
    if not asked:
        return render("console/query.html", values={}, errors={}, **context)
    args, errors = parse(JointQueryArgsSchema(), asked)
    if args is None:
        return render("console/query.html", 422, values=asked, errors=errors, **context)
    answer = joint.joint_query(args, operator=current(), actor=current().actor)
    return render("console/joint_result.html", title=f"一键查询结果 {answer['query_no']}", a=answer)


@console.get("/joint-query/<query_no>/record.pdf")
@console_page(*DEPT)
def joint_record_pdf(query_no: str):
    """The printable query record, as GET /joint-measures/queries/<no>/record.pdf (the read audited)."""
    record = query_record.read_record(query_no, operator=current(), actor=current().actor)
    return Response(query_record.record_pdf(record), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{query_no}.pdf"'})
