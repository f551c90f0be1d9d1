"""Sign/verify of the personal credit code: round trip, attacks, expiry, format."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from joserfc import jws
from joserfc import jwt as joserfc_jwt
from joserfc.jwk import OKPKey

from qr import (
    CODE_TTL,
    MAX_CODE_TTL,
    BadSignature,
    CodeClaims,
    ExpiredCode,
    MalformedCode,
    NotYetValid,
    UnknownKey,
    WrongTokenType,
    generate_signing_key,
    new_jti,
    public_jwk,
    qr_version,
    sign_code,
    verify_code,
)
from qr.b64 import b64url_decode, b64url_encode

NOW = 1_750_000_000  # the same fixed clock as conftest.py


def segment(value) -> str:
    """base64url of compact JSON (dict/list) or of a str/bytes as given."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, separators=(",", ":"))
    return b64url_encode(value.encode() if isinstance(value, str) else value)


def issue(key, **kw):
    args = {"sub": "k3Jd9xQ2", "grade": "B", "now": NOW, "jti": "Zx81bQpL"} | kw
    return sign_code(key, **args)


def test_round_trip(key, keys):
    code = issue(key)
    assert code.expires_at == NOW + CODE_TTL
    claims = verify_code(code.token, keys, now=NOW + 1)
    assert claims == CodeClaims(
        sub="k3Jd9xQ2", grade="B", jti="Zx81bQpL", expires_at=NOW + CODE_TTL, kid=key.kid
    )


@pytest.mark.parametrize("wrap", [lambda t: t, lambda t: "SWC:" + t, str.encode])
def test_prefix_and_bytes_accepted(key, keys, wrap):
    code = issue(key)
    assert not code.token.startswith("SWC:")
    assert verify_code(wrap(code.token), keys, now=NOW).jti == code.jti


def test_generated_jti_is_random():
    jtis = {new_jti() for _ in range(200)}
    assert len(jtis) == 200
    assert all(len(j) == 8 and j.isalnum() and j.isascii() for j in jtis)


def test_exact_header_and_claims(key):
    code = issue(key, grade="C", ttl=60)
    header, payload, sig = code.token.split(".")
    assert b64url_decode(header) == b'{"alg":"EdDSA","kid":"%s"}' % key.kid.encode()
    assert b64url_decode(payload) == (
        b'{"sub":"k3Jd9xQ2","g":"C","exp":%d,"jti":"Zx81bQpL"}' % (NOW + 60)
    )
    assert len(b64url_decode(sig)) == 64


def test_no_personal_data_only_four_claims(key):
    header, payload, _ = issue(key).token.split(".")
    assert list(json.loads(b64url_decode(header))) == ["alg", "kid"]
    assert list(json.loads(b64url_decode(payload))) == ["sub", "g", "exp", "jti"]


def test_realistic_code_fits_qr_version_10_at_m(key):
    code = sign_code(key, sub="k3Jd9xQ2", grade="A", now=NOW)  # 8-char sub, generated jti
    assert len(code.token) <= 213
    assert qr_version(code.token, "M") <= 10


def test_pyjwt_verifies_against_jwk(key):
    code = issue(key)
    public = jwt.PyJWK(public_jwk(key.public)).key
    claims = jwt.decode(code.token, public, algorithms=["EdDSA"], options={"verify_exp": False})
    assert claims == {"sub": "k3Jd9xQ2", "g": "B", "exp": NOW + CODE_TTL, "jti": "Zx81bQpL"}
    assert jwt.get_unverified_header(code.token) == {"alg": "EdDSA", "kid": key.kid}


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")  # joserfc, RFC 9864
def test_joserfc_verifies_against_jwk(key):
    code = issue(key)
    jwk = OKPKey.import_key(public_jwk(key.public))
    obj = jws.deserialize_compact(code.token, jwk, algorithms=["EdDSA"])
    assert obj.headers() == {"alg": "EdDSA", "kid": key.kid}
    token = joserfc_jwt.decode(code.token, jwk, algorithms=["EdDSA"])
    assert token.claims["g"] == "B"


def test_tampered_payload(key, keys):
    header, _, sig = issue(key, grade="D").token.split(".")
    better = segment({"sub": "k3Jd9xQ2", "g": "A", "exp": NOW + CODE_TTL, "jti": "Zx81bQpL"})
    with pytest.raises(BadSignature):
        verify_code(f"{header}.{better}.{sig}", keys, now=NOW)


