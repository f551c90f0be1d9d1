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
    grade: str | None


# The code format still carries a grade letter; an unrated person (grade NULL) is signed as C, so no
# offline scanner grants a perk meant for A/B (online scans read the NULL grade and refuse `grade`).
UNRATED_CODE_GRADE = "C"


def issue_code(holder: CodeHolder) -> qr.IssuedCode:
    """A fresh short-lived code for a person (callers make sure it is one)."""
    ttl = min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)
    return qr.sign_code(keyring().signer, sub=holder.handle, grade=holder.grade or UNRATED_CODE_GRADE,
                        now=now_ts(), ttl=ttl)
