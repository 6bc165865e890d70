"""The one way a browser test gets its browser (a pytest plugin of ``conftest.py``): the fixture
``chromium`` is Debian's Chromium (never ``playwright install``) launched headless through
Playwright for Python, one per test process, whose pages and contexts are closed after each test.

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
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


class _Chromium:
    """One headless Chromium per test process (pytest-xdist worker), launched when a test first
    asks for it and again should it have gone away (a crash); each test gets it with no page
    or context open and leaves none (see :func:`chromium`)."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def get(self) -> Any:
        if self.browser is None or not self.browser.is_connected():
            if self.playwright is None:
                from playwright.sync_api import sync_playwright

                self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        return self.browser

    def close(self) -> None:
        if self.browser is not None and self.browser.is_connected():
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()


@pytest.fixture(scope="session")
def _chromium_process() -> Iterator[_Chromium]:
    holder = _Chromium()
    yield holder
    holder.close()


@pytest.fixture()
def chromium(_chromium_process) -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``): ``chromium.new_page(viewport=…)``.

    Launching Chromium takes about a second, so the test process keeps one browser; every page
    ``new_page`` opens has a context (cookies, storage, cache) of its own, and the contexts a
    test opened are closed after it, so tests share no state through the browser."""
    need_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        need_browser("the playwright package is not installed (pip install -e '.[test]')")
    browser = _chromium_process.get()
    assert not browser.contexts, "a browser test starts with no page open"
    try:
        yield browser
    finally:
        if browser.is_connected():
            for context in list(browser.contexts):
                context.close()
