"""Public credit commitments (信用承诺) a subject signed, shown on its merchant page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class Commitment(CreatedAt, Base):
    """A signed commitment; a broken one stays listed (with the date) rather than disappearing."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("status IN ('active','broken','withdrawn')", name="status"),
        Index("ix_commitments_subject_signed", "subject_id", "signed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    status_changed_on: Mapped[dt.date | None]
