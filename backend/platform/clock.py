"""The app's clock and China time: one place that says what "now" and "today" are.

The clock is config CLOCK (epoch seconds), so tests move time without patching. Dates in this
domain (record ages, list periods, quota periods, deadlines) are Shanwei dates, UTC+8: a list
entry that starts today is active from 00:00 China time, not from 08:00.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import current_app, has_app_context

CHINA = dt.timezone(dt.timedelta(hours=8))


def _clock() -> float:
    return current_app.config["CLOCK"]() if has_app_context() else time.time()


def now_ts() -> int:
    """Current time in whole epoch seconds."""
    return int(_clock())


def utcnow() -> dt.datetime:
    """Current time as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(_clock(), dt.UTC)


def from_ts(ts: float) -> dt.datetime:
    """Epoch seconds as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(ts, dt.UTC)


def local_time(ts: float) -> dt.datetime:
    """Epoch seconds as an aware China-time datetime."""
    return dt.datetime.fromtimestamp(ts, CHINA)


def local_date(moment: dt.datetime | float) -> dt.date:
    """The China date of an aware datetime or of epoch seconds."""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(CHINA).date()
    return local_time(moment).date()


def china_today() -> dt.date:
    """Today's date in Shanwei."""
    return local_time(_clock()).date()
