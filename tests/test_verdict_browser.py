"""Screenshots of the verdict in Chromium (Debian's, through Playwright): the overview with the
positioning goals, positioning goals' pages with their evidence (P0.8: primacy; P0.1: the
logistics-hub milestones), the targets page filtered to the missed targets and the map of Shanxi
coloured by a status (its legend, the five central-Shanxi cities outlined) — in Chinese and
English, at 1440 and 390 px wide. They go to
``artifacts/screenshots/verdict-*.png``; the test checks what a person must see on them.

Skipped with a printed reason when chromium or playwright is missing, except with
``LANTU_REQUIRE_BROWSER=1`` (CI)."""

from __future__ import annotations

import pytest

from test_web_browser import SHOTS, server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "overview": "/?year=2023",
    "goal-P0.8": "/plan/P0.8?year=2022",
    "goal-P0.1": "/plan/P0.1?year=2023",
    "targets-missed": "/targets?region=140100&status=missed",
    "map-status": "/comparison?layer=status:gdp_growth&year=2023",
}
WORDS = {
    "zh": {"overview": ["P0.1", "P0.2", "P0.3", "P0.4", "P0.5", "P0.6", "P0.7", "P0.8",
                        "定性评估", "严重挑战", "来源质量"],
           "goal-P0.8": ["首位度", "占全省比重", "21.73%"],
           "goal-P0.1": ["国家物流枢纽", "有进展佐证", "2019"],
           "targets-missed": ["未完成", "地区生产总值增速", "统计公报"],
           "map-status": ["山西省各市分布图", "粗线勾勒：山西中部城市群", "未完成", "太原市"]},
    "en": {"overview": ["P0.1", "P0.2", "P0.3", "P0.4", "P0.5", "P0.6", "P0.7", "P0.8",
                        "qualitative", "major challenges", "Source quality"],
           "goal-P0.8": ["Primacy", "Share of the province", "21.73%"],
           "goal-P0.1": ["logistics hub", "progress evidenced", "2019"],
           "targets-missed": ["missed", "Real GRP growth", "statistics"],
           "map-status": ["Cities of Shanxi Province", "Outlined: Central Shanxi", "missed",
                          "Taiyuan"]},
}


def test_verdict_screenshots(server, chromium):  # noqa: F811 (the fixture)
    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        for width in (1440, 390):
            page = chromium.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES.items():
                sep = "&" if "?" in path else "?"
                page.goto(f"{base}{path}{sep}lang={lang}")
                page.wait_for_load_state("networkidle")
                if name.startswith("map"):  # ECharts draws the eleven cities
                    page.wait_for_function(
                        "document.querySelectorAll('[data-chart=\"map-chart\"] svg path')"
                        ".length >= 11", timeout=30000)
                    svg = page.inner_html('[data-chart="map-chart"]')
                    assert "#c62828" in svg.lower() or "rgb(198,40,40)" in svg, \
                        (lang, width, "Taiyuan's missed red is not on the map")
                body = page.inner_text("body")
                for word in WORDS[lang][name]:
                    assert word in body, (lang, width, name, word)
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width + 1, (lang, width, name, wide)  # no sideways scroll
                page.screenshot(path=str(SHOTS / f"verdict-{name}-{lang}-{width}.png"),
                                full_page=name != "targets-missed" or width == 1440)
                if name.startswith("map"):
                    page.locator("#map").scroll_into_view_if_needed()
                    page.locator(".map-row").screenshot(
                        path=str(SHOTS / f"verdict-map-only-{lang}-{width}.png"))
            page.close()
