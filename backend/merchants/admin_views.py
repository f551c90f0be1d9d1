"""/api/dept/v1 for market offices: merchants, stickers and posters, inspections, commitments, owners' binding
codes (role market; binding codes also admin)."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_smorest import Blueprint

from backend.merchants import management, owners, registration, stickers
from backend.merchants.schemas import (
    BindingCodeSchema,
    CommitmentSchema,
    CommitmentStatusSchema,
    InspectionSchema,
    LinkRequestSchema,
    MerchantPageSchema,
    MerchantSchema,
    MerchantUpdateSchema,
    NewBindingCodeSchema,
    NewCommitmentSchema,
    NewInspectionSchema,
    NewMerchantSchema,
    ReissueSchema,
    SearchArgsSchema,
)
from backend.platform.access import current_operator, operator_actor, require_operator

blp = Blueprint("merchants", __name__, url_prefix="/api/dept/v1",
                description="Market offices: merchants, stickers, posters, inspections, commitments. A merchant is "
                            "named by its handle (the 8 characters of /m/<handle>) everywhere; the numeric id "
                            "still works in the same place but is deprecated.")
MERCHANT_PARAM = {"in": "path", "name": "merchant", "required": True, "schema": {"type": "string"},
                  "description": "The merchant's handle (as in /m/<handle>). Deprecated: its numeric id."}
BINARY = {"type": "string", "format": "binary"}


@blp.route("/merchants", methods=["GET"])
@require_operator("market")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, MerchantPageSchema)
def list_merchants(args):
    """Your market's merchants by stall, filtered by name or stall (q)."""
    return management.list_merchants(current_operator(), args.get("q"), args["page"], args["per_page"]).envelope()


@blp.route("/merchants", methods=["POST"])
@require_operator("market")
@blp.arguments(NewMerchantSchema)
@blp.response(201, MerchantSchema, description="A new credit subject and its merchant")
@blp.alt_response(202, schema=LinkRequestSchema, headers={"Location": {"schema": {"type": "string"}}},
                  description="The USCC already has a credit file: a link request awaits an approver")
def create_merchant(body):
    """Register a merchant in your market (USCC checked); its first sticker has serial 1.

    A USCC that already has a credit file is not registered at once: the answer is a 202 with a link
    request that the credit office or the market's department approves or refuses
    (`GET /merchant-links/<id>`). Sending it again answers the same pending request.
    """
    found, status = registration.register_merchant(current_operator(), actor=operator_actor(), **body)
    if status == 201:
        return found, 201
    response = jsonify(LinkRequestSchema().dump(found))  # not MerchantSchema: smorest passes a Response untouched
    response.status_code = 202
    response.headers["Location"] = url_for("merchant_oversight.get_link_request", request_id=found["id"])
    return response


@blp.route("/merchants/posters.pdf", methods=["GET"])
@require_operator("market")
@blp.response(200, BINARY, content_type="application/pdf",
              description="Every stall's A6 poster, one page each by stall number, font embedded once")
def get_all_posters_pdf():
    """All stalls of your market as one PDF for printing (each page the stall's current sticker)."""
    return stickers.market_posters_download(*management.market_stalls(current_operator()))


@blp.route("/merchants/<merchant>", methods=["GET"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.response(200, MerchantSchema)
def get_merchant(merchant):
    """One merchant of your market."""
    return management.describe(management.merchant_in_scope(current_operator(), merchant))


@blp.route("/merchants/<merchant>", methods=["PATCH"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.arguments(MerchantUpdateSchema)
@blp.response(200, MerchantSchema)
def update_merchant(body, merchant):
    """Change a merchant's stall number or stall name, business scope, contact or photo (not the registered name)."""
    return management.update_merchant(current_operator(), merchant, actor=operator_actor(), **body)


@blp.route("/merchants/<merchant>/reissue-code", methods=["POST"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.arguments(ReissueSchema)
@blp.response(200, MerchantSchema)
def reissue_code(body, merchant):
    """Issue a new sticker: the serial goes up and every older sticker's page says 该二维码已作废."""
    return management.reissue_code(current_operator(), merchant, actor=operator_actor(), reason=body["reason"])


def _poster(merchant: str, fmt: str):
    return stickers.poster_download(management.merchant_in_scope(current_operator(), merchant), fmt)


@blp.route("/merchants/<merchant>/poster.png", methods=["GET"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.response(200, BINARY, content_type="image/png", description="A6 poster, 300 dpi")
def get_poster_png(merchant):
    """The printable A6 poster of the current sticker as PNG (300 dpi)."""
    return _poster(merchant, "png")


@blp.route("/merchants/<merchant>/poster.pdf", methods=["GET"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.response(200, BINARY, content_type="application/pdf", description="A6 poster, font embedded")
def get_poster_pdf(merchant):
    """The printable A6 poster of the current sticker as PDF (Chinese font embedded)."""
    return _poster(merchant, "pdf")


@blp.route("/merchants/<merchant>/inspections", methods=["POST"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.arguments(NewInspectionSchema)
@blp.response(201, InspectionSchema)
def record_inspection(body, merchant):
    """Record a product-quality inspection (合格/不合格); it shows on the public page at once."""
    return management.record_inspection(current_operator(), merchant, actor=operator_actor(), **body)


@blp.route("/merchants/<merchant>/commitments", methods=["POST"], parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.arguments(NewCommitmentSchema)
@blp.response(201, CommitmentSchema)
def add_commitment(body, merchant):
    """Record a credit commitment (信用承诺) the merchant signed; shown on its public page."""
    return management.add_commitment(current_operator(), merchant, actor=operator_actor(), **body)


@blp.route("/merchants/<merchant>/commitments/<int:commitment_id>/status", methods=["POST"],
           parameters=[MERCHANT_PARAM])
@require_operator("market")
@blp.arguments(CommitmentStatusSchema)
@blp.response(200, CommitmentSchema)
def set_commitment_status(body, merchant, commitment_id):
    """Mark a commitment broken (shown as 未履行) or withdrawn (hidden)."""
    return management.set_commitment_status(current_operator(), merchant, commitment_id, actor=operator_actor(),
                                            **body)


@blp.route("/merchants/<merchant>/binding-codes", methods=["POST"], parameters=[MERCHANT_PARAM])
@require_operator("market", "admin")
@blp.arguments(NewBindingCodeSchema)
@blp.response(201, BindingCodeSchema)
def issue_binding_code(body, merchant):
    """A single-use, expiring code the merchant's owner enters in the mini-program (shown once)."""
    return owners.issue_binding_code(current_operator(), merchant, body.get("note"))
