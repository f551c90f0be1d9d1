"""Fixtures: the fake WeChat and mini-program users (as in tests/miniprogram_api), a clock on 2026-09-29 (the
Tuesday before the National Day holiday, so working-day deadlines visibly skip it)."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.demo.wechat_fake import FakeWeChat
from backend.platform.clock import CHINA
from tests.miniprogram_api.helpers import MpClient

TUESDAY = dt.datetime(2026, 9, 29, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def before_national_day(clock):
    clock.now = TUESDAY.timestamp()


@pytest.fixture
def wechat(app):
    with FakeWeChat() as fake:
        app.config.update(WECHAT_APP_ID=fake.app_id, WECHAT_APP_SECRET=fake.app_secret,
                          WECHAT_API_BASE_URL=fake.base_url)
        yield fake


@pytest.fixture
def mp(client, wechat):
    return MpClient(client, wechat, "o-objector-1").login()


@pytest.fixture
def other_mp(client, wechat):
    return MpClient(client, wechat, "o-objector-2").login()
