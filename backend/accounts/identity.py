"""Real-name binding: a mini-program account proves which person (resident id) it is.

Knowing a name and an id number is not proof (it leaks): binding needs WeChat's face verification
(人脸核身) of that name and id for the account's own openid, or a service-window clerk who checked
the ID card in person and enters the one-time counter code the resident shows. Nothing here tells a
caller whether a credit file exists for an id before the person has proven to be its holder: the
start of a verification answers the same for every well-formed id. Attempts are limited per id
number across accounts (MP_BIND_ID_RATE_LIMIT, shared through Redis when configured), and every
refusal is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NoReturn, Protocol

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend.accounts.models import CounterCode, FaceVerification, MpAccount
from backend.accounts.vocab import FACE_PASSED, BindingMethod, VerificationStatus, verify_ret_zh
from backend.credit import Subject, get_or_create_person, person_by_resident_id
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.crypto import decrypt, encrypt, keyed_hash
from backend.platform.db import commit_then_raise, db, use_case
from backend.platform.errors import Conflict, Gone, InvalidInput, NotFound
from backend.platform.identifiers import mask_name, mask_resident_id, valid_resident_id
from backend.platform.ratelimit import consume

APPEAL = ("如非本人绑定，请携带本人居民身份证到汕尾市社会信用体系建设工作领导小组办公室（市发展改革局）"
          "或拨打12345政务服务热线申诉，核实后将解除原绑定。")
# Read aloud or typed by a clerk: no 0/O, 1/I/L. 8 symbols ≈ 40 bits, single-use, 10 minutes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class FaceVerifier(Protocol):
    """WeChat's face verification, as this module needs it (miniprogram_api.gateway adapts wechatpy)."""

    def open(self, openid: str, out_seq_no: str, name: str, id_number: str) -> tuple[str, int]: ...

    def result(self, verify_id: str, out_seq_no: str, name: str, id_number: str, openid: str) -> int: ...


def account(account_id: int) -> MpAccount:
    """Raises NotFound (an account deleted under a live session)."""
    found = db.session.get(MpAccount, account_id)
    if found is None:
        raise NotFound("没有找到该小程序账号，请重新登录。", code="account_not_found")
    return found


def person(subject_id: int | None) -> Subject | None:
    """The bound person, or None before binding."""
    return db.session.get(Subject, subject_id) if subject_id is not None else None


def _unbound(acct: MpAccount) -> None:
    if acct.subject_id is not None:
        raise Conflict("该微信账号已完成实名绑定，不能再次绑定。", code="account_already_bound")


def _limit_attempts(rid: str) -> None:
    """One more binding attempt for this id number, across every account; raises RateLimited."""
    consume("MP_BIND_ID_RATE_LIMIT", "bind-id", keyed_hash("bind-id:" + rid),
            "该身份证号的实名绑定尝试次数过多，请明天再试，或到政务服务窗口办理。")


def _refuse(actor: str, action: str, target, error: Exception, **details) -> NoReturn:
    """Keep the refusal in the audit log (committed with what the use case wrote), then raise it."""
    audit.record(actor, action, "mp_account", target, details={"code": getattr(error, "code", None), **details})
    commit_then_raise(error)


@use_case
def start_face_verification(account_id: int, name: str, id_number: str, *, verifier: FaceVerifier) -> dict:
    """Open a face verification for this name and id; the same answer whether or not a file exists.

    Raises InvalidInput (bad id), Conflict (account bound already), RateLimited, or the verifier's errors.
    """
    rid, name = valid_resident_id(id_number), name.strip()
    acct = account(account_id)
    _unbound(acct)
    _limit_attempts(rid)
    out_seq_no = "swf" + secrets.token_hex(14)
    verify_id, expires_in = verifier.open(decrypt(acct.openid_enc).decode(), out_seq_no, name, rid)
    expires_at = utcnow() + dt.timedelta(seconds=min(expires_in, 3600))
    db.session.add(FaceVerification(account_id=acct.id, out_seq_no=out_seq_no, verify_id=verify_id,
                                    name_enc=encrypt(name), resident_id_enc=encrypt(rid), expires_at=expires_at))
    audit.record(f"mp_account:{acct.id}", "mp_account.face_verification.start", "mp_account", acct.id,
                 details={"verification": out_seq_no})
    return {"verification_id": out_seq_no, "verify_id": verify_id, "expires_at": expires_at}


