"""Signed checkpoints of the audit chain's head, as Certificate Transparency signs tree heads.

The hash chain alone shows edits only to someone who does not rewrite it: whoever can write the
database can change an entry and re-chain everything after it. A checkpoint is the head (seq,
hash, time) signed with the platform's Ed25519 signing key as a compact JWS of its own `typ`
(verifiable by any JOSE library against /.well-known/jwks.json); the key's private half is
opened only by KEY_ENCRYPTION_KEY, so the database alone cannot make one. Each checkpoint names
the digest of the one before, so the newest vouches for every earlier one, whichever key signed
those; and each has its own audit entry, so a checkpoint deleted from the table is missed.

What stays out of reach of a database-only attacker: rewriting anything up to the newest
checkpoint. What needs a checkpoint kept outside the database (the public URL, fetched by an
auditor; `flask verify-audit-log --checkpoint FILE`): deleting the newest checkpoints together
with the entries after an older one. docs/deployment.md says what an auditor keeps.

The platform imports no feature: the app factory hands it the keys feature's ring (signing_ring).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

import qr
from backend.platform import audit, jobs
from backend.platform.audit import GENESIS, AuditEntry, AuditHead
from backend.platform.clock import now_ts
from backend.platform.db import Base, db, use_case
from backend.platform.errors import Conflict

CHECKPOINT_TYP = "sw-audit-checkpoint+jwt"
CHECKPOINT_ACTION = "audit_log.checkpoint"
ACTOR = "system:audit-checkpoint"


class AuditCheckpoint(Base):
    """One signed head; `token` is the whole truth, the other columns are copies of its claims for queries."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # the checkpoint's own entry: strictly increasing
    hash: Mapped[str] = mapped_column(String(64))
    kid: Mapped[str] = mapped_column(String(16))
    signed_at: Mapped[dt.datetime]
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of token
    prev_digest: Mapped[str] = mapped_column(String(64), unique=True)  # GENESIS for the first: no fork either way
    token: Mapped[str] = mapped_column(Text)


def signing_ring() -> qr.KeyRing:
    """The platform's key ring (backend.keys.keyring, registered by the app factory)."""
    return current_app.extensions["keyring"]()


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def newest() -> AuditCheckpoint | None:
    query = select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)
    return db.session.execute(query).scalar_one_or_none()


@jobs.periodic("audit.checkpoint", minutes=5)  # idempotent: every worker may run it
@use_case
def write_checkpoint() -> AuditCheckpoint | None:
    """Sign the chain's head; returns the newest checkpoint (None while the log is empty). Idempotent: does
    nothing when the newest checkpoint covers the head under the current signer. Raises Conflict
    (audit_chain_broken) instead of signing a chain that no longer extends the last checkpoint."""
    if db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1)) is None:  # a column: nothing cached stale
        return None
    ring = signing_ring()  # before the lock: on a new database it makes the first key, which is itself an entry
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    latest = newest()
    if latest is not None and latest.seq == head.seq and latest.kid == ring.signer.kid:
        return latest
    since = (latest.seq, latest.hash) if latest is not None else (0, GENESIS)
    report = audit.verify_chain(after=since)
    if not report.ok:
        raise Conflict(f"审计日志自上一个检查点以来被改动（第 {report.seq} 条），不签署新的检查点；请核查数据库。",
                       code="audit_chain_broken", details={"seq": report.seq, "problem": report.problem})
    entry = audit.record(ACTOR, CHECKPOINT_ACTION, "audit_log", head.seq,
                         details={"previous_checkpoint": latest.seq if latest is not None else None})
    now = now_ts()
    claims = {"seq": entry.seq, "hash": entry.hash, "iat": now, "prev": latest.digest if latest else GENESIS}
    token = qr.sign_document(ring.signer, CHECKPOINT_TYP, claims)
    row = AuditCheckpoint(seq=entry.seq, hash=entry.hash, kid=ring.signer.kid, token=token, digest=digest_of(token),
                          signed_at=dt.datetime.fromtimestamp(now, dt.UTC), prev_digest=claims["prev"])
    db.session.add(row)
    db.session.flush()
    return row


def published(row: AuditCheckpoint) -> dict:
    """The public document of a checkpoint: the token and its claims, with the public key that signed it
    (None once that key has left the JWKS). No personal data: a position, a hash, a time, a key id."""
    jwk = next((k for k in signing_ring().published(now_ts()) if k["kid"] == row.kid), None)
    return {"checkpoint": row.token, "seq": row.seq, "hash": row.hash, "signed_at": row.signed_at,
            "kid": row.kid, "typ": CHECKPOINT_TYP, "jwk": jwk}


@dataclass(frozen=True)
class Kept:
    """A checkpoint an auditor kept: its token, and the public JWK that signed it when they have it."""

    token: str
    jwk: dict | None = None

    @classmethod
    def parse(cls, text: str) -> Kept:
        """From the JSON of GET /.well-known/audit-checkpoint, or a bare token; raises ValueError."""
        text = text.strip()
        if text.startswith("{"):
            doc = json.loads(text)
            if not isinstance(doc, dict) or not isinstance(doc.get("checkpoint"), str):
                raise ValueError("expected the JSON of /.well-known/audit-checkpoint (a \"checkpoint\" field)")
            return cls(doc["checkpoint"], doc.get("jwk") if isinstance(doc.get("jwk"), dict) else None)
        if text.count(".") != 2:
            raise ValueError("expected a checkpoint token (compact JWS) or its JSON document")
        return cls(text)


@dataclass(frozen=True)
class LogReport:
    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None
    checkpoints: int = 0
    signed_seq: int | None = None  # entries up to here are covered by the newest checkpoint's signature
    signed_at: dt.datetime | None = None
    kept_seq: int | None = None  # the auditor's checkpoint matched here


