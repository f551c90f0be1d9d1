"""Signed checkpoints of the audit chain (issue 11, item 8): whoever holds the database but not the signing key
cannot rewrite the log unnoticed; auditors keep the published checkpoint."""

from __future__ import annotations

import itertools
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import delete, select

import qr
from backend.models import AuditCheckpoint, AuditEntry, AuditHead
from backend.platform import audit
from backend.platform.audit_checkpoints import CHECKPOINT_TYP, digest_of, verify_log, write_checkpoint
from tests.factories import bearer, operator_token

URL = "/.well-known/audit-checkpoint"


def some_entries(n: int = 3) -> None:
    for _ in range(n):
        operator_token("admin")


def verify(runner, *args) -> tuple[int, str]:
    result = runner.invoke(args=["verify-audit-log", *args])
    return result.exit_code, result.output


def rewrite_and_rechain(db, seq: int, **changes) -> None:
    """What an intruder with database access does: change entry `seq`, recompute every later hash and the head."""
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)).all()
    prev = rows[0].prev_hash
    for i, row in enumerate(rows):
        if i == 0:
            for name, value in changes.items():
                setattr(row, name, value)
        row.prev_hash = prev
        row.hash = prev = audit.entry_hash(row)
    db.session.get(AuditHead, 1).hash = prev
    db.session.commit()


def kept_document(client, tmp_path, name: str = "kept.json"):
    resp = client.get(URL)
    assert resp.status_code == 200
    path = tmp_path / name
    path.write_text(resp.get_data(as_text=True))
    return path


def test_rewriting_and_rechaining_is_detected_by_the_signed_checkpoint(runner, db):
    some_entries()
    assert runner.invoke(args=["audit-checkpoint"]).exit_code == 0
    some_entries(1)
    rewrite_and_rechain(db, 2, actor="operator:999")
    assert audit.verify_chain().ok  # the plain hash chain cannot tell
    code, output = verify(runner)
    assert code == 1 and "entries 1–5 were rewritten" in output


def test_audit_checkpoint_is_idempotent_until_the_head_moves(runner, db):
    assert "empty: nothing to sign" in runner.invoke(args=["audit-checkpoint"]).output
    some_entries(2)
    first = runner.invoke(args=["audit-checkpoint"]).output
    again = runner.invoke(args=["audit-checkpoint"]).output
    # Entries 1-2, then the first signing key (entry 3, made on first use), then the checkpoint's own entry.
    assert "checkpoint at entry 4 signed" in first and "checkpoint at entry 4 already current" in again
    some_entries(1)
    assert "checkpoint at entry 6 signed" in runner.invoke(args=["audit-checkpoint"]).output
    rows = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)).all()
    assert [r.seq for r in rows] == [4, 6] and rows[1].prev_digest == rows[0].digest
    # Each checkpoint is an entry of its own, so deleting one from its table shows.
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.seq.in_([4, 6]))).all()
    assert actions == ["audit_log.checkpoint", "audit_log.checkpoint"]
    code, output = verify(runner)
    assert code == 0 and "6 entries; 2 signed checkpoints, the newest at entry 6" in output


def test_the_published_checkpoint_verifies_with_any_jose_library_against_the_jwks(client, app):
    assert client.get(URL).status_code == 404 and client.get(URL).get_json()["error"]["code"] == "no_checkpoint"
    some_entries(2)
    write_checkpoint()
    resp = client.get(URL)
    body = resp.get_json()
    assert set(body) == {"checkpoint", "seq", "hash", "signed_at", "kid", "typ", "jwk"}
    assert resp.headers["Cache-Control"] == "public, max-age=60"
    assert client.get(URL, headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    token = jws.deserialize_compact(body["checkpoint"], keys, algorithms=["EdDSA"])
    assert token.headers() == {"alg": "EdDSA", "kid": body["kid"], "typ": CHECKPOINT_TYP}
    claims = json.loads(token.payload)
    assert set(claims) == {"seq", "hash", "iat", "prev"} and (claims["seq"], claims["hash"]) == (body["seq"], body["hash"])
    entry = app.extensions["sqlalchemy"].session.get(AuditEntry, body["seq"])
    assert entry.hash == body["hash"]
    assert body["jwk"] == next(k for k in client.get("/.well-known/jwks.json").get_json()["keys"] if k["kid"] == body["kid"])
    # Never mistaken for a personal code: a code verifier refuses any token with a typ.
    now = int(app.config["CLOCK"]())
    with pytest.raises(qr.WrongTokenType):
        qr.verify_code(body["checkpoint"], {body["kid"]: qr.public_from_jwk(body["jwk"])}, now=now)


def test_a_checkpoint_forged_with_another_key_fails(runner, db):
    some_entries(2)
    write_checkpoint()
    rewrite_and_rechain(db, 1, action="operator.delete")
    head = db.session.get(AuditHead, 1)
    forged_key = qr.generate_signing_key()
    db.session.execute(delete(AuditCheckpoint))
    token = qr.sign_document(forged_key, CHECKPOINT_TYP, {"seq": head.seq, "hash": head.hash, "iat": 0,
                                                           "prev": audit.GENESIS})
    db.session.add(AuditCheckpoint(seq=head.seq, hash=head.hash, kid=forged_key.kid, token=token,
                                   digest=digest_of(token), prev_digest=audit.GENESIS,
                                   signed_at=db.session.get(AuditEntry, 1).at))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1 and f"signed by key {forged_key.kid}, which is no longer published" in output


def test_a_deleted_checkpoint_table_does_not_pass_against_a_kept_checkpoint(runner, client, db, tmp_path):
    some_entries(2)
    write_checkpoint()
    kept = kept_document(client, tmp_path)
    assert verify(runner, "--checkpoint", str(kept))[0] == 0
    db.session.execute(delete(AuditCheckpoint))
    db.session.commit()
    code, output = verify(runner)
    assert code == 1 and "the checkpoint recorded at entry 4 is missing" in output
    # The thorough intruder also removes the checkpoint's entry: only what was kept outside the database shows it.
    db.session.execute(delete(AuditEntry).where(AuditEntry.seq == 4))
    db.session.get(AuditHead, 1).seq, db.session.get(AuditHead, 1).hash = 3, db.session.get(AuditEntry, 3).hash
    db.session.commit()
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--checkpoint", str(kept))
    assert code == 1 and "not among the stored checkpoints" in output


def test_a_kept_checkpoint_catches_a_rewrite_of_what_it_signed(runner, client, db, tmp_path):
    some_entries(2)
    write_checkpoint()
    kept = kept_document(client, tmp_path)
    rewrite_and_rechain(db, 1, details={"role": "admin", "note": "rewritten"})
    db.session.execute(delete(AuditCheckpoint))
    db.session.commit()
    # Sign the rewritten chain anew as if nothing happened (the intruder cannot: here the platform does it).
    db.session.execute(delete(AuditEntry).where(AuditEntry.action == "audit_log.checkpoint"))
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    db.session.get(AuditHead, 1).seq, db.session.get(AuditHead, 1).hash = last.seq, last.hash
    db.session.commit()
    write_checkpoint()
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--checkpoint", str(kept))
    assert code == 1 and "not among the stored checkpoints" in output


def test_a_removed_tail_and_a_missing_middle_checkpoint_show(runner, db):
    some_entries(2)
    write_checkpoint()
    some_entries(1)
    write_checkpoint()
    db.session.execute(delete(AuditEntry).where(AuditEntry.seq >= 4))
    db.session.get(AuditHead, 1).seq, db.session.get(AuditHead, 1).hash = 3, db.session.get(AuditEntry, 3).hash
    db.session.commit()
    code, output = verify(runner)
    assert code == 1 and "entries after 3 were removed (a checkpoint signed entry 6)" in output


def test_a_deleted_checkpoint_between_two_others_breaks_the_links(runner, db):
    for _ in range(3):
        some_entries(1)
        write_checkpoint()
    middle = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)).all()[1]
    db.session.delete(middle)
    db.session.commit()
    code, output = verify(runner)
    assert code == 1 and "the checkpoint before the one at entry 7 is missing" in output


