"""GET /me/credit (grade, breakdown, records, lists), GET /me/scans (every use of my code), GET /me/queries (who
looked at my file), GET /incentives."""

from __future__ import annotations

from backend.credit import accesses_of
from backend.credit.files import my_credit
from backend.credit.schemas import FileAccessPageSchema, MyCreditSchema
from backend.platform.web.schemas import PageArgsSchema
from backend.scanning import my_scans, perks_for
from backend.scanning.schemas import PerkOfferListSchema, ScanPageSchema
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_bound_person


@blp.route("/me/credit", methods=["GET"])
@require_bound_person
@blp.response(200, MyCreditSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def get_my_credit():
    """My grade with its breakdown and history, the records filed about me, and my list status."""
    return my_credit(current_mp().subject_id)


@blp.route("/me/scans", methods=["GET"])
@require_bound_person
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ScanPageSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def list_my_scans(args):
    """Who scanned my code, where and when, and what was granted or refused and why."""
    return my_scans(current_mp().subject_id, args["page"], args["per_page"]).envelope()


@blp.route("/me/queries", methods=["GET"])
@require_bound_person
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, FileAccessPageSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def list_my_queries(args):
    """Who looked at my credit file — departments' reads, 一键查询, reports, banks — when and why, newest first."""
    return accesses_of(current_mp().subject_id, args["page"], args["per_page"]).envelope()


@blp.route("/incentives", methods=["GET"])
@require_bound_person
@blp.response(200, PerkOfferListSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def list_incentives():
    """The 信用+ perks there are, where and by whom they are given, and whether I qualify for each today."""
    return {"items": perks_for(current_mp().subject_id)}
