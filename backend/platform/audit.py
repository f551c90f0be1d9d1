"""The append-only audit log, hash-chained: changing or deleting any row breaks verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.clock import utcnow
from backend.platform.db import Base, db, use_case

GENESIS = "0" * 64


class AuditEntry(Base):
    """Append-only; each row's hash covers the previous row's hash, so edits and gaps show."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's tip: one row, locked while appending, so a truncated tail is detectable too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))


def _canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def entry_hash(e: AuditEntry) -> str:
    """SHA-256 over the row's content and the previous row's hash."""
    body = [e.seq, e.at.isoformat(), e.actor, e.action, e.target_type, e.target_id, e.purpose,
            e.details, e.prev_hash]
    blob = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def record(actor: str, action: str, target_type: str, target_id: Any, *,
           details: dict | None = None, purpose: str | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction (the caller commits)."""
    # The head row is locked (PostgreSQL) so concurrent appends serialise instead of forking.
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        db.session.add(head)
    entry = AuditEntry(
        seq=head.seq + 1, at=utcnow().replace(microsecond=0), actor=actor, action=action,
        target_type=target_type, target_id=str(target_id), purpose=purpose,
        details=_canonical(details or {}), prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    head.seq, head.hash = entry.seq, entry.hash
    db.session.add(entry)
    return entry


DENIED = "access.denied"


@use_case
def record_denial(actor: str, *, method: str, route: str, code: str, request_id: str) -> None:
    """Append a refused request (a 403) in a transaction of its own: the refusal stays when the request's
    work is rolled back. The route is the rule (/api/dept/v1/merchants/<int:merchant_id>), never the raw
    path, so no id or query value reaches the log."""
    record(actor, DENIED, "request", request_id, details={"method": method, "route": route, "code": code})


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None


def verify_chain(batch_size: int = 2000, *, after: tuple[int, str] = (0, GENESIS),
                 visit: Callable[[AuditEntry], str | None] | None = None) -> ChainReport:
    """Walk the log in order from entry `after` (its seq and hash; the start by default) to the head; report the
    first row whose content or link is wrong, the first problem visit(entry) names, or a removed tail."""
    last_seq, prev = after
    checked = 0
    while True:
        rows = db.session.execute(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch_size)
        ).scalars().all()
        if not rows:
            break
        for e in rows:
            if e.seq != last_seq + 1:
                return ChainReport(False, checked, f"entry {last_seq + 1} is missing", last_seq + 1)
            if e.prev_hash != prev or entry_hash(e) != e.hash:
                return ChainReport(False, checked, f"entry {e.seq} was altered", e.seq)
            if visit is not None and (problem := visit(e)) is not None:
                return ChainReport(False, checked, problem, e.seq)
            prev, last_seq, checked = e.hash, e.seq, checked + 1
        db.session.expunge_all()
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return ChainReport(False, checked, f"entries after {last_seq} were removed", last_seq + 1)
    return ChainReport(True, checked)
