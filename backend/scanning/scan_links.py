"""Which scan a redemption belongs to: the verify it names (validated), or a scan row of its own."""

from __future__ import annotations

from sqlalchemy import select, update

from backend.platform.extensions import db
from backend.models import Scan
from backend.platform.errors import InvalidInput
from backend.scanning.devices import CodeCheck, Device
from backend.scanning.verification import record_scan

# A grant may follow its verify by this much (a hotel desk fills in forms between the two).
LINK_WINDOW_SECONDS = 600


def linked_scan(device: Device, check: CodeCheck, ts: int, scan_id: int | None) -> int | None:
    """The given scan id once it is this device's recent valid scan of the same subject; raises InvalidInput."""
    if scan_id is None:
        return None
    row = db.session.execute(select(Scan.device_id, Scan.subject_id, Scan.outcome, Scan.scanned_at)
                             .where(Scan.id == scan_id)).first()
    if row is None or row.device_id != device.id:  # another device's scans are not revealed
        problem = "unknown_scan"
    elif row.outcome != "valid" or row.subject_id != check.holder.id:
        problem = "other_subject"
    elif not 0 <= ts - int(row.scanned_at.timestamp()) <= LINK_WINDOW_SECONDS:
        problem = "scan_too_old"
    else:
        return scan_id
    raise InvalidInput(f"scan_id does not name a recent scan of this code by this device ({problem})",
                       code="invalid_scan", details={"field": "scan_id", "reason": problem})


def scan_for(device: Device, check: CodeCheck, ts: int, scan_id: int | None, refusal: str | None = None) -> int:
    """The linked scan (noting the refusal on it), or a new scan row for a redemption that named none."""
    if scan_id is None:
        return record_scan(device, check, ts, refusal=refusal)
    if refusal is not None:
        db.session.execute(update(Scan).where(Scan.id == scan_id).values(refusal=refusal))
    return scan_id
