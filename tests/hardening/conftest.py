"""Fixtures for hardening tests: a fake WeChat and the seeded demo world."""

from __future__ import annotations

import pytest

from tests.fakes.wechat_server import FakeWeChat
from tests.hardening.helpers import build_world


@pytest.fixture
def wechat(app):
    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url, WECHAT_TIMEOUT=0.5)
        yield fake


@pytest.fixture
def world(app, client, wechat):
    return build_world(client, wechat)
