"""ID-card check at a counter: a device of a scenario that allows it looks a resident up by ID number (typed,
or read by a card reader as keyboard input) and gets the same outcome and perks as for a code.

For residents without a smartphone (or without their card). Each lookup is rate-limited per device
(SCAN_ID_CHECK_RATE_LIMIT) and audited with the device; the audit and the scan log keep the holder's
handle, never the id number. An id with no credit file is refused (404) the same way, audited.
"""

from __future__ import annotations

from typing import NoReturn

from backend.credit import person_by_resident_id
from backend.platform import audit
from backend.platform.clock import now_ts
from backend.platform.db import commit_then_raise, use_case
from backend.platform.errors import Forbidden, NotFound
from backend.platform.identifiers import valid_resident_id
from backend.platform.ratelimit import consume
from backend.scanning.checks import CodeCheck, handle_check
from backend.scanning.devices import Device, scenario_rules
from backend.scanning.rules import Rule
from backend.scanning.verification import answer, record_scan, require_scenario


def _refused(device: Device, error: Exception) -> NoReturn:
    audit.record(device.actor, "scan.id_check.refused", "scanner_device", device.id,
                 details={"code": getattr(error, "code", None)})
    commit_then_raise(error)


def check_by_id(device: Device, id_number: str, ts: int, rules: list[Rule]) -> CodeCheck:
    """The holder with this id as a scan sees it (counted against the device's limit, audited); raises
    Forbidden (scenario does not allow ID checks), InvalidInput (bad id), RateLimited, NotFound (no file)."""
    if not device.id_checks:
        raise Forbidden(f"本设备的场景（{device.scenario_name}）未开通身份证核验，请扫描信用码或市民信用卡。",
                        code="id_checks_not_allowed")
    rid = valid_resident_id(id_number)
    consume("SCAN_ID_CHECK_RATE_LIMIT", "scan-id-check", f"device:{device.id}",
            "本设备身份证核验次数过多，请稍后再试，或请市民出示信用码。")
    subject = person_by_resident_id(rid)
    if subject is None:
        _refused(device, NotFound("没有查到该身份证号的信用档案，请市民出示信用码或到政务服务窗口办理。",
                                  code="resident_not_found"))
    check = handle_check(subject.handle, rules, ts, jti=None, via="id")
    audit.record(device.actor, "scan.id_check", "subject", subject.handle, details={"outcome": check.outcome})
    return check


@use_case
def id_check(device: Device, id_number: str, scenario: str | None = None) -> dict:
    """Look a resident up by ID number at this device and record the scan, answered as a verify is."""
    require_scenario(device, scenario)
    ts = now_ts()
    rules = scenario_rules(device.scenario)
    check = check_by_id(device, id_number, ts, rules)
    return answer(device, rules, check, record_scan(device, check, ts), ts)
