"""Every 403 is audited: who was refused, on which route rule, with which code.

The entry is written in a transaction of its own after the request's work was rolled back, so the
refusal is kept even though nothing of the refused request is. Only authenticated callers are
refused with 403 (no or bad credentials are 401), so every entry names a principal: an operator,
a scanner device or a mini-program account, each issued by the platform or tied to a WeChat user.

Flooding is bounded per actor: at most AUDIT_DENIAL_RATE_LIMIT entries per principal (limits syntax,
default 10 per minute) through the rate limiter's storage, shared by every worker and host when
REDIS_URL is set. Refusals past the budget are still refused and still counted in the
credit_denials metric (audited="no") and the request log, but add nothing to the audit chain.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from sqlalchemy.exc import SQLAlchemyError

from backend.platform import audit
from backend.platform.db import db
from backend.platform.extensions import limiter
from backend.platform.observability.metrics import count_denial

log = logging.getLogger(__name__)


def denied_actor() -> str | None:
    """How the audit log names the refused caller (platform.web.auth kept it); None when none was authenticated."""
    principal = g.get("principal")
    return principal.actor if principal is not None else None


@lru_cache(maxsize=8)
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


def within_budget(key: str) -> bool:
    """One hit on the actor's denial budget; True (audit it) when the limiter's storage is down."""
    item = _item(current_app.config["AUDIT_DENIAL_RATE_LIMIT"])
    try:
        return limiter.limiter.hit(item, "audit-denial", current_app.config.get("RATELIMIT_KEY_PREFIX", "") + key)
    except Exception:  # noqa: BLE001  storage down: audit (the database bounds itself), as limits degrade elsewhere
        log.warning("rate-limit storage unavailable; denial audited without a budget")
        return True


def audit_denial(code: str) -> None:
    """Audit this request's 403 (within the actor's budget); never raises, the refusal is answered anyway."""
    route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    actor = denied_actor()
    audited = within_budget(actor or f"anonymous:{get_remote_address()}")
    count_denial(route, code, audited)
    if not audited:
        return
    try:
        db.session.rollback()  # nothing the refused request did may be committed with its refusal
        audit.record_denial(actor or "anonymous", method=request.method, route=route, code=code,
                            request_id=g.get("request_id", "-"))
    except SQLAlchemyError as e:
        log.warning("refusal not audited, the database said %s: %s %s %s",
                    type(e).__name__, request.method, route, code)