def test_key_rotation_a_retired_keys_checkpoint_verifies_while_published_then_a_new_one_is_needed(
        runner, client, app, clock, db, tmp_path):
    some_entries(2)
    old = write_checkpoint()
    kept = kept_document(client, tmp_path)
    client.post("/api/dept/v1/signing-keys/rotate", headers=bearer(operator_token("admin")))
    assert verify(runner)[0] == 0  # the old key is still in the JWKS
    clock.advance(qr.MAX_CODE_TTL + qr.LEEWAY + 1)  # now it is not
    code, output = verify(runner)
    assert code == 1 and f"signed by key {old.kid}, which is no longer published" in output
    new = write_checkpoint()  # the scheduled job, or `flask audit-checkpoint` after a rotation
    assert new.kid != old.kid
    assert verify(runner)[0] == 0  # the newest vouches for the older one through its link
    # The auditor kept the old key's JWK with its checkpoint: it still verifies against it.
    code, output = verify(runner, "--checkpoint", str(kept))
    assert code == 0 and f"matches the checkpoint you kept (entry {old.seq})" in output


def test_write_checkpoint_refuses_to_sign_over_a_rewritten_past(runner, db):
    some_entries(2)
    write_checkpoint()
    some_entries(1)
    rewrite_and_rechain(db, 2, actor="operator:999")
    result = runner.invoke(args=["audit-checkpoint"])
    assert result.exit_code == 1 and "第 5 条" in result.output and "不签署" in result.output
    assert db.session.scalar(select(AuditCheckpoint.seq).order_by(AuditCheckpoint.seq.desc())) == 4


def test_verify_endpoint_reports_the_checkpoints(client, db):
    admin = bearer(operator_token("admin"))
    write_checkpoint()
    body = client.get("/api/dept/v1/audit-log/verify", headers=admin).get_json()
    assert body["ok"] and body["checked"] == 3 and body["checkpoints"] == 1 and body["signed_seq"] == 3
    rewrite_and_rechain(db, 1, actor="operator:2")
    body = client.get("/api/dept/v1/audit-log/verify", headers=admin).get_json()
    assert not body["ok"] and "rewritten" in body["problem"]


def test_a_malformed_kept_file_is_a_clear_error(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seq": 3}')
    code, output = verify(runner, "--checkpoint", str(bad))
    assert code == 1 and "a \"checkpoint\" field" in output


@pytest.mark.postgres
def test_concurrent_checkpoints_and_appends_keep_one_linked_chain(app, db):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL not set (SQLite in memory is one connection)")
    some_entries(1)
    write_checkpoint()
    start = threading.Barrier(8, timeout=30)

    def one(i: int) -> None:
        with app.app_context():
            start.wait()
            if i % 2:
                write_checkpoint()
            else:
                operator_token("admin")
            db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(8)))
    report = verify_log()
    assert report.ok, report.problem
    rows = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)).all()
    assert all(b.prev_digest == a.digest for a, b in itertools.pairwise(rows))
    assert report.checked == 1 + 1 + 1 + 4 + (len(rows) - 1)  # entry, key, first checkpoint, 4 appends, the others
