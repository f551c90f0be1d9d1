"""Printed resident cards: a serial, whose card it is, how long it is valid, who issued and revoked it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.cards.vocab import CardSize
from backend.platform.db import Base, CreatedAt, one_of


class ResidentCard(CreatedAt, Base):
    """A card a service window printed after checking the ID card. The QR it carries names the serial only
    (qr.cards); the signed token is not stored (it is signed again, identically, to reprint)."""

    __tablename__ = "resident_cards"
    __table_args__ = (one_of("size", CardSize), Index("ix_resident_cards_subject", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(12), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    # What the card prints: the masked name (张*三), never the full name or id number.
    masked_name: Mapped[str] = mapped_column(String(50))
    size: Mapped[str] = mapped_column(String(4))
    issued_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    issued_by: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(100))
