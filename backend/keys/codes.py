"""Issuing personal credit codes: sign the holder's handle and current grade with the ring's signer."""

from __future__ import annotations

from typing import Protocol

from flask import current_app

import qr
from backend.keys.ring import keyring
from backend.platform.clock import now_ts


class CodeHolder(Protocol):
    """A person a code is issued to: a Subject, or the mini-program principal that carries the same two fields."""

    handle: str
    grade: str


def issue_code(holder: CodeHolder) -> qr.IssuedCode:
    """A fresh short-lived code for a person (callers make sure it is one)."""
    ttl = min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)
    return qr.sign_code(keyring().signer, sub=holder.handle, grade=holder.grade, now=now_ts(), ttl=ttl)
