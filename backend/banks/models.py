"""Banks, the authorisations subjects give them, every profile fetch, and loan applications with outcomes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from backend.banks.vocab import Channel, DeclineReason, IdShown, Outcome, Purpose, RateBand
from backend.platform.db import Base, CreatedAt, one_of


class Bank(CreatedAt, Base):
    """A lending institution registered by the credit office; its operators hold the `bank` role."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    # 金融许可证 number (机构编码), as the regulator printed it.
    licence_no: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class BankAuthorisation(CreatedAt, Base):
    """One subject's consent that one bank may fetch its financing profile: scopes, purpose, validity, evidence."""

    __tablename__ = "bank_authorisations"
    __table_args__ = (
        one_of("purpose", Purpose),
        one_of("channel", Channel),
        one_of("id_shown", IdShown, nullable=True),
        Index("ix_bank_authorisations_subject_granted", "subject_id", "granted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the subject hands the bank: opaque, unguessable, the bank's only way to a subject.
    handle: Mapped[str] = mapped_column(String(32), unique=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="RESTRICT"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id", ondelete="SET NULL"))
    scopes: Mapped[list]
    purpose: Mapped[str] = mapped_column(String(32))
    id_shown: Mapped[str | None] = mapped_column(String(8))  # set only when personal_data is a scope
    granted_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    # Consent evidence: who agreed (audit actor), through which channel and session, to which statement.
    channel: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int | None]  # the mini-program session (kept as a number: sessions are purged)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mp_accounts.id", ondelete="SET NULL"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))  # the window clerk
    document_ref: Mapped[str | None] = mapped_column(String(100))  # the signed 授权书 a window keeps
    agent_name: Mapped[str | None] = mapped_column(String(100))  # who signed it for the organisation
    consent_text: Mapped[str] = mapped_column(Text)


class BankFetch(Base):
    """One financing-profile fetch: kept for the subject to see and the credit office to audit (≥ 5 years)."""

    __tablename__ = "bank_fetches"
    __table_args__ = (Index("ix_bank_fetches_subject_at", "subject_id", "fetched_at"),
                      Index("ix_bank_fetches_bank_at", "bank_id", "fetched_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    authorisation_id: Mapped[int] = mapped_column(ForeignKey("bank_authorisations.id", ondelete="RESTRICT"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="RESTRICT"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    fetched_at: Mapped[dt.datetime]
    scopes: Mapped[list]
    purpose: Mapped[str] = mapped_column(String(32))
    document_id: Mapped[str] = mapped_column(String(32), unique=True)  # the signed profile's jti
    document_sha256: Mapped[str] = mapped_column(String(64))


class LoanApplication(CreatedAt, Base):
    """An application a bank received under an authorisation, and the outcome it reported back."""

    __tablename__ = "loan_applications"
    __table_args__ = (
        UniqueConstraint("bank_id", "idempotency_key"),
        UniqueConstraint("bank_id", "reference"),
        one_of("outcome", Outcome, nullable=True),
        one_of("rate_band", RateBand, nullable=True),
        one_of("decline_reason", DeclineReason, nullable=True),
        CheckConstraint("outcome IS NULL OR (outcome = 'approved') = (amount_yuan IS NOT NULL AND term_months "
                        "IS NOT NULL AND rate_band IS NOT NULL AND decline_reason IS NULL)",
                        name="outcome_fields"),
        Index("ix_loan_applications_subject", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authorisation_id: Mapped[int] = mapped_column(ForeignKey("bank_authorisations.id", ondelete="RESTRICT"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="RESTRICT"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    reference: Mapped[str] = mapped_column(String(64))  # the bank's own application number
    product: Mapped[str | None] = mapped_column(String(100))
    amount_requested_yuan: Mapped[int | None]
    received_at: Mapped[dt.datetime]
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(16))
    amount_yuan: Mapped[int | None]
    term_months: Mapped[int | None]
    rate_band: Mapped[str | None] = mapped_column(String(16))
    decline_reason: Mapped[str | None] = mapped_column(String(32))
    reported_at: Mapped[dt.datetime | None]
    outcome_idempotency_key: Mapped[str | None] = mapped_column(String(64))
    outcome_sha256: Mapped[str | None] = mapped_column(String(64))
