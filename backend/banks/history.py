"""What a subject sees: its authorisations with every fetch and every loan application under them."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from backend.accounts import MpPrincipal
from backend.banks.consent import mine_clause, state_of
from backend.banks.models import Bank, BankAuthorisation, BankFetch, LoanApplication
from backend.banks.vocab import (
    CHANNEL_ZH,
    DECLINE_REASON_ZH,
    OUTCOME_ZH,
    PURPOSE_ZH,
    RATE_BAND_ZH,
    SCOPE_ZH,
    STATE_ZH,
)
from backend.credit import Subject
from backend.platform.clock import utcnow
from backend.platform.db import Page, db, paginate
from backend.platform.errors import NotFound
from backend.platform.identifiers import valid_uscc


def fetch_view(fetch: BankFetch, bank_name: str) -> dict:
    return {"bank_id": fetch.bank_id, "bank_name": bank_name, "operator_id": fetch.operator_id,
            "fetched_at": fetch.fetched_at, "scopes": fetch.scopes, "scopes_zh": [SCOPE_ZH[s] for s in fetch.scopes],
            "purpose": fetch.purpose, "purpose_zh": PURPOSE_ZH[fetch.purpose], "document_id": fetch.document_id,
            "authorisation_id": fetch.authorisation_id}


def application_view(a: LoanApplication) -> dict:
    return {"id": a.id, "reference": a.reference, "product": a.product,
            "amount_requested_yuan": a.amount_requested_yuan, "received_at": a.received_at, "outcome": a.outcome,
            "outcome_zh": OUTCOME_ZH.get(a.outcome) if a.outcome else "审批中", "amount_yuan": a.amount_yuan,
            "term_months": a.term_months, "rate_band": a.rate_band,
            "rate_band_zh": RATE_BAND_ZH.get(a.rate_band) if a.rate_band else None,
            "decline_reason": a.decline_reason,
            "decline_reason_zh": DECLINE_REASON_ZH.get(a.decline_reason) if a.decline_reason else None,
            "reported_at": a.reported_at}


def describe(auths: list[BankAuthorisation]) -> list[dict]:
    """Each authorisation with its state, its consent evidence, its fetches and its applications."""
    ids = [a.id for a in auths]
    names = dict(db.session.execute(select(Bank.id, Bank.name)).all())
    fetches, applications = defaultdict(list), defaultdict(list)
    if ids:
        for f in db.session.execute(select(BankFetch).where(BankFetch.authorisation_id.in_(ids))
                                    .order_by(BankFetch.fetched_at.desc(), BankFetch.id.desc())).scalars():
            fetches[f.authorisation_id].append(fetch_view(f, names[f.bank_id]))
        for a in db.session.execute(select(LoanApplication).where(LoanApplication.authorisation_id.in_(ids))
                                    .order_by(LoanApplication.id.desc())).scalars():
            applications[a.authorisation_id].append(application_view(a))
    now = utcnow()
    out = []
    for a in auths:
        state = state_of(a, now)
        out.append({
            "handle": a.handle, "bank_id": a.bank_id, "bank_name": names[a.bank_id],
            "subject_handle": db.session.get(Subject, a.subject_id).handle, "scopes": a.scopes,
            "scopes_zh": [SCOPE_ZH[s] for s in a.scopes], "purpose": a.purpose, "purpose_zh": PURPOSE_ZH[a.purpose],
            "id_shown": a.id_shown, "granted_at": a.granted_at, "expires_at": a.expires_at, "revoked_at": a.revoked_at,
            "state": state, "state_zh": STATE_ZH[state], "channel": a.channel, "channel_zh": CHANNEL_ZH[a.channel],
            "consent_text": a.consent_text, "fetches": fetches[a.id], "applications": applications[a.id],
        })
    return out


def described_page(query, page: int, per_page: int) -> dict:
    found = paginate(query.order_by(BankAuthorisation.granted_at.desc(), BankAuthorisation.id.desc()), page, per_page)
    return Page(describe(found.items), found.total, found.page, found.per_page).envelope()


def my_authorisations(mp: MpPrincipal, page: int, per_page: int) -> dict:
    """The account's own and its merchants' authorisations, newest first."""
    return described_page(select(BankAuthorisation).where(mine_clause(mp)), page, per_page)


def organisation_authorisations(uscc: str, page: int, per_page: int) -> dict:
    """An organisation's authorisations, shown at the window; raises InvalidInput or NotFound."""
    subject = db.session.execute(select(Subject).where(Subject.uscc == valid_uscc(uscc))).scalar_one_or_none()
    if subject is None:
        raise NotFound("没有该统一社会信用代码的信用档案。")
    return described_page(select(BankAuthorisation).where(BankAuthorisation.subject_id == subject.id), page, per_page)


def bank_fetches_of(subject_id: int) -> list[dict]:
    """Every financing-profile fetch of this subject, newest first: bank, operator, time, scopes, purpose (for the
    subject's "who looked at my file" list)."""
    names = dict(db.session.execute(select(Bank.id, Bank.name)).all())
    rows = db.session.execute(select(BankFetch).where(BankFetch.subject_id == subject_id)
                              .order_by(BankFetch.fetched_at.desc(), BankFetch.id.desc())).scalars()
    return [fetch_view(f, names[f.bank_id]) for f in rows]
