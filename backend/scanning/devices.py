"""Who is scanning and by which rules: scanner devices by bearer token, the active incentive rules of
their scenario, and the offline eligibility a personal code carries for each scenario.

All cached per worker (platform.caching, SCAN_CACHE_SECONDS): a revocation or an edit made
through this worker shows at once; on the others at their next request when REDIS_URL is set (the
revocations group's version counter), else within that time. An unknown token is never cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.credit import Subject
from backend.platform import caching
from backend.platform.clock import china_today
from backend.platform.crypto import credential_hash
from backend.platform.db import db
from backend.platform.errors import Unauthorized
from backend.scanning.checks import black_listed
from backend.scanning.models import Incentive, ScannerDevice, Scenario
from backend.scanning.rules import Rule, offline_bits

DEVICE_CACHE_ENTRIES = 4096  # far above the devices one worker serves; random tokens never get in


@dataclass(frozen=True)
class Device:
    id: int
    partner_id: int
    scenario: str
    scenario_name: str
    disclosure: tuple[str, ...]
    name: str
    slot: int | None = None  # the scenario's nibble in format-2 codes (None: no offline perks)
    card_perks: bool = True  # printed resident cards get this scenario's perks
    id_checks: bool = False  # residents may be looked up by ID number here

    @property
    def actor(self) -> str:
        """How the audit log names this device."""
        return f"device:{self.id}"


def _devices() -> caching.TTLCache:
    return caching.cache("scan_devices", ttl_setting="SCAN_CACHE_SECONDS", max_entries=DEVICE_CACHE_ENTRIES,
                         shared=caching.REVOCATIONS)


def _rules() -> caching.TTLCache:
    return caching.cache("scan_rules", ttl_setting="SCAN_CACHE_SECONDS", max_entries=64, shared=caching.REVOCATIONS)


def _slots() -> caching.TTLCache:
    return caching.cache("scan_slots", ttl_setting="SCAN_CACHE_SECONDS", max_entries=1, shared=caching.REVOCATIONS)


def forget_cached() -> None:
    """Drop this worker's device, rule and slot caches (after a revocation or an edit is committed)."""
    for cache in (_devices(), _rules(), _slots()):
        cache.forget()


def scenario_slots() -> list[tuple[int, str]]:
    """(slot, scenario) of every scenario with offline perks, by slot (cached per worker)."""
    return _slots().get("all", lambda: [(r.slot, r.code) for r in db.session.execute(
        select(Scenario.slot, Scenario.code).where(Scenario.slot.is_not(None)).order_by(Scenario.slot))])


def authenticate_device(token: str) -> Device:
    """The active device holding this token; raises Unauthorized."""
    digest = credential_hash(token)

    def load() -> Device | None:
        row = db.session.execute(
            select(ScannerDevice.id, ScannerDevice.partner_id, ScannerDevice.scenario, Scenario.name_zh,
                   Scenario.disclosure, ScannerDevice.name, Scenario.slot, Scenario.card_perks,
                   Scenario.id_checks)
            .join(Scenario, Scenario.code == ScannerDevice.scenario)
            .where(ScannerDevice.token_hash == digest, ScannerDevice.revoked_at.is_(None))
        ).first()
        return None if row is None else Device(row.id, row.partner_id, row.scenario, row.name_zh,
                                               tuple(row.disclosure or ()), row.name, row.slot,
                                               bool(row.card_perks), bool(row.id_checks))

    device = _devices().get(digest, load)
    if device is None:
        raise Unauthorized("设备凭证无效或已停用，请向合作单位管理员索取本设备的 dev_ 凭证。", code="invalid_device")
    return device


def scenario_rules(scenario: str) -> list[Rule]:
    """Active incentives of a scenario (cached per worker)."""
    def load() -> list[Rule]:
        rows = db.session.execute(select(Incentive).where(Incentive.scenario == scenario,
                                                          Incentive.active.is_(True))
                                  .order_by(Incentive.id)).scalars().all()
        return [Rule(r.id, r.code, r.scenario, r.partner_id, r.title, r.description, r.eligible_grades,
                     r.subject_kinds, r.quota_count, r.quota_period, r.valid_from, r.valid_to, r.offline_bit)
                for r in rows]

    return _rules().get(scenario, load)


def code_eligibility(holder) -> dict[int, tuple[str, int]]:
    """slot -> (scenario, nibble) for a format-2 code issued now to this holder (keys.issue_code asks).

    The holder has handle and grade, and kind and blocked when the caller knows them (the
    mini-program's session does); otherwise they are read here.
    """
    kind, blocked = getattr(holder, "kind", None), getattr(holder, "blocked", None)
    if kind is None or blocked is None:
        row = db.session.execute(select(Subject.kind, black_listed(china_today()).label("blocked"))
                                 .where(Subject.handle == holder.handle)).first()
        kind, blocked = (row.kind, bool(row.blocked)) if row else ("person", True)
    return {slot: (scenario, offline_bits(holder.grade, kind, blocked, scenario_rules(scenario)))
            for slot, scenario in scenario_slots()}
