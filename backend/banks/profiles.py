"""The financing profile: exactly the authorised scopes of a subject's public credit, signed as a document of
its own type (PROFILE_TYP) with the platform key ring, each fetch logged for the subject and audited.

Each scope has one source. Verified self-declarations and 双公示 items are built by later features; until
they register their own source (register_scope_source), those scopes return what the credit file holds
today: declaration records, and administrative licences and penalties."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

import qr
from backend.banks.consent import live_authorisation
from backend.banks.models import Bank, BankAuthorisation, BankFetch
from backend.banks.vocab import PURPOSE_ZH, SCOPE_ZH, IdShown, Scope
from backend.credit import (
    CreditRecord,
    GradeChange,
    ListEntry,
    RecordCategory,
    Subject,
    SubjectKind,
    Viewer,
    record_access,
)
from backend.credit.vocab import CATEGORY_ZH, LIST_ZH, AccessKind, ListType, grade_label
from backend.keys import keyring
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today, utcnow
from backend.platform.crypto import decrypt
from backend.platform.db import db, use_case
from backend.platform.identifiers import mask_resident_id

PROFILE_TYP = "sw-financing-profile+jwt"
GRADE_HISTORY_LIMIT = 50
DISCLOSED = (RecordCategory.ADMIN_LICENCE, RecordCategory.ADMIN_PENALTY)

Source = Callable[[Subject], object]


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _records(subject: Subject, *, only: tuple[str, ...] = (), without: tuple[str, ...] = ()) -> list[dict]:
    r = CreditRecord  # columns, not entities: a profile reads the published records and changes none
    # Public credit information only while credit publishes it: a repaired, expired or unpublished (轻微)
    # record is not the bank's to see (36号令), however long ago the authorisation was given.
    query = select(r.category, r.title, r.severity, r.result, r.department, r.document_no, r.legal_basis,
                   r.decided_on, r.expires_on).where(r.subject_id == subject.id, r.published_on(china_today()))
    if only:
        query = query.where(r.category.in_(only))
    if without:
        query = query.where(r.category.not_in(without))
    rows = db.session.execute(query.order_by(r.decided_on.desc(), r.id.desc()))
    return [{"category": row.category, "category_zh": CATEGORY_ZH.get(row.category, row.category), "title": row.title,
             "severity": row.severity, "result": row.result, "department": row.department,
             "document_no": row.document_no, "legal_basis": row.legal_basis, "decided_on": _day(row.decided_on),
             "expires_on": _day(row.expires_on)} for row in rows]


def public_file(subject: Subject) -> list[dict]:
    return _records(subject, without=(RecordCategory.DECLARATION,))


def grade(subject: Subject) -> dict:
    # No breakdown and no reasons: they name records, which belong to other scopes.
    history = db.session.execute(select(GradeChange).where(GradeChange.subject_id == subject.id)
                                 .order_by(GradeChange.computed_at.desc(), GradeChange.id.desc())
                                 .limit(GRADE_HISTORY_LIMIT)).scalars()
    return {"grade": subject.grade, "grade_zh": grade_label(subject.grade), "score": subject.score,
            "model_version": subject.grade_model,
            "updated_at": subject.grade_updated_at.isoformat() if subject.grade_updated_at else None,
            "history": [{"grade": g.grade, "grade_zh": grade_label(g.grade), "score": g.score,
                         "model_version": g.model_version, "computed_at": g.computed_at.isoformat()}
                        for g in history]}


def lists(subject: Subject) -> dict:
    today = china_today()
    entries = db.session.execute(select(ListEntry).where(ListEntry.subject_id == subject.id,
                                                         ListEntry.active_on(today))
                                 .order_by(ListEntry.starts_on.desc())).scalars().all()
    return {"status": {t.value: any(e.list_type == t for e in entries) for t in ListType},
            "entries": [{"list_type": e.list_type, "list_type_zh": LIST_ZH[e.list_type], "reason": e.reason,
                         "legal_basis": e.legal_basis, "decision_document": e.decision_document,
                         "department": e.department, "starts_on": _day(e.starts_on), "ends_on": _day(e.ends_on)}
                        for e in entries]}


def declarations(subject: Subject) -> list[dict]:
    return _records(subject, only=(RecordCategory.DECLARATION,))


def disclosures(subject: Subject) -> list[dict]:
    return _records(subject, only=DISCLOSED)


SOURCES: dict[str, Source] = {Scope.PUBLIC_FILE: public_file, Scope.GRADE: grade, Scope.LISTS: lists,
                              Scope.DECLARATIONS: declarations, Scope.DISCLOSURES: disclosures}


def register_scope_source(scope: Scope, source: Source) -> None:
    """Let the feature that owns a category answer its scope (self-declarations, 双公示); JSON values only."""
    if scope == Scope.PERSONAL_DATA:
        raise ValueError("personal data is built here, from the subject, never by another feature")
    SOURCES[scope] = source


def identity(subject: Subject, auth: BankAuthorisation) -> dict:
    """Who the profile is about: a merchant's or organisation's public name and USCC; a person only as a
    person unless the resident authorised personal data."""
    if subject.kind != SubjectKind.PERSON:
        return {"kind": subject.kind, "name": subject.display_name, "uscc": subject.uscc}
    if Scope.PERSONAL_DATA not in auth.scopes:
        return {"kind": subject.kind}
    rid = decrypt(subject.resident_id_enc).decode() if subject.resident_id_enc else None
    shown = rid if auth.id_shown == IdShown.CLEAR else (mask_resident_id(rid) if rid else None)
    return {"kind": subject.kind, "name": decrypt(subject.name_enc).decode() if subject.name_enc else None,
            "id_number": shown, "id_number_shown": auth.id_shown}


def profile_claims(auth: BankAuthorisation, bank: Bank, subject: Subject, op: Operator) -> dict:
    now = utcnow().replace(microsecond=0)
    data = {s: SOURCES[s](subject) for s in auth.scopes if s != Scope.PERSONAL_DATA}
    return {"jti": secrets.token_urlsafe(12), "iss": current_app.config.get("PUBLIC_BASE_URL") or "xinyong-shanwei",
            "aud": f"bank:{bank.uscc}", "sub": auth.handle, "iat": int(now.timestamp()),
            "bank": {"name": bank.name, "uscc": bank.uscc, "operator": op.id},
            "authorisation": {"handle": auth.handle, "scopes": list(auth.scopes),
                              "scopes_zh": [SCOPE_ZH[s] for s in auth.scopes], "purpose": auth.purpose,
                              "purpose_zh": PURPOSE_ZH[auth.purpose], "granted_at": auth.granted_at.isoformat(),
                              "expires_at": auth.expires_at.isoformat()},
            "subject": identity(subject, auth), "data": data}


@use_case
def fetch_profile(op: Operator, handle: str) -> dict:
    """The signed profile under a live authorisation, logged and audited; raises Forbidden (no_authorisation,
    authorisation_revoked, authorisation_expired)."""
    auth = live_authorisation(handle, op.bank_id)
    bank, subject = db.session.get(Bank, auth.bank_id), db.session.get(Subject, auth.subject_id)
    claims = profile_claims(auth, bank, subject, op)
    signer = keyring().signer
    document = qr.sign_document(signer, PROFILE_TYP, claims)
    db.session.add(BankFetch(authorisation_id=auth.id, bank_id=bank.id, operator_id=op.id, subject_id=subject.id,
                             fetched_at=dt.datetime.fromtimestamp(claims["iat"], dt.UTC), scopes=list(auth.scopes),
                             purpose=auth.purpose, document_id=claims["jti"],
                             document_sha256=hashlib.sha256(document.encode()).hexdigest()))
    record_access(subject.id, AccessKind.FINANCING, Viewer("bank", bank.id, bank.name, "银行"),
                  PURPOSE_ZH[auth.purpose], ref=claims["jti"][:40])
    audit.record(op.actor, "bank.fetch_profile", "bank_authorisation", auth.id, purpose=auth.purpose,
                 details={"bank_id": bank.id, "scopes": list(auth.scopes), "document_id": claims["jti"]})
    # The public key travels with the document: the JWKS drops a key some time after a rotation, and the bank
    # keeps proof for years (it checks the key against the JWKS once, on receipt).
    return {"profile": claims, "document": document, "typ": PROFILE_TYP, "kid": signer.kid,
            "jwk": qr.public_jwk(signer.private.public_key())}
