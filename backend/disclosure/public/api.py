"""JSON twins of the portal pages, the 双公示 feed (JSON Feed 1.1) and report verification."""

from __future__ import annotations

from flask import current_app, request

from backend.disclosure import feed, portal, verification
from backend.disclosure.public import api_blp
from backend.disclosure.schemas import (
    FeedArgsSchema,
    FeedSchema,
    ListArgsSchema,
    ListPageSchema,
    SearchArgsSchema,
    SearchPageSchema,
    SubjectPageSchema,
    VerificationSchema,
)
from backend.platform.errors import InvalidInput
from backend.platform.web.http import accepts, conditional_get, etag_of

CORS = [("Access-Control-Allow-Origin", "*")]


def _conditional(data: dict, mimetype: str | None = None):
    def render():
        if mimetype is None:
            return data
        response = current_app.json.response(data)
        response.mimetype = mimetype
        return response

    return conditional_get(etag_of(data, "json"), current_app.config["MERCHANT_PAGE_MAX_AGE"], render, headers=CORS)


@api_blp.route("/subjects", methods=["GET"])
@api_blp.arguments(SearchArgsSchema, location="query")
@api_blp.response(200, SearchPageSchema)
def search_subjects(args):
    """Organisations and merchants by part of the name or by USCC (persons are never found)."""
    return _conditional(portal.search(args["q"], args["page"], args["per_page"]))


@api_blp.route("/subjects/<handle>", methods=["GET"])
@api_blp.response(200, SubjectPageSchema)
@api_blp.alt_response(404, description="Unknown subject, or a person")
def get_subject(handle):
    """Every section of a subject's public page: 基础信息, 信用等级, 行政许可, 行政处罚, lists, 信用承诺, 自主申报."""
    return _conditional(portal.subject_page(handle))


@api_blp.route("/lists/red", methods=["GET"])
@api_blp.arguments(ListArgsSchema, location="query")
@api_blp.response(200, ListPageSchema)
def get_red_list(args):
    """Organisations and merchants on the red list (守信激励), with basis and dates."""
    return _conditional(portal.list_page("red", args["page"], args["per_page"]))


@api_blp.route("/lists/black", methods=["GET"])
@api_blp.arguments(ListArgsSchema, location="query")
@api_blp.response(200, ListPageSchema)
def get_black_list(args):
    """Organisations and merchants on the joint-punishment (black) list, with basis and dates."""
    return _conditional(portal.list_page("black", args["page"], args["per_page"]))


@api_blp.route("/feed.json", methods=["GET"])
@api_blp.arguments(FeedArgsSchema, location="query")
@api_blp.response(200, FeedSchema, content_type="application/feed+json")
def get_feed(args):
    """JSON Feed 1.1 of publications, corrections, withdrawals and repairs, newest first; stable `id`s;
    `next_url` pages on (?before=<event id>)."""
    return _conditional(feed.feed(args.get("before")), "application/feed+json")


@api_blp.route("/reports/<report_no>", methods=["GET"])
@api_blp.response(200, VerificationSchema)
def verify_report(report_no):
    """Verify a report by number and check code (?k=): outcome, the signed summary, the JWK, the current status."""
    return verification.check_number(report_no[:40], request.args.get("k"))


@api_blp.route("/reports/<report_no>/verify", methods=["POST"])
@api_blp.doc(requestBody={"required": True, "description": "The PDF file (application/pdf also accepted)",
                          "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})
@api_blp.response(200, VerificationSchema)
@accepts("application/pdf", "application/octet-stream")
def verify_report_file(report_no):
    """Compare a PDF (the request body) with the report of that number: genuine, or altered (digest mismatch)."""
    request.max_content_length = current_app.config["REPORT_UPLOAD_MAX_BYTES"]
    data = request.get_data()
    if not data:
        raise InvalidInput("请求体应为报告的 PDF 文件。", details={"field": "body"})
    return verification.check_file(report_no[:40], data)
