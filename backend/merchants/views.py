"""/api/dept/v1 for the credit office (platform admins) and the departments that supervise markets: link
requests (markets see their own), markets' departments and the list of testing agencies (admin)."""

from __future__ import annotations

from functools import wraps

from flask_smorest import Blueprint

from backend.merchants import agencies, markets, registration
from backend.merchants.schemas import (
    AgencyArgsSchema,
    AgencyListSchema,
    AgencySchema,
    LinkApprovalSchema,
    LinkArgsSchema,
    LinkRefusalSchema,
    LinkRequestPageSchema,
    LinkRequestSchema,
    MarketListSchema,
    MarketSettingsSchema,
    MarketUpdateSchema,
    NewAgencySchema,
)
from backend.platform.access import current_operator, operator_actor, require_operator

blp = Blueprint("merchant_oversight", __name__, url_prefix="/api/dept/v1",
                description="Credit office and supervising departments: link requests, markets' departments, "
                            "inspection agencies")
# Deciding is open to every operator role so that a refused attempt (a market approving its own request,
# a partner, another department) reaches the use cases and is audited there.
DECIDERS = ("admin", "department", "market", "partner")


def approvers_only(decision: str):
    """Before the body is parsed: refuse (and audit) operators whose role may not decide link requests."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            registration.require_approver(current_operator(), kwargs["request_id"], decision, actor=operator_actor())
            return view(*args, **kwargs)

        return wrapper

    return decorator


@blp.route("/merchant-links", methods=["GET"])
@require_operator("admin", "department", "market")
@blp.arguments(LinkArgsSchema, location="query")
@blp.response(200, LinkRequestPageSchema)
def list_link_requests(args):
    """Link requests: a market sees its own (every status), approvers the pending ones of the markets they
    supervise (admins: every market); `status` filters."""
    return registration.list_link_requests(current_operator(), args.get("status"), args["page"],
                                           args["per_page"]).envelope()


@blp.route("/merchant-links/<int:request_id>", methods=["GET"])
@require_operator("admin", "department", "market")
@blp.response(200, LinkRequestSchema)
def get_link_request(request_id):
    """One link request (404 for one the caller may not see)."""
    return registration.get_link_request(current_operator(), request_id)


@blp.route("/merchant-links/<int:request_id>/approve", methods=["POST"])
@require_operator(*DECIDERS)
@approvers_only(registration.APPROVE)
@blp.arguments(LinkApprovalSchema)
@blp.response(200, LinkRequestSchema)
def approve_link_request(body, request_id):
    """Approve: the merchant is created from what the market typed (stall number and name, scope…); the
    subject's registered name and file stay as they are. Admins, or operators of the market's department."""
    return registration.decide_link_request(current_operator(), request_id, registration.APPROVE,
                                            actor=operator_actor(), reason=body.get("note"))


@blp.route("/merchant-links/<int:request_id>/refuse", methods=["POST"])
@require_operator(*DECIDERS)
@approvers_only(registration.REFUSE)
@blp.arguments(LinkRefusalSchema)
@blp.response(200, LinkRequestSchema)
def refuse_link_request(body, request_id):
    """Refuse with a reason the market sees; it gets nothing of the subject's file."""
    return registration.decide_link_request(current_operator(), request_id, registration.REFUSE,
                                            actor=operator_actor(), reason=body["reason"])


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
