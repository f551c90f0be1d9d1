"""The change feed as a scanner device sees it (GET /api/scan/v1/changes), signed with the key ring."""

from __future__ import annotations

from flask import current_app

import qr
from backend.credit import changes_after
from backend.keys import sign_page
from backend.platform.clock import now_ts
from backend.scanning.devices import Device


def device_changes(device: Device, after: int, limit: int) -> dict:
    """A page of every change after `after`; persons' subjects only where the device already learns handles
    (CODE_FORMAT 1: its trust bundle lists black-listed handles), never their data otherwise."""
    page = changes_after(after, limit, public_only=False, with_persons=current_app.config["CODE_FORMAT"] == 1)
    claims = {"iss": "信用汕尾", "aud": f"device:{device.id}", "scenario": device.scenario, "iat": now_ts(), **page}
    return {**page, "page": sign_page(qr.CHANGES_TYP, claims)}
