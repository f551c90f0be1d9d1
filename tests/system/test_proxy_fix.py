"""TRUSTED_PROXY_HOPS: behind deploy/nginx the app takes the client address from X-Forwarded-For (so per-address
limits count clients); without a proxy the header is ignored, so a client cannot pick its own address."""

from __future__ import annotations

import pytest
from flask import request

from backend.app import create_app
from backend.config import TestConfig


def seen(hops: int, headers: dict) -> dict:
    app = create_app(type("ProxyConfig", (TestConfig,), {"TRUSTED_PROXY_HOPS": hops}))
    app.add_url_rule("/api/test/client", "client", lambda: {"addr": request.remote_addr, "scheme": request.scheme,
                                                            "host": request.host})
    return app.test_client().get("/api/test/client", headers=headers,
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "xy.shanwei.example"}


def test_behind_one_proxy_the_client_address_scheme_and_host_come_from_it():
    assert seen(1, FORWARDED) == {"addr": "203.0.113.7", "scheme": "https", "host": "xy.shanwei.example"}


def test_a_spoofed_first_hop_is_not_trusted():
    # A client sends its own X-Forwarded-For; a proxy that appends would pass "spoofed, real": one hop trusts the last.
    assert seen(1, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})["addr"] == "203.0.113.7"


@pytest.mark.parametrize("headers", [FORWARDED, {}])
def test_without_a_proxy_the_headers_are_ignored(headers):
    assert seen(0, headers) == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_login_limit_counts_the_forwarded_client():
    from flask_limiter.util import get_remote_address

    app = create_app(type("ProxyConfig", (TestConfig,), {"TRUSTED_PROXY_HOPS": 1}))
    app.add_url_rule("/api/test/limit-key", "limit_key", lambda: {"key": get_remote_address()})
    client = app.test_client()
    keys = {client.get("/api/test/limit-key", headers={"X-Forwarded-For": addr}).get_json()["key"]
            for addr in ("203.0.113.7", "203.0.113.8")}
    assert keys == {"203.0.113.7", "203.0.113.8"}
