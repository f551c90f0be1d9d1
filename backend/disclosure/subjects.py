"""Finding the organisation a window or department report is about."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit import Subject
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
