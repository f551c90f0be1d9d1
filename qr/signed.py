"""Signed server documents (receipts, trust bundles): compact JWS, EdDSA, with a ``typ`` header.

The ``typ`` header is what keeps a document from ever passing as a personal code:
``verify_code`` refuses any token that has one, and ``verify_document`` refuses any
token whose ``typ`` is not the one asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from qr.b64 import b64url_encode
from qr.codes import check_signature, parse_compact
from qr.errors import MalformedCode, WrongTokenType
from qr.keys import SigningKey

RECEIPT_TYP = "sw-receipt+jwt"
BUNDLE_TYP = "sw-trust-bundle+jwt"
CHANGES_TYP = "sw-changes+jwt"  # a page of the change feed (backend.credit.changes)
MAX_DOCUMENT_CHARS = 2_000_000


def _segment(value: Any) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def sign_document(key: SigningKey, typ: str, claims: Mapping[str, Any]) -> str:
    """Sign claims as a compact JWS with header alg/kid/typ; raises TypeError on non-JSON claims."""
    signing_input = f"{_segment({'alg': 'EdDSA', 'kid': key.kid, 'typ': typ})}.{_segment(dict(claims))}"
    return f"{signing_input}.{b64url_encode(key.private.sign(signing_input.encode('ascii')))}"


def verify_document(token: str, keys: Mapping[str, Ed25519PublicKey], typ: str) -> dict[str, Any]:
    """Return the claims of a document of this typ; raises MalformedCode, BadSignature, UnknownKey, WrongTokenType."""
    if not isinstance(token, str) or len(token) > MAX_DOCUMENT_CHARS:
        raise MalformedCode("document must be a str of reasonable size")
    header_b64, payload_b64, header, payload, signature = parse_compact(token)
    if header.get("typ") != typ:
        raise WrongTokenType(f"typ is not {typ}")
    check_signature(header_b64, payload_b64, header, signature, keys)
    return payload
