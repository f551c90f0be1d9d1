"""Signing keys, operators and the hash-chained audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt

OPERATOR_ROLES = ("admin", "department", "market", "partner")


class SigningKey(CreatedAt, Base):
    """An Ed25519 key. The private half is Fernet-encrypted and wiped once the key is retired."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    private_key_enc: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[dt.datetime]
    # True for the one signing key, NULL otherwise: the unique constraint allows only one signer.
    is_signer: Mapped[bool | None] = mapped_column(unique=True)
    # Set when a newer key takes over; published until every code it signed has expired.
    retired_at: Mapped[dt.datetime | None]


class Operator(CreatedAt, Base):
    """A person or system acting for a department, a market, a partner, or the platform."""

    __tablename__ = "operators"
    __table_args__ = (CheckConstraint("role IN ('admin','department','market','partner')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    # Scope: which department, market or partner this operator acts for (by role).
    department: Mapped[str | None] = mapped_column(String(100))
    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None]


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
