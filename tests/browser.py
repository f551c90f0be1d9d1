"""Headless Chromium for page tests: Debian's /usr/bin/chromium through Playwright, drawing Chinese with the
project's own font (the pinned PyPI package), so screenshots read the same on a machine without Debian fonts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from backend.platform.fonts import cjk_font

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

needs_chromium = [pytest.mark.browser,
                  pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def _fontconfig() -> str:
    """A fontconfig file naming the project's font directory first, then whatever the system has."""
    folder = Path(tempfile.mkdtemp(prefix="credit-fontconfig-"))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{Path(cjk_font().path).parent}</dir>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return str(conf)


def launch(playwright, extra_args: tuple[str, ...] = ()):
    """A headless Chromium browser (close it when done)."""
    env = {**os.environ, "FONTCONFIG_FILE": _fontconfig()}
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *extra_args], env=env)
