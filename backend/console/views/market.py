"""Market-office pages: merchants (list, add, edit, bulk import from CSV), reissuing a sticker, inspections,
commitments, posters one by one and all stalls as one PDF, binding codes for owners."""

from __future__ import annotations

import csv
import io

from flask import redirect, request, url_for
from sqlalchemy import select

from backend.console.views import console
from backend.console.views.forms import attempt, field, labels_of, parse
from backend.console.views.guard import console_page, current, listing, render
from backend.credit import CreditCommitment
from backend.credit.vocab import grade_label
from backend.merchants import Inspection, management, owners, registration, stickers
from backend.merchants.schemas import (
    CommitmentStatusSchema,
    MerchantUpdateSchema,
    NewBindingCodeSchema,
    NewCommitmentSchema,
    NewInspectionSchema,
    NewMerchantSchema,
    ReissueSchema,
)
from backend.platform.access import OperatorRole
from backend.platform.db import db, use_case
from backend.platform.errors import DomainError, InvalidInput
from backend.platform.identifiers import valid_uscc

MARKET = (OperatorRole.MARKET,)
MERCHANT_FIELDS = [field("stall_no", "摊位号", required=True),
                   field("stall_name", "摊位名称", help="摊位上挂的名称，默认同登记名称"),
                   field("business_scope", "经营范围"), field("contact_phone", "联系电话"),
                   field("photo_url", "门头照片网址", help="https:// 开头")]
NEW_FIELDS = [field("uscc", "统一社会信用代码", required=True), field("name", "登记名称", required=True),
              *MERCHANT_FIELDS]
INSPECTION_FIELDS = [field("product", "抽检产品", required=True),
                     field("sampled_on", "抽样日期", "date", required=True),
                     field("agency", "检测机构", required=True),
                     field("result", "结果", "select", required=True, options=[("pass", "合格"), ("fail", "不合格")]),
                     field("failed_items", "不合格项目", "textarea"), field("report_no", "检测报告编号", required=True)]
COMMITMENT_FIELDS = [field("title", "承诺标题", required=True), field("content", "承诺内容", "textarea", required=True),
                     field("signed_on", "签署日期", "date", required=True)]
IMPORT_COLUMNS = ("uscc", "name", "stall_no", "stall_name", "business_scope", "contact_phone")
COMMITMENT_STATUS_ZH = {"active": "有效", "broken": "未履行", "withdrawn": "已撤回"}
COLUMNS = [("stall_no", "摊位号"), ("stall_name", "摊位名称"), ("name", "登记名称"), ("uscc", "统一社会信用代码"),
           ("grade_zh", "信用等级"), ("code_serial", "二维码版本"), ("sticker_url", "二维码网址")]


@console.get("/merchants")
@console_page(*MARKET)
def merchants():
    """The market's merchants by stall (as GET /merchants), filtered by q; CSV of the whole list."""
    q = request.args.get("q") or None
    page = management.list_merchants(current(), q, 1, 10_000)
    rows = [{**m, "grade_zh": grade_label(m.get("grade")),
             "_links": {"stall_no": url_for("console.merchant", ref=m["handle"])}} for m in page.items]
    return listing("商户", "merchants.csv", COLUMNS, rows, total=page.total,
                   filters=[{"name": "q", "label": "名称或摊位号"}],
                   intro="打印全部摊位的海报：", posters=url_for("console.all_posters"))


@console.route("/merchants/new", methods=["GET", "POST"])
@console_page(*MARKET)
def merchant_form():
    """Register a merchant (as POST /merchants): a new credit subject, or a link request for an existing USCC."""
    errors, values, notice = {}, {}, None
    if request.method == "POST":
        values = request.form
        body, errors = parse(NewMerchantSchema())
        if body is not None:
            done, errors = attempt(lambda: registration.register_merchant(current(), actor=current().actor, **body))
        if not errors:
            found, status = done
            if status == 201:
                return redirect(url_for("console.merchant", ref=found["handle"], created=1), code=303)
            notice, values = ("该统一社会信用代码已有信用档案：已提交关联申请（编号 "
                              f"{found['id']}），待信用办或市场主管部门审核。"), {}
    return render("console/form_page.html", 422 if errors else 200, title="登记商户", fields=NEW_FIELDS,
                  values=values, errors=errors, labels=labels_of(NEW_FIELDS), notice=notice,
                  action=url_for("console.merchant_form"), submit="登记")


