"""GET /me/file (my 双公示 items), POST/GET /me/reports (专项信用报告: mine, or an owned merchant's), the PDF."""

from __future__ import annotations

from flask import Response

from backend.accounts import require_bound
from backend.credit import Subject, Viewer
from backend.disclosure import described, my_file, my_report, my_reports, request_report
from backend.disclosure.schemas import MpReportInSchema, MyFileSchema, ReportPageSchema, ReportSchema
from backend.disclosure.vocab import Requester
from backend.merchants import owned_merchant
from backend.platform.extensions import db
from backend.platform.web.schemas import OptionalIdempotencyHeaderSchema, PageArgsSchema
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_bound_person, require_mp_session

SELF = Viewer("subject", None, "本人（信用汕尾小程序）", "本人")


@blp.route("/me/file", methods=["GET"])
@require_bound_person
@blp.response(200, MyFileSchema)
def get_my_file():
    """The 行政许可 and 行政处罚 decisions filed about me, with their publication state."""
    return my_file(current_mp().subject_id)


@blp.route("/me/reports", methods=["POST"])
@require_mp_session
@blp.arguments(MpReportInSchema)
@blp.arguments(OptionalIdempotencyHeaderSchema, location="headers")
@blp.response(201, ReportSchema)
@blp.alt_response(409, description="This year's free reports are used up (report_quota_exhausted)")
def post_report(body, headers):
    """A 专项信用报告 about me (two free a year) or, with `merchant`, about a merchant I own."""
    mp = current_mp()
    if body.get("merchant"):
        _, subject = owned_merchant(mp.account_id, body["merchant"])
        requester = Requester.MERCHANT_OWNER
    else:
        require_bound(mp)
        subject = db.session.get(Subject, mp.subject_id)
        requester = Requester.RESIDENT
    report = request_report(subject, {**body, "idempotency_key": headers.get("idempotency_key")},
                            requester=requester, viewer=SELF, actor=mp.actor,
                            account_id=mp.account_id)
    return described(report)


@blp.route("/me/reports", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ReportPageSchema)
def list_reports(args):
    """The reports I asked for, newest first, and how many free reports I have left this year."""
    mp = current_mp()
    return my_reports(mp.account_id, mp.subject_id, args["page"], args["per_page"])


@blp.route("/me/reports/<report_no>.pdf", methods=["GET"])
@require_mp_session
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
def download_report(report_no):
    """The PDF of one of my reports."""
    report = my_report(current_mp().account_id, report_no)
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{report.report_no}.pdf"', "Cache-Control": "no-store"})
