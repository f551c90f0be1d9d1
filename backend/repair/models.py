"""Repair applications: one record each, with its timers (working days), its commitment, proofs and history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt, one_of
from backend.repair.vocab import Channel, RepairState


class RepairApplication(CreatedAt, Base):
    """A subject's application to repair one record; decided by the department that filed it."""

    __tablename__ = "repair_applications"
    __table_args__ = (
        one_of("state", RepairState), one_of("channel", Channel),
        Index("ix_repair_applications_department_state", "department", "state"),
        Index("ix_repair_applications_record", "record_id"),
        Index("ix_repair_applications_subject", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(20), unique=True)  # XF + China date + id: the 查询码
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_records.id", ondelete="RESTRICT"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    department: Mapped[str] = mapped_column(String(100))  # the record's: 谁认定、谁修复
    channel: Mapped[str] = mapped_column(String(16))
    applicant_account_id: Mapped[int | None] = mapped_column(ForeignKey("mp_accounts.id", ondelete="SET NULL"))
    applicant_operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    statement: Mapped[str] = mapped_column(Text)  # how the obligations were fulfilled
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("credit_commitments.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[dt.datetime]
    accept_due: Mapped[dt.date]  # the working day acceptance is due by
    accepted_at: Mapped[dt.datetime | None]
    decide_due: Mapped[dt.date | None]
    extended: Mapped[bool] = mapped_column(default=False, server_default=false())
    extension_reason: Mapped[str | None] = mapped_column(String(500))
    returned_items: Mapped[list | None]  # what was missing when returned (一次性告知)
    returned_once: Mapped[bool] = mapped_column(default=False, server_default=false())
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    propagated_at: Mapped[dt.datetime | None]
    history: Mapped[list] = mapped_column(default=list)  # [{step, at, by, note}]
    updated_at: Mapped[dt.datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)  # what the applicant added when completing
