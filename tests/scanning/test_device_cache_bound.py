"""Unknown device tokens are never cached: 10,000 random tokens leave the worker's memory as it was."""

from __future__ import annotations

import secrets
import tracemalloc
from pathlib import Path

import pytest

from backend.platform.errors import Unauthorized
from backend.scanning.devices import authenticate_device

BACKEND = str(Path(__file__).resolve().parents[2] / "backend")


def retained_by_backend(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot) -> int:
    """Bytes still held at the end that were allocated by lines of backend/ code."""
    return sum(stat.size_diff for stat in after.compare_to(before, "filename")
               if stat.traceback[0].filename.startswith(BACKEND) and stat.size_diff > 0)


def test_ten_thousand_random_device_tokens_leave_the_cache_bounded(app):
    app.config["SCAN_CACHE_SECONDS"] = 5  # caching on, as in production
    tokens = [f"dev_{secrets.token_urlsafe(32)}" for _ in range(10_000)]
    for token in tokens[:100]:  # warm up: statement caches, the cache object itself
        with pytest.raises(Unauthorized):
            authenticate_device(token)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for token in tokens[100:]:
            with pytest.raises(Unauthorized):
                authenticate_device(token)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert retained_by_backend(before, after) < 64 * 1024
