"""Fixtures: the fake WeChat and mini-program users (shared with the mini-program tests)."""

from tests.miniprogram_api.conftest import mp, other_mp, wechat  # noqa: F401  (fixtures)
