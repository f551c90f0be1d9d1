"""Scenarios, incentives, partner organisations, scanner devices, scans and redemptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt, one_of
from backend.scanning.vocab import QuotaPeriod, RedemptionStatus


class Scenario(Base):
    """Where codes are scanned; the disclosure profile says what a scanner there may see."""

    __tablename__ = "scenarios"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    disclosure: Mapped[list] = mapped_column(default=list)
    # Its nibble in a format-2 code's eligibility (qr.pseudonym); NULL: no offline perks here.
    slot: Mapped[int | None] = mapped_column(unique=True)
    # Printed resident cards (backend.cards) get this scenario's perks; false: a card is recognised
    # (valid, disclosed as usual) but its perks need a live phone code.
    card_perks: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Its scanners may look a resident up by ID number at the counter (typed, or a card reader as keyboard).
    id_checks: Mapped[bool] = mapped_column(default=False, server_default=false())


class Partner(CreatedAt, Base):
    """A bus company, hotel, hospital or scenic spot that scans codes and grants perks."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    scenario: Mapped[str] = mapped_column(ForeignKey("scenarios.code"))
    uscc: Mapped[str | None] = mapped_column(String(18))


class Incentive(CreatedAt, Base):
    """A 信用+ perk: who qualifies and how often one subject may receive it."""

    __tablename__ = "incentives"
    __table_args__ = (
        one_of("quota_period", QuotaPeriod),
        CheckConstraint("quota_count >= 1", name="quota_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    scenario: Mapped[str] = mapped_column(ForeignKey("scenarios.code"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(300))
    eligible_grades: Mapped[str] = mapped_column(String(4), default="AB")
    subject_kinds: Mapped[str] = mapped_column(String(64), default="person")
    quota_count: Mapped[int] = mapped_column(default=1)
    quota_period: Mapped[str] = mapped_column(String(8), default="day")
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Its bit (0-3) in the scenario's nibble of a format-2 code; NULL: granted online only.
    offline_bit: Mapped[int | None]


class ScannerDevice(CreatedAt, Base):
    """A validator or front-desk scanner; its bearer credential is stored only as a hash."""

    __tablename__ = "scanner_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    scenario: Mapped[str] = mapped_column(ForeignKey("scenarios.code"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[dt.datetime | None]


class Scan(Base):
    """Every scan of a personal code, whatever its outcome (residents can see their own)."""

    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_subject_at", "subject_id", "scanned_at"),
        # An offline scan uploaded twice (retry after a lost answer) is stored once.
        UniqueConstraint("device_id", "client_ref"),
        # Counts a device's online scans of one code (at most scan_log.SCANS_PER_CODE are recorded).
        Index("ix_scans_device_code", "device_id", "jti"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("scanner_devices.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    jti: Mapped[str | None] = mapped_column(String(32))  # the code's id (format 2: its pseudonym)
    outcome: Mapped[str] = mapped_column(String(16))
    scanned_at: Mapped[dt.datetime]
    offline: Mapped[bool] = mapped_column(default=False)
    client_ref: Mapped[str | None] = mapped_column(String(64))
    # Why no perk was granted at this scan (a vocab.Refusal: grade, blacklisted, over_quota …):
    # set by verify when nothing was grantable, or by a refused redemption that names this scan.
    refusal: Mapped[str | None] = mapped_column(String(16))


class Redemption(Base):
    """A granted perk. The unique slot per (incentive, subject, period) makes the quota hold in SQL."""

    __tablename__ = "redemptions"
    __table_args__ = (
        UniqueConstraint("incentive_id", "subject_id", "period_key", "slot"),
        UniqueConstraint("device_id", "idempotency_key"),
        one_of("status", RedemptionStatus),
        # A granted row holds a quota slot; a flagged one (offline, over quota) holds none.
        CheckConstraint("(status = 'granted') = (slot IS NOT NULL)", name="slot_iff_granted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incentive_id: Mapped[int] = mapped_column(ForeignKey("incentives.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    device_id: Mapped[int] = mapped_column(ForeignKey("scanner_devices.id"))
    period_key: Mapped[str] = mapped_column(String(16))
    # NULL for flagged rows: NULLs never collide in the unique constraint above.
    slot: Mapped[int | None]
    idempotency_key: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[dt.datetime]
    receipt: Mapped[str] = mapped_column(String(1024))
    jti: Mapped[str | None] = mapped_column(String(32))
    # SHA-256 of the request body: the same Idempotency-Key with another body is refused, not replayed.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(8), default="granted", server_default="granted")
    flag_reason: Mapped[str | None] = mapped_column(String(32))
    offline: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The scan this grant came from (the verify before it, or the redemption's own scan); NULL only
    # for rows older than migration 0006.
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"), index=True)


class TrustBundle(Base):
    """A trust bundle a device fetched: offline scans are accepted only inside the validity of one."""

    __tablename__ = "trust_bundles"
    __table_args__ = (Index("ix_trust_bundles_device_issued", "device_id", "issued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("scanner_devices.id"))
    issued_at: Mapped[dt.datetime]
    max_age: Mapped[int]
    # The kids the bundle listed: an offline scan's code must verify under one of them.
    kids: Mapped[list]
