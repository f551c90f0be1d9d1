"""WeChat mini-program accounts and their sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class MpAccount(CreatedAt, Base):
    """One WeChat user of the mini-program; the openid is found by keyed hash, kept encrypted."""

    __tablename__ = "mp_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    openid_enc: Mapped[str] = mapped_column(String(512), info={"encrypted": True})
    # WeChat's session_key (decrypts user data the mini-program sends); never leaves the server.
    session_key_enc: Mapped[str | None] = mapped_column(String(512), info={"encrypted": True})
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
