"""Credit subjects (信用主体): persons, merchants and organisations."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.platform.db import Base, CreatedAt


class SubjectKind(str, enum.Enum):
    PERSON = "person"
    MERCHANT = "merchant"
    ORGANISATION = "organisation"


class Grade(str, enum.Enum):
    """优/良/中/差 as the letters carried in codes."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


GRADE_ZH = {"A": "优", "B": "良", "C": "中", "D": "差"}


class Subject(CreatedAt, Base):
    """A credit file's owner. Persons' ids are stored encrypted and found by keyed hash."""

    __tablename__ = "subjects"
    __table_args__ = (
        CheckConstraint("kind IN ('person','merchant','organisation')", name="kind"),
        CheckConstraint("grade IN ('A','B','C','D')", name="grade"),
        CheckConstraint("(kind = 'person') = (uscc IS NULL)", name="uscc_iff_not_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque public handle carried in codes and URLs; reveals nothing about the subject.
    handle: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Merchants/organisations: public name. Persons: masked name only (张*三); full name encrypted.
    display_name: Mapped[str] = mapped_column(String(200))
    name_enc: Mapped[str | None] = mapped_column(String(512))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    resident_id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resident_id_enc: Mapped[str | None] = mapped_column(String(512))
    resident_id_masked: Mapped[str | None] = mapped_column(String(18))
    # Current grade, denormalised from grade history for the scan hot path.
    grade: Mapped[str] = mapped_column(String(1), default="B", server_default="B")
    score: Mapped[float] = mapped_column(default=0.0, server_default="0")
    grade_updated_at: Mapped[dt.datetime | None]
    # Evaluation model version that produced `grade` (NULL: never graded by a model).
    grade_model: Mapped[str | None] = mapped_column(String(32))
    # Codes issued before this instant are void (lost phone, misuse).
    codes_valid_after: Mapped[dt.datetime | None]
