"""Credit records, grade history and list entries: a subject's credit file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.platform.db import Base, CreatedAt

RECORD_CATEGORIES = (
    "admin_licence", "admin_penalty", "court_dishonesty", "tax_rating", "honour",
    "contract_performance", "product_inspection", "commitment_kept", "commitment_broken",
    "declaration",
)
LIST_TYPES = ("red", "black", "watch")


class CreditRecord(CreatedAt, Base):
    """One fact a department filed; (department, document_no) identifies it for resubmission."""

    __tablename__ = "credit_records"
    __table_args__ = (
        UniqueConstraint("department", "document_no"),
        CheckConstraint("severity IS NULL OR severity IN ('minor','general','serious')", name="severity"),
        Index("ix_credit_records_subject_decided", "subject_id", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100))
    document_no: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(String(500))
    decided_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None]
    tolerant_first_offence: Mapped[bool] = mapped_column(default=False, server_default=false())
    emergency: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    updated_at: Mapped[dt.datetime | None]
    # Category-specific outcome the model scores: tax level A/B/M/C/D, pass/fail, kept/broken.
    result: Mapped[str | None] = mapped_column(String(16))
    removed_at: Mapped[dt.datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(String(500))

    subject: Mapped["Subject"] = relationship()  # noqa: F821


class GradeChange(Base):
    """Grade history: every computed grade with the model version, the reason and the breakdown."""

    __tablename__ = "grade_changes"
    __table_args__ = (Index("ix_grade_changes_subject_at", "subject_id", "computed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    grade: Mapped[str] = mapped_column(String(1))
    score: Mapped[float]
    model_version: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    breakdown: Mapped[dict]
    computed_at: Mapped[dt.datetime]


class ListEntry(CreatedAt, Base):
    """Red list, joint-punishment (black) list or watch list membership; needs a legal basis."""

    __tablename__ = "list_entries"
    __table_args__ = (
        CheckConstraint("list_type IN ('red','black','watch')", name="list_type"),
        Index("ix_list_entries_subject_type", "subject_id", "list_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    list_type: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(500))
    legal_basis: Mapped[str] = mapped_column(String(500))
    decision_document: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    removed_at: Mapped[dt.datetime | None]
    removed_reason: Mapped[str | None] = mapped_column(String(500))

    subject: Mapped["Subject"] = relationship()  # noqa: F821