@use_case
def import_merchants(op, rows: list[tuple[int, dict]]) -> list[dict]:
    """Register every row in one transaction, all or none; raises InvalidInput (rows_rejected) naming the row."""
    done = []
    for line, body in rows:
        try:
            found, status = registration.register_merchant(op, actor=op.actor, **body)
        except DomainError as e:
            raise InvalidInput(f"第 {line} 行未能登记，未保存任何商户。", code="rows_rejected",
                               details={"errors": [{"row": line, "field": (e.details or {}).get("field", "-")
                                                    if isinstance(e.details, dict) else "-", "message": e.message}]}
                               ) from None
        done.append({"row": line, "stall_no": body["stall_no"], "name": body["name"],
                     "outcome": "已登记" if status == 201 else f"已提交关联申请 {found['id']}"})
    return done


def _precheck(rows: list[tuple[int, dict]]) -> list[dict]:
    """What can be told before anything is written: the USCC's check character, a stall or USCC twice in the file,
    a stall already taken in the market (registration checks these again, in its transaction)."""
    problems, stalls, codes = [], {}, {}
    market = management.operator_market(current())

    def bad(line, field, message, body):
        problems.append({"row": line, "field": field, "message": message, "_bad": True,
                         "content": "，".join(f"{k}={v}" for k, v in body.items())})

    for line, body in rows:
        try:
            code = valid_uscc(body["uscc"])
        except DomainError as e:
            bad(line, "uscc", e.message, body)
            continue
        if code in codes:
            bad(line, "uscc", f"与第 {codes[code]} 行的统一社会信用代码相同", body)
        if body["stall_no"] in stalls:
            bad(line, "stall_no", f"与第 {stalls[body['stall_no']]} 行的摊位号相同", body)
        codes.setdefault(code, line)
        stalls.setdefault(body["stall_no"], line)
        try:
            management.stall_free(market.id, body["stall_no"])
        except DomainError as e:
            bad(line, "stall_no", e.message, body)
    return problems


@console.route("/merchants/import", methods=["GET", "POST"])
@console_page(*MARKET, upload=True)
def merchant_import_form():
    """Bulk registration from a CSV (columns uscc,name,stall_no,stall_name,business_scope,contact_phone): every row
    checked by the API's schema first; then all registered in one transaction or none."""
    row_errors, done, message = [], [], None
    if request.method == "POST":
        upload = request.files.get("file")
        raw = upload.read() if upload else b""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk", errors="replace")
        reader = csv.DictReader(io.StringIO(text))
        valid = []
        for line, row in enumerate(reader, start=2):
            data = {k: (v or "").strip() for k, v in row.items() if k in IMPORT_COLUMNS and (v or "").strip()}
            body, errors = parse(NewMerchantSchema(), data)
            if body is None:
                row_errors += [{"row": line, "field": k, "message": "；".join(v) if isinstance(v, list) else v,
                                "content": "，".join(f"{k2}={v2}" for k2, v2 in data.items()), "_bad": True}
                               for k, v in errors.items()]
            else:
                valid.append((line, body))
        row_errors += _precheck(valid)
        if not raw:
            message = "请选择要导入的 CSV 文件。"
        elif row_errors:
            message = f"{len({e['row'] for e in row_errors})} 行有误，未保存任何商户。"
        elif valid:
            try:
                done = import_merchants(current(), valid)
            except InvalidInput as e:
                message = e.message
                row_errors = [{**item, "_bad": True} for item in e.details["errors"]]
    return render("console/merchant_import.html", 422 if message else 200, title="批量导入商户",
                  row_errors=row_errors, done=done, message=message, columns=",".join(IMPORT_COLUMNS))