def _segments(token: str) -> tuple[dict, dict]:
    def decode(part: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    header, payload, _ = token.split(".")
    return decode(header), decode(payload)


def _checkpoints(batch_size: int = 2000) -> Iterator[AuditCheckpoint]:
    last = 0
    while rows := db.session.execute(select(AuditCheckpoint).where(AuditCheckpoint.seq > last)
                                     .order_by(AuditCheckpoint.seq).limit(batch_size)).scalars().all():
        yield from rows
        last = rows[-1].seq


def _signed_claims(token: str, keys: dict, what: str) -> tuple[dict | None, str | None]:
    """(claims, None) when the token verifies under one of keys, else (None, why not)."""
    try:
        return qr.verify_document(token, keys, CHECKPOINT_TYP), None
    except qr.UnknownKey:
        kid = _segments(token)[0].get("kid")  # it parsed: verify_document got as far as the key
        return None, (f"{what} is signed by key {kid}, which is no longer published: write a new checkpoint "
                      "(flask audit-checkpoint) after every signing-key rotation, or pass the JWK you kept")
    except qr.CodeError as e:
        return None, f"{what} does not verify: {type(e).__name__}"


def _published_keys() -> dict:
    """kid -> public key of every key in the JWKS now; raises RuntimeError when the ring cannot be loaded."""
    try:
        return signing_ring().verification_keys(now_ts())
    except Exception as e:
        raise RuntimeError(f"the signing keys cannot be loaded ({type(e).__name__})") from e


def _kept_keys(kept: Kept) -> tuple[dict, str | None]:
    if kept.jwk is None:
        return {}, None
    try:
        public = qr.public_from_jwk(kept.jwk)
    except (ValueError, KeyError, TypeError):
        return {}, "the kept checkpoint's jwk is not an Ed25519 public key"
    return {qr.kid_for(public): public}, None


def verify_log(kept: Kept | None = None) -> LogReport:
    """Verify the chain and every stored checkpoint (and the one an auditor kept): the newest checkpoint's
    signature under a published key (or the kept JWK), the links between checkpoints, each checkpoint's hash
    at its seq, a stored checkpoint for every checkpoint entry. Reports the first problem; raises nothing."""
    try:
        return _verify_log(kept)
    except RuntimeError as e:
        return LogReport(False, 0, str(e))


def _verify_log(kept: Kept | None) -> LogReport:
    stored = {}  # seq -> hash of every stored checkpoint (two short strings each: a year of 5-minute ones ~15 MB)
    expected_prev, count, last = GENESIS, 0, None
    for row in _checkpoints():
        try:
            header, claims = _segments(row.token)
        except ValueError:
            return LogReport(False, 0, f"checkpoint at entry {row.seq} is not a valid token", row.seq)
        if (digest_of(row.token) != row.digest or header.get("kid") != row.kid
                or (claims.get("seq"), claims.get("hash"), claims.get("prev")) != (row.seq, row.hash, row.prev_digest)):
            return LogReport(False, 0, f"checkpoint at entry {row.seq} does not match its signed token", row.seq)
        if row.prev_digest != expected_prev:
            return LogReport(False, 0, f"the checkpoint before the one at entry {row.seq} is missing", row.seq)
        stored[row.seq], expected_prev, count, last = row.hash, row.digest, count + 1, row
    db.session.expunge_all()
    keys: dict = {}
    kept_claims = None
    if kept is not None:
        keys, problem = _kept_keys(kept)
        if problem is None and not keys:
            keys = _published_keys()
        kept_claims, problem = (None, problem) if problem else _signed_claims(kept.token, keys, "the kept checkpoint")
        if problem:
            return LogReport(False, 0, problem)
        if digest_of(kept.token) not in {digest_of(t) for t in _tokens_at(kept_claims.get("seq"))}:
            return LogReport(False, 0, f"the kept checkpoint (entry {kept_claims.get('seq')}) is not among the stored "
                                       "checkpoints: they were deleted or replaced", kept_claims.get("seq"))
    if last is not None:
        _, problem = _signed_claims(last.token, {**_published_keys(), **keys},
                                    f"the newest checkpoint (entry {last.seq})")
        if problem:
            return LogReport(False, 0, problem, last.seq, count)

    def visit(e: AuditEntry) -> str | None:
        if e.seq in stored and stored[e.seq] != e.hash:
            earlier = max((s for s in stored if s < e.seq), default=0)
            return f"entries {earlier + 1}–{e.seq} were rewritten: the chain differs from the checkpoint signed there"
        if e.action == CHECKPOINT_ACTION and e.seq not in stored:
            return f"the checkpoint recorded at entry {e.seq} is missing from audit_checkpoints"
        return None

    chain = audit.verify_chain(visit=visit)
    signed = {"checkpoints": count, "signed_seq": last.seq if last else None,
              "signed_at": last.signed_at if last else None, "kept_seq": kept_claims["seq"] if kept_claims else None}
    if not chain.ok:
        return LogReport(False, chain.checked, chain.problem, chain.seq, **signed)
    beyond = [s for s in (last.seq if last else 0, signed["kept_seq"] or 0) if s > chain.checked]
    if beyond:
        return LogReport(False, chain.checked, f"entries after {chain.checked} were removed (a checkpoint signed "
                                               f"entry {max(beyond)})", chain.checked + 1, **signed)
    return LogReport(True, chain.checked, **signed)


def _tokens_at(seq: Any) -> list[str]:
    if not isinstance(seq, int):
        return []
    return list(db.session.scalars(select(AuditCheckpoint.token).where(AuditCheckpoint.seq == seq)))
