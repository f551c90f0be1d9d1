"""Platform endpoints: GET /healthz and GET /.well-known/jwks.json (anyone), GET /metrics (monitoring)."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, render_template
from flask_smorest import Blueprint as ApiBlueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backend.keys import jwks
from backend.platform import audit_checkpoints
from backend.platform.access import authenticate as authenticate_operator
from backend.platform.errors import Forbidden, NotFound
from backend.platform.extensions import db, limiter
from backend.platform.observability.metrics import exposition
from backend.platform.web.auth import bearer_token, remember_principal
from backend.platform.web.http import conditional_get, etag_of
from backend.system.health import SigningKeyState, signing_key_state
from backend.system.schemas import CheckpointSchema, HealthSchema, JwksSchema

blp = ApiBlueprint("system", __name__, url_prefix="/", description="Health and public keys")
# /metrics is Prometheus text, not a JSON endpoint: a plain blueprint, outside the OpenAPI description.
metrics_blp = Blueprint("observability", __name__)
# /docs: Swagger UI from the project's own files (vendored from npm, pinned), reading /openapi.json.
docs_blp = Blueprint("api_docs", __name__, template_folder="templates", static_folder="static",
                     static_url_path="/docs/static")
# Only the project's own scripts and styles; Swagger UI sets style attributes on some elements.
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


@docs_blp.get("/docs")
def api_docs():
    """The API reference (Swagger UI) of /openapi.json."""
    return render_template("system/docs.html")


@docs_blp.after_request
def docs_headers(response):
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.route("/healthz")
@limiter.exempt
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema,
                  description="The database is unreachable, not migrated, or the signing key cannot be decrypted")
def get_health():
    """Readiness: the database answers and the signing key opens with KEY_ENCRYPTION_KEY; 503 otherwise.

    `signing_key` "missing" (a new database) is healthy: the first code or JWKS request creates the key.
    """
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  any failure to reach the database is "down" here
        db.session.rollback()
        return {"status": "degraded", "database": "unreachable", "signing_key": SigningKeyState.UNKNOWN}, 503
    try:
        state = signing_key_state()
    except SQLAlchemyError:  # reachable but not migrated (no signing_keys table)
        db.session.rollback()
        state = SigningKeyState.UNKNOWN
    if state in (SigningKeyState.OK, SigningKeyState.MISSING):
        return {"status": "ok", "database": "ok", "signing_key": state}
    return {"status": "degraded", "database": "ok", "signing_key": state}, 503


@blp.route("/.well-known/jwks.json")
@blp.response(200, JwksSchema, headers={"ETag": {"schema": {"type": "string"}},
                                         "Cache-Control": {"schema": {"type": "string"}}})
def get_jwks():
    """Every public key that may have signed a live code (RFC 7517; refetch on an unknown kid)."""
    body, etag = jwks()
    return conditional_get(etag, current_app.config["JWKS_MAX_AGE"], lambda: body)


@blp.route("/.well-known/audit-checkpoint")
@blp.response(200, CheckpointSchema, headers={"ETag": {"schema": {"type": "string"}},
                                               "Cache-Control": {"schema": {"type": "string"}}})
@blp.alt_response(404, description="No checkpoint has been signed yet")
def get_audit_checkpoint():
    """The newest signed checkpoint of the audit log (seq, hash, time; no personal data). Auditors keep it:
    `flask verify-audit-log --checkpoint FILE` then proves the log still holds what it signed."""
    row = audit_checkpoints.newest()
    if row is None:
        raise NotFound("尚未签署审计日志检查点。", code="no_checkpoint")
    body = audit_checkpoints.published(row)
    return conditional_get(etag_of(body), current_app.config["CHECKPOINT_MAX_AGE"], lambda: body)


@metrics_blp.get("/metrics")
def metrics():
    """Prometheus text format; raises Unauthorized without a valid token, Forbidden for a non-admin operator."""
    token = bearer_token()
    expected = current_app.config.get("METRICS_TOKEN") or ""
    monitoring = bool(expected) and hmac.compare_digest(token.encode(), expected.encode())
    if not monitoring:
        operator = authenticate_operator(token)
        remember_principal("operator", operator)  # a refusal is audited with who was refused
        if operator.role != "admin":
            raise Forbidden("监控指标只对平台管理员和监控系统开放。", code="wrong_role")
    body, content_type = exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
