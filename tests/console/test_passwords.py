"""scrypt password hashes and RFC 6238 TOTP (the RFC's own SHA-1 test vectors)."""

from __future__ import annotations

import base64

from backend.console.passwords import check_password, hash_password, hotp, totp_match, totp_step

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


def test_scrypt_hashes_check_and_differ_by_salt():
    one, two = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert one != two and one.startswith("scrypt$32768$8$1$")
    assert check_password("correct horse battery", one) and not check_password("correct horse batterY", one)
    assert not check_password("x", "not-a-hash")


def test_rfc_6238_vectors():
    # Appendix B, SHA-1, 8 digits.
    for ts, code in ((59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
                     (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")):
        assert hotp(RFC_SECRET, totp_step(ts), digits=8) == code


def test_rfc_4226_vectors():
    assert [hotp(RFC_SECRET, i) for i in range(3)] == ["755224", "287082", "359152"]


def test_a_code_matches_within_one_step_and_once():
    now = 1_800_000_000
    step = totp_step(now)
    assert totp_match(RFC_SECRET, hotp(RFC_SECRET, step), now, 0) == step
    assert totp_match(RFC_SECRET, hotp(RFC_SECRET, step - 1), now, 0) == step - 1
    assert totp_match(RFC_SECRET, hotp(RFC_SECRET, step - 2), now, 0) is None
    assert totp_match(RFC_SECRET, hotp(RFC_SECRET, step), now, step) is None  # used already
    assert totp_match(RFC_SECRET, "12345", now, 0) is None


def test_the_cli_sets_a_password_sign_in(app, runner):
    from tests.factories import operator_token

    operator_token("admin")
    result = runner.invoke(args=["set-console-login", "1", "root.admin", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    secret = result.output.splitlines()[1]
    assert len(secret) == 32 and "otpauth://totp/" in result.output
    short = runner.invoke(args=["set-console-login", "1", "root.admin", "--password", "short"])
    assert short.exit_code == 1 and "至少 12 个字符" in short.output
