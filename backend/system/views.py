"""GET /healthz and GET /.well-known/jwks.json."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import text

from backend.platform.extensions import db, limiter
from backend.system.schemas import HealthSchema, JwksSchema
from backend.keys.keyring import jwks
from backend.system import blp


@blp.route("/healthz")
@limiter.exempt
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is unreachable")
def get_health():
    """Liveness and database reachability; 503 when the database does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "down" here
        db.session.rollback()
        return {"status": "degraded", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@blp.route("/.well-known/jwks.json")
@blp.response(200, JwksSchema, headers={"ETag": {"schema": {"type": "string"}},
                                         "Cache-Control": {"schema": {"type": "string"}}})
def get_jwks():
    """Every public key that may have signed a live code (RFC 7517; refetch on an unknown kid)."""
    body, etag = jwks()
    headers = {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={current_app.config['JWKS_MAX_AGE']}"}
    if request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers=headers)
    return body, 200, headers
