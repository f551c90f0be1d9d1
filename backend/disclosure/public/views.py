"""HTML pages of the portal (no JavaScript needed); strict CSP, ETags, short public caching."""

from __future__ import annotations

from flask import current_app, render_template, request

from backend.disclosure import portal, verification
from backend.disclosure.public import pages
from backend.disclosure.public.security import CSS, TEMPLATE_VERSION, add_security_headers, security_headers
from backend.platform.errors import DomainError, InvalidInput, NotFound
from backend.platform.web.http import accepts, conditional_get, etag_of

PER_PAGE = 20
LISTS = {"red": "red", "black": "black"}

pages.after_request(add_security_headers)


def _html(data: dict, template: str, **names):
    def response():
        return current_app.response_class(render_template(template, css=CSS, **names).encode(), status=200,
                                          mimetype="text/html")

    return conditional_get(etag_of(data, "html" + TEMPLATE_VERSION), current_app.config["MERCHANT_PAGE_MAX_AGE"],
                           response, headers=security_headers())


def _page_arg() -> int:
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("参数 page 应为 1 到 100000 之间的整数。")
    return int(raw)


@pages.route("/credit")
@pages.route("/credit/search")
def search_page():
    """The portal's front page and its search (?q= name part or USCC)."""
    data = portal.search(request.args.get("q", "")[:60], _page_arg(), PER_PAGE)
    return _html(data, "portal/search.html", d=data)


@pages.route("/credit/s/<handle>")
def subject_page(handle: str):
    """An organisation's or merchant's public credit page; 404 for unknown subjects and persons."""
    data = portal.subject_page(handle)
    return _html(data, "portal/subject.html", s=data)


@pages.route("/credit/lists/<any(red, black):list_type>")
def list_page(list_type: str):
    """The red or black list: who, why, on what basis, from and to when."""
    data = portal.list_page(LISTS[list_type], _page_arg(), PER_PAGE)
    return _html(data, "portal/list.html", d=data)


@pages.route("/r/<report_no>")
def verify_page(report_no: str):
    """The verification page a report's QR code opens (?k= the check code printed on the report)."""
    result = verification.check_number(report_no[:40], request.args.get("k"))
    html = render_template("portal/verify.html", css=CSS, v=result)
    response = current_app.response_class(html, status=200 if result.get("summary") else 404, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.route("/r/<report_no>/verify", methods=["POST"])
@accepts("multipart/form-data")
def verify_upload_page(report_no: str):
    """Upload the PDF to compare its digest with the signed summary."""
    request.max_content_length = current_app.config["REPORT_UPLOAD_MAX_BYTES"]
    uploaded = request.files.get("file")
    data = uploaded.read() if uploaded is not None else b""
    if not data:
        raise InvalidInput("请选择报告的 PDF 文件。", details={"field": "file"})
    result = verification.check_file(report_no[:40], data)
    html = render_template("portal/verify.html", css=CSS, v=result)
    response = current_app.response_class(html, status=200, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.errorhandler(NotFound)
@pages.errorhandler(InvalidInput)
def lost(e: DomainError):
    title = "没有找到该页面" if isinstance(e, NotFound) else "请求有误"
    html = render_template("portal/error.html", css=CSS, title=title, message=e.message)
    response = current_app.response_class(html, status=e.status, mimetype="text/html")
    response.headers.extend(security_headers())
    return response
