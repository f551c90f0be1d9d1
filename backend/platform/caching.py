"""A per-process micro-cache of public merchant pages, bounded in age and size.

Without it every scan costs four indexed selects (~2 ms of CPU on PostgreSQL), and the
page runs at a tenth of a trivial endpoint's rate. With it a burst of scans of one
stall costs one build per second per worker. Freshness: writes through this process
forget the merchant's entries at once; writes elsewhere (other workers, other hosts, the
grading job) show within MERCHANT_PAGE_CACHE_SECONDS, plus the browser's max-age.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

MAX_ENTRIES = 4096


def _store() -> dict:
    return current_app.extensions.setdefault("merchant_page_cache", {})


def cached(key: tuple[str, str], build: Callable[[], Any]) -> Any:
    """The value built for key within the last MERCHANT_PAGE_CACHE_SECONDS, else build() (errors are not cached)."""
    ttl = current_app.config["MERCHANT_PAGE_CACHE_SECONDS"]
    if ttl <= 0:
        return build()
    store, now = _store(), current_app.config["CLOCK"]()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = build()
    if len(store) >= MAX_ENTRIES:  # bounded: dropping everything is cheaper than tracking recency
        store.clear()
    store[key] = (now + ttl, value)
    return value


def forget(handle: str) -> None:
    """Drop every cached page of this merchant in this process (call after a committed write)."""
    store = _store()
    for key in [k for k in store if k[1] == handle or k[1].startswith(handle + "-")]:
        store.pop(key, None)
