"""/api/dept/v1 for the credit office (platform admins) and the departments that supervise markets:
markets' departments and the list of testing agencies (admin)."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.merchants import agencies, markets
from backend.merchants.schemas import (
    AgencyArgsSchema,
    AgencyListSchema,
    AgencySchema,
    MarketListSchema,
    MarketSettingsSchema,
    MarketUpdateSchema,
    NewAgencySchema,
)
from backend.platform.access import operator_actor, require_operator

blp = Blueprint("merchant_oversight", __name__, url_prefix="/api/dept/v1",
                description="Credit office and supervising departments: markets' departments, inspection agencies")


@blp.route("/markets", methods=["GET"])
@require_operator("admin")
@blp.response(200, MarketListSchema)
def list_markets():
    """Every market with the department its inspections are filed under."""
    return {"items": markets.list_markets()}


@blp.route("/markets/<slug>", methods=["PATCH"])
@require_operator("admin")
@blp.arguments(MarketUpdateSchema)
@blp.response(200, MarketSettingsSchema)
def update_market(body, slug):
    """Set the market's supervising department: later inspections and broken commitments are filed under it
    (records already filed keep theirs) and its operators approve the market's link requests."""
    return markets.set_market_department(slug, body["department"], actor=operator_actor())


@blp.route("/inspection-agencies", methods=["GET"])
@require_operator("admin", "department", "market")
@blp.arguments(AgencyArgsSchema, location="query")
@blp.response(200, AgencyListSchema)
def list_agencies(args):
    """The testing agencies whose reports market offices may record (active ones unless include_inactive)."""
    return {"items": agencies.list_agencies(args["include_inactive"])}


@blp.route("/inspection-agencies", methods=["POST"])
@require_operator("admin")
@blp.arguments(NewAgencySchema)
@blp.response(201, AgencySchema, description="Added to the list")
@blp.alt_response(200, schema=AgencySchema, description="Already listed, or listed again after a deactivation")
def add_agency(body):
    """Put a testing agency on the list (after checking it is qualified: CMA/CNAS)."""
    return agencies.add_agency(body["name"], actor=operator_actor())


@blp.route("/inspection-agencies/<int:agency_id>/deactivate", methods=["POST"])
@require_operator("admin")
@blp.response(200, AgencySchema)
def deactivate_agency(agency_id):
    """Take an agency off the list: its reports can no longer be recorded; recorded ones stay."""
    return agencies.deactivate_agency(agency_id, actor=operator_actor())
