"""Finding and creating credit subjects by their public identifiers."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform.extensions import db
from backend.models import Subject
from backend.platform.crypto import encrypt, keyed_hash
from backend.platform.identifiers import mask_name, mask_resident_id, new_handle, valid_resident_id, valid_uscc


def _unique_handle() -> str:
    while True:
        handle = new_handle()
        if db.session.execute(select(Subject.id).where(Subject.handle == handle)).first() is None:
            return handle


def person_by_resident_id(resident_id: str) -> Subject | None:
    """Look a person up by keyed hash; raises InvalidInput for a bad id."""
    rid = valid_resident_id(resident_id)
    return db.session.execute(
        select(Subject).where(Subject.resident_id_hash == keyed_hash(rid))
    ).scalar_one_or_none()


def get_or_create_person(resident_id: str, name: str | None = None) -> Subject:
    """The person with this id, created (in the caller's transaction) if new; raises InvalidInput."""
    rid = valid_resident_id(resident_id)
    subject = person_by_resident_id(rid)
    if subject is None:
        subject = Subject(handle=_unique_handle(), kind="person", display_name="*",
                          resident_id_hash=keyed_hash(rid), resident_id_enc=encrypt(rid),
                          resident_id_masked=mask_resident_id(rid))
        db.session.add(subject)
    if name and subject.name_enc is None:
        subject.name_enc, subject.display_name = encrypt(name), mask_name(name)
    return subject


def get_or_create_organisation(code: str, name: str, kind: str = "merchant") -> Subject:
    """The merchant or organisation with this USCC, created if new; raises InvalidInput."""
    compact = valid_uscc(code)
    subject = db.session.execute(select(Subject).where(Subject.uscc == compact)).scalar_one_or_none()
    if subject is None:
        subject = Subject(handle=_unique_handle(), kind=kind, display_name=name, uscc=compact)
        db.session.add(subject)
    return subject
