"""HTML pages for shoppers: GET /m/<merchant> and GET /markets/<market> (no JavaScript needed)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, render_template, request

from backend.merchants import pages as merchant_pages
from backend.merchants.public import pages
from backend.merchants.public.security import CSS, TEMPLATE_VERSION, add_security_headers, security_headers
from backend.platform.clock import CHINA
from backend.platform.errors import InvalidInput
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


@pages.route("/markets/<slug>")
def market_page(slug: str):
    """Every merchant of a market with its grade, searchable by name or stall number (?q=)."""
    q = request.args.get("q", "").strip()[:50] or None
    data = merchant_pages.market_listing(slug, q, _int_arg("page", 1, 100000), MARKET_PER_PAGE)
    return _html(etag_of(data, "html" + TEMPLATE_VERSION),
                 lambda: render_template("public/market.html", d=data, css=CSS).encode())
