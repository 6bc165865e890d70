"""A chart's tooltip says "name：value" with the page's colon (left10web), in Debian's Chromium.

The tooltips wrote a half-width ": " on Chinese pages. The colon is the locale's (``zh9.colon``:
full-width ``：`` in Chinese), written on ``<html data-colon>`` by the server, and
``static/js/charts.js`` asks it in one place (``labelled``): every chart's tooltip on a Chinese
page has ``：`` and no ``: ``, on an English page the other way round."""

from __future__ import annotations

import re

import pytest

from test_seams9_chart_text_browser import SHOW_ALL, _charts
from test_web_browser import server  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _tips(page, url: str) -> dict[str, str]:
    page.goto(url, wait_until="networkidle", timeout=300000)
    out = {}
    for chart_id in _charts(page):
        page.wait_for_function(
            f"document.querySelectorAll('[data-chart=\"{chart_id}\"] svg').length > 0",
            timeout=20000)
        got = page.evaluate(SHOW_ALL, chart_id)
        out[chart_id] = " | ".join(t for _, t in got["tips"])
    return out


def test_every_tooltip_has_the_colon_of_the_pages_language(server, chromium):  # noqa: F811
    base, _ = server
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    for lang, colon, other in (("zh", "：", ": "), ("en", ": ", "：")):
        seen = {}
        for path in ("/indicators?indicator=gdp", "/comparison"):
            seen.update(_tips(page, f"{base}{path}&lang={lang}" if "?" in path
                              else f"{base}{path}?lang={lang}"))
        labelled = {k: v for k, v in seen.items() if colon in v}
        # the explorer's series (axis tooltip) and the rank chart's nominal rank and interval
        assert {"explorer-chart", "rank-chart"} <= set(labelled), (lang, seen)
        wrong = {k: v[:300] for k, v in seen.items() if other in v}
        assert not wrong, (lang, wrong)
        assert re.search(rf"太原市{re.escape(colon)}[0-9.]+", seen["explorer-chart"]) or \
            re.search(rf"Taiyuan{re.escape(colon)}[0-9.]+", seen["explorer-chart"]), seen
