"""The app's one Redis connection (REDIS_URL), for what workers must share beyond the rate limiter.

None without REDIS_URL. Every call is bounded by REDIS_TIMEOUT, and after a failure the app leaves Redis
alone for REDIS_RETRY_SECONDS, so a hung or stopped Redis costs one timeout, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Store:
    def __init__(self, url: str, timeout: float, retry_after: float) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self._retry_after, self._down_until = retry_after, 0.0

    def call(self, what: str, fn: Callable[[Any], T]) -> T | None:
        """fn(client), or None while Redis is failing (logged once per outage)."""
        if time.monotonic() < self._down_until:
            return None
        try:
            return fn(self.client)
        except Exception:  # any Redis failure: degrade, never fail the request
            log.warning("redis unavailable (%s); going on without it for %.0f s", what, self._retry_after,
                        exc_info=True)
            self._down_until = time.monotonic() + self._retry_after
            return None


def _store() -> _Store | None:
    config = current_app.config
    if not config.get("REDIS_URL"):
        return None
    store = current_app.extensions.get("redis_store")
    if store is None:
        store = current_app.extensions["redis_store"] = _Store(
            config["REDIS_URL"], float(config["REDIS_TIMEOUT"]), float(config["REDIS_RETRY_SECONDS"]))
    return store


def call(what: str, fn: Callable[[Any], T]) -> T | None:
    """fn(redis client) with this app's bounds; None without REDIS_URL or while Redis is failing."""
    store = _store()
    return None if store is None else store.call(what, fn)


def key(name: str) -> str:
    """A key in this deployment's namespace (REDIS_KEY_PREFIX), so deployments and tests sharing a Redis
    do not meet."""
    return current_app.config["REDIS_KEY_PREFIX"] + name
