"""One bounded, per-worker TTL cache for every hot path (scanner devices, incentive rules, merchant
pages, the measures catalogue, the key ring).

Each cache lives in its app (app.extensions), holds at most `max_entries` values (least recently
used go first) for at most its TTL, read from a setting so deployments and tests tune it. It never
stores None: a miss for an unknown credential goes to the database every time, so random tokens
cannot fill a worker's memory. Time is the app's CLOCK, so tests can age entries. Writes through
this worker forget entries at once (forget, usually from db.on_commit); writes elsewhere show within
the TTL — or at once for a cache in a shared group when REDIS_URL is set: forget() also bumps the
group's version counter in Redis, and every worker reads that counter (once per request) before using
the cache, dropping its entries when it moved. Redis failing falls back to the TTL.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from flask import current_app

from backend.platform import redis_store

T = TypeVar("T")

# The group of caches a revocation must reach on every worker at once: scanner devices, incentive rules
# and scenario slots, the key ring. One group, so a request reads one counter.
REVOCATIONS = "revocations"


# Shared versions already read in this request (platform.web.hooks opens and closes it); outside a
# request (CLI, jobs) every use reads the counter.
_versions_read: ContextVar[dict[str, int | None] | None] = ContextVar("cache_versions_read", default=None)


def begin_request() -> None:
    _versions_read.set({})


def end_request(_exc: BaseException | None = None) -> None:
    _versions_read.set(None)


def _shared_version(group: str) -> int | None:
    """The group's version counter in Redis (read once per request); None without Redis."""
    memo = _versions_read.get()
    if memo is None:
        memo = {}
    if group not in memo:  # None without REDIS_URL or while Redis fails: the TTL alone bounds staleness
        memo[group] = redis_store.call(
            "cache version", lambda r: int(r.get(redis_store.key("cache-version:" + group)) or 0))
    return memo[group]


def _bump(group: str) -> None:
    redis_store.call("cache version", lambda r: r.incr(redis_store.key("cache-version:" + group)))


class TTLCache:
    """A bounded LRU of values that expire `ttl()` seconds after they were loaded."""

    def __init__(self, ttl: Callable[[], float], max_entries: int, shared: str | None = None) -> None:
        self._ttl, self._max, self._shared = ttl, max_entries, shared
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process
        self._seen: int | None = None  # the shared group's version the entries belong to

    def _follow_group(self) -> None:
        """Drop every entry when another worker forgot this group since they were loaded."""
        version = _shared_version(self._shared) if self._shared else None
        if version is not None and version != self._seen:
            with self._lock:
                self._data.clear()
                self._seen = version

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value for key, else load() (a None or an exception is never cached)."""
        ttl = self._ttl()
        if ttl <= 0:
            return load()
        self._follow_group()
        now = current_app.config["CLOCK"]()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] > now:
                self._data.move_to_end(key)
                return hit[1]
        value = load()
        if value is not None:
            with self._lock:
                self._data[key] = (now + ttl, value)
                self._data.move_to_end(key)
                while len(self._data) > self._max:
                    self._data.popitem(last=False)
        return value

    def forget(self, match: Callable[[Hashable], bool] | None = None) -> None:
        """Drop the entries whose key matches (every entry without a predicate); in a shared group every
        other worker drops all of its entries of the group at its next request."""
        if self._shared:
            _bump(self._shared)
        with self._lock:
            if match is None:
                self._data.clear()
            else:
                for key in [k for k in self._data if match(k)]:
                    del self._data[key]

    def __len__(self) -> int:
        return len(self._data)


def cache(name: str, *, ttl_setting: str | None = None, ttl: float | None = None,
          max_entries: int = 1024, shared: str | None = None) -> TTLCache:
    """This app's cache called `name`, created on first use; its TTL is config[ttl_setting] or `ttl`.
    `shared` names a group whose forgetting reaches every worker through Redis (module docstring)."""
    caches = current_app.extensions.setdefault("ttl_caches", {})
    found = caches.get(name)
    if found is None:
        config = current_app.config
        lifetime = (lambda: float(config[ttl_setting])) if ttl_setting else (lambda: float(ttl or 0))
        found = caches[name] = TTLCache(lifetime, max_entries, shared)
    return found
