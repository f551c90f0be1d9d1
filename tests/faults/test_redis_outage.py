"""Redis hung, then gone: the service keeps serving with rate limits off (and logs it); limits return with Redis."""

from __future__ import annotations

import os
import signal

import pytest

from tests.factories import person
from tests.faults.helpers import app_servers, me_code, mp_token, private_postgres, private_redis, seeding_app, verify
from tests.scanning.helpers import code_for, scan_setup

pytestmark = pytest.mark.faults
LIMIT = 3


def _codes(base: str, token: str, n: int) -> list[int]:
    return [me_code(base, token)[0] for _ in range(n)]


def test_redis_stopped_service_keeps_serving_limits_degraded_then_back(tmp_path):
    with private_postgres() as pg, private_redis() as redis:
        url = pg.database("redis")
        with seeding_app(url):
            device = scan_setup()["transit"]["token"]
            tokens = [mp_token(f"o-redis-{i}", person(grade="A")) for i in range(4)]
            scan_code = code_for(person(grade="B"))
        with app_servers(url, tmp_path, REDIS_URL=redis.url, MP_CODE_RATE_LIMIT=f"{LIMIT} per minute") as (server,):
            base = server.base
            assert _codes(base, tokens[0], LIMIT + 1) == [200] * LIMIT + [429]

            # Hung (SIGSTOP: connections are accepted by the kernel, nothing answers): bounded by socket timeouts.
            os.kill(redis.proc.pid, signal.SIGSTOP)
            try:
                hung = [me_code(base, tokens[1]) for _ in range(LIMIT + 1)]
                assert verify(base, device, scan_code)[:1] == (200,)
            finally:
                os.kill(redis.proc.pid, signal.SIGCONT)
            assert [s for s, _, _ in hung] == [200] * (LIMIT + 1)

            redis.stop()  # gone: connection refused
            assert _codes(base, tokens[0], 2) == [200, 200]  # over its limit, served anyway (degraded)
            assert _codes(base, tokens[2], LIMIT + 2) == [200] * (LIMIT + 2)
            status, body, _ = verify(base, device, scan_code)
            assert (status, body["outcome"]) == (200, "valid")
            assert "rate-limit storage unavailable" in server.log()

            redis.start()  # back, empty: the limits apply again (a stale pooled connection may fail once per worker)
            statuses = _codes(base, tokens[3], LIMIT + 3)
            assert 429 in statuses and statuses.index(429) >= LIMIT, statuses
            assert set(statuses[statuses.index(429):]) == {429}
        print(f"\nfaults: Redis hung, slowest /me/code {max(t for _, _, t in hung):.2f} s")
