"""Markets, their merchants, product-quality inspections, commitments, and merchant owners bound by
one-time codes (一码查信)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func, text, true
from sqlalchemy.orm import Mapped, mapped_column

from backend.merchants.vocab import InspectionResult, LinkStatus
from backend.platform.clock import utcnow
from backend.platform.db import Base, CreatedAt, one_of


class Market(CreatedAt, Base):
    """A market or street of stalls. Its inspections and broken commitments are filed as credit records of
    `department` (the supervising department, set by a platform admin), which also approves its link requests."""

    __tablename__ = "markets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))


class InspectionAgency(CreatedAt, Base):
    """A testing agency whose reports market offices may record (the list platform admins keep)."""

    __tablename__ = "inspection_agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    deactivated_at: Mapped[dt.datetime | None]


class Merchant(CreatedAt, Base):
    """A stall or shop; its credit subject holds the USCC, the registered name and the grade. stall_name is
    the market's own (the sign over the stall): it never rewrites the subject. code_serial voids old stickers."""

    __tablename__ = "merchants"
    __table_args__ = (UniqueConstraint("market_id", "stall_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), unique=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id", ondelete="RESTRICT"))
    stall_no: Mapped[str] = mapped_column(String(32))
    stall_name: Mapped[str] = mapped_column(String(200))
    business_scope: Mapped[str | None] = mapped_column(String(300))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    photo_url: Mapped[str | None] = mapped_column(String(300))
    code_serial: Mapped[int] = mapped_column(default=1, server_default="1")
    # When the current sticker serial was issued (printed on the poster with the serial).
    code_issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())


class MerchantLinkRequest(CreatedAt, Base):
    """A market's request to register a subject that already has a credit file as its merchant. Only an
    approver (a platform admin, or an operator of the market's department) creates the merchant."""

    __tablename__ = "merchant_link_requests"
    __table_args__ = (
        one_of("status", LinkStatus),
        # One pending request per market and subject: a client's retry is answered, not duplicated.
        Index("uq_merchant_link_requests_pending", "market_id", "subject_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_merchant_link_requests_status", "status", "market_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id", ondelete="RESTRICT"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    uscc: Mapped[str] = mapped_column(String(18))
    # What the market operator typed: the merchant's fields once approved.
    stall_no: Mapped[str] = mapped_column(String(32))
    stall_name: Mapped[str] = mapped_column(String(200))
    business_scope: Mapped[str | None] = mapped_column(String(300))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    photo_url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=LinkStatus.PENDING, server_default=LinkStatus.PENDING)
    requested_by: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id", ondelete="SET NULL"))


class Inspection(CreatedAt, Base):
    """A product-quality inspection (抽检) of a merchant's goods. `agency` is the testing agency named on the
    report (on the admins' list when recorded), shown as such; the credit record is the market department's."""

    __tablename__ = "inspections"
    __table_args__ = (
        one_of("result", InspectionResult),
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
