"""Fixtures: a fake WeChat on 127.0.0.1 that the app's gateway talks to, and mini-program users."""

from __future__ import annotations

import pytest

from backend.demo.wechat_fake import FakeWeChat
from tests.miniprogram_api.helpers import MpClient


@pytest.fixture
def wechat(app):
    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield fake


@pytest.fixture
def mp(client, wechat):
    """A logged-in mini-program user (not yet bound to an id)."""
    return MpClient(client, wechat, "o-resident-1").login()


@pytest.fixture
def other_mp(client, wechat):
    return MpClient(client, wechat, "o-resident-2").login()
