"""The app's clock: config CLOCK (epoch seconds), so tests can move time without patching."""

from __future__ import annotations

import datetime as dt
import time

from flask import current_app, has_app_context


def now_ts() -> int:
    """Current time in whole epoch seconds."""
    clock = current_app.config["CLOCK"] if has_app_context() else time.time
    return int(clock())


def utcnow() -> dt.datetime:
    """Current time as an aware UTC datetime."""
    clock = current_app.config["CLOCK"] if has_app_context() else time.time
    return dt.datetime.fromtimestamp(clock(), dt.timezone.utc)


def from_ts(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc)
