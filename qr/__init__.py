"""Signed personal credit codes: Ed25519 keys, compact JWS sign/verify, pseudonyms, QR rendering.

Pure library: no Flask, no database, no clock. Keys and ``now`` (int epoch seconds)
are arguments, so a scanner device can verify codes with this package alone.
"""

from qr.cards import (
    CARD_TYP,
    MAX_CARD_DAYS,
    CardClaims,
    is_card,
    sign_card,
    verify_card,
)
from qr.codes import (
    CODE_TTL,
    LEEWAY,
    MAX_CODE_TTL,
    PREFIX,
    CodeClaims,
    IssuedCode,
    new_jti,
    sign_code,
    sign_code_v2,
    verify_code,
)
from qr.errors import (
    BadSignature,
    CodeError,
    ExpiredCode,
    MalformedCode,
    NotYetValid,
    UnknownKey,
    WrongTokenType,
)
from qr.keyring import (
    KeyRing,
    RingKey,
)
from qr.keys import (
    SigningKey,
    generate_signing_key,
    kid_for,
    public_from_jwk,
    public_jwk,
    thumbprint,
)
from qr.offline import (
    OUTCOMES,
    OfflineResult,
    TrustBundle,
    load_bundle,
    scan_outcome,
    verify_offline,
)
from qr.pseudonym import (
    open_handle,
    pack_eligibility,
    read_eligibility,
    scenario_key,
    seal_handle,
    seal_key,
)
from qr.render import (
    qr_matrix,
    qr_version,
    render_png,
    render_svg,
)
from qr.signed import (
    BUNDLE_TYP,
    CHANGES_TYP,
    RECEIPT_TYP,
    sign_document,
    verify_document,
)

__all__ = [
    "BUNDLE_TYP",
    "CARD_TYP",
    "CHANGES_TYP",
    "CODE_TTL",
    "LEEWAY",
    "MAX_CARD_DAYS",
    "MAX_CODE_TTL",
    "OUTCOMES",
    "PREFIX",
    "RECEIPT_TYP",
    "BadSignature",
    "CardClaims",
    "CodeClaims",
    "CodeError",
    "ExpiredCode",
    "IssuedCode",
    "KeyRing",
    "MalformedCode",
    "NotYetValid",
    "OfflineResult",
    "RingKey",
    "SigningKey",
    "TrustBundle",
    "UnknownKey",
    "WrongTokenType",
    "generate_signing_key",
    "is_card",
    "kid_for",
    "load_bundle",
    "new_jti",
    "open_handle",
    "pack_eligibility",
    "public_from_jwk",
    "public_jwk",
    "qr_matrix",
    "qr_version",
    "read_eligibility",
    "render_png",
    "render_svg",
    "scan_outcome",
    "scenario_key",
    "seal_handle",
    "seal_key",
    "sign_card",
    "sign_code",
    "sign_code_v2",
    "sign_document",
    "thumbprint",
    "verify_card",
    "verify_code",
    "verify_document",
    "verify_offline",
]
