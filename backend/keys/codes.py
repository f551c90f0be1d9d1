"""Issuing personal credit codes, in the configured format (CODE_FORMAT, default 2).

Format 2 (qr.pseudonym): the holder's handle and code generation sealed in a per-code pseudonym,
and per scenario slot the offline incentives the holder qualifies for, masked with that scenario's
key. Which incentives those are is the scanning feature's knowledge: the app factory installs its
`code_eligibility(holder) -> {slot: (scenario, bits)}` as app.extensions["code_eligibility"].
Format 1 (handle and grade in clear) stays available while scanners move over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from flask import current_app

import qr
from backend.keys.ring import keyring, scenario_key, seal_key
from backend.platform.clock import now_ts

Eligibility = Mapping[int, tuple[str, int]]  # slot -> (scenario, 4 bits of offline incentives)


class CodeHolder(Protocol):
    """A person a code is issued to: a Subject, or the mini-program principal that carries the same fields."""

    handle: str
    grade: str | None
    code_generation: int


# Format 1 carries a grade letter; an unrated person (grade NULL) is signed as C there, so no offline
# scanner grants a perk meant for A/B (online scans read the NULL grade and refuse `grade`). Format 2
# carries no grade: an unrated holder qualifies for no offline incentive.
UNRATED_CODE_GRADE = "C"


def _eligibility(holder: CodeHolder) -> Eligibility:
    provider: Callable[[CodeHolder], Eligibility] | None = current_app.extensions.get("code_eligibility")
    return provider(holder) if provider is not None else {}


def issue_code(holder: CodeHolder) -> qr.IssuedCode:
    """A fresh short-lived code for a person (callers make sure it is one); raises Unavailable as keyring() does."""
    ttl = min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)
    ring = keyring()
    if current_app.config["CODE_FORMAT"] == 1:
        return qr.sign_code(ring.signer, sub=holder.handle, grade=holder.grade or UNRATED_CODE_GRADE, now=now_ts(),
                            ttl=ttl)
    kid = ring.signer.kid
    seal = seal_key(ring, kid)
    # The signer holds its private half, from which a key made before format 2 derives its code secret.
    assert seal is not None, "a signer always has a code secret"
    sub = qr.seal_handle(seal, holder.handle, holder.code_generation)
    eligibility = _eligibility(holder)
    keys = {slot: scenario_key(ring, kid, scenario) for slot, (scenario, _) in eligibility.items()}
    bits = {slot: nibble for slot, (_, nibble) in eligibility.items()}
    return qr.sign_code_v2(ring.signer, sub=sub, eligibility=qr.pack_eligibility(sub, bits, keys), now=now_ts(),
                           ttl=ttl)
