"""专项信用报告 at a service window: for an organisation by USCC, or for the resident at the counter by the ID card
the clerk checked (windows only, as the API), then printed as its PDF. A department may issue an organisation's.

As POST /credit-reports and GET /credit-reports/<no>.pdf: the same schema and use case with this clerk; only the
operator who issued a report opens it (another's is 404, audited)."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Response, g, redirect, request, url_for

from backend.console.views import console
from backend.console.views.case_pages import detail, found_or_field, scoped
from backend.console.views.forms import attempt, parse
from backend.console.views.guard import NAV, console_page, current, form_data, render
from backend.credit import operator_viewer
from backend.disclosure import reports
from backend.disclosure.schemas import OperatorReportInSchema
from backend.disclosure.subjects import organisation_by_uscc, person_at_counter
from backend.disclosure.vocab import DOMAIN_ZH, PURPOSES, Requester
from backend.platform.access import OperatorRole, check_role
from backend.platform.clock import china_today

WINDOW = (OperatorRole.WINDOW, OperatorRole.ADMIN)
NAV[OperatorRole.WINDOW] += [("出具信用报告", "console.window_report")]


@console.route("/window/reports/new", methods=["GET", "POST"])
@console_page(*WINDOW, OperatorRole.DEPARTMENT)
def window_report():
    """A 专项信用报告 (as POST /credit-reports): an organisation by USCC, or (windows) the resident at the counter by
    the ID card checked in person; then printed as its PDF."""
    errors, values = {}, {}
    today = china_today()
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "resident_id"}
        data = {k: v for k, v in form_data().items() if k != "domains"}
        body, errors = parse(OperatorReportInSchema(), {**data, "domains": request.form.getlist("domains")})
        if not errors:
            named = "resident_id" if body.get("resident_id") else "uscc"
            subject, errors = found_or_field(lambda: _subject(body), named)
        if not errors:
            report, errors = attempt(lambda: _issue(subject, body, _idempotency_key()))
            if not errors:
                return redirect(url_for("console.window_report_page", report_no=report.report_no), code=303)
    return render("console/cases/report_form.html", 422 if errors else 200, title="出具专项信用报告", errors=errors,
                  values=values, domains=list(DOMAIN_ZH.items()), purposes=PURPOSES,
                  window=current().role != "department",
                  chosen=request.form.getlist("domains") if request.method == "POST" else list(DOMAIN_ZH),
                  default_from=(today - dt.timedelta(days=3 * 365)).isoformat(), default_to=today.isoformat(),
                  labels={"uscc": "统一社会信用代码", "resident_id": "居民身份证号", "name": "姓名",
                          "period_from": "报告期间自",
                          "period_to": "报告期间至", "domains": "查询领域", "purpose": "用途", "_": "出具"})


def _subject(body: dict):
    """The organisation, or (windows only, as the API) the resident whose ID card was checked; raises NotFound."""
    if body.get("resident_id"):
        check_role(current(), ("window", "admin"))
        return person_at_counter(body["resident_id"], body["name"])
    return organisation_by_uscc(body["uscc"])


def _idempotency_key() -> str:
    """The same form sent twice today from this session (a double click) is the same report, as with the API's
    Idempotency-Key."""
    form = sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")
    seed = f"{g.console_session.id}:{china_today()}:{form}".encode()
    return "console-" + hashlib.sha256(seed).hexdigest()[:40]


def _issue(subject, body: dict, key: str):
    op = current()
    requester = Requester.WINDOW if op.role == "window" else Requester.DEPARTMENT
    return reports.request_report(subject, {**body, "idempotency_key": key}, requester=requester,
                                  viewer=operator_viewer(op), actor=op.actor,
                                  operator_id=op.id)


@console.get("/window/reports/<report_no>")
@console_page(*WINDOW, OperatorRole.DEPARTMENT)
def window_report_page(report_no: str):
    report = scoped(lambda: reports.operator_report(current().id, report_no))
    d = reports.described(report)
    s = d["summary"] or {}
    facts = [("报告编号", d["report_no"], None), ("主体", s.get("sub_name"), None),
             ("证件号码（打码）", s.get("sub_id"), None),
             ("报告期间", f"{d['period_from']} 至 {d['period_to']}", None), ("用途", d["purpose"], None),
             ("查询结果", f"发现 {s.get('findings', 0)} 条记录" if s.get("result") == "found" else "未发现记录", None),
             ("生成时间", d["generated_at"], None), ("核验地址", d["verify_url"], None)]
    return detail(f"专项信用报告 {report_no}", facts=facts,
                  notice="报告已出具，可打印交申请人；扫描报告上的二维码可核验真伪。",
                  links=[("打印报告（PDF）", url_for("console.window_report_pdf", report_no=report_no), "print-pdf"),
                         ("继续出具", url_for("console.window_report"), "again")])


@console.get("/window/reports/<report_no>.pdf")
@console_page(*WINDOW, OperatorRole.DEPARTMENT)
def window_report_pdf(report_no: str):
    """The PDF of a report this operator issued (as GET /credit-reports/<no>.pdf)."""
    report = scoped(lambda: reports.operator_report(current().id, report_no))
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{report.report_no}.pdf"'})
