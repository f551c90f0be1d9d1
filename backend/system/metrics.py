"""GET /metrics for Prometheus: a METRICS_TOKEN bearer (constant-time) or an admin operator token."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app

from backend.platform.web.auth import bearer_token
from backend.platform.observability.metrics import exposition
from backend.operators import services as operators
from backend.platform.errors import Forbidden

blp = Blueprint("observability", __name__)


@blp.get("/metrics")
def metrics():
    """Prometheus text format; raises Unauthorized without a valid token, Forbidden for a non-admin operator."""
    token = bearer_token()
    expected = current_app.config.get("METRICS_TOKEN") or ""
    if not (expected and hmac.compare_digest(token.encode(), expected.encode())):
        if operators.authenticate(token).role != "admin":
            raise Forbidden("metrics are for the platform's admins and its monitoring only", code="wrong_role")
    body, content_type = exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
