"""Scanning: scanner devices, online verification, perks granted exactly once, offline scans with trust
bundles, partners' devices and incentives, the staff scan console, and a resident's scan history."""

from backend.scanning.history import my_scans
from backend.scanning.models import Incentive, Partner, Redemption, Scan, ScannerDevice, Scenario, TrustBundle
from backend.scanning.perks import perks_for

__all__ = ["Incentive", "Partner", "Redemption", "Scan", "ScannerDevice", "Scenario", "TrustBundle", "my_scans",
           "perks_for"]
