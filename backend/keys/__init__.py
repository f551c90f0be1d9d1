"""Signing keys and personal codes: the key ring that signs and verifies, rotation, JWKS, code issuing."""

from backend.keys.card_keyring import (
    card_jwks,
    card_keys,
)
from backend.keys.codes import (
    CodeHolder,
    issue_code,
)
from backend.keys.models import (
    SigningKey,
)
from backend.keys.ring import (
    ensure_signing_key,
    jwks,
    keyring,
    rotate,
    scenario_key,
    seal_key,
    sign_page,
)

__all__ = [
    "CodeHolder",
    "SigningKey",
    "card_jwks",
    "card_keys",
    "ensure_signing_key",
    "issue_code",
    "jwks",
    "keyring",
    "rotate",
    "scenario_key",
    "seal_key",
    "sign_page",
]
