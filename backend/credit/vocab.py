"""The credit file's vocabulary, one StrEnum per set of values: models' CHECK constraints, schemas'
choices and the evaluation model are all built from these (no SQLAlchemy, no Flask here)."""

from __future__ import annotations

import enum


class Grade(enum.StrEnum):
    """优/良/中/差 as the letters carried in codes, best first."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


GRADES = "".join(Grade)  # "ABCD", best first
GRADE_ZH = {Grade.A: "优", Grade.B: "良", Grade.C: "中", Grade.D: "差"}
# A subject with nothing to grade (no active record, no list entry) has no grade: NULL, shown as 未评价.
UNRATED_ZH = "未评价"


def grade_label(grade: str | None) -> str:
    """优/良/中/差 for a grade, 未评价 for none (the one place that names an absent grade)."""
    return UNRATED_ZH if grade is None else GRADE_ZH[grade]


class SubjectKind(enum.StrEnum):
    PERSON = "person"
    MERCHANT = "merchant"
    ORGANISATION = "organisation"


class RecordCategory(enum.StrEnum):
    ADMIN_LICENCE = "admin_licence"
    ADMIN_PENALTY = "admin_penalty"
    COURT_DISHONESTY = "court_dishonesty"
    TAX_RATING = "tax_rating"
    HONOUR = "honour"
    CONTRACT_PERFORMANCE = "contract_performance"
    PRODUCT_INSPECTION = "product_inspection"
    COMMITMENT_KEPT = "commitment_kept"
    COMMITMENT_BROKEN = "commitment_broken"
    DECLARATION = "declaration"


class Severity(enum.StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


SEVERITY_ZH = {Severity.MINOR: "轻微", Severity.GENERAL: "一般", Severity.SERIOUS: "严重"}


class ListType(enum.StrEnum):
    RED = "red"
    BLACK = "black"
    WATCH = "watch"


LIST_ZH = {ListType.RED: "红名单", ListType.BLACK: "失信联合惩戒对象名单", ListType.WATCH: "重点关注名单"}


class MeasureKind(enum.StrEnum):
    REWARD = "reward"
    PUNISHMENT = "punishment"
    SUPERVISION = "supervision"


class RecordStatus(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"
