"""Market operators: merchants, stickers and posters, inspections, commitments (role market)."""

from __future__ import annotations

from flask import g
from flask_smorest import Blueprint

from backend.platform.web.auth import operator_actor, require_operator
from backend.platform.web.http import page_of, poster_download
from backend.merchants.schemas import (CommitmentSchema, CommitmentStatusSchema, InspectionSchema,
    MerchantPageSchema, MerchantSchema, MerchantUpdateSchema, NewCommitmentSchema, NewInspectionSchema,
    NewMerchantSchema, ReissueSchema, SearchArgsSchema)
from backend.merchants import management as merchants

blp = Blueprint("merchants", __name__, url_prefix="/api/dept/v1",
                description="Market offices: merchants, stickers, posters, inspections, commitments")
MARKET = [{"operatorToken": []}]
BINARY = {"type": "string", "format": "binary"}


@blp.route("/merchants", methods=["GET"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, MerchantPageSchema)
def list_merchants(args):
    """Your market's merchants by stall, filtered by name or stall (q)."""
    rows, total = merchants.list_merchants(g.operator, args.get("q"), args["page"], args["per_page"])
    return page_of(rows, total, args["page"], args["per_page"])


@blp.route("/merchants", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(NewMerchantSchema)
@blp.response(201, MerchantSchema)
def create_merchant(body):
    """Register a merchant in your market (USCC checked); its first sticker has serial 1."""
    return merchants.create_merchant(g.operator, actor=operator_actor(), **body)


@blp.route("/merchants/<int:merchant_id>", methods=["GET"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.response(200, MerchantSchema)
def get_merchant(merchant_id):
    """One merchant of your market."""
    return merchants.describe(merchants.merchant_in_scope(g.operator, merchant_id))


@blp.route("/merchants/<int:merchant_id>", methods=["PATCH"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(MerchantUpdateSchema)
@blp.response(200, MerchantSchema)
def update_merchant(body, merchant_id):
    """Change a merchant's public name, stall, business scope, contact or photo."""
    return merchants.update_merchant(g.operator, merchant_id, actor=operator_actor(), **body)


@blp.route("/merchants/<int:merchant_id>/reissue-code", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(ReissueSchema)
@blp.response(200, MerchantSchema)
def reissue_code(body, merchant_id):
    """Issue a new sticker: the serial goes up and every older sticker's page says 该二维码已作废."""
    return merchants.reissue_code(g.operator, merchant_id, actor=operator_actor(), reason=body["reason"])


def _poster(merchant_id: int, fmt: str):
    return poster_download(merchants.merchant_in_scope(g.operator, merchant_id), fmt)


@blp.route("/merchants/<int:merchant_id>/poster.png", methods=["GET"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.response(200, BINARY, content_type="image/png", description="A6 poster, 300 dpi")
def get_poster_png(merchant_id):
    """The printable A6 poster of the current sticker as PNG (300 dpi)."""
    return _poster(merchant_id, "png")


@blp.route("/merchants/<int:merchant_id>/poster.pdf", methods=["GET"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.response(200, BINARY, content_type="application/pdf", description="A6 poster, font embedded")
def get_poster_pdf(merchant_id):
    """The printable A6 poster of the current sticker as PDF (Chinese font embedded)."""
    return _poster(merchant_id, "pdf")


@blp.route("/merchants/<int:merchant_id>/inspections", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(NewInspectionSchema)
@blp.response(201, InspectionSchema)
def record_inspection(body, merchant_id):
    """Record a product-quality inspection (合格/不合格); it shows on the public page at once."""
    return merchants.record_inspection(g.operator, merchant_id, actor=operator_actor(), **body)


@blp.route("/merchants/<int:merchant_id>/commitments", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(NewCommitmentSchema)
@blp.response(201, CommitmentSchema)
def add_commitment(body, merchant_id):
    """Record a credit commitment (信用承诺) the merchant signed; shown on its public page."""
    return merchants.add_commitment(g.operator, merchant_id, actor=operator_actor(), **body)


@blp.route("/merchants/<int:merchant_id>/commitments/<int:commitment_id>/status", methods=["POST"])
@blp.doc(security=MARKET)
@require_operator("market")
@blp.arguments(CommitmentStatusSchema)
@blp.response(200, CommitmentSchema)
def set_commitment_status(body, merchant_id, commitment_id):
    """Mark a commitment broken (shown as 未履行) or withdrawn (hidden)."""
    return merchants.set_commitment_status(g.operator, merchant_id, commitment_id, actor=operator_actor(), **body)
