"""A subject's credit file: subjects, records, grade history, list entries, the joint-measures
catalogue and resumable re-grading runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, and_, false, or_, true
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.credit.vocab import (
    SHOWN_STATES,
    AccessKind,
    ChangeKind,
    CommitmentStatus,
    CommitmentType,
    Disclosure,
    Fulfilment,
    Grade,
    ListType,
    MarkKind,
    MeasureKind,
    PublicationState,
    Severity,
    SubjectKind,
)
from backend.platform.db import Base, CreatedAt, one_of

ENCRYPTED = {"encrypted": True}  # column info: `flask rotate-encryption-key` re-encrypts these


class Subject(CreatedAt, Base):
    """A credit file's owner. Persons' ids are stored encrypted and found by keyed hash."""

    __tablename__ = "subjects"
    __table_args__ = (
        one_of("kind", SubjectKind),
        one_of("grade", Grade, nullable=True),
        CheckConstraint("(kind = 'person') = (uscc IS NULL)", name="uscc_iff_not_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque public handle carried in codes and URLs; reveals nothing about the subject.
    handle: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Merchants/organisations: public name. Persons: masked name only (张*三); full name encrypted.
    display_name: Mapped[str] = mapped_column(String(200))
    name_enc: Mapped[str | None] = mapped_column(String(512), info=ENCRYPTED)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    resident_id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resident_id_enc: Mapped[str | None] = mapped_column(String(512), info=ENCRYPTED)
    resident_id_masked: Mapped[str | None] = mapped_column(String(18))
    # Current grade, denormalised from grade history for the scan hot path; NULL (未评价) while the
    # file holds nothing to grade, and then score is NULL too.
    grade: Mapped[str | None] = mapped_column(String(1))
    score: Mapped[float | None]
    grade_updated_at: Mapped[dt.datetime | None]
    # Evaluation model version that produced `grade` (NULL: never graded by a model).
    grade_model: Mapped[str | None] = mapped_column(String(32))
    # Format-1 codes issued before this instant are void (lost phone, misuse).
    codes_valid_after: Mapped[dt.datetime | None]
    # Format-2 codes carry (sealed) the generation they were issued in: revoking bumps it, exactly.
    code_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # The subject refuses to have positive information shown (表彰奖励, 志愿服务, 慈善捐赠: 深圳条例 art. 39).
    hides_positive: Mapped[bool] = mapped_column(default=False, server_default=false())


class CreditRecord(CreatedAt, Base):
    """One fact a department filed; (department, document_no) identifies it for resubmission."""

    __tablename__ = "credit_records"
    __table_args__ = (
        UniqueConstraint("department", "document_no"),
        one_of("severity", Severity, nullable=True),
        one_of("severity_class", Severity, nullable=True),
        one_of("publication_state", PublicationState),
        Index("ix_credit_records_subject_decided", "subject_id", "decided_on"),
        # The expiry job's scan: records still shown whose window has closed.
        Index("ix_credit_records_publication_due", "publication_state", "max_publish_until"),
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
    # Publication (36号令): negative records get a class and a window; others are published while active.
    penalty_type: Mapped[str | None] = mapped_column(String(50))  # what the classification table maps: 罚款, 警告…
    severity_class: Mapped[str | None] = mapped_column(String(16))
    class_basis: Mapped[str | None] = mapped_column(String(300))  # the department's rule, or why defaulted
    class_defaulted: Mapped[bool] = mapped_column(default=False, server_default=false())
    publish_from: Mapped[dt.date | None]
    min_publish_until: Mapped[dt.date | None]  # repair may be applied for after this day
    max_publish_until: Mapped[dt.date | None]  # publication ends after this day
    window_basis: Mapped[str | None] = mapped_column(String(300))
    window_overridden: Mapped[bool] = mapped_column(default=False, server_default=false())
    publication_state: Mapped[str] = mapped_column(String(16), default="published", server_default="published")
    publication_ended_at: Mapped[dt.datetime | None]
    repairable: Mapped[bool] = mapped_column(default=True, server_default=true())

    subject: Mapped[Subject] = relationship()

    @hybrid_method
    def published_on(self, day: dt.date) -> bool:
        """Counts and is shown on `day` (grade, 一键查询, public pages, trust bundle). Also a SQL expression."""
        return (self.status == "active" and self.publication_state in SHOWN_STATES
                and (self.publish_from is None or self.publish_from <= day)
                and (self.max_publish_until is None or day <= self.max_publish_until))

    @published_on.inplace.expression
    @classmethod
    def _published_on_expression(cls, day):
        return and_(cls.status == "active", cls.publication_state.in_([s.value for s in SHOWN_STATES]),
                    or_(cls.publish_from.is_(None), cls.publish_from <= day),
                    or_(cls.max_publish_until.is_(None), cls.max_publish_until >= day))


class PublicationClass(CreatedAt, Base):
    """A department's classification table row: a penalty type and the class it gets, with the rule's reference.

    penalty_type "*" is the department's default for records filed without a mapped type. min/max months
    override the class's windows where a law gives its own period (e.g. 45号令: 3 months / 3 years).
    """

    __tablename__ = "publication_classes"
    __table_args__ = (UniqueConstraint("department", "penalty_type"), one_of("severity_class", Severity))

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(100))
    penalty_type: Mapped[str] = mapped_column(String(50))
    severity_class: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(300))
    published: Mapped[bool] = mapped_column(default=True, server_default=true())  # 轻微: False = 不予公示
    min_months: Mapped[int | None]
    max_months: Mapped[int | None]
    repairable: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_at: Mapped[dt.datetime | None]


class Change(Base):
    """The change feed: append-only; `id` is the cursor (monotonic, never reused)."""

    __tablename__ = "credit_changes"
    __table_args__ = (one_of("kind", ChangeKind), Index("ix_credit_changes_public_id", "public", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime]
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    subject_handle: Mapped[str] = mapped_column(String(16))
    subject_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))
    list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entries.id", ondelete="SET NULL"))
    # False for persons: the public feed carries organisations only.
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    data: Mapped[dict] = mapped_column(default=dict)


class CreditCommitment(CreatedAt, Base):
    """A credit commitment (信用承诺) with the national data items; code = area + yyyymmdd + serial."""

    __tablename__ = "credit_commitments"
    __table_args__ = (
        one_of("commitment_type", CommitmentType), one_of("disclosure", Disclosure),
        one_of("fulfilment", Fulfilment, nullable=True), one_of("status", CommitmentStatus),
        Index("ix_credit_commitments_subject_date", "subject_id", "committed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    commitment_type: Mapped[str] = mapped_column(String(24))
    matter: Mapped[str] = mapped_column(String(200))  # 承诺事项
    content: Mapped[str] = mapped_column(Text)
    liability: Mapped[str] = mapped_column(Text)  # 违诺责任
    committed_on: Mapped[dt.date]
    valid_until: Mapped[dt.date | None]
    accepting_unit: Mapped[str] = mapped_column(String(100))  # 承诺受理单位
    disclosure: Mapped[str] = mapped_column(String(16), default="public")
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    fulfilment: Mapped[str | None] = mapped_column(String(16))
    unfulfilled: Mapped[str | None] = mapped_column(Text)  # what was not fulfilled
    liability_pursued: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[dt.date | None]
    signed_online: Mapped[bool] = mapped_column(default=False, server_default=false())
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))  # 信用修复型
    breach_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))
    watch_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entries.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(64))


class GradeChange(Base):
    """Grade history: every computed grade with the model version, the reason and the breakdown."""

    __tablename__ = "grade_changes"
    __table_args__ = (Index("ix_grade_changes_subject_at", "subject_id", "computed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    grade: Mapped[str | None] = mapped_column(String(1))  # NULL: nothing left to grade (未评价)
    score: Mapped[float | None]
    model_version: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    breakdown: Mapped[dict]
    computed_at: Mapped[dt.datetime]


class ListEntry(CreatedAt, Base):
    """Red list, joint-punishment (black) list or watch list membership; needs a legal basis."""

    __tablename__ = "list_entries"
    __table_args__ = (
        one_of("list_type", ListType),
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
    # The record this entry is founded on (a repair of that record ends the entry).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))

    subject: Mapped[Subject] = relationship()

    @hybrid_method
    def active_on(self, day: dt.date) -> bool:
        """In force on `day` (a China date): not removed, started, not ended. Also a SQL expression."""
        return self.removed_at is None and self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @active_on.inplace.expression
    @classmethod
    def _active_on_expression(cls, day):
        return and_(cls.removed_at.is_(None), cls.starts_on <= day, or_(cls.ends_on.is_(None), cls.ends_on >= day))


class JointMeasure(CreatedAt, Base):
    """One measure of the 联合奖惩 catalogue: what applies to members of which list, on what basis."""

    __tablename__ = "joint_measures"
    __table_args__ = (one_of("list_type", ListType), one_of("kind", MeasureKind))

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


class JointBasis(CreatedAt, Base):
    """A kind of list decision in the catalogue, recognised by its legal basis, and the measures it brings.

    Measures follow from the decision's legal basis, not from the list type alone: a market-supervision
    black listing does not bring the court's 限制高消费 (plan measure (十): 直接援引法律、法规为依据).
    """

    __tablename__ = "joint_bases"
    __table_args__ = (one_of("list_type", ListType),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    list_type: Mapped[str] = mapped_column(String(8))
    # An entry matches when its legal_basis contains one of these phrases (e.g. 失信被执行人).
    keywords: Mapped[list] = mapped_column(default=list)
    measures: Mapped[list] = mapped_column(default=list)  # JointMeasure codes
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class JointQuery(Base):
    """One 一键查询 and what it answered, kept so the printable query record shows the result of that day."""

    __tablename__ = "joint_queries"
    __table_args__ = (Index("ix_joint_queries_operator_at", "operator_id", "queried_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query_no: Mapped[str | None] = mapped_column(String(24), unique=True)  # YJCX + China date + id
    queried_at: Mapped[dt.datetime]
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    department: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(300))
    applies_to: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    # What was asked, as it may be shown: a USCC or handle in clear, a resident id masked.
    subject_ref: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(16))  # no_record, not_listed, listed
    answer: Mapped[dict]  # the answer as given (subject summary, lists, measures)


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


class FileAccess(Base):
    """One look at a subject's file by an operator or a bank, kept at least five years and shown to the subject."""

    __tablename__ = "file_accesses"
    __table_args__ = (one_of("kind", AccessKind), Index("ix_file_accesses_subject_at", "subject_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    viewer_kind: Mapped[str] = mapped_column(String(16))  # operator, bank
    viewer_id: Mapped[int | None]  # the operator's or bank's id (for the authority; not shown to the subject)
    organisation: Mapped[str] = mapped_column(String(100))  # the department, market office or bank, as shown
    role_zh: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(300))
    ref: Mapped[str | None] = mapped_column(String(40))  # e.g. the 一键查询 number


class CreditMark(Base):
    """A neutral note on one record or list entry while an objection, reconsideration or lawsuit about it is
    decided: every view that shows the item shows the note. The grade keeps counting the item unless the
    department suspends it (suspends_grade)."""

    __tablename__ = "credit_marks"
    __table_args__ = (
        one_of("kind", MarkKind),
        CheckConstraint("(record_id IS NULL) <> (list_entry_id IS NULL)", name="one_item"),
        Index("ix_credit_marks_subject_cleared", "subject_id", "cleared_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="CASCADE"), index=True)
    list_entry_id: Mapped[int | None] = mapped_column(ForeignKey("list_entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200))
    ref: Mapped[str] = mapped_column(String(64))  # the objection's number, or the 复议/诉讼 case number
    suspends_grade: Mapped[bool] = mapped_column(default=False, server_default=false())
    set_at: Mapped[dt.datetime]
    set_by: Mapped[str] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(100))  # who set a reconsideration/litigation mark
    cleared_at: Mapped[dt.datetime | None]
    cleared_reason: Mapped[str | None] = mapped_column(String(500))
