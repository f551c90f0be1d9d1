"""Authorisations: a resident (for themself), a bound merchant owner (for the merchant) or an organisation at
a service window lets one bank fetch chosen scopes for a purpose, for a validity; revocable at any time.

Validity is a period in days under the civil code (民法典 art. 201): the day of consent is not counted and
the period ends at 24:00 China time on its last day, so 90 days from 1 December runs to 1 March inclusive.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select

from backend.accounts import MpPrincipal, require_bound
from backend.banks.models import Bank, BankAuthorisation
from backend.banks.registry import get_bank
from backend.banks.vocab import (
    PURPOSE_ZH,
    SCOPE_ZH,
    AuthorisationState,
    Channel,
    IdShown,
    Scope,
)
from backend.credit import Subject, SubjectKind
from backend.merchants import Merchant, MerchantOwner, owned_merchant
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import CHINA, local_date, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.platform.identifiers import valid_uscc

HANDLE_PREFIX = "BA"


def ends_at(granted: dt.datetime, days: int) -> dt.datetime:
    """24:00 China time on the last day of a `days`-day period starting the day after `granted`."""
    last_day = local_date(granted) + dt.timedelta(days=days)
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), CHINA).astimezone(dt.UTC)


def state_of(auth: BankAuthorisation, now: dt.datetime | None = None) -> AuthorisationState:
    if auth.revoked_at is not None:
        return AuthorisationState.REVOKED
    return AuthorisationState.LIVE if (now or utcnow()) < auth.expires_at else AuthorisationState.EXPIRED


def checked_scopes(scopes: list[str], subject: Subject, channel: str) -> list[str]:
    """The scopes in vocabulary order; raises InvalidInput for personal data anyone but the resident adds."""
    chosen = [s.value for s in Scope if s in set(scopes)]
    if not chosen:
        raise InvalidInput("scopes：请至少选择一类授权查询的信息。", details={"field": "scopes"})
    if Scope.PERSONAL_DATA in chosen and (subject.kind != SubjectKind.PERSON or channel != Channel.MINI_PROGRAM):
        raise InvalidInput("scopes：个人身份信息只能由居民本人在小程序中授权，企业和组织不适用。",
                           details={"field": "scopes"})
    return chosen


def consent_statement(bank: Bank, who: str, scopes: list[str], purpose: str, expires: dt.datetime) -> str:
    """The words the subject agrees to, kept verbatim as part of the evidence."""
    last_day = local_date(expires - dt.timedelta(seconds=1))
    return (f"{who}同意{bank.name}（统一社会信用代码 {bank.uscc}）为{PURPOSE_ZH[purpose]}查询以下信用信息："
            f"{'、'.join(SCOPE_ZH[s] for s in scopes)}。授权有效期至 {last_day.isoformat()}（含），"
            "可随时撤销；每次查询均留痕并向授权人展示。")


def new_authorisation(bank: Bank, subject: Subject, body: dict, *, channel: str, actor: str,
                      who: str, **evidence) -> BankAuthorisation:
    """Store the consent and its evidence, audited (in the caller's transaction)."""
    scopes = checked_scopes(body.get("scopes") or [], subject, channel)
    now = utcnow().replace(microsecond=0)
    expires = ends_at(now, body["validity_days"])
    auth = BankAuthorisation(
        handle=HANDLE_PREFIX + secrets.token_urlsafe(18), bank_id=bank.id, subject_id=subject.id, scopes=scopes,
        purpose=body["purpose"], id_shown=(body.get("id_shown") or IdShown.MASKED) if Scope.PERSONAL_DATA in scopes
        else None, granted_at=now, expires_at=expires, channel=channel, granted_by=actor,
        consent_text=consent_statement(bank, who, scopes, body["purpose"], expires), **evidence)
    db.session.add(auth)
    db.session.flush()
    audit.record(actor, "bank_authorisation.grant", "bank_authorisation", auth.id, purpose=body["purpose"],
                 details={"bank_id": bank.id, "scopes": scopes, "channel": channel,
                          "expires_at": expires.isoformat()})
    return auth


@use_case
def grant_in_mini_program(mp: MpPrincipal, body: dict) -> BankAuthorisation:
    """A resident for themself, or (merchant_handle given) a bound owner for the merchant; raises Forbidden
    (identity_required), NotFound (no such bank or not an owned merchant) or InvalidInput."""
    bank = get_bank(body["bank_id"], active_only=True)
    evidence = {"session_id": mp.session_id, "account_id": mp.account_id}
    if body.get("merchant_handle"):
        merchant, subject = owned_merchant(mp.account_id, body["merchant_handle"])
        return new_authorisation(bank, subject, body, channel=Channel.MINI_PROGRAM, actor=mp.actor,
                                 who=f"商户{subject.display_name}（经营者本人）", merchant_id=merchant.id, **evidence)
    require_bound(mp)
    subject = db.session.get(Subject, mp.subject_id)
    return new_authorisation(bank, subject, body, channel=Channel.MINI_PROGRAM, actor=mp.actor, who="本人",
                             **evidence)


@use_case
def grant_at_window(op: Operator, body: dict) -> BankAuthorisation:
    """An organisation's signed 授权书, checked by the clerk; raises InvalidInput or NotFound."""
    bank = get_bank(body["bank_id"], active_only=True)
    code = valid_uscc(body["uscc"])
    subject = db.session.execute(select(Subject).where(Subject.uscc == code)).scalar_one_or_none()
    if subject is None:
        raise NotFound("没有该统一社会信用代码的信用档案。")
    return new_authorisation(bank, subject, body, channel=Channel.WINDOW, actor=op.actor,
                             who=f"{subject.display_name}（经办人 {body['agent_name']}）", operator_id=op.id,
                             document_ref=body["document_ref"], agent_name=body["agent_name"])


def owned_merchant_ids(account_id: int) -> list[int]:
    return list(db.session.execute(select(MerchantOwner.merchant_id)
                                   .where(MerchantOwner.account_id == account_id)).scalars())


def mine_clause(mp: MpPrincipal):
    """The authorisations this account may see and revoke: its person's, and its merchants'."""
    merchant_subjects = select(Merchant.subject_id).where(Merchant.id.in_(owned_merchant_ids(mp.account_id)))
    clause = BankAuthorisation.subject_id.in_(merchant_subjects)
    return clause | (BankAuthorisation.subject_id == mp.subject_id) if mp.subject_id is not None else clause


def revoke(auth: BankAuthorisation, actor: str) -> BankAuthorisation:
    """Raises Conflict (already_revoked)."""
    if auth.revoked_at is not None:
        raise Conflict("该授权已撤销。", code="already_revoked")
    auth.revoked_at, auth.revoked_by = utcnow(), actor
    audit.record(actor, "bank_authorisation.revoke", "bank_authorisation", auth.id,
                 details={"bank_id": auth.bank_id})
    return auth


@use_case
def revoke_in_mini_program(mp: MpPrincipal, handle: str) -> BankAuthorisation:
    """Revoke one's own (or one's merchant's) authorisation at once; raises NotFound or Conflict."""
    auth = db.session.execute(select(BankAuthorisation).where(
        BankAuthorisation.handle == handle, mine_clause(mp))).scalar_one_or_none()
    if auth is None:
        raise NotFound("本账号没有该授权。")
    return revoke(auth, mp.actor)


@use_case
def revoke_at_window(op: Operator, handle: str) -> BankAuthorisation:
    """Revoke an organisation's authorisation at the window; raises NotFound or Conflict."""
    auth = db.session.execute(select(BankAuthorisation).where(
        BankAuthorisation.handle == handle, BankAuthorisation.channel == Channel.WINDOW)).scalar_one_or_none()
    if auth is None:
        raise NotFound("没有该窗口授权。")
    return revoke(auth, op.actor)


def live_authorisation(handle: str, bank_id: int) -> BankAuthorisation:
    """This bank's authorisation in force; raises Forbidden with the reason (a bank learns nothing of others')."""
    auth = db.session.execute(select(BankAuthorisation).where(
        BankAuthorisation.handle == handle)).scalar_one_or_none()
    if auth is None or auth.bank_id != bank_id:
        raise Forbidden("该信用主体没有授权贵行查询（授权编号不存在或不属于贵行）。", code="no_authorisation")
    state = state_of(auth)
    if state == AuthorisationState.REVOKED:
        raise Forbidden("该信用主体已撤销对贵行的授权，不能再查询。", code="authorisation_revoked")
    if state == AuthorisationState.EXPIRED:
        raise Forbidden("该授权已过有效期，请信用主体重新授权。", code="authorisation_expired")
    return auth
