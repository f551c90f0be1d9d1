"""Mini-program bearer sessions and the per-account rate limits."""

from __future__ import annotations

import logging
import time
from functools import lru_cache, wraps

from flask import current_app
from limits import RateLimitItem, parse

from backend.accounts import MpPrincipal, authenticate, require_bound
from backend.platform.errors import RateLimited
from backend.platform.extensions import limiter
from backend.platform.web.auth import MP_SESSION, principal, principal_required
from backend.platform.web.errors import limit_zh

log = logging.getLogger(__name__)

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


@lru_cache(maxsize=8)
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


def code_issuance_limit(view):
    """One budget of fresh codes per account for /me/code, .svg and .png; raises RateLimited.

    A single hit on the limiter's own storage (Redis when REDIS_URL is set, so workers share
    it) instead of a Flask-Limiter decorator: this is the hottest endpoint, and the decorator
    evaluates limits twice per request.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        item = _item(current_app.config["MP_CODE_RATE_LIMIT"])
        key = current_app.config.get("RATELIMIT_KEY_PREFIX", "") + account_key()
        try:
            allowed = limiter.limiter.hit(item, "mp-code", key)
        except Exception:  # storage down: keep serving, as RATELIMIT_SWALLOW_ERRORS does elsewhere
            log.exception("rate-limit storage unavailable; code issuance not limited")
            allowed = True
        if not allowed:
            reset = limiter.limiter.get_window_stats(item, "mp-code", key).reset_time
            raise RateLimited(f"请求过于频繁（{limit_zh(item)}），请稍后再试。",
                              retry_after=max(1, int(reset - time.time()) + 1))
        return view(*args, **kwargs)

    return wrapper
