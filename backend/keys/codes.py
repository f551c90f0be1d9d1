"""Issuing personal credit codes: sign the subject's handle and current grade with the ring's signer."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

import qr
from backend.platform.clock import now_ts
from backend.platform.extensions import db
from backend.models import Subject
from backend.platform.errors import InvalidInput, NotFound
from backend.keys.keyring import keyring


def issue_code(subject: Subject) -> qr.IssuedCode:
    """A fresh short-lived code for a person; raises InvalidInput for merchants and organisations."""
    if subject.kind != "person":
        raise InvalidInput("personal credit codes are issued to persons only", code="not_a_person")
    ttl = min(current_app.config["CODE_TTL_SECONDS"], qr.MAX_CODE_TTL)
    return qr.sign_code(keyring().signer, sub=subject.handle, grade=subject.grade, now=now_ts(), ttl=ttl)


def subject_by_handle(handle: str) -> Subject:
    """Raises NotFound."""
    subject = db.session.execute(select(Subject).where(Subject.handle == handle)).scalar_one_or_none()
    if subject is None:
        raise NotFound(f"no subject with handle {handle!r}")
    return subject
