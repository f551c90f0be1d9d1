"""Console sessions (server-side, one row per signed-in browser) and operators' password sign-in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.console.vocab import SignInMethod
from backend.platform.db import Base, one_of


class ConsoleSession(Base):
    """A signed-in browser: the cookie holds a random secret, the row its SHA-256; idle sessions expire."""

    __tablename__ = "console_sessions"
    __table_args__ = (one_of("method", SignInMethod),)

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]


class ConsoleLogin(Base):
    """An operator's username, scrypt password hash and TOTP secret (encrypted), set by an admin."""

    __tablename__ = "console_logins"

    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(String(255))  # Fernet-encrypted base32 secret
    totp_last_step: Mapped[int] = mapped_column(default=0)  # a code is accepted once (no replay)
    created_at: Mapped[dt.datetime]
