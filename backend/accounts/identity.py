"""Real-name binding: a mini-program account proves which person (resident id) it belongs to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.accounts.models import MpAccount
from backend.credit import Subject, get_or_create_person, person_by_resident_id
from backend.platform import audit
from backend.platform.clock import utcnow
from backend.platform.crypto import decrypt
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, InvalidInput, NotFound
from backend.platform.identifiers import valid_resident_id

APPEAL = ("如非本人绑定，请携带本人居民身份证到汕尾市社会信用体系建设工作领导小组办公室（市发展改革局）"
          "或拨打12345政务服务热线申诉，核实后将解除原绑定。")


def account(account_id: int) -> MpAccount:
    """Raises NotFound (an account deleted under a live session)."""
    found = db.session.get(MpAccount, account_id)
    if found is None:
        raise NotFound("没有找到该小程序账号，请重新登录。")
    return found


def person(subject_id: int | None) -> Subject | None:
    """The bound person, or None before binding."""
    return db.session.get(Subject, subject_id) if subject_id is not None else None


def _already_bound(subject_id: int, account_id: int) -> bool:
    other = db.session.execute(select(MpAccount.id).where(MpAccount.subject_id == subject_id,
                                                          MpAccount.id != account_id)).first()
    return other is not None


@use_case
def bind_identity(account_id: int, name: str, id_number: str) -> Subject:
    """Bind the account to the person with this id (existing file reused); raises InvalidInput or Conflict."""
    rid = valid_resident_id(id_number)
    name = name.strip()
    acct = account(account_id)
    existing = person_by_resident_id(rid)
    if acct.subject_id is not None:
        if existing is not None and existing.id == acct.subject_id:
            return existing  # repeating the same binding is harmless
        raise Conflict("该微信账号已绑定其他身份信息，不能再次绑定。", code="account_already_bound")
    if existing is not None:
        if _already_bound(existing.id, acct.id):
            raise Conflict("该身份证号已绑定其他微信账号。" + APPEAL, code="id_already_bound",
                           details={"appeal": APPEAL})
        # Departments filed records under this id with a name: the binding must agree with it.
        if existing.name_enc and decrypt(existing.name_enc).decode() != name:
            raise InvalidInput("姓名与身份证号不匹配。", code="name_mismatch", details={"field": "name"})
    subject = get_or_create_person(rid, name)
    db.session.flush()
    acct.subject_id, acct.bound_at = subject.id, utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # another account bound the same id a moment ago
        raise Conflict("该身份证号已绑定其他微信账号。" + APPEAL, code="id_already_bound",
                       details={"appeal": APPEAL}) from None
    audit.record(f"mp_account:{acct.id}", "mp_account.bind_identity", "subject", subject.handle,
                 details={"created": existing is None})
    return subject
