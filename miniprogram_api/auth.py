"""Mini-program bearer sessions and the per-account rate limits."""

from __future__ import annotations

from functools import wraps

from flask import current_app

from backend.accounts import MpPrincipal, authenticate, require_bound
from backend.platform.extensions import limiter
from backend.platform.ratelimit import consume
from backend.platform.web.auth import MP_SESSION, principal, principal_required
from backend.platform.web.errors import limit_zh

# Authenticate the mini-program session (g.mp); raises Unauthorized.
require_mp_session = principal_required(authenticate, "mp", MP_SESSION)
# The same, and the account must be bound to a person; raises Unauthorized or Forbidden (identity_required).
require_bound_person = principal_required(authenticate, "mp", MP_SESSION, require_bound,
                                          needs="mini-program session bound to a person (real-name binding)")


def current_mp() -> MpPrincipal:
    return principal("mp")


def account_key() -> str:
    """Per WeChat account, not per session: logging in again does not reset the count."""
    return f"mp-account:{current_mp().account_id}"


binding_limit = limiter.shared_limit(lambda: current_app.config["MP_BIND_RATE_LIMIT"], scope="mp-bind",
                                     key_func=account_key)


def code_issuance_limit(view):
    """One budget of fresh codes per account for /me/code, .svg and .png; raises RateLimited.

    A single hit on the limiter's own storage (platform.ratelimit) instead of a Flask-Limiter
    decorator: this is the hottest endpoint, and the decorator evaluates limits twice per request.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        consume("MP_CODE_RATE_LIMIT", "mp-code", account_key(),
                lambda item: f"请求过于频繁（{limit_zh(item)}），请稍后再试。")
        return view(*args, **kwargs)

    return wrapper
