"""The comparison page's map in a real browser (Debian's chromium through Playwright): the
vendored boundaries load offline and ECharts draws the eleven cities, in Chinese and English, on
a desktop (1440 px) and a phone (390 px). Screenshots go to ``artifacts/screenshots/``."""

from __future__ import annotations

import pytest

from test_web_browser import SHOTS, server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_map_draws_the_eleven_cities(server, chromium, lang):  # noqa: F811
    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page = chromium.new_page(viewport={"width": width, "height": 900},
                                 locale="zh-CN" if lang == "zh" else "en-GB")
        requests: list[str] = []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        # the first view computes the index and its uncertainty analysis: allow for it
        page.goto(f"{base}/comparison?lang={lang}", wait_until="networkidle",
                  timeout=300000)
        chart = page.locator('[data-chart="map-chart"]')
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "document.querySelectorAll('[data-chart=\"map-chart\"] svg path').length >= 11",
            timeout=20000)
        assert all(u.startswith(base) for u in requests), "a request left the machine"
        labels = page.locator('[data-chart="map-chart"] svg text').all_text_contents()
        assert ("太原市" if lang == "zh" else "Taiyuan") in " ".join(t or "" for t in labels)
        page.screenshot(path=str(SHOTS / f"comparison-{lang}-{width}.png"), full_page=True)
        chart.screenshot(path=str(SHOTS / f"comparison-map-{lang}-{width}.png"))
        page.close()
