"""Naming subjects in credit requests (USCC or resident id) and the department scope of operators."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform.extensions import db
from backend.models import Operator, Subject
from backend.platform.errors import Forbidden, InvalidInput, NotFound
from backend.platform.identifiers import valid_resident_id, valid_uscc
from backend.credit.subjects import get_or_create_organisation, get_or_create_person, person_by_resident_id


def kind_for_uscc(code: str) -> str:
    """GB 32100: registration authority 9 = 工商 (enterprises, individual businesses); others organisations."""
    return "merchant" if code[0] == "9" else "organisation"


def one_ref(ref: dict) -> tuple[str, str]:
    """(field, value) of the one identifier given; raises InvalidInput."""
    given = [(k, ref[k]) for k in ("uscc", "resident_id") if ref.get(k)]
    if len(given) != 1:
        raise InvalidInput("name the subject by exactly one of uscc or resident_id",
                           code="subject_ref", details={"field": "uscc"})
    return given[0]


def find_subject(ref: dict) -> Subject:
    """The subject named by uscc or resident_id; raises InvalidInput or NotFound."""
    field, value = one_ref(ref)
    if field == "uscc":
        subject = db.session.execute(select(Subject).where(Subject.uscc == valid_uscc(value))).scalar_one_or_none()
    else:
        subject = person_by_resident_id(valid_resident_id_field(value))
    if subject is None:
        raise NotFound("no credit file for this subject")
    return subject


def valid_resident_id_field(value: str) -> str:
    """The compact id; raises InvalidInput naming the resident_id field."""
    return valid_resident_id(value, field="resident_id")


def subject_for_filing(ref: dict, name: str | None) -> Subject:
    """Find or create the subject a record or list entry names; raises InvalidInput.

    Persons are keyed by the resident id's keyed hash, so a file opened here is the one the
    mini-program finds when that person binds the same id later.
    """
    field, value = one_ref(ref)
    if field == "resident_id":
        return get_or_create_person(valid_resident_id_field(value), name)
    code = valid_uscc(value)
    existing = db.session.execute(select(Subject).where(Subject.uscc == code)).scalar_one_or_none()
    if existing is not None:
        return existing
    if not name:
        raise InvalidInput("subject_name: a new merchant or organisation needs its name",
                           code="subject_name_required", details={"field": "subject_name"})
    return get_or_create_organisation(code, name, kind=kind_for_uscc(code))


def acting_department(op: Operator | None, requested: str | None) -> str:
    """The department a write is filed under; raises Forbidden outside the operator's own, InvalidInput."""
    if op is None or op.role == "admin":  # CLI or platform admin: must say which department decided
        if not requested:
            raise InvalidInput("department: required when not filed by a department operator",
                               code="department_required", details={"field": "department"})
        return requested
    if requested and requested != op.department:
        raise Forbidden(f"a {op.department} operator cannot file for {requested}", code="outside_department",
                        details={"field": "department"})
    return op.department


def summary(subject: Subject) -> dict:
    return {"handle": subject.handle, "kind": subject.kind, "display_name": subject.display_name,
            "uscc": subject.uscc, "resident_id_masked": subject.resident_id_masked, "grade": subject.grade,
            "score": subject.score}
