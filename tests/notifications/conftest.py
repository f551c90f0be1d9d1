"""The fake WeChat the app's gateway talks to (as in tests/miniprogram_api)."""

from __future__ import annotations

import pytest

from backend.demo.wechat_fake import FakeWeChat


@pytest.fixture
def wechat(app):
    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield fake
