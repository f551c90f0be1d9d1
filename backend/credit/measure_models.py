"""The joint reward/punishment measures catalogue and resumable re-grading runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, String, true
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt

MEASURE_KINDS = ("reward", "punishment", "supervision")


class JointMeasure(CreatedAt, Base):
    """One measure of the 联合奖惩 catalogue: what applies to members of which list, on what basis."""

    __tablename__ = "joint_measures"
    __table_args__ = (
        CheckConstraint("list_type IN ('red','black','watch')", name="list_type"),
        CheckConstraint("kind IN ('reward','punishment','supervision')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    list_type: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    # Which kind of decision the measure applies to: administrative_approval, government_procurement, …
    applies_to: Mapped[str] = mapped_column(String(32))
    legal_basis: Mapped[str] = mapped_column(String(500))
    implementing_body: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class GradingRun(Base):
    """A `flask recompute-grades` pass: its checkpoint lets an interrupted run resume."""

    __tablename__ = "grading_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    last_subject_id: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
