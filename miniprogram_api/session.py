"""POST /login (wx.login code → our session) and POST /logout."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address

from backend.accounts import sessions
from backend.accounts.schemas import LoginSchema, SessionSchema
from backend.platform.extensions import limiter
from miniprogram_api import blp
from miniprogram_api.auth import current_mp, require_mp_session
from miniprogram_api.gateway import exchange_login_code


@blp.route("/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["MP_LOGIN_RATE_LIMIT"], key_func=get_remote_address)
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
@blp.alt_response(400, description="Invalid, expired or reused login code (40029, 40163)")
@blp.alt_response(429, description="Too many logins from this address, or WeChat's quota is spent (45011)")
@blp.alt_response(503, description="WeChat busy or unreachable (see Retry-After), or not configured "
                                   "(wechat_not_configured)")
def login(body):
    """Exchange a wx.login() code for a session token; WeChat's session_key never leaves the server."""
    wx = exchange_login_code(body["code"])
    result = sessions.login(wx.openid, wx.session_key)
    return {"token": result.token, "expires_at": result.expires_at,
            "identity_bound": result.account.subject_id is not None}


@blp.route("/logout", methods=["POST"])
@require_mp_session
@blp.response(204)
def logout():
    """Revoke this session token at once."""
    sessions.logout(current_mp())
