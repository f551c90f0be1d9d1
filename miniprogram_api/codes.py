"""The personal credit code: GET /me/code (JSON), /me/code.svg, /me/code.png; POST /me/code/revoke."""

from __future__ import annotations

from flask import Response, current_app

import qr
from backend.accounts import revocation
from backend.accounts.schemas import CodeRevocationSchema, PersonalCodeSchema
from backend.credit.vocab import grade_label
from backend.keys import issue_code
from backend.platform.clock import now_ts
from miniprogram_api import blp
from miniprogram_api.auth import binding_limit, code_issuance_limit, current_mp, require_bound_person

NO_STORE = {"Cache-Control": "no-store"}


def _fresh_code() -> qr.IssuedCode:
    """A new code for the (bound) caller."""
    # The principal carries handle and grade from the session query: no ORM load on this hot path.
    return issue_code(current_mp())


def _refresh_margin(ttl: int) -> int:
    """Refresh a third of the lifetime early, so a slow network never shows an expired code."""
    return max(10, ttl // 3)


def _image(render, mimetype: str) -> Response:
    """A fresh code rendered by `render`."""
    code = _fresh_code()
    return Response(render(code.token), mimetype=mimetype, headers={**NO_STORE, "X-Code-Expires": str(code.expires_at)})


@blp.route("/me/code", methods=["GET"])
@require_bound_person
@code_issuance_limit
@blp.response(200, PersonalCodeSchema, headers={"Cache-Control": {"schema": {"type": "string"}}})
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def get_code():
    """A fresh personal credit code (a few minutes' life) and when to fetch the next one."""
    code, now = _fresh_code(), now_ts()
    ttl = min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)
    refresh_at = code.expires_at - _refresh_margin(ttl)
    body = {"code": code.token, "expires_at": code.expires_at, "refresh_at": refresh_at,
            "refresh_in": max(0, refresh_at - now), "grade": current_mp().grade,
            "grade_zh": grade_label(current_mp().grade)}
    return body, 200, NO_STORE


@blp.route("/me/code.svg", methods=["GET"])
@require_bound_person
@code_issuance_limit
@blp.response(200, description="The personal code as an SVG QR code", content_type="image/svg+xml")
def get_code_svg():
    """A fresh personal code rendered as SVG (expiry in the X-Code-Expires header)."""
    return _image(qr.render_svg, "image/svg+xml")


@blp.route("/me/code.png", methods=["GET"])
@require_bound_person
@code_issuance_limit
@blp.response(200, description="The personal code as a PNG QR code", content_type="image/png")
def get_code_png():
    """A fresh personal code rendered as PNG (expiry in the X-Code-Expires header)."""
    return _image(qr.render_png, "image/png")


@blp.route("/me/code/revoke", methods=["POST"])
@require_bound_person
@binding_limit
@blp.response(200, CodeRevocationSchema)
@blp.alt_response(403, description="Real-name binding not done yet (identity_required)")
def revoke_codes():
    """Lost phone: void every code issued so far (scanners answer revoked) and log out the other sessions."""
    return revocation.revoke_my_codes(current_mp())
