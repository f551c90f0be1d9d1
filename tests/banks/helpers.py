"""Helpers for 信易贷 tests: banks with an operator token, authorisations through the real APIs."""

from __future__ import annotations

import itertools

from stdnum.cn import uscc

from tests.factories import bearer, operator_token

_bank_seq = itertools.count(1)
_keys = itertools.count(1)


def bank_uscc(n: int) -> str:
    base = f"91441500MA5B{n % 100000:05d}"
    return base + uscc.calc_check_digit(base)


def new_bank(client, admin: dict, name: str = "汕尾农商银行") -> tuple[dict, dict]:
    """Register a bank through the admin API and create one operator; (bank, bank operator headers)."""
    n = next(_bank_seq)
    resp = client.post("/api/dept/v1/banks", headers=admin,
                       json={"name": name, "uscc": bank_uscc(n), "licence_no": f"B0001H2441500{n:02d}"})
    assert resp.status_code == 201, resp.get_json()
    bank = resp.get_json()
    resp = client.post(f"/api/dept/v1/banks/{bank['id']}/operators", headers=admin, json={"name": f"{name}信贷部"})
    assert resp.status_code == 201, resp.get_json()
    return bank, bearer(resp.get_json()["token"])


def admin_headers() -> dict:
    return bearer(operator_token("admin"))


def authorise(mp, bank_id: int, **body) -> dict:
    resp = mp.post("/me/bank-authorisations", json={"bank_id": bank_id, **body})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def profile(client, headers: dict, handle: str):
    return client.get(f"/api/bank/v1/authorisations/{handle}/profile", headers=headers)


def idem(headers: dict, key: str | None = None) -> dict:
    return {**headers, "Idempotency-Key": key or f"bank-key-{next(_keys):06d}"}
