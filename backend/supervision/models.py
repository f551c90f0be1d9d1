"""Sampling items and tasks (双随机、一公开), inspectors and their conflicts, drawn objects with results, risk
warnings, talks (约谈) and the 重大失信风险预防清单."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.platform.db import Base, CreatedAt, one_of
from backend.supervision.vocab import (
    Escalation,
    InspectionOutcome,
    TalkKind,
    TalkState,
    TaskState,
    WarningRule,
    WarningStatus,
)

if TYPE_CHECKING:
    from backend.credit import CreditCommitment


class SupervisionItem(CreatedAt, Base):
    """One line of a department's 抽查事项清单: what is inspected, on what basis, how, how often, at which ratios."""

    __tablename__ = "supervision_items"
    __table_args__ = (UniqueConstraint("department", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(500))
    object_type: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(100))
    frequency: Mapped[str] = mapped_column(String(100))
    ratios: Mapped[dict]  # stratum → decimal string (vocab.DEFAULT_RATIOS unless the item sets its own)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class Inspector(CreatedAt, Base):
    """An enforcement officer of a department; published only by `ref` (e.g. the 执法证号), never by name."""

    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(100))
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class InspectorConflict(CreatedAt, Base):
    """A declared conflict of interest: this inspector never inspects this subject."""

    __tablename__ = "inspector_conflicts"
    __table_args__ = (UniqueConstraint("inspector_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300))


class SamplingTask(CreatedAt, Base):
    """A sampling task: a draft, then committed (frozen, published), drawn, completed. After commitment the pool,
    ratios, inspectors and seed source never change (the published commitment covers them)."""

    __tablename__ = "sampling_tasks"
    __table_args__ = (one_of("state", TaskState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id", ondelete="RESTRICT"))
    department: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default=TaskState.DRAFT)
    pool: Mapped[dict]  # the filter over subjects (kinds, market, business scope keyword, handles)
    ratios: Mapped[dict]
    inspector_ids: Mapped[list]
    inspectors_per_object: Mapped[int] = mapped_column(default=2)
    # Frozen at commitment: [[handle, stratum, display name or None], …] sorted by handle, and the recusals.
    objects: Mapped[list | None]
    recusals: Mapped[dict | None]
    commitment_document: Mapped[dict | None]
    commitment: Mapped[str | None] = mapped_column(String(64))
    committed_at: Mapped[dt.datetime | None]
    reveal: Mapped[dict | None]
    seed: Mapped[str | None] = mapped_column(String(64))
    drawn_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]


class DrawnObject(Base):
    """One object a task drew, its inspectors (refs), and the inspection result filed as a credit record."""

    __tablename__ = "drawn_objects"
    __table_args__ = (UniqueConstraint("task_id", "handle"), one_of("outcome", InspectionOutcome, nullable=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sampling_tasks.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    handle: Mapped[str] = mapped_column(String(16))
    stratum: Mapped[str] = mapped_column(String(1))
    position: Mapped[int]
    rank: Mapped[str] = mapped_column(String(64))
    inspectors: Mapped[list]  # inspector refs
    outcome: Mapped[str | None] = mapped_column(String(8))
    findings: Mapped[str | None] = mapped_column(Text)
    inspected_on: Mapped[dt.date | None]
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))


class RiskWarning(CreatedAt, Base):
    """A 失信风险 warning a rule raised; `cause_key` makes each rule fire once per cause."""

    __tablename__ = "risk_warnings"
    __table_args__ = (one_of("rule", WarningRule), one_of("status", WarningStatus),
                      Index("ix_risk_warnings_department_status", "department", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    rule: Mapped[str] = mapped_column(String(24))
    cause_key: Mapped[str] = mapped_column(String(120), unique=True)
    sector: Mapped[str | None] = mapped_column(String(20))
    department: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(8), default=WarningStatus.OPEN)
    closed_reason: Mapped[str | None] = mapped_column(String(300))


class Talk(CreatedAt, Base):
    """A 失信风险提示/警示约谈 and its course: planned → notified → held | no_show → rectification_due → verified |
    escalated. The rectification commitment signed at the talk is a credit commitment (信用修复型 when the talk is
    about a penalty, else 其他); the talk keeps who signed it."""

    __tablename__ = "talks"
    __table_args__ = (one_of("kind", TalkKind), one_of("state", TalkState),
                      one_of("escalation", Escalation, nullable=True),
                      Index("ix_talks_department_state", "department", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("risk_warnings.id", ondelete="SET NULL"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(20), default=TalkState.PLANNED)
    scheduled_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(String(200))
    attendees: Mapped[list] = mapped_column(default=list)
    content: Mapped[str] = mapped_column(Text)
    rectification: Mapped[str | None] = mapped_column(Text)
    rectification_days: Mapped[int] = mapped_column(default=10)  # working days
    rectification_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    commitment_signer: Mapped[str | None] = mapped_column(String(100))
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("credit_commitments.id", ondelete="SET NULL"))
    notified_at: Mapped[dt.datetime | None]
    held_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[dt.datetime | None]
    escalation: Mapped[str | None] = mapped_column(String(16))
    escalation_ref: Mapped[str | None] = mapped_column(String(200))
    history: Mapped[list] = mapped_column(default=list)  # [{action, state, at, by}]

    commitment: Mapped[CreditCommitment | None] = relationship(lazy="joined")


class PreventionEntry(CreatedAt, Base):
    """An entry of the 重大失信风险预防清单: a subject whose case could become serious, its basis and review date."""

    __tablename__ = "risk_prevention_entries"
    __table_args__ = (Index("ix_risk_prevention_department_review", "department", "review_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(String(500))
    review_on: Mapped[dt.date]
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("risk_warnings.id", ondelete="SET NULL"))
    removed_at: Mapped[dt.datetime | None]