@use_case
def confirm_face_verification(account_id: int, verification_id: str, *, verifier: FaceVerifier) -> Subject:
    """Ask WeChat whether the face verification passed, and bind on 10000; raises NotFound, Gone,
    Conflict (bound already, or the id is bound to another account) or InvalidInput (not passed)."""
    acct = account(account_id)
    found = db.session.execute(select(FaceVerification).where(
        FaceVerification.out_seq_no == verification_id, FaceVerification.account_id == acct.id)
        .with_for_update()).scalar_one_or_none()
    if found is None:
        raise NotFound("没有这次人脸核身记录，请重新发起实名绑定。", code="verification_not_found")
    if found.status != VerificationStatus.PENDING:
        raise Conflict("这次人脸核身已经处理过，请重新发起实名绑定。", code="verification_finished")
    if found.expires_at <= utcnow():
        raise Gone("人脸核身已过期，请重新发起实名绑定。", code="verification_expired")
    _unbound(acct)
    name, rid = decrypt(found.name_enc).decode(), decrypt(found.resident_id_enc).decode()
    ret = verifier.result(found.verify_id, found.out_seq_no, name, rid, decrypt(acct.openid_enc).decode())
    found.verify_ret, found.finished_at = ret, utcnow()
    if ret != FACE_PASSED:
        found.status = VerificationStatus.FAILED
        _refuse(f"mp_account:{acct.id}", "mp_account.bind_identity.refused", acct.id,
                InvalidInput(verify_ret_zh(ret), code="face_verification_failed", details={"verify_ret": ret}),
                verify_ret=ret, method=BindingMethod.FACE)
    found.status = VerificationStatus.PASSED
    return _bind(acct, rid, name, method=BindingMethod.FACE, actor=f"mp_account:{acct.id}")


def _bind(acct: MpAccount, rid: str, name: str, *, method: str, actor: str) -> Subject:
    """Bind the account to the person with this id (their existing file reused), in the caller's transaction.

    The caller has proven the person (face or card): only now may the answer say the id is taken.
    """
    existing = person_by_resident_id(rid)
    if existing is not None and db.session.execute(select(MpAccount.id).where(
            MpAccount.subject_id == existing.id, MpAccount.id != acct.id)).first() is not None:
        taken = Conflict("该身份证号已绑定其他微信账号。" + APPEAL, code="id_already_bound", details={"appeal": APPEAL})
        _refuse(actor, "mp_account.bind_identity.refused", acct.id, taken, method=method)
    filed_name_differs = bool(existing and existing.name_enc and decrypt(existing.name_enc).decode() != name)
    subject = get_or_create_person(rid, name)
    db.session.flush()
    acct.subject_id, acct.bound_at = subject.id, utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another account bound the same id a moment ago
        raise Conflict("该身份证号已绑定其他微信账号。" + APPEAL, code="id_already_bound",
                       details={"appeal": APPEAL}) from None
    audit.record(actor, "mp_account.bind_identity", "subject", subject.handle,
                 details={"account": acct.id, "method": method, "created": existing is None,
                          "filed_name_differs": filed_name_differs})
    return subject


def _code_hash(code: str) -> str:
    return keyed_hash("counter-code:" + "".join(ch for ch in code.upper() if ch.isalnum()))


@use_case
def issue_counter_code(account_id: int) -> dict:
    """A one-time code to show at a service window; raises Conflict when the account is bound already."""
    acct = account(account_id)
    _unbound(acct)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = utcnow() + dt.timedelta(seconds=current_app.config["COUNTER_CODE_TTL_SECONDS"])
    db.session.add(CounterCode(account_id=acct.id, code_hash=_code_hash(code), expires_at=expires_at))
    audit.record(f"mp_account:{acct.id}", "mp_account.counter_code.issue", "mp_account", acct.id)
    return {"counter_code": f"{code[:4]}-{code[4:]}", "expires_at": expires_at}


@use_case
def bind_at_counter(op: Operator, counter_code: str, name: str, id_number: str) -> dict:
    """A window clerk, having checked the card, binds the account that shows this code; raises InvalidInput
    (bad code or id), Gone (expired), Conflict (used, bound, or the id is bound elsewhere), RateLimited."""
    rid, name = valid_resident_id(id_number), name.strip()
    row = db.session.execute(select(CounterCode).where(CounterCode.code_hash == _code_hash(counter_code))
                             .with_for_update()).scalar_one_or_none()
    if row is None:
        _refuse(op.actor, "mp_account.bind_identity.refused", "-",
                InvalidInput("核验码不正确，请让群众在小程序中重新获取。", code="invalid_counter_code",
                             details={"field": "counter_code"}), method=BindingMethod.COUNTER)
    if row.used_at is not None:
        raise Conflict("该核验码已经使用过，请让群众重新获取。", code="counter_code_used")
    if row.expires_at <= utcnow():
        raise Gone("该核验码已过期，请让群众重新获取。", code="counter_code_expired")
    _limit_attempts(rid)
    acct = account(row.account_id)
    _unbound(acct)
    db.session.execute(update(CounterCode).where(CounterCode.id == row.id).values(used_at=utcnow(), used_by=op.id))
    subject = _bind(acct, rid, name, method=BindingMethod.COUNTER, actor=op.actor)
    return {"account_id": acct.id, "display_name": mask_name(name), "id_number_masked": mask_resident_id(rid),
            "subject_handle": subject.handle}
