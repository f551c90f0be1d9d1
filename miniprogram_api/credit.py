"""GET /me/credit (grade, breakdown, records, lists) and GET /me/scans (every use of my code)."""

from __future__ import annotations

from flask import g

from backend.platform.web.http import page_of
from backend.platform.web.schemas import PageArgsSchema
from backend.accounts.schemas import MyCreditSchema, ScanPageSchema
from backend.credit import files as mp_credit
from miniprogram_api import blp
from miniprogram_api.auth import MP_SECURITY, require_mp_session


@blp.route("/me/credit", methods=["GET"])
@blp.doc(security=MP_SECURITY)
@require_mp_session
@blp.response(200, MyCreditSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def get_my_credit():
    """My grade with its breakdown and history, the records filed about me, and my list status."""
    return mp_credit.my_credit(g.mp.subject_id)


@blp.route("/me/scans", methods=["GET"])
@blp.doc(security=MP_SECURITY)
@require_mp_session
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ScanPageSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def list_my_scans(args):
    """Who scanned my code, where and when, and what was granted or refused and why."""
    items, total = mp_credit.my_scans(g.mp.subject_id, args["page"], args["per_page"])
    return page_of(items, total, args["page"], args["per_page"])
