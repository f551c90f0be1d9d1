"""WeChat mini-program accounts, their sessions, and merchant owners bound by one-time codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class MpAccount(CreatedAt, Base):
    """One WeChat user of the mini-program; the openid is found by keyed hash, kept encrypted."""

    __tablename__ = "mp_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    openid_enc: Mapped[str] = mapped_column(String(512))
    # WeChat's session_key (decrypts user data the mini-program sends); never leaves the server.
    session_key_enc: Mapped[str | None] = mapped_column(String(512))
    # The person this account proved to be; unique: one id number, one WeChat account.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), unique=True)
    bound_at: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]


class MpSession(CreatedAt, Base):
    """A bearer session of the mini-program; only the token's SHA-256 is stored, so it can be revoked."""

    __tablename__ = "mp_sessions"
    __table_args__ = (Index("ix_mp_sessions_account", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class MerchantBindingCode(CreatedAt, Base):
    """A one-time code a market operator hands a merchant's owner; stored as a keyed hash only."""

    __tablename__ = "merchant_binding_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("mp_accounts.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)


class MerchantOwner(CreatedAt, Base):
    """A mini-program account allowed to see a merchant's file (its owner or manager)."""

    __tablename__ = "merchant_owners"
    __table_args__ = (UniqueConstraint("account_id", "merchant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    binding_code_id: Mapped[int | None] = mapped_column(ForeignKey("merchant_binding_codes.id", ondelete="SET NULL"))