def test_tampered_signature(key, keys):
    token = issue(key).token
    i = len(token) - 40  # inside the signature, away from the last char's padding bits
    flipped = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    with pytest.raises(BadSignature):
        verify_code(flipped, keys, now=NOW)


def test_signature_from_another_key(keys, claims, key):
    other = generate_signing_key()
    signing_input = f"{segment({'alg': 'EdDSA', 'kid': key.kid})}.{segment(claims)}"
    token = f"{signing_input}.{b64url_encode(other.private.sign(signing_input.encode()))}"
    with pytest.raises(BadSignature):
        verify_code(token, keys, now=NOW)


@pytest.mark.parametrize("sig", [b"", b"\0" * 64])
def test_alg_none(forge, keys, key, claims, sig):
    token = forge({"alg": "none", "kid": key.kid}, claims, sig=sig)
    with pytest.raises(BadSignature):
        verify_code(token, keys, now=NOW)


@pytest.mark.parametrize("alg", [None, "HS256", "ES256", "Ed25519", "eddsa", ["EdDSA"]])
def test_other_alg_never_reaches_a_key(forge, keys, key, claims, alg):
    header = {"kid": key.kid} if alg is None else {"alg": alg, "kid": key.kid}
    with pytest.raises(BadSignature):
        verify_code(forge(header, claims), keys, now=NOW)


@pytest.mark.parametrize("secret", ["raw", "jwk_x", "jwk_json"])
def test_hs256_keyed_with_public_key(key, keys, claims, secret):
    # The classic confusion attack: HMAC keyed with the (public!) verification key.
    jwk = public_jwk(key.public)
    mac_key = {
        "raw": b64url_decode(jwk["x"]),
        "jwk_x": jwk["x"].encode(),
        "jwk_json": json.dumps(jwk).encode(),
    }[secret]
    signing_input = f"{segment({'alg': 'HS256', 'kid': key.kid})}.{segment(claims)}"
    mac = hmac.new(mac_key, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(BadSignature):
        verify_code(f"{signing_input}.{b64url_encode(mac)}", keys, now=NOW)


@pytest.mark.parametrize("kid", ["nope1234", None, 12345678, ["x"], {"a": 1}])
def test_unknown_kid(forge, keys, claims, kid):
    header = {"alg": "EdDSA"} if kid is None else {"alg": "EdDSA", "kid": kid}
    with pytest.raises(UnknownKey):
        verify_code(forge(header, claims), keys, now=NOW)


def test_code_signed_by_a_key_we_do_not_trust(keys):
    code = issue(generate_signing_key())
    with pytest.raises(UnknownKey):
        verify_code(code.token, keys, now=NOW)


def test_expiry_with_leeway(key, keys):
    code = issue(key, ttl=60)
    exp = NOW + 60
    assert verify_code(code.token, keys, now=exp + 29).jti == code.jti  # inside leeway
    with pytest.raises(ExpiredCode):
        verify_code(code.token, keys, now=exp + 30)
    with pytest.raises(ExpiredCode):
        verify_code(code.token, keys, now=exp, leeway=0)
    assert verify_code(code.token, keys, now=exp - 1, leeway=0)


def test_future_dated(forge, keys, key, claims):
    edge = NOW + MAX_CODE_TTL + 30
    ok = forge({"alg": "EdDSA", "kid": key.kid}, claims | {"exp": edge})
    assert verify_code(ok, keys, now=NOW).expires_at == edge
    late = forge({"alg": "EdDSA", "kid": key.kid}, claims | {"exp": edge + 1})
    with pytest.raises(NotYetValid):
        verify_code(late, keys, now=NOW)
    # A code issued "in the future" by a signer with a fast clock.
    code = issue(key, now=NOW + 3600)
    with pytest.raises(NotYetValid):
        verify_code(code.token, keys, now=NOW)


@pytest.mark.parametrize("typ", ["JWT", "receipt+jws", "trust-bundle+jws", ""])
def test_typ_header_is_another_token_kind(forge, keys, key, claims, typ):
    token = forge({"alg": "EdDSA", "kid": key.kid, "typ": typ}, claims)
    with pytest.raises(WrongTokenType):
        verify_code(token, keys, now=NOW)


@pytest.mark.parametrize(
    "change",
    [
        {"g": None},
        {"sub": None},
        {"jti": None},
        {"exp": None},
        {"g": "E"},
        {"g": "a"},
        {"g": 1},
        {"sub": 42},
        {"sub": ""},
        {"exp": "1750000180"},
        {"exp": 1750000180.0},
        {"exp": True},
    ],
)
def test_claims_of_another_token_kind(forge, keys, key, claims, change):
    payload = {k: v for k, v in (claims | change).items() if v is not None}
    with pytest.raises(WrongTokenType):
        verify_code(forge({"alg": "EdDSA", "kid": key.kid}, payload), keys, now=NOW)


def test_crit_header_rejected(forge, keys, key, claims):
    token = forge({"alg": "EdDSA", "kid": key.kid, "crit": ["exp"]}, claims)
    with pytest.raises(MalformedCode):
        verify_code(token, keys, now=NOW)


NOT_UTF8 = segment(b"\xff\xfe")


def good_parts(forge, key, claims):
    return forge({"alg": "EdDSA", "kid": key.kid}, claims).split(".")


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda h, p, s: f"{h}.{p}", id="two-segments"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s}.{s}", id="four-segments"),
        pytest.param(lambda h, p, s: f"{h}=.{p}.{s}", id="padding"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s}==", id="padding-sig"),
        pytest.param(lambda h, p, s: f"{h}.{p}.+{s[1:]}", id="std-alphabet-plus"),
        pytest.param(lambda h, p, s: f"{h}.{p}/.{s}", id="std-alphabet-slash"),
        pytest.param(lambda h, p, s: f" {h}.{p}.{s}", id="space"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s}\n", id="newline"),
        pytest.param(lambda h, p, s: f".{p}.{s}", id="empty-header"),
        pytest.param(lambda h, p, s: f"{h}..{s}", id="empty-payload"),
        pytest.param(lambda h, p, s: f"{segment('not json')}.{p}.{s}", id="non-json-header"),
        pytest.param(lambda h, p, s: f"{segment(['EdDSA'])}.{p}.{s}", id="header-array"),
        pytest.param(lambda h, p, s: f"{segment('42')}.{p}.{s}", id="header-number"),
        pytest.param(lambda h, p, s: f"{h}.{NOT_UTF8}.{s}", id="payload-bytes"),
        pytest.param(lambda h, p, s: f"{h}.{segment('[1]')}.{s}", id="payload-array"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s}" + "A" * 400, id="oversize"),
        pytest.param(lambda h, p, s: "x" * 10_000, id="10kB"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s[:-1]}", id="sig-length-1-mod-4"),
        pytest.param(lambda h, p, s: "", id="empty"),
        pytest.param(lambda h, p, s: "SWC:", id="prefix-only"),
        pytest.param(lambda h, p, s: f"{h}.{p}.{s}é", id="non-ascii"),
    ],
)
def test_malformed(forge, keys, key, claims, build):
    token = build(*good_parts(forge, key, claims))
    with pytest.raises(MalformedCode):
        verify_code(token, keys, now=NOW)


