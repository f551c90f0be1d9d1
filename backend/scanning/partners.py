"""Partners' scanner devices and incentives: a partner operator manages its own, an admin any."""

from __future__ import annotations

from sqlalchemy import select

import qr
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import utcnow
from backend.platform.crypto import credential_hash, new_credential
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.scanning.devices import forget_cached
from backend.scanning.models import Incentive, Partner, ScannerDevice


def _partner_for(op: Operator, partner_id: int | None) -> Partner:
    """The partner an operator acts for; raises InvalidInput, NotFound or Forbidden."""
    if op.role == "partner":
        if partner_id not in (None, op.partner_id):
            raise Forbidden("合作单位操作员只能管理本单位的设备和优惠。", code="wrong_partner")
        partner_id = op.partner_id
    if partner_id is None:
        raise InvalidInput("partner_id：平台管理员操作时必须指明合作单位。", code="partner_required",
                           details={"field": "partner_id"})
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"没有编号为 {partner_id} 的合作单位。")
    return partner


def _own(op: Operator, row):
    """Raises NotFound when the row is missing or belongs to another partner (no existence leak)."""
    if row is None or (op.role == "partner" and row.partner_id != op.partner_id):
        raise NotFound("没有找到该项目（或它不属于本单位）。")
    return row


def _scoped(op: Operator, model):
    query = select(model).order_by(model.id)
    return query.where(model.partner_id == op.partner_id) if op.role == "partner" else query


def list_devices(op: Operator) -> list[ScannerDevice]:
    return list(db.session.execute(_scoped(op, ScannerDevice)).scalars())


@use_case
def create_device(op: Operator, *, name: str, partner_id: int | None = None, actor: str) -> tuple[ScannerDevice, str]:
    """Register a device in its partner's scenario; returns it with its token, shown once."""
    partner = _partner_for(op, partner_id)
    token = new_credential("dev")
    device = ScannerDevice(partner_id=partner.id, scenario=partner.scenario, name=name,
                           token_hash=credential_hash(token))
    db.session.add(device)
    db.session.flush()
    audit.record(actor, "device.create", "scanner_device", device.id,
                 details={"partner_id": partner.id, "scenario": partner.scenario})
    return device, token


@use_case
def revoke_device(op: Operator, device_id: int, *, actor: str) -> ScannerDevice:
    """Revoke a device's credential at once; raises NotFound or Conflict."""
    device = _own(op, db.session.get(ScannerDevice, device_id))
    if device.revoked_at is not None:
        raise Conflict("该设备凭证已停用。", code="already_revoked")
    device.revoked_at = utcnow()
    audit.record(actor, "device.revoke", "scanner_device", device.id)
    on_commit(forget_cached)
    return device


def list_incentives(op: Operator) -> list[Incentive]:
    return list(db.session.execute(_scoped(op, Incentive)).scalars())


def free_offline_bit(scenario: str) -> int | None:
    """The lowest of the scenario's 4 offline bits no incentive holds (None: this one is granted online only)."""
    taken = set(db.session.execute(select(Incentive.offline_bit).where(
        Incentive.scenario == scenario, Incentive.offline_bit.is_not(None))).scalars())
    return next((bit for bit in range(qr.pseudonym.BITS_PER_SLOT) if bit not in taken), None)


def _check_rule(fields: dict) -> None:
    if fields.get("valid_from") and fields.get("valid_to") and fields["valid_from"] > fields["valid_to"]:
        raise InvalidInput("valid_from：开始日期不能晚于结束日期（valid_to）。", code="bad_window",
                           details={"field": "valid_from"})


@use_case
def create_incentive(op: Operator, *, actor: str, partner_id: int | None = None, **fields) -> Incentive:
    """A new perk in the partner's scenario; raises InvalidInput, Forbidden or Conflict (code taken)."""
    partner = _partner_for(op, partner_id)
    _check_rule(fields)
    if db.session.execute(select(Incentive.id).where(Incentive.code == fields["code"])).first():
        raise Conflict(f"优惠代码 {fields['code']!r} 已被使用，请换一个。", code="code_taken")
    row = Incentive(partner_id=partner.id, scenario=partner.scenario, offline_bit=free_offline_bit(partner.scenario),
                    **fields)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "incentive.create", "incentive", row.id,
                 details={"code": row.code, "offline_bit": row.offline_bit})
    on_commit(forget_cached)
    return row


@use_case
def update_incentive(op: Operator, incentive_id: int, *, actor: str, **fields) -> Incentive:
    """Change rules, window or active flag; raises NotFound or InvalidInput."""
    row = _own(op, db.session.get(Incentive, incentive_id))
    merged = {"valid_from": row.valid_from, "valid_to": row.valid_to, **fields}
    _check_rule(merged)
    for name, value in fields.items():
        setattr(row, name, value)
    audit.record(actor, "incentive.update", "incentive", row.id, details=fields)
    on_commit(forget_cached)
    return row
