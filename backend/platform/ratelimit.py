"""Counting against a limit in code (not per route): one hit on Flask-Limiter's storage, shared by every
worker and host when REDIS_URL is set (memory:// counts per worker)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from flask import current_app
from limits import RateLimitItem, parse

from backend.platform.errors import RateLimited
from backend.platform.extensions import limiter

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=16)
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


def consume(setting: str, scope: str, key: str, message: str | Callable[[RateLimitItem], str]) -> None:
    """Count one hit of `key` against the limit in config[setting]; raises RateLimited (with Retry-After)
    past it (`message` may be built from the limit, only then). The storage being down does not stop the
    request (logged), as RATELIMIT_SWALLOW_ERRORS does."""
    item = _item(current_app.config[setting])
    key = current_app.config.get("RATELIMIT_KEY_PREFIX", "") + key
    try:
        allowed = limiter.limiter.hit(item, scope, key)
    except Exception:  # any storage failure: serve, degraded
        log.exception("rate-limit storage unavailable; %s not limited", scope)
        return
    if not allowed:
        reset = limiter.limiter.get_window_stats(item, scope, key).reset_time
        raise RateLimited(message(item) if callable(message) else message,
                          retry_after=max(1, int(reset - time.time()) + 1))
