"""Fixtures for hardening tests: the fake WeChat of the mini-program tests and the seeded demo world."""

from __future__ import annotations

import pytest

from tests.hardening.helpers import build_world
from tests.miniprogram_api.conftest import wechat  # noqa: F401  (a fixture: the fake WeChat on 127.0.0.1)


@pytest.fixture
def world(app, client, wechat):  # noqa: F811
    return build_world(client, wechat)