def _detail(ref: str, **context):
    merchant = management.merchant_in_scope(current(), ref)  # another market's merchant: 404, as in the API
    m = management.describe(merchant)
    return render("console/merchant.html", title=f"商户 {m['stall_no']} {m['stall_name']}", m=m,
                  grade_zh=grade_label(m.get("grade")), edit_fields=MERCHANT_FIELDS,
                  inspection_fields=INSPECTION_FIELDS, commitment_fields=COMMITMENT_FIELDS,
                  commitments=merchant_commitments(merchant.subject_id), status_zh=COMMITMENT_STATUS_ZH,
                  inspections=merchant_inspections(merchant.id), **context)


def merchant_inspections(merchant_id: int) -> list:
    return list(db.session.execute(select(Inspection).where(Inspection.merchant_id == merchant_id)
                                   .order_by(Inspection.sampled_on.desc(), Inspection.id.desc()).limit(50)).scalars())


def merchant_commitments(subject_id: int) -> list:
    return list(db.session.execute(select(CreditCommitment).where(CreditCommitment.subject_id == subject_id)
                                   .order_by(CreditCommitment.id.desc())).scalars())


@console.get("/merchants/<ref>")
@console_page(*MARKET)
def merchant(ref: str):
    return _detail(ref, notice="已登记该商户，首张二维码为第 1 版。" if request.args.get("created") else None)


def _post(ref: str, schema, action, done: str):
    """Parse the form with the API's schema and call the use case; the detail page again, with the outcome."""
    body, errors = parse(schema)
    if body is None:
        return _detail(ref, errors=errors)[0], 422
    result, errors = attempt(lambda: action(body))
    if errors:
        return _detail(ref, errors=errors)[0], 422
    return _detail(ref, notice=done, result=result)


@console.post("/merchants/<ref>/edit")
@console_page(*MARKET)
def edit_merchant(ref: str):
    return _post(ref, MerchantUpdateSchema(), lambda b: management.update_merchant(
        current(), ref, actor=current().actor, **b), "已保存修改。")


@console.post("/merchants/<ref>/reissue")
@console_page(*MARKET)
def reissue(ref: str):
    return _post(ref, ReissueSchema(), lambda b: management.reissue_code(
        current(), ref, actor=current().actor, reason=b["reason"]),
        "已换发新二维码：旧二维码的页面将显示“该二维码已作废”。")


@console.post("/merchants/<ref>/inspections")
@console_page(*MARKET)
def inspection(ref: str):
    return _post(ref, NewInspectionSchema(), lambda b: management.record_inspection(
        current(), ref, actor=current().actor, **b), "已记录抽检结果，商户页面即时显示。")


@console.post("/merchants/<ref>/commitments")
@console_page(*MARKET)
def commitment(ref: str):
    return _post(ref, NewCommitmentSchema(), lambda b: management.add_commitment(
        current(), ref, actor=current().actor, **b), "已记录信用承诺。")


@console.post("/merchants/<ref>/commitments/<int:commitment_id>/status")
@console_page(*MARKET)
def commitment_status(ref: str, commitment_id: int):
    return _post(ref, CommitmentStatusSchema(), lambda b: management.set_commitment_status(
        current(), ref, commitment_id, actor=current().actor, **b), "已更新承诺状态。")


@console.post("/merchants/<ref>/binding-code")
@console_page(*MARKET)
def binding_code(ref: str):
    merchant = management.merchant_in_scope(current(), ref)
    body, errors = parse(NewBindingCodeSchema())
    if body is None:
        return _detail(ref, errors=errors)[0], 422
    handle = management.describe(merchant)["handle"]
    code = owners.issue_binding_code(current(), handle, body.get("note"))
    return _detail(ref, binding=code)


@console.get("/merchants/<ref>/poster.<fmt>")
@console_page(*MARKET)
def poster(ref: str, fmt: str):
    if fmt not in ("pdf", "png"):
        raise InvalidInput("海报格式应为 pdf 或 png。")
    return stickers.poster_download(management.merchant_in_scope(current(), ref), fmt)


@console.get("/posters.pdf")
@console_page(*MARKET)
def all_posters():
    """Every stall's poster in one PDF (as GET /merchants/posters.pdf)."""
    return stickers.market_posters_download(*management.market_stalls(current()))
