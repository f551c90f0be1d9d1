"""The mini-program fixtures (fake WeChat, logged-in users) for repair tests."""

from tests.miniprogram_api.conftest import mp, other_mp, wechat  # noqa: F401  (fixtures)
