"""Merchant owners in the mini-program: redeem a binding code, see the file, get the mini-program code and poster."""

from __future__ import annotations

from flask import Response, current_app

from backend.credit import accesses_of
from backend.credit.schemas import FileAccessPageSchema
from backend.merchants import owners
from backend.merchants.schemas import MerchantFileSchema, MerchantSummarySchema, RedeemBindingSchema
from backend.merchants.stickers import poster_download
from backend.platform.web.schemas import PageArgsSchema
from miniprogram_api import blp
from miniprogram_api.auth import binding_limit, current_mp, require_mp_session
from miniprogram_api.gateway import merchant_wxacode


@blp.route("/me/merchants", methods=["GET"])
@require_mp_session
@blp.response(200, MerchantSummarySchema(many=True))
def list_my_merchants():
    """The merchants this account owns."""
    return owners.owned_merchants(current_mp().account_id)


@blp.route("/me/merchants", methods=["POST"])
@require_mp_session
@binding_limit
@blp.arguments(RedeemBindingSchema)
@blp.response(201, MerchantSummarySchema)
@blp.alt_response(409, description="The binding code was used already")
@blp.alt_response(410, description="The binding code expired")
def redeem_binding_code(body):
    """Become an owner of a merchant with the one-time code its market operator issued."""
    return owners.redeem_binding_code(current_mp().account_id, body["binding_code"], actor=current_mp().actor)


@blp.route("/me/merchants/<handle>", methods=["GET"])
@require_mp_session
@blp.response(200, MerchantFileSchema)
def get_merchant_file(handle):
    """An owned merchant's grade breakdown and product-quality inspections."""
    return owners.merchant_file(current_mp().account_id, handle)


@blp.route("/me/merchants/<handle>/queries", methods=["GET"])
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, FileAccessPageSchema)
def list_merchant_queries(args, handle):
    """Who looked at an owned merchant's credit file, when and why, newest first (404 for others' merchants)."""
    _, subject = owners.owned_merchant(current_mp().account_id, handle)
    return accesses_of(subject.id, args["page"], args["per_page"]).envelope()


@blp.route("/me/merchants/<handle>/wxacode.png", methods=["GET"])
@require_mp_session
@blp.response(200, description="Mini-program code opening the merchant's page", content_type="image/png")
@blp.alt_response(503, description="WeChat busy or unreachable; see Retry-After")
def get_merchant_wxacode(handle):
    """A WeChat mini-program code (getwxacodeunlimit, scene m=<handle>) opening the merchant's page."""
    owners.owned_merchant(current_mp().account_id, handle)
    png = merchant_wxacode(f"m={handle}", current_app.config["MP_MERCHANT_PAGE"])
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=86400"})


BINARY = {"type": "string", "format": "binary"}


@blp.route("/me/merchants/<handle>/poster.png", methods=["GET"])
@require_mp_session
@blp.response(200, BINARY, content_type="image/png", description="A6 poster, 300 dpi")
@blp.alt_response(404, description="No merchant with this handle is bound to this account")
def get_merchant_poster_png(handle):
    """The owned merchant's printable 一码查信 poster (A6 PNG, 300 dpi) of its current sticker."""
    merchant, _ = owners.owned_merchant(current_mp().account_id, handle)
    return poster_download(merchant, "png")


@blp.route("/me/merchants/<handle>/poster.pdf", methods=["GET"])
@require_mp_session
@blp.response(200, BINARY, content_type="application/pdf", description="A6 poster, font embedded")
@blp.alt_response(404, description="No merchant with this handle is bound to this account")
def get_merchant_poster_pdf(handle):
    """The owned merchant's printable 一码查信 poster (A6 PDF, Chinese font embedded) of its current sticker."""
    merchant, _ = owners.owned_merchant(current_mp().account_id, handle)
    return poster_download(merchant, "pdf")
