"""/api/scan/v1 for scanner devices: verify a code, grant a perk, fetch the trust bundle, upload offline scans."""

from __future__ import annotations

from flask_smorest import Blueprint

from backend.platform.web.auth import DEVICE_TOKEN, principal, principal_required
from backend.platform.web.schemas import FeedArgsSchema, FeedPageSchema
from backend.scanning import desk, feed, id_checks, offline, redemptions, verification
from backend.scanning.devices import Device, authenticate_device
from backend.scanning.schemas import (
    IdCheckRequestSchema,
    IdempotencyHeaderSchema,
    OfflineBatchSchema,
    OfflineReportSchema,
    RedeemRequestSchema,
    RedemptionSchema,
    ScanVerdictSchema,
    TodaysGrantsSchema,
    TrustBundleSchema,
    VerifyRequestSchema,
    VerifyResultSchema,
)

blp = Blueprint("scan", __name__, url_prefix="/api/scan/v1", description="Scanner devices (bus, hotel, hospital, gate)")
# Authenticates the scanner device (Bearer dev_…) before the body is parsed; raises Unauthorized.
require_device = principal_required(authenticate_device, "device", DEVICE_TOKEN)


def current_device() -> Device:
    return principal("device")


@blp.route("/verify", methods=["POST"])
@require_device
@blp.arguments(VerifyRequestSchema)
@blp.response(200, VerifyResultSchema)
def verify(body):
    """Check a personal code; a rejected code is still 200 with its outcome. The scan is recorded."""
    return verification.verify(current_device(), body["code"], body.get("scenario"))


@blp.route("/redemptions", methods=["POST"])
@require_device
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(RedeemRequestSchema)
@blp.response(201, RedemptionSchema)
@blp.alt_response(200, schema=RedemptionSchema, description="A retry with the same Idempotency-Key")
@blp.alt_response(409, description="Ineligible or over quota; details.reason says which")
def redeem(headers, body):
    """Grant a perk within its quota, exactly once per Idempotency-Key; the receipt is signed."""
    return redemptions.redeem(current_device(), body.get("code"), body["incentive"], headers["idempotency_key"],
                              body.get("scan_id"), body.get("id_number"))


@blp.route("/id-checks", methods=["POST"])
@require_device
@blp.arguments(IdCheckRequestSchema)
@blp.response(200, VerifyResultSchema)
@blp.alt_response(403, description="The device's scenario does not allow ID checks (id_checks_not_allowed)")
@blp.alt_response(404, description="No credit file for this id number (resident_not_found)")
@blp.alt_response(429, description="Too many ID checks at this device (SCAN_ID_CHECK_RATE_LIMIT)")
def id_check(body):
    """A resident without a phone or card: look them up by ID number at the counter (audited, rate-limited per
    device); answered as a verify of their code. Redeem with id_number instead of code."""
    return id_checks.id_check(current_device(), body["id_number"], body.get("scenario"))


@blp.route("/scans/<int:scan_id>", methods=["GET"])
@require_device
@blp.response(200, ScanVerdictSchema)
def scan_verdict(scan_id):
    """Green, amber or red for one of this device's scans, with the reason in Chinese (the staff console)."""
    return desk.scan_verdict(current_device(), scan_id)


@blp.route("/grants/today", methods=["GET"])
@require_device
@blp.response(200, TodaysGrantsSchema)
def todays_grants():
    """This device (name, scenario) and the perks it granted today, newest first, each with its receipt number."""
    return desk.todays_grants(current_device())


@blp.route("/trust-bundle", methods=["GET"])
@require_device
@blp.response(200, TrustBundleSchema)
def trust_bundle():
    """A signed bundle for offline verification (qr.offline); refetch before max_age runs out."""
    return verification.trust_bundle(current_device())


@blp.route("/changes", methods=["GET"])
@require_device
@blp.arguments(FeedArgsSchema, location="query")
@blp.response(200, FeedPageSchema)
def changes(args):
    """The change feed from `after`, oldest first, signed: records no longer published, list entries ended,
    repairs approved. Persons' items name no subject unless this scenario's codes carry handles (format 1)."""
    return feed.device_changes(current_device(), args["after"], args["limit"])


@blp.route("/offline-scans", methods=["POST"])
@require_device
@blp.arguments(OfflineBatchSchema)
@blp.response(200, OfflineReportSchema)
def upload_offline_scans(body):
    """Upload offline scans: duplicates answered as such, grants over quota flagged for review."""
    return offline.upload(current_device(), body["items"])
