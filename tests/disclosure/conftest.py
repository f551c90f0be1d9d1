"""Mini-program fixtures for report tests (the fake WeChat, a bound resident)."""

from tests.miniprogram_api.conftest import mp, other_mp, wechat  # noqa: F401
