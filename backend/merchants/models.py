"""Markets, their merchants and product-quality inspections (一码查信)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class Market(CreatedAt, Base):
    __tablename__ = "markets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))


class Merchant(CreatedAt, Base):
    """A stall or shop; its credit subject holds the USCC and grade. code_serial voids old stickers."""

    __tablename__ = "merchants"
    __table_args__ = (UniqueConstraint("market_id", "stall_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), unique=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id", ondelete="RESTRICT"))
    stall_no: Mapped[str] = mapped_column(String(32))
    business_scope: Mapped[str | None] = mapped_column(String(300))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    photo_url: Mapped[str | None] = mapped_column(String(300))
    code_serial: Mapped[int] = mapped_column(default=1, server_default="1")


class Inspection(CreatedAt, Base):
    """A product-quality inspection (抽检) of a merchant's goods."""

    __tablename__ = "inspections"
    __table_args__ = (
        CheckConstraint("result IN ('pass','fail')", name="result"),
        UniqueConstraint("agency", "report_no"),
        Index("ix_inspections_merchant_sampled", "merchant_id", "sampled_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    product: Mapped[str] = mapped_column(String(100))
    sampled_on: Mapped[dt.date]
    agency: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(8))
    failed_items: Mapped[str | None] = mapped_column(Text)
    report_no: Mapped[str] = mapped_column(String(64))
