"""Objections to one record or list entry, their field-level corrections and steps; self-declarations and the
credit commitment (主动型, in credit_commitments) each is made under."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.objections.vocab import (
    Channel,
    DeclarationCategory,
    DeclarationState,
    Grounds,
    ObjectionState,
    Outcome,
    VerificationMethod,
)
from backend.platform.db import Base, CreatedAt, one_of


class Objection(CreatedAt, Base):
    """One objection (异议) to one record or list entry of a subject's file."""

    __tablename__ = "objections"
    __table_args__ = (
        one_of("state", ObjectionState),
        one_of("grounds", Grounds),
        one_of("channel", Channel),
        one_of("outcome", Outcome, nullable=True),
        one_of("review_outcome", Outcome, nullable=True),
        CheckConstraint("(record_id IS NULL) <> (list_entry_id IS NULL)", name="one_item"),
        Index("ix_objections_department_state", "department", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # YY + China date + id
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="RESTRICT"))
    list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entries.id", ondelete="RESTRICT"))
    # "record:12" while the objection is open, NULL once decided: one open objection per item, race-proof.
    open_item: Mapped[str | None] = mapped_column(String(40), unique=True)
    department: Mapped[str] = mapped_column(String(100))  # the department that provided the item
    channel: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mp_accounts.id"), index=True)
    window_operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    applicant: Mapped[str | None] = mapped_column(String(100))  # the agent's name at a window (经办人)
    grounds: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[dt.date | None]  # the current step's deadline (working days, platform.calendar)
    extended: Mapped[bool] = mapped_column(default=False)
    mark_id: Mapped[int | None] = mapped_column(ForeignKey("credit_marks.id"))
    not_accepted_reason: Mapped[str | None] = mapped_column(String(1000))
    outcome: Mapped[str | None] = mapped_column(String(24))
    outcome_reason: Mapped[str | None] = mapped_column(String(1000))
    decided_by: Mapped[str | None] = mapped_column(String(100))  # the department (or 信用办) that decided
    closed_at: Mapped[dt.datetime | None]
    review_reason: Mapped[str | None] = mapped_column(String(1000))  # why the subject asked for 复核
    review_outcome: Mapped[str | None] = mapped_column(String(24))
    review_outcome_reason: Mapped[str | None] = mapped_column(String(1000))


class ObjectionCorrection(Base):
    """A field-level correction asked for (field, current, proposed), and what was applied (old → new)."""

    __tablename__ = "objection_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    current_value: Mapped[str | None] = mapped_column(String(1000))  # as the subject read it
    proposed_value: Mapped[str | None] = mapped_column(String(1000))
    applied: Mapped[bool] = mapped_column(default=False)
    old_value: Mapped[str | None] = mapped_column(String(1000))  # the value the correction replaced
    new_value: Mapped[str | None] = mapped_column(String(1000))
    applied_at: Mapped[dt.datetime | None]


class ObjectionStep(Base):
    """Each step of an objection, for the subject's timeline (the audit log keeps who did it)."""

    __tablename__ = "objection_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime]
    state: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(100))  # an organisation as the subject may see it (部门, 信用办, 本人)
    note: Mapped[str | None] = mapped_column(String(1000))
    due_on: Mapped[dt.date | None]


class Declaration(CreatedAt, Base):
    """A self-declared item of credit information (自主申报) and its verification."""

    __tablename__ = "declarations"
    __table_args__ = (
        one_of("category", DeclarationCategory),
        one_of("state", DeclarationState),
        one_of("verification_method", VerificationMethod, nullable=True),
        one_of("channel", Channel),
        Index("ix_declarations_department_state", "department", "state"),
        # a retried POST with the same Idempotency-Key gives the same declaration (per account, per window clerk)
        UniqueConstraint("account_id", "idempotency_key"),
        UniqueConstraint("window_operator_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # SB + China date + id
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mp_accounts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    window_operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))  # the clerk at the counter
    applicant: Mapped[str | None] = mapped_column(String(100))  # the agent's name at a window (经办人)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    request_sha256: Mapped[str | None] = mapped_column(String(64))  # the same key with another body is refused
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(String(100))  # who issued the certificate, award or contract
    document_no: Mapped[str] = mapped_column(String(100))  # its number
    issued_on: Mapped[dt.date]
    valid_until: Mapped[dt.date | None]
    department: Mapped[str] = mapped_column(String(100))  # the competent department that verifies it
    state: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[dt.date | None]
    verification_method: Mapped[str | None] = mapped_column(String(16))
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verified_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(String(1000))  # rejection reason, what more is needed, why false
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"))  # the record once verified
    watch_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entries.id"))  # once found false
    # the truthfulness commitment it is made under: a 主动型 credit commitment, filed in the same transaction (after
    # the flush that gives the declaration its number, which the commitment's matter names)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("credit_commitments.id"))
