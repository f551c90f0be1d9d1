"""Scanner test helpers: demo scenarios, partners, devices and incentives; codes; API calls."""

from __future__ import annotations

import itertools

import qr
from backend.demo.seed import seed_scenarios_and_partners
from backend.keys import codes, keyring
from backend.platform.extensions import db
from tests.factories import bearer

_keys = itertools.count(1)


def scan_setup() -> dict:
    """Demo scenarios, one partner, device and incentive per scenario; returns device info by scenario."""
    devices = seed_scenarios_and_partners()
    db.session.commit()
    return devices


def code_for(subject) -> str:
    return codes.issue_code(subject).token


def verify(client, token: str, code: str, **extra):
    return client.post("/api/scan/v1/verify", json={"code": code, **extra}, headers=bearer(token))


def redeem(client, token: str, code: str, incentive: str, key: str | None = None):
    key = key or f"test-key-{next(_keys):06d}"
    return client.post("/api/scan/v1/redemptions", json={"code": code, "incentive": incentive},
                       headers={**bearer(token), "Idempotency-Key": key})


def fetch_bundle(client, token: str, now: int) -> qr.TrustBundle:
    """The device fetches (and the server records) a trust bundle; it is verified as the device would."""
    resp = client.get("/api/scan/v1/trust-bundle", headers=bearer(token))
    assert resp.status_code == 200, resp.get_json()
    return qr.load_bundle(resp.get_json()["bundle"], keyring().verification_keys(now))


def upload(client, token: str, items: list[dict]):
    return client.post("/api/scan/v1/offline-scans", json={"items": items}, headers=bearer(token))
