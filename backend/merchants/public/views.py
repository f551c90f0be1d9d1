"""HTML pages for shoppers: GET /m/<merchant> and GET /markets/<market> (no JavaScript needed)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, render_template, request

from backend.merchants import pages as merchant_pages
from backend.merchants.public import pages
from backend.merchants.public.security import CSS, TEMPLATE_VERSION, add_security_headers, security_headers
from backend.platform.clock import CHINA
from backend.platform.errors import DomainError, Gone, InvalidInput, NotFound
from backend.platform.web.http import conditional_get, etag_of

MARKET_PER_PAGE = 20

pages.after_request(add_security_headers)


@pages.app_template_filter("china_time")
def china_time(value: str) -> str:
    """ISO UTC timestamp → 2026-11-30 08:00 (Beijing time)."""
    return dt.datetime.fromisoformat(value).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _html(etag: str, render):
    """304 when the client holds this version, else render(); short public caching, the page's security headers."""
    def response():
        return current_app.response_class(render(), status=200, mimetype="text/html")

    # The security headers go on here in one go: this is the hot path.
    return conditional_get(etag, current_app.config["MERCHANT_PAGE_MAX_AGE"], response, headers=security_headers())


@pages.route("/m/<ref>")
def merchant_page(ref: str):
    """A merchant's live credit page; 404 unknown, 410 for a voided sticker."""
    etag, html = merchant_pages.cached_page("html", ref, lambda: _render_merchant(ref))
    return _html(etag, lambda: html)


def _render_merchant(ref: str) -> tuple[str, bytes]:
    data = merchant_pages.page_data(ref)
    return (etag_of(data, "html" + TEMPLATE_VERSION),
            render_template("public/merchant.html", m=data, css=CSS).encode())


def _int_arg(name: str, default: int, high: int) -> int:
    """A small positive integer query parameter; raises InvalidInput."""
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise InvalidInput(f"参数 {name} 应为 1 到 {high} 之间的整数。")
    return int(raw)


@pages.errorhandler(NotFound)
@pages.errorhandler(Gone)
def lost(e: DomainError):
    """Unknown merchant or market, and void stickers: a page like the merchant page that leads somewhere."""
    details = e.details or {}
    title = "该二维码已作废" if isinstance(e, Gone) else "没有找到该页面"
    html = render_template("public/error.html", css=CSS, title=title, message=e.message,
                           current_page=details.get("current_page"), markets=merchant_pages.all_markets())
    response = current_app.response_class(html, status=e.status, mimetype="text/html")
    response.headers.extend(security_headers())
    return response


@pages.route("/credit-grades")
def grades_page():
    """How grades are computed (the evaluation model in force), linked from every merchant page."""
    data = merchant_pages.grades_explained()
    return _html(etag_of(data, "html" + TEMPLATE_VERSION),
                 lambda: render_template("public/grades.html", g=data, css=CSS).encode())


@pages.route("/markets/<slug>")
def market_page(slug: str):
    """Every merchant of a market with its grade, searchable by name or stall number (?q=)."""
    q = request.args.get("q", "").strip()[:50] or None
    data = merchant_pages.market_listing(slug, q, _int_arg("page", 1, 100000), MARKET_PER_PAGE)
    return _html(etag_of(data, "html" + TEMPLATE_VERSION),
                 lambda: render_template("public/market.html", d=data, css=CSS).encode())
