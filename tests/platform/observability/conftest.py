"""Fixtures: the JSON log handler writing to a buffer, and the fake WeChat for logins."""

from __future__ import annotations

import io
import logging

import pytest

from backend.platform.observability.logs import install_logging
from tests.miniprogram_api.conftest import wechat  # noqa: F401  (the fake WeChat server fixture)


@pytest.fixture
def log_output():
    """Everything logged while the test runs, as the production JSON lines; a callable returning the text."""
    buffer = io.StringIO()
    handler = install_logging("json", stream=buffer)
    yield buffer.getvalue
    logging.getLogger().removeHandler(handler)
