"""Two app servers (two gunicorns, two ports) sharing one PostgreSQL and one Redis: quotas, idempotency, limits hold."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import person
from tests.faults.helpers import app_servers, me_code, mp_token, private_postgres, private_redis, redeem, seeding_app
from tests.scanning.helpers import code_for, scan_setup

pytestmark = pytest.mark.faults
LIMIT = 4


def _together(calls: list) -> list:
    """Run the calls at the same moment (a barrier), each on its own thread."""
    start = threading.Barrier(len(calls), timeout=30)

    def one(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def test_two_app_servers_share_quotas_idempotency_and_rate_limits(tmp_path):
    with private_postgres() as pg, private_redis() as redis:
        url = pg.database("scale")
        with seeding_app(url):
            device = scan_setup()["transit"]["token"]
            quota_code, idem_code = code_for(person(grade="A")), code_for(person(grade="A"))
            tokens = [mp_token(f"o-scale-{i}", person(grade="B")) for i in range(2)]
        with app_servers(url, tmp_path, n=2, REDIS_URL=redis.url, MP_CODE_RATE_LIMIT=f"{LIMIT} per minute") as (a, b):
            # Quota (once a day): 20 different keys at once, half on each server -> one grant.
            quota = _together([lambda i=i: redeem((a, b)[i % 2].base, device, quota_code, f"quota-{i:02d}")
                               for i in range(20)])
            # Idempotency: the same key on both servers at once, then again on each -> one grant, one receipt.
            same = _together([lambda s=s: redeem(s.base, device, idem_code, "same-key") for s in (a, b, a, b)])
            later = [redeem(s.base, device, idem_code, "same-key") for s in (a, b)]
            # Rate limit per account, requests alternating between the servers: one shared budget.
            spread = [me_code((a, b)[i % 2].base, tokens[0])[0] for i in range(2 * LIMIT)]
            other = me_code(b.base, tokens[1])[0]
        grants = pg.sql("SELECT idempotency_key FROM redemptions ORDER BY idempotency_key", "scale")

    assert sorted(s for s, _, _ in quota) == [201] + [409] * 19
    assert {b["error"]["code"] for s, b, _ in quota if s == 409} == {"over_quota"}
    assert sorted(s for s, _, _ in same + later) == [200] * 5 + [201]
    assert len({body["receipt"] for _, body, _ in same + later}) == 1
    assert spread == [200] * LIMIT + [429] * LIMIT
    assert other == 200
    assert len(grants) == 2 and grants[1] == ("same-key",) and grants[0][0].startswith("quota-")
