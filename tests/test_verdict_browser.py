"""Screenshots of the verdict in Chromium (Debian's, through Playwright): the overview with the
positioning goals, a positioning goal's page with its evidence (P0.8: primacy), and the targets
page filtered to the missed targets — in Chinese and English, at 1440 and 390 px wide. They go to
``artifacts/screenshots/verdict-*.png``; the test checks what a person must see on them.

Skipped with a printed reason when chromium or playwright is missing, except with
``LANTU_REQUIRE_BROWSER=1`` (CI)."""

from __future__ import annotations

import pytest

from test_web_browser import ARGS, CHROMIUM, SHOTS, _need, server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "overview": "/?year=2023",
    "goal-P0.8": "/plan/P0.8?year=2022",
    "targets-missed": "/targets?region=140100&status=missed",
}
WORDS = {
    "zh": {"overview": ["P0.1", "P0.8", "定性评估", "严重挑战"],
           "goal-P0.8": ["首位度", "占全省比重", "21.73%"],
           "targets-missed": ["未完成", "地区生产总值增速"]},
    "en": {"overview": ["P0.1", "P0.8", "qualitative", "major challenges"],
           "goal-P0.8": ["Primacy", "Share of the province", "21.73%"],
           "targets-missed": ["missed", "Real GRP growth"]},
}


def test_verdict_screenshots(server):  # noqa: F811 (the fixture)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright package is not installed (pip install -e '.[test]')")
    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for lang in ("zh", "en"):
                for width in (1440, 390):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    for name, path in PAGES.items():
                        sep = "&" if "?" in path else "?"
                        page.goto(f"{base}{path}{sep}lang={lang}")
                        page.wait_for_load_state("networkidle")
                        body = page.inner_text("body")
                        for word in WORDS[lang][name]:
                            assert word in body, (lang, width, name, word)
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        assert wide <= width + 1, (lang, width, name, wide)  # no sideways scroll
                        page.screenshot(path=str(SHOTS / f"verdict-{name}-{lang}-{width}.png"),
                                        full_page=name != "targets-missed" or width == 1440)
                    page.close()
        finally:
            browser.close()
