"""Who is scanning: scanner devices by bearer token, and the active incentive rules of their scenario.

Both are cached per worker (platform.caching, SCAN_CACHE_SECONDS): a revocation or an edit made
through this worker shows at once, elsewhere within that time. An unknown token is never cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.platform import caching
from backend.platform.crypto import credential_hash
from backend.platform.db import db
from backend.platform.errors import Unauthorized
from backend.scanning.models import Incentive, ScannerDevice, Scenario
from backend.scanning.rules import Rule

DEVICE_CACHE_ENTRIES = 4096  # far above the devices one worker serves; random tokens never get in


@dataclass(frozen=True)
class Device:
    id: int
    partner_id: int
    scenario: str
    scenario_name: str
    disclosure: tuple[str, ...]
    name: str

    @property
    def actor(self) -> str:
        """How the audit log names this device."""
        return f"device:{self.id}"


def _devices() -> caching.TTLCache:
    return caching.cache("scan_devices", ttl_setting="SCAN_CACHE_SECONDS", max_entries=DEVICE_CACHE_ENTRIES)


def _rules() -> caching.TTLCache:
    return caching.cache("scan_rules", ttl_setting="SCAN_CACHE_SECONDS", max_entries=64)


def forget_cached() -> None:
    """Drop this worker's device and rule caches (after a revocation or an edit is committed)."""
    _devices().forget()
    _rules().forget()


def authenticate_device(token: str) -> Device:
    """The active device holding this token; raises Unauthorized."""
    digest = credential_hash(token)

    def load() -> Device | None:
        row = db.session.execute(
            select(ScannerDevice.id, ScannerDevice.partner_id, ScannerDevice.scenario, Scenario.name_zh,
                   Scenario.disclosure, ScannerDevice.name)
            .join(Scenario, Scenario.code == ScannerDevice.scenario)
            .where(ScannerDevice.token_hash == digest, ScannerDevice.revoked_at.is_(None))
        ).first()
        return None if row is None else Device(row.id, row.partner_id, row.scenario, row.name_zh,
                                               tuple(row.disclosure or ()), row.name)

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
                     r.subject_kinds, r.quota_count, r.quota_period, r.valid_from, r.valid_to) for r in rows]

    return _rules().get(scenario, load)
