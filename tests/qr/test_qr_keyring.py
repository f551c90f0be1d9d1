"""KeyRing: one signer, retired keys verify through their grace period, then drop out."""

from __future__ import annotations

import pytest

from qr import (
    LEEWAY,
    KeyRing,
    RingKey,
    UnknownKey,
    generate_signing_key,
    public_jwk,
    sign_code,
    verify_code,
)

NOW = 1_750_000_000
TTL = 300


def ring_key(key, retired_at=None, private=True):
    return RingKey(
        kid=key.kid,
        public=key.public,
        private=key.private if private else None,
        retired_at=retired_at,
    )


def test_single_signer():
    key = generate_signing_key()
    ring = KeyRing([ring_key(key)], max_code_ttl=TTL)
    assert ring.signer.kid == key.kid
    assert ring.signer.private_bytes() == key.private_bytes()
    assert list(ring.verification_keys(NOW)) == [key.kid]
    assert ring.published(NOW) == [public_jwk(key.public)]


def test_retired_key_verifies_during_grace_then_is_unknown():
    old, new = generate_signing_key(), generate_signing_key()
    # Last code of the old key, signed just before rotation, with the longest ttl.
    code = sign_code(old, sub="k3Jd9xQ2", grade="A", now=NOW, ttl=TTL)
    ring = KeyRing([ring_key(old, retired_at=NOW), ring_key(new)], max_code_ttl=TTL)
    assert ring.signer.kid == new.kid

    last_ok = NOW + TTL + LEEWAY - 1
    keys = ring.verification_keys(last_ok)
    assert set(keys) == {old.kid, new.kid}
    assert [j["kid"] for j in ring.published(last_ok)] == [new.kid, old.kid]
    assert verify_code(code.token, keys, now=last_ok).kid == old.kid

    gone = NOW + TTL + LEEWAY
    assert list(ring.verification_keys(gone)) == [new.kid]
    assert [j["kid"] for j in ring.published(gone)] == [new.kid]
    with pytest.raises(UnknownKey):
        verify_code(code.token, ring.verification_keys(gone), now=gone)


def test_several_retired_keys_drop_out_in_order():
    keys = [generate_signing_key() for _ in range(4)]
    ring = KeyRing(
        [
            ring_key(keys[0], retired_at=NOW, private=False),
            ring_key(keys[2], retired_at=NOW + 200),
            ring_key(keys[1], retired_at=NOW + 100, private=False),
            ring_key(keys[3]),
        ],
        max_code_ttl=TTL,
    )
    grace = TTL + LEEWAY
    kids = [k.kid for k in keys]
    assert [j["kid"] for j in ring.published(NOW)] == [kids[3], kids[2], kids[1], kids[0]]
    assert set(ring.verification_keys(NOW + grace)) == {kids[3], kids[2], kids[1]}
    assert set(ring.verification_keys(NOW + 100 + grace)) == {kids[3], kids[2]}
    assert set(ring.verification_keys(NOW + 200 + grace)) == {kids[3]}
    # Time going backwards (a test clock, a restored snapshot) gives them back.
    assert len(ring.verification_keys(NOW)) == 4


def test_returned_collections_are_copies():
    key = generate_signing_key()
    ring = KeyRing([ring_key(key)], max_code_ttl=TTL)
    ring.verification_keys(NOW).clear()
    ring.published(NOW)[0]["x"] = "tampered"
    assert list(ring.verification_keys(NOW)) == [key.kid]
    assert ring.published(NOW)[0] == public_jwk(key.public)


def test_two_signers_rejected():
    with pytest.raises(ValueError):
        KeyRing([ring_key(generate_signing_key()), ring_key(generate_signing_key())])


def test_no_signer_rejected():
    with pytest.raises(ValueError):
        KeyRing([ring_key(generate_signing_key(), retired_at=NOW)])
    with pytest.raises(ValueError):
        KeyRing([])


def test_active_key_needs_private_half():
    with pytest.raises(ValueError):
        KeyRing([ring_key(generate_signing_key(), private=False)])


def test_duplicate_kid_rejected():
    key = generate_signing_key()
    with pytest.raises(ValueError):
        KeyRing([ring_key(key), ring_key(key, retired_at=NOW)])


def test_kid_must_be_the_keys_kid():
    key = generate_signing_key()
    with pytest.raises(ValueError):
        KeyRing([RingKey(kid="AAAAAAAA", public=key.public, private=key.private)])


def test_private_and_public_must_match():
    a, b = generate_signing_key(), generate_signing_key()
    with pytest.raises(ValueError):
        KeyRing([RingKey(kid=a.kid, public=a.public, private=b.private)])


@pytest.mark.parametrize("ttl", [0, -5, "300"])
def test_max_code_ttl_must_be_positive(ttl):
    with pytest.raises(ValueError):
        KeyRing([ring_key(generate_signing_key())], max_code_ttl=ttl)
