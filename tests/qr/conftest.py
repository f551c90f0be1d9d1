"""Fixtures for the qr library tests: keys and a hand-made JWS forger (no app, no DB)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from qr import SigningKey, generate_signing_key
from qr.b64 import b64url_encode

NOW = 1_750_000_000  # a fixed clock (June 2025); test modules repeat it


def segment(value: Any) -> str:
    """base64url of compact JSON."""
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode())


@pytest.fixture
def key() -> SigningKey:
    return generate_signing_key()


@pytest.fixture
def keys(key: SigningKey) -> dict:
    return {key.kid: key.public}


@pytest.fixture
def forge(key: SigningKey) -> Callable[..., str]:
    """Build a compact JWS by hand, signed with Ed25519 by `key` unless `sig` is given."""

    def make(header: Any, payload: Any, *, sig: bytes | None = None) -> str:
        signing_input = f"{segment(header)}.{segment(payload)}"
        if sig is None:
            sig = key.private.sign(signing_input.encode())
        return f"{signing_input}.{b64url_encode(sig)}"

    return make


@pytest.fixture
def claims() -> dict:
    return {"sub": "k3Jd9xQ2", "g": "A", "exp": NOW + 180, "jti": "Zx81bQpL"}
