"""Credit subjects: finding them by USCC, resident id or handle, creating them, and their summary."""

from __future__ import annotations

from sqlalchemy import select

from backend.credit.models import Subject
from backend.credit.vocab import SubjectKind
from backend.platform.crypto import decrypt, encrypt, keyed_hash
from backend.platform.db import db
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.platform.identifiers import mask_name, mask_resident_id, new_handle, valid_resident_id, valid_uscc

CHUNK = 1000
NAME_MISMATCH = "该身份证号已有信用档案，但姓名与本次报送的不一致：请核对姓名或身份证号后重新报送。"


def unique_handles(count: int) -> list[str]:
    """`count` fresh random handles that no subject has yet (checked in bulk, collisions redrawn)."""
    handles: set[str] = set()
    while len(handles) < count:
        batch = {new_handle() for _ in range(count - len(handles))} - handles
        taken: set[str] = set()
        listed = list(batch)
        for i in range(0, len(listed), CHUNK):
            taken.update(db.session.execute(select(Subject.handle).where(
                Subject.handle.in_(listed[i:i + CHUNK]))).scalars())
        handles |= batch - taken
    return list(handles)


def unique_handle() -> str:
    return unique_handles(1)[0]


def kind_for_uscc(code: str) -> str:
    """GB 32100: registration authority 9 = 工商 (enterprises, individual businesses); others organisations."""
    return SubjectKind.MERCHANT if code[0] == "9" else SubjectKind.ORGANISATION


def subject_by_handle(handle: str) -> Subject:
    """Raises NotFound."""
    subject = db.session.execute(select(Subject).where(Subject.handle == handle)).scalar_one_or_none()
    if subject is None:
        raise NotFound(f"没有公开标识为 {handle!r} 的信用主体。")
    return subject


def person_by_handle(handle: str) -> Subject:
    """The person with this handle; raises NotFound, or InvalidInput for a merchant or organisation."""
    subject = subject_by_handle(handle)
    if subject.kind != SubjectKind.PERSON:
        raise InvalidInput("个人信用码只发给自然人，该主体是企业或组织。", code="not_a_person")
    return subject


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
        subject = Subject(handle=unique_handle(), kind=SubjectKind.PERSON, display_name="*",
                          resident_id_hash=keyed_hash(rid), resident_id_enc=encrypt(rid),
                          resident_id_masked=mask_resident_id(rid))
        db.session.add(subject)
    if name and subject.name_enc is None:
        subject.name_enc, subject.display_name = encrypt(name), mask_name(name)
    return subject


def get_or_create_organisation(code: str, name: str, kind: str = SubjectKind.MERCHANT) -> Subject:
    """The merchant or organisation with this USCC, created if new; raises InvalidInput."""
    compact = valid_uscc(code)
    subject = db.session.execute(select(Subject).where(Subject.uscc == compact)).scalar_one_or_none()
    if subject is None:
        subject = Subject(handle=unique_handle(), kind=kind, display_name=name, uscc=compact)
        db.session.add(subject)
    return subject


SUBJECT_REFS = ("uscc", "resident_id", "handle")


def one_ref(ref: dict, allowed: tuple[str, ...] = SUBJECT_REFS) -> tuple[str, str]:
    """(field, value) of the one identifier given; raises InvalidInput."""
    given = [(k, ref[k]) for k in allowed if ref.get(k)]
    if len(given) != 1:
        names = {"uscc": "uscc（统一社会信用代码）", "resident_id": "resident_id（居民身份证号）",
                 "handle": "handle（公开标识，如名单记录中的 subject_handle）"}
        raise InvalidInput(f"请只用一种方式指明主体：{'、'.join(names[k] for k in allowed)} 选其一。",
                           code="subject_ref", details={"field": allowed[0]})
    return given[0]


def valid_resident_id_field(value: str) -> str:
    """The compact id; raises InvalidInput naming the resident_id field."""
    return valid_resident_id(value, field="resident_id")


def subject_where(field: str, value: str):
    """The WHERE clause finding the subject a uscc, resident_id or handle names; raises InvalidInput (bad id)."""
    if field == "uscc":
        return Subject.uscc == valid_uscc(value)
    if field == "resident_id":
        return Subject.resident_id_hash == keyed_hash(valid_resident_id_field(value))
    return Subject.handle == value


def shown_ref(field: str, value: str) -> str:
    """How a queried identifier may be printed: a USCC or handle in clear, a resident id masked."""
    if field == "resident_id":
        return mask_resident_id(valid_resident_id_field(value))
    return valid_uscc(value) if field == "uscc" else value


def find_subject(ref: dict) -> Subject:
    """The subject named by uscc, resident_id or handle; raises InvalidInput or NotFound."""
    subject = db.session.execute(select(Subject).where(subject_where(*one_ref(ref)))).scalar_one_or_none()
    if subject is None:
        raise NotFound("没有该主体的信用档案。")
    return subject


def subject_for_filing(ref: dict, name: str | None) -> Subject:
    """Find or create the subject a record or list entry names; raises InvalidInput.

    Persons are keyed by the resident id's keyed hash, so a file opened here is the one the
    mini-program finds when that person binds the same id later.
    """
    field, value = one_ref(ref, ("uscc", "resident_id"))
    if field == "resident_id":
        rid = valid_resident_id_field(value)
        existing = person_by_resident_id(rid)
        if existing is not None and name and existing.name_enc and decrypt(existing.name_enc).decode() != name.strip():
            raise Conflict(NAME_MISMATCH, code="subject_name_mismatch", details={"field": "subject_name"})
        return get_or_create_person(rid, name)
    code = valid_uscc(value)
    existing = db.session.execute(select(Subject).where(Subject.uscc == code)).scalar_one_or_none()
    if existing is not None:
        return existing
    if not name:
        raise InvalidInput("subject_name：首次报送的企业或组织需要填写主体名称。",
                           code="subject_name_required", details={"field": "subject_name"})
    return get_or_create_organisation(code, name, kind=kind_for_uscc(code))


def summary(subject) -> dict:
    """What department views show of a subject (a Subject or a Core row with the same columns)."""
    return {"handle": subject.handle, "kind": subject.kind, "display_name": subject.display_name,
            "uscc": subject.uscc, "resident_id_masked": subject.resident_id_masked, "grade": subject.grade,
            "score": subject.score}
