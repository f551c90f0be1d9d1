"""Issuing, revoking and reprinting resident cards at a service window (role window), after the clerk
has checked the ID card in person. Every step is audited with the clerk; the audit names the card's
serial and the subject's handle, never the id number."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app
from sqlalchemy import select

import qr
from backend.cards.models import ResidentCard
from backend.cards.vocab import CARD_SIZE_ZH
from backend.credit import Subject, get_or_create_person
from backend.keys import keyring
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import from_ts, now_ts, utcnow
from backend.platform.db import db, use_case
from backend.platform.errors import Conflict, Gone, NotFound
from backend.platform.identifiers import mask_name, valid_resident_id

REISSUED = "补办新卡，旧卡作废"


def new_serial() -> str:
    return "".join(secrets.choice(qr.cards.SERIAL_ALPHABET) for _ in range(12))


def printed_serial(serial: str) -> str:
    """ABCD-EFGH-JKMN: how the serial is printed and read aloud."""
    return "-".join(serial[i:i + 4] for i in range(0, 12, 4))


def normal_serial(text: str) -> str:
    """A serial as typed (dashes, spaces, lower case) in its stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def card_view(row: ResidentCard) -> dict:
    return {"serial": row.serial, "serial_printed": printed_serial(row.serial), "masked_name": row.masked_name,
            "size": row.size, "size_zh": CARD_SIZE_ZH[row.size], "issued_at": row.issued_at,
            "expires_at": row.expires_at, "revoked_at": row.revoked_at, "revoke_reason": row.revoke_reason,
            "pdf_url": f"/api/dept/v1/resident-cards/{row.serial}/card.pdf"}


def _revoke(row: ResidentCard, op: Operator, reason: str) -> None:
    row.revoked_at, row.revoked_by, row.revoke_reason = utcnow(), op.id, reason


@use_case
def issue_card(op: Operator, name: str, id_number: str, size: str, valid_days: int | None = None) -> dict:
    """A new card for the person with this id (their file created if new); their earlier live cards are
    revoked (one live card per person: a reissue is what a lost card needs). Raises InvalidInput (bad id)."""
    rid, name = valid_resident_id(id_number), name.strip()
    subject: Subject = get_or_create_person(rid, name)
    db.session.flush()
    days = min(valid_days or current_app.config["RESIDENT_CARD_DAYS"], 365)
    now = utcnow()
    replaced = db.session.execute(select(ResidentCard).where(
        ResidentCard.subject_id == subject.id, ResidentCard.revoked_at.is_(None),
        ResidentCard.expires_at > now)).scalars().all()
    for old in replaced:
        _revoke(old, op, REISSUED)
    serial = new_serial()
    while db.session.execute(select(ResidentCard.id).where(ResidentCard.serial == serial)).first() is not None:
        serial = new_serial()  # about 1 in 2^59 per card
    row = ResidentCard(serial=serial, subject_id=subject.id, masked_name=mask_name(name), size=size,
                       issued_at=now.replace(microsecond=0), expires_at=(now + dt.timedelta(days=days)).replace(
                           microsecond=0), issued_by=op.id)
    db.session.add(row)
    db.session.flush()
    audit.record(op.actor, "resident_card.issue", "resident_card", row.serial,
                 details={"subject": subject.handle, "size": size, "days": days,
                          "replaced": [r.serial for r in replaced]})
    return card_view(row)


def _card(serial: str, *, lock: bool = False) -> ResidentCard:
    query = select(ResidentCard).where(ResidentCard.serial == normal_serial(serial))
    row = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None:
        raise NotFound("没有这个卡号的市民信用卡，请核对卡号。", code="card_not_found")
    return row


@use_case
def revoke_card(op: Operator, serial: str, reason: str) -> dict:
    """Void a card at once (lost or damaged): scanners answer revoked online, and offline from their next
    trust bundle. Raises NotFound, Conflict (revoked already)."""
    row = _card(serial, lock=True)
    if row.revoked_at is not None:
        raise Conflict("该卡已经挂失作废。", code="card_revoked")
    _revoke(row, op, reason)
    audit.record(op.actor, "resident_card.revoke", "resident_card", row.serial, details={"reason": reason})
    return card_view(row)


def card_token(row: ResidentCard) -> str:
    """The signed content of the card's QR code; the same serial and validity each time it is printed."""
    return qr.sign_card(keyring().signer, serial=row.serial, expires_at=int(row.expires_at.timestamp()),
                        now=int(row.issued_at.timestamp()))


@use_case
def card_to_print(op: Operator, serial: str) -> tuple[ResidentCard, str]:
    """The card and its QR content for printing (audited); raises NotFound, Gone (revoked or expired)."""
    row = _card(serial)
    if row.revoked_at is not None or row.expires_at <= from_ts(now_ts()):
        raise Gone("该卡已作废或已过期，不能打印，请补办新卡。", code="card_void")
    audit.record(op.actor, "resident_card.print", "resident_card", row.serial)
    return row, card_token(row)


def card_holder(serial: str) -> tuple[int, bool] | None:
    """(subject id, revoked) of the card with this serial; None when there is none. Raises nothing."""
    row = db.session.execute(select(ResidentCard.subject_id, ResidentCard.revoked_at)
                             .where(ResidentCard.serial == serial)).first()
    return None if row is None else (row.subject_id, row.revoked_at is not None)


def revoked_serials() -> list[str]:
    """Serials of revoked cards still within their validity: what a trust bundle lists."""
    return list(db.session.execute(select(ResidentCard.serial).where(
        ResidentCard.revoked_at.is_not(None), ResidentCard.expires_at > utcnow())
        .order_by(ResidentCard.id)).scalars())



