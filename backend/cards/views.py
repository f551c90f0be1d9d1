"""/api/dept/v1/resident-cards for service windows: issue, print and revoke printed resident cards."""

from __future__ import annotations

import io

from flask import send_file
from flask_smorest import Blueprint

from backend.cards import issuing
from backend.cards.printing import card_pdf
from backend.cards.schemas import CardIssueSchema, CardRevokeSchema, CardSchema
from backend.platform.access import current_operator, require_operator

blp = Blueprint("cards", __name__, url_prefix="/api/dept/v1",
                description="Service windows: printed resident cards for residents without a smartphone")


@blp.route("/resident-cards", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(CardIssueSchema)
@blp.response(201, CardSchema)
def issue_card(body):
    """Having checked the ID card in person, issue a card (its QR a signed serial, valid up to a year); the
    person's earlier cards are revoked. Print it from pdf_url."""
    return issuing.issue_card(current_operator(), body["name"], body["id_number"], body["size"], body["valid_days"])


@blp.route("/resident-cards/<serial>/card.pdf", methods=["GET"])
@require_operator("window", "admin")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf",
              description="The card at ID-1 or A6, font embedded")
@blp.alt_response(410, description="Revoked or expired (card_void)")
def print_card(serial):
    """The card as a PDF to print (audited)."""
    row, token = issuing.card_to_print(current_operator(), serial)
    return send_file(io.BytesIO(card_pdf(row, token)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"card-{row.serial}.pdf")


@blp.route("/resident-cards/<serial>/revoke", methods=["POST"])
@require_operator("window", "admin")
@blp.arguments(CardRevokeSchema)
@blp.response(200, CardSchema)
@blp.alt_response(409, description="Revoked already (card_revoked)")
def revoke_card(body, serial):
    """Lost card: void it at once (scanners online at once, offline from their next trust bundle)."""
    return issuing.revoke_card(current_operator(), serial, body["reason"])
