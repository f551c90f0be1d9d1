"""/api/dept/v1 for partners: their scanner devices and incentives (role partner, or admin for any partner)."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.platform.access import current_operator, operator_actor, require_operator
from backend.scanning import partners, scenarios, settlement
from backend.scanning.schemas import (
    DeviceCreatedSchema,
    DeviceListSchema,
    DeviceSchema,
    IncentiveListSchema,
    IncentiveRulesSchema,
    IncentiveSchema,
    NewDeviceSchema,
    NewIncentiveSchema,
    ScenarioListSchema,
    ScenarioOptionsSchema,
    ScenarioSchema,
    SettlementArgsSchema,
    SettlementSchema,
)

blp = Blueprint("partners", __name__, url_prefix="/api/dept/v1",
                description="Partners: scanner devices, incentives and settlement")


@blp.route("/devices", methods=["GET"])
@require_operator("partner", "admin")
@blp.response(200, DeviceListSchema)
def list_devices():
    """List scanner devices (a partner sees its own)."""
    return {"items": partners.list_devices(current_operator())}


@blp.route("/devices", methods=["POST"])
@require_operator("partner", "admin")
@blp.arguments(NewDeviceSchema)
@blp.response(201, DeviceCreatedSchema)
def create_device(body):
    """Register a scanner device in the partner's scenario; its token is shown this once."""
    device, token = partners.create_device(current_operator(), actor=operator_actor(), **body)
    return {"device": device, "token": token}


@blp.route("/devices/<int:device_id>/revoke", methods=["POST"])
@require_operator("partner", "admin")
@blp.response(200, DeviceSchema)
def revoke_device(device_id):
    """Revoke a device's credential: at once on every worker with REDIS_URL set, else within SCAN_CACHE_SECONDS
    on the others."""
    return partners.revoke_device(current_operator(), device_id, actor=operator_actor())


@blp.route("/incentives", methods=["GET"])
@require_operator("partner", "admin")
@blp.response(200, IncentiveListSchema)
def list_incentives():
    """List incentives (a partner sees its own)."""
    return {"items": partners.list_incentives(current_operator())}


@blp.route("/incentives", methods=["POST"])
@require_operator("partner", "admin")
@blp.arguments(NewIncentiveSchema)
@blp.response(201, IncentiveSchema)
def create_incentive(body):
    """Create a 信用+ perk in the partner's scenario."""
    return partners.create_incentive(current_operator(), actor=operator_actor(), **body)


@blp.route("/incentives/<int:incentive_id>", methods=["PATCH"])
@require_operator("partner", "admin")
@blp.arguments(IncentiveRulesSchema)
@blp.response(200, IncentiveSchema)
def update_incentive(body, incentive_id):
    """Change an incentive's rules, validity window or active flag."""
    return partners.update_incentive(current_operator(), incentive_id, actor=operator_actor(), **body)


@blp.route("/scenarios", methods=["GET"])
@require_operator("admin", "partner")
@blp.response(200, ScenarioListSchema)
def list_scenarios():
    """Every scenario with its choices for residents without a smartphone (cards' perks, ID checks)."""
    return {"items": scenarios.list_scenarios()}


@blp.route("/scenarios/<code>", methods=["PATCH"])
@require_operator("admin")
@blp.arguments(ScenarioOptionsSchema)
@blp.response(200, ScenarioSchema)
def update_scenario(body, code):
    """Whether printed resident cards get this scenario's perks, and whether its scanners may check ID numbers
    (audited; devices see it at once)."""
    return scenarios.set_options(code, actor=operator_actor(), **body)


@blp.route("/redemptions", methods=["GET"])
@require_operator("partner", "admin")
@blp.arguments(SettlementArgsSchema, location="query")
@blp.response(200, SettlementSchema)
def list_redemptions(args):
    """Settlement: the perks your devices granted on a day (`day=YYYY-MM-DD`) or in a month (`month=YYYY-MM`),
    China dates, each grant with its receipt id and the totals per device and incentive (a partner: its own
    devices only; an admin: every partner's, or `partner_id`'s)."""
    return settlement.settlement(current_operator(), day=args.get("day"), month=args.get("month"),
                                 partner_id=args.get("partner_id"))
