"""Keys, kids and JWKs: RFC 7638 thumbprints, RFC 8037 JWK round trip, seeds."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc.jwk import OKPKey

from qr import (
    SigningKey,
    generate_signing_key,
    kid_for,
    public_from_jwk,
    public_jwk,
    thumbprint,
)
from qr.b64 import b64url_decode

# RFC 8037 Appendix A.2/A.3: the Ed25519 test key and its RFC 7638 thumbprint.
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_rfc8037_thumbprint_vector():
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(RFC8037_X))
    assert thumbprint(public) == RFC8037_THUMBPRINT
    assert kid_for(public) == RFC8037_THUMBPRINT[:8] == "kPrK_qmx"


def test_rfc8037_private_key_gives_its_public_key():
    key = SigningKey.from_private_bytes(b64url_decode(RFC8037_D))
    assert public_jwk(key.public)["x"] == RFC8037_X
    assert key.kid == "kPrK_qmx"


def test_thumbprint_matches_joserfc():
    for _ in range(5):
        public = generate_signing_key().public
        assert thumbprint(public) == OKPKey.import_key(public_jwk(public)).thumbprint()


def test_public_jwk_shape():
    key = generate_signing_key()
    jwk = public_jwk(key.public)
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwk["x"],
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }
    assert len(jwk["x"]) == 43 and "d" not in jwk


def test_jwk_round_trip():
    public = generate_signing_key().public
    again = public_from_jwk(public_jwk(public))
    assert public_jwk(again) == public_jwk(public)
    assert public_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X})


@pytest.mark.parametrize(
    "jwk",
    [
        None,
        "not a dict",
        [],
        {},
        {"kty": "RSA", "crv": "Ed25519", "x": RFC8037_X},
        {"kty": "OKP", "crv": "X25519", "x": RFC8037_X},
        {"kty": "OKP", "crv": "Ed448", "x": RFC8037_X},
        {"kty": "OKP", "crv": "Ed25519"},
        {"kty": "OKP", "crv": "Ed25519", "x": 42},
        {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X + "="},
        {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X[:-2]},
        {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X + "AAAA"},
        {"kty": "OKP", "crv": "Ed25519", "x": "!" * 43},
        {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X, "alg": "RS256"},
        {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X, "use": "enc"},
    ],
)
def test_public_from_jwk_rejects_junk(jwk):
    with pytest.raises(ValueError):
        public_from_jwk(jwk)


def test_kid_is_truncated_thumbprint():
    public = generate_signing_key().public
    assert len(thumbprint(public)) == 43
    assert kid_for(public) == thumbprint(public)[:8]


def test_private_bytes_round_trip():
    key = generate_signing_key()
    raw = key.private_bytes()
    assert len(raw) == 32
    again = SigningKey.from_private_bytes(raw)
    assert again.kid == key.kid
    assert again.private_bytes() == raw


@pytest.mark.parametrize("raw", [b"", b"x" * 31, b"x" * 33, "x" * 32])
def test_from_private_bytes_wrong_length(raw):
    with pytest.raises(ValueError):
        SigningKey.from_private_bytes(raw)


def test_signing_key_kid_must_match():
    key = generate_signing_key()
    with pytest.raises(ValueError):
        SigningKey(private=key.private, kid="AAAAAAAA")


def test_repr_shows_no_key_material():
    key = generate_signing_key()
    assert repr(key) == f"SigningKey(kid={key.kid!r})"
