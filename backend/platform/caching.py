"""One bounded, per-worker TTL cache for every hot path (scanner devices, incentive rules, merchant
pages, the measures catalogue, the key ring).

Each cache lives in its app (app.extensions), holds at most `max_entries` values (least recently
used go first) for at most its TTL, read from a setting so deployments and tests tune it. It never
stores None: a miss for an unknown credential goes to the database every time, so random tokens
cannot fill a worker's memory. Time is the app's CLOCK, so tests can age entries. Writes through
this worker forget entries at once (forget/clear, usually from db.on_commit); writes elsewhere
show within the TTL.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")


class TTLCache:
    """A bounded LRU of values that expire `ttl()` seconds after they were loaded."""

    def __init__(self, ttl: Callable[[], float], max_entries: int) -> None:
        self._ttl, self._max = ttl, max_entries
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value for key, else load() (a None or an exception is never cached)."""
        ttl = self._ttl()
        if ttl <= 0:
            return load()
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
        """Drop the entries whose key matches (every entry without a predicate)."""
        with self._lock:
            if match is None:
                self._data.clear()
            else:
                for key in [k for k in self._data if match(k)]:
                    del self._data[key]

    def __len__(self) -> int:
        return len(self._data)


def cache(name: str, *, ttl_setting: str | None = None, ttl: float | None = None,
          max_entries: int = 1024) -> TTLCache:
    """This app's cache called `name`, created on first use; its TTL is config[ttl_setting] or `ttl`."""
    caches = current_app.extensions.setdefault("ttl_caches", {})
    found = caches.get(name)
    if found is None:
        config = current_app.config
        lifetime = (lambda: float(config[ttl_setting])) if ttl_setting else (lambda: float(ttl or 0))
        found = caches[name] = TTLCache(lifetime, max_entries)
    return found
