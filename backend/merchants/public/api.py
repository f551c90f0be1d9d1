"""JSON twins of the public pages: /api/public/v1/merchants/<merchant> and /markets/<market>/merchants."""

from __future__ import annotations

from flask import current_app, request

from backend.merchants.public import api_blp
from backend.merchants.schemas import PublicMarketSchema, PublicMerchantSchema, SearchArgsSchema
from backend.merchants import pages as merchant_pages
from backend.platform import caching as page_cache

CACHE_HEADERS = {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}}


def _with_etag(data: dict) -> tuple[str, dict]:
    return merchant_pages.etag_of(data, "json"), data


def _conditional(tagged: tuple[str, dict]):
    etag, data = tagged
    headers = {"ETag": f'"{etag}"',
               "Cache-Control": f"public, max-age={current_app.config['MERCHANT_PAGE_MAX_AGE']}",
               "Access-Control-Allow-Origin": "*"}
    if request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers=headers)
    return data, 200, headers


@api_blp.route("/merchants/<ref>")
@api_blp.response(200, PublicMerchantSchema, headers=CACHE_HEADERS)
@api_blp.alt_response(304, description="Not modified (If-None-Match)")
@api_blp.alt_response(404, description="Unknown merchant")
@api_blp.alt_response(410, description="Voided sticker: the serial in the ref is older than the current one")
def get_merchant(ref):
    """A merchant's public credit file: grade, list status, commitments, recent inspections.

    `ref` is the sticker segment `<handle>-<serial>` or the bare `<handle>`.
    """
    return _conditional(page_cache.cached(("json", ref), lambda: _with_etag(merchant_pages.page_data(ref))))


@api_blp.route("/markets/<slug>/merchants")
@api_blp.arguments(SearchArgsSchema, location="query")
@api_blp.response(200, PublicMarketSchema, headers=CACHE_HEADERS)
@api_blp.alt_response(304, description="Not modified (If-None-Match)")
@api_blp.alt_response(404, description="Unknown market")
def list_market_merchants(args, slug):
    """A market's merchants with their grades, by stall; `q` filters by name or stall number."""
    q = (args.get("q") or "").strip() or None
    return _conditional(_with_etag(merchant_pages.market_listing(slug, q, args["page"], args["per_page"])))