def test_non_canonical_base64url(forge, keys, key, claims):
    h, p, s = good_parts(forge, key, claims)
    assert len(h) % 4 in (2, 3)  # the last character carries unused low bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelt = h[:-1] + alphabet[alphabet.index(h[-1]) + 1]  # same bytes, other spelling
    assert base64.urlsafe_b64decode(respelt + "==") == base64.urlsafe_b64decode(h + "==")
    with pytest.raises(MalformedCode):
        verify_code(f"{respelt}.{p}.{s}", keys, now=NOW)


@pytest.mark.parametrize("token", [None, 42, ["a.b.c"], b"\xff" * 20, b"x" * 10_000])
def test_malformed_types(keys, token):
    with pytest.raises(MalformedCode):
        verify_code(token, keys, now=NOW)


@pytest.mark.parametrize(
    "kw",
    [
        {"grade": "E"},
        {"grade": "a"},
        {"grade": ""},
        {"sub": ""},
        {"sub": "a.b"},
        {"sub": "x" * 17},
        {"sub": "名字"},
        {"sub": 12345678},
        {"jti": "bad jti"},
        {"jti": ""},
        {"ttl": 0},
        {"ttl": MAX_CODE_TTL + 1},
        {"ttl": 1.5},
        {"now": "1750000000"},
        {"now": -1},
    ],
)
def test_sign_code_rejects_bad_input(key, kw):
    with pytest.raises(ValueError):
        issue(key, **kw)
