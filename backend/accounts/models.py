"""WeChat mini-program accounts and their sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.accounts.vocab import VerificationStatus
from backend.platform.db import Base, CreatedAt, one_of


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


class FaceVerification(CreatedAt, Base):
    """One WeChat face verification (人脸核身) an account opened to bind an identity; the name and id it was
    opened for are kept encrypted until it ends (the identity is bound only when WeChat says it passed)."""

    __tablename__ = "face_verifications"
    __table_args__ = (one_of("status", VerificationStatus), Index("ix_face_verifications_account", "account_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    out_seq_no: Mapped[str] = mapped_column(String(32), unique=True)
    verify_id: Mapped[str] = mapped_column(String(256))
    name_enc: Mapped[str] = mapped_column(String(512), info={"encrypted": True})
    resident_id_enc: Mapped[str] = mapped_column(String(512), info={"encrypted": True})
    status: Mapped[str] = mapped_column(String(16), default=VerificationStatus.PENDING)
    verify_ret: Mapped[int | None]
    expires_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]


class CounterCode(CreatedAt, Base):
    """A one-time code a resident shows at a service window so a clerk who checked the ID card in person
    binds that account (for residents who cannot do face verification); stored as a keyed hash only."""

    __tablename__ = "counter_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mp_accounts.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
