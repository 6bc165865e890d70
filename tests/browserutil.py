"""The one way a browser test gets its browser (a pytest plugin of ``conftest.py``): the fixture
``chromium`` is Debian's Chromium (never ``playwright install``) launched headless through
Playwright for Python, closed after the test.

Where Chromium or the playwright package is missing, a test skips with the reason printed, except
with ``LANTU_REQUIRE_BROWSER=1`` (CI), where that is a failure. A fixture that builds a database
for a browser test calls :func:`need_chromium` first, so nothing is built to be skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def need_browser(reason: str) -> None:
    """Skip with ``reason`` printed, or fail where ``LANTU_REQUIRE_BROWSER=1`` requires the
    browser tests."""
    if os.environ.get("LANTU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (LANTU_REQUIRE_BROWSER=1) but {reason}")
    print(f"skipping the browser test: {reason}")
    pytest.skip(reason)


def need_chromium() -> None:
    """Skip (or fail, with ``LANTU_REQUIRE_BROWSER=1``) where the Chromium the tests launch is
    missing: called before a scenario builds its database."""
    if not Path(CHROMIUM).exists():
        need_browser(f"{CHROMIUM} is not installed")


@pytest.fixture()
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``): ``chromium.new_page(viewport=…)``."""
    need_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_browser("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
