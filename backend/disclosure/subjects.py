"""Finding the organisation a window or department report is about, or the resident at a window's counter."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import Subject, person_by_resident_id
from backend.platform.crypto import decrypt
from backend.platform.db import db
from backend.platform.errors import NotFound
from backend.platform.identifiers import valid_uscc


def organisation_by_uscc(code: str) -> Subject:
    """Raises InvalidInput (bad code) or NotFound (no file)."""
    compact = valid_uscc(code)
    subject = db.session.execute(select(Subject).where(Subject.uscc == compact)).scalar_one_or_none()
    if subject is None:
        raise NotFound("没有该统一社会信用代码的信用档案。", code="subject_not_found")
    return subject


def person_at_counter(resident_id: str, name: str) -> Subject:
    """The resident whose ID card a window clerk checked: the id and, where the file holds one, the name must match
    (one answer for both misses, so the form is no oracle). Raises InvalidInput (bad id) or NotFound."""
    subject = person_by_resident_id(resident_id)
    if subject is None or (subject.name_enc is not None and decrypt(subject.name_enc).decode() != name.strip()):
        raise NotFound("没有与该身份证号和姓名相符的信用档案，请核对身份证原件。", code="subject_not_found")
    return subject
