"""Verify a code, grant a perk, fetch the trust bundle, upload offline scans."""

from __future__ import annotations

from functools import wraps

from flask import g
from flask_smorest import Blueprint

from backend.platform.web.auth import bearer_token
from backend.scanning.schemas import (IdempotencyHeaderSchema, OfflineBatchSchema, OfflineReportSchema,
    RedeemRequestSchema, RedemptionSchema, TrustBundleSchema, VerifyRequestSchema, VerifyResultSchema)
from backend.scanning import offline as offline_scans, redemptions, verification
from backend.scanning.devices import authenticate_device

blp = Blueprint("scan", __name__, url_prefix="/api/scan/v1", description="Scanner devices (bus, hotel, hospital, gate)")
DEVICE = [{"deviceToken": []}]


def require_device(view):
    """Authenticate the scanner device (Bearer dev_…) before parsing; raises Unauthorized."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.device = authenticate_device(bearer_token())
        return view(*args, **kwargs)

    return wrapper


@blp.route("/verify", methods=["POST"])
@blp.doc(security=DEVICE)
@require_device
@blp.arguments(VerifyRequestSchema)
@blp.response(200, VerifyResultSchema)
def verify(body):
    """Check a personal code; a rejected code is still 200 with its outcome. The scan is recorded."""
    return verification.verify(g.device, body["code"], body.get("scenario"))


@blp.route("/redemptions", methods=["POST"])
@blp.doc(security=DEVICE)
@require_device
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(RedeemRequestSchema)
@blp.response(201, RedemptionSchema)
@blp.alt_response(200, schema=RedemptionSchema, description="A retry with the same Idempotency-Key")
@blp.alt_response(409, description="Ineligible or over quota; details.reason says which")
def redeem(headers, body):
    """Grant a perk within its quota, exactly once per Idempotency-Key; the receipt is signed."""
    return redemptions.redeem(g.device, body["code"], body["incentive"], headers["idempotency_key"],
                              body.get("scan_id"))


@blp.route("/trust-bundle", methods=["GET"])
@blp.doc(security=DEVICE)
@require_device
@blp.response(200, TrustBundleSchema)
def trust_bundle():
    """A signed bundle for offline verification (qr.offline); refetch before max_age runs out."""
    return verification.trust_bundle(g.device)


@blp.route("/offline-scans", methods=["POST"])
@blp.doc(security=DEVICE)
@require_device
@blp.arguments(OfflineBatchSchema)
@blp.response(200, OfflineReportSchema)
def upload_offline_scans(body):
    """Upload offline scans: duplicates answered as such, grants over quota flagged for review."""
    return offline_scans.upload(g.device, body["items"])
