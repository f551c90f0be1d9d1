"""Signing keys of personal codes, receipts and trust bundles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class SigningKey(CreatedAt, Base):
    """An Ed25519 key. The private half is Fernet-encrypted and wiped once the key is retired."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(16), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    private_key_enc: Mapped[str | None] = mapped_column(Text, info={"encrypted": True})
    # 32 random bytes, Fernet-encrypted: the code secret that seals format-2 pseudonyms and derives
    # the scenario keys (qr.pseudonym). Kept when the key retires (its codes stay readable until they
    # expire); NULL only on keys made before format 2, whose private half derives it instead.
    code_secret_enc: Mapped[str | None] = mapped_column(Text, info={"encrypted": True})
    activated_at: Mapped[dt.datetime]
    # True for the one signing key, NULL otherwise: the unique constraint allows only one signer.
    is_signer: Mapped[bool | None] = mapped_column(unique=True)
    # Set when a newer key takes over; published until every code it signed has expired.
    retired_at: Mapped[dt.datetime | None]
    # Set by `flask rotate-signing-key --compromised`: from then on the key verifies nothing.
    compromised_at: Mapped[dt.datetime | None]
