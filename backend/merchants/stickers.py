"""The printed 一码查信 code: a short URL /m/<handle>-<serial> on PUBLIC_BASE_URL.

The serial is the merchant's code_serial: reissuing a sticker increments it, so an old
sticker's URL resolves to a 410 "void" page. /m/<handle> alone is the canonical page
(links from market pages); only a printed URL carries the serial.
"""

from __future__ import annotations

import re

from flask import current_app

import qr

REF = re.compile(r"^([A-Za-z0-9]{4,16})(?:-([0-9]{1,6}))?$")
MAX_VERSION = 5  # keeps modules large enough to scan from a sticker at arm's length


def parse_ref(ref: str) -> tuple[str, int | None] | None:
    """(handle, serial or None) from a URL segment, or None when it cannot be a merchant ref."""
    m = REF.match(ref or "")
    if m is None:
        return None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def page_path(handle: str, serial: int | None = None) -> str:
    return f"/m/{handle}" if serial is None else f"/m/{handle}-{serial}"


def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def sticker_url(handle: str, serial: int) -> str:
    """The URL printed on the current sticker."""
    return absolute_url(page_path(handle, serial))


def sticker_error_level(url: str) -> str:
    """The highest error level (H, else Q) fitting version 5; raises ValueError if even Q does not."""
    for level in ("H", "Q"):
        if qr.qr_version(url, level) <= MAX_VERSION:
            return level
    raise ValueError(f"sticker URL {url!r} needs QR version > {MAX_VERSION} at level Q; "
                     "shorten PUBLIC_BASE_URL")
