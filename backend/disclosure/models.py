"""双公示 decisions with their deadlines, the public change feed, credit reports and their verification log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DDL, ForeignKey, Index, LargeBinary, Numeric, String, Text, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, mapped_column

from backend.credit import Subject
from backend.disclosure.vocab import (
    DecisionKind,
    EventKind,
    PartyCategory,
    PublicationState,
    ReportState,
    Requester,
    VerificationOutcome,
    WithdrawalCause,
)
from backend.platform.db import Base, CreatedAt, one_of

# Portal search by name substring: a trigram GIN index on PostgreSQL (pg_trgm hashes CJK trigrams), a plain index
# on SQLite (where LIKE '%…%' scans). The index belongs to the portal's query, so it is declared here.
SUBJECT_NAME_TRGM = Index("ix_subjects_display_name_trgm", Subject.display_name, postgresql_using="gin",
                          postgresql_ops={"display_name": "gin_trgm_ops"})
# Trigrams need three characters; Chinese names are searched by two as often (海鲜, 水产): an expression GIN index
# on the name's two-character grams answers those (PostgreSQL only; the function is created with it).
BIGRAMS_FUNCTION = ("CREATE OR REPLACE FUNCTION sw_bigrams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE "
                    "PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}') "
                    "FROM generate_series(1, greatest(length(name) - 1, 0)) AS i $$")
SUBJECT_NAME_BIGRAMS = Index("ix_subjects_display_name_bigrams", func.sw_bigrams(Subject.display_name),
                             postgresql_using="gin").ddl_if(dialect="postgresql")
event.listen(Subject.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))
event.listen(Subject.__table__, "before_create", DDL(BIGRAMS_FUNCTION).execute_if(dialect="postgresql"))


class Disclosure(CreatedAt, Base):
    """One 行政处罚 or 行政许可 decision as filed with the national data items, and its publication."""

    __tablename__ = "disclosures"
    __table_args__ = (
        UniqueConstraint("department", "kind", "document_no"),
        one_of("kind", DecisionKind),
        one_of("party_category", PartyCategory),
        one_of("state", PublicationState),
        one_of("withdrawal_cause", WithdrawalCause, nullable=True),
        Index("ix_disclosures_subject_kind", "subject_id", "kind"),
        Index("ix_disclosures_department_decided", "department", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    department: Mapped[str] = mapped_column(String(100))  # the filing department (the operator's)
    document_no: Mapped[str] = mapped_column(String(100))  # CF_WSH / XK_WSH
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    party_category: Mapped[str] = mapped_column(String(12))
    # The national items as filed, prefix stripped (WSH, CFLB, …), except PRIVATE_FIELDS: those are in private_enc.
    items: Mapped[dict]
    private_enc: Mapped[str | None] = mapped_column(Text, info={"encrypted": True})
    fine_wan: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    decided_on: Mapped[dt.date]
    publish_until: Mapped[dt.date | None]  # CF_GSJZQ (penalties) or XK_YXQZI (licences)
    credit_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(12))
    publish_due: Mapped[dt.date]  # 7 working days after the decision
    published_at: Mapped[dt.datetime | None]
    published_on: Mapped[dt.date | None]  # China date of published_at: what lateness is counted on
    updated_at: Mapped[dt.datetime | None]
    withdrawal_cause: Mapped[str | None] = mapped_column(String(8))
    changed_on: Mapped[dt.date | None]  # the day the decision was changed or revoked
    withdraw_due: Mapped[dt.date | None]  # 3 working days after changed_on
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_on: Mapped[dt.date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))
    withdrawal_document: Mapped[str | None] = mapped_column(String(200))


class DisclosureEvent(Base):
    """One line of the public feed; its id is the item's stable id. Append-only."""

    __tablename__ = "disclosure_events"
    __table_args__ = (one_of("kind", EventKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(12))
    disclosure_id: Mapped[int | None] = mapped_column(ForeignKey("disclosures.id", ondelete="CASCADE"))
    credit_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id", ondelete="SET NULL"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"))
    summary: Mapped[dict]  # what the feed shows, de-identified when it was written


class CreditReport(CreatedAt, Base):
    """A 专项信用报告: who asked, about whom, for what period, domains and purpose; the PDF and its signed summary."""

    __tablename__ = "credit_reports"
    __table_args__ = (one_of("requester", Requester), one_of("state", ReportState),
                      Index("ix_credit_reports_subject_at", "subject_id", "generated_at"),
                      UniqueConstraint("account_id", "idempotency_key"),
                      UniqueConstraint("operator_id", "idempotency_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_no: Mapped[str | None] = mapped_column(String(24), unique=True)  # SW + yyyymmdd + 8-digit serial
    check_code: Mapped[str] = mapped_column(String(16))  # printed on the report, in the QR URL (?k=)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="RESTRICT"))
    requester: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(100))  # actor string (audit), not shown publicly
    account_id: Mapped[int | None]  # the mini-program account, for "my reports"
    operator_id: Mapped[int | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(64))  # a retried request gets the same report
    organisation: Mapped[str | None] = mapped_column(String(100))  # the window or department, as shown
    period_from: Mapped[dt.date]
    period_to: Mapped[dt.date]
    domains: Mapped[list]
    purpose: Mapped[str] = mapped_column(String(200))
    free: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(8))
    generated_at: Mapped[dt.datetime | None]
    data_as_of: Mapped[dt.datetime | None]
    summary: Mapped[dict | None]  # the signed claims
    token: Mapped[str | None] = mapped_column(Text)  # compact JWS of summary
    digest: Mapped[str | None] = mapped_column(String(80))  # sha256 of the PDF
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReportVerification(Base):
    """One look at /r/<report-no> or one uploaded PDF checked, with what it found."""

    __tablename__ = "report_verifications"
    __table_args__ = (one_of("outcome", VerificationOutcome),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("credit_reports.id", ondelete="CASCADE"), index=True)
    asked_no: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(8))  # page, upload, digest
