"""JSON twins of the public pages: /api/public/v1/merchants/<merchant> and /markets/<market>/merchants."""

from __future__ import annotations

from flask import current_app

import qr
from backend.credit import changes_after
from backend.keys import sign_page
from backend.merchants import pages
from backend.merchants.public import api_blp
from backend.merchants.schemas import PublicMarketSchema, PublicMerchantSchema, SearchArgsSchema
from backend.platform.clock import now_ts
from backend.platform.web.http import conditional_get, etag_of
from backend.platform.web.schemas import FeedArgsSchema, FeedPageSchema

CACHE_HEADERS = {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}}
CORS = [("Access-Control-Allow-Origin", "*")]


def _conditional(etag: str, data: dict):
    return conditional_get(etag, current_app.config["MERCHANT_PAGE_MAX_AGE"], lambda: data, headers=CORS)


@api_blp.route("/merchants/<ref>")
@api_blp.response(200, PublicMerchantSchema, headers=CACHE_HEADERS)
@api_blp.alt_response(304, description="Not modified (If-None-Match)")
@api_blp.alt_response(404, description="Unknown merchant")
@api_blp.alt_response(410, description="Voided sticker: the serial in the ref is older than the current one")
def get_merchant(ref):
    """A merchant's public credit file: grade, list status, commitments, recent inspections.

    `ref` is the sticker segment `<handle>-<serial>` or the bare `<handle>`.
    """
    def build():
        data = pages.page_data(ref)
        return etag_of(data, "json"), data

    return _conditional(*pages.cached_page("json", ref, build))


@api_blp.route("/markets/<slug>/merchants")
@api_blp.arguments(SearchArgsSchema, location="query")
@api_blp.response(200, PublicMarketSchema, headers=CACHE_HEADERS)
@api_blp.alt_response(304, description="Not modified (If-None-Match)")
@api_blp.alt_response(404, description="Unknown market")
def list_market_merchants(args, slug):
    """A market's merchants with their grades, by stall; `q` filters by name or stall number."""
    q = (args.get("q") or "").strip() or None
    data = pages.market_listing(slug, q, args["page"], args["per_page"])
    return _conditional(etag_of(data, "json"), data)


@api_blp.route("/changes")
@api_blp.arguments(FeedArgsSchema, location="query")
@api_blp.response(200, FeedPageSchema)
def changes(args):
    """The public change feed from `after`, oldest first, signed (typ sw-changes+jwt): organisations' and
    merchants' records no longer published, list entries ended, repairs approved. No person appears in it."""
    page = changes_after(args["after"], args["limit"], public_only=True)
    claims = {"iss": "信用汕尾", "aud": "public", "iat": now_ts(), **page}
    return {**page, "page": sign_page(qr.CHANGES_TYP, claims)}, 200, CORS
