"""Fault tests start their own PostgreSQL cluster, Redis and gunicorns: slow, so only with `pytest -m faults`."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    if "faults" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="fault tests run with: pytest -m faults")
    for item in items:
        if item.get_closest_marker("faults"):
            item.add_marker(skip)
