"""Mini-program bearer sessions and the per-account rate-limit key."""

from __future__ import annotations

from functools import wraps

from flask import current_app, g

from backend.auth import bearer_token
from backend.extensions import limiter
from backend.services import mp_sessions

MP_SECURITY = [{"mpSession": []}]


def require_mp_session(view):
    """Authenticate the mini-program session (g.mp); raises Unauthorized."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.mp = mp_sessions.authenticate(bearer_token())
        return view(*args, **kwargs)

    return wrapper


def account_key() -> str:
    """Per WeChat account, not per session: logging in again does not reset the count."""
    return f"mp-account:{g.mp.account_id}"


# Shared by GET /me/code, /me/code.svg and /me/code.png: one budget of fresh codes per account.
code_issuance_limit = limiter.shared_limit(lambda: current_app.config["MP_CODE_RATE_LIMIT"], scope="mp-code",
                                           key_func=account_key)
binding_limit = limiter.shared_limit(lambda: current_app.config["MP_BIND_RATE_LIMIT"], scope="mp-bind",
                                     key_func=account_key)
