"""The indicator chart in Debian's Chromium: the unit written above the value axis ("10,000
persons" of the population, 万人) and every other text ECharts draws lie inside the chart's
box, in Chinese and English, on a desktop (1440 px) and a phone (390 px). (The unit was centred
on the axis line and cut at the chart's left edge: "0,000 persons".) Screenshots go to
``artifacts/screenshots/indicator-chart-*.png``."""

from __future__ import annotations

import pytest

from test_web_browser import SHOTS, server  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
UNIT = {"zh": "万人", "en": "10,000 persons"}
TEXTS = """(el) => { const box = el.getBoundingClientRect();
  return [[box.left, box.right, box.top, box.bottom],
          Array.from(el.querySelectorAll('svg text')).map(t => {
            const r = t.getBoundingClientRect();
            return [t.textContent, r.left, r.right, r.top, r.bottom]; })]; }"""


def test_indicator_chart_texts_lie_inside_the_chart(server, chromium):  # noqa: F811
    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    for lang in ("zh", "en"):
        for width in (1440, 390):
            page = chromium.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/indicators?indicator=population&lang={lang}",
                      wait_until="networkidle")
            chart = page.locator('[data-chart="explorer-chart"]')
            chart.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelectorAll("
                                   "'[data-chart=\"explorer-chart\"] svg text').length > 3",
                                   timeout=20000)
            (left, right, top, bottom), texts = chart.evaluate(TEXTS)
            assert UNIT[lang] in [t[0] for t in texts], (lang, width, texts)
            for text, t_left, t_right, t_top, t_bottom in texts:
                if t_right <= t_left:  # not drawn (a hidden label)
                    continue
                if (t_left < left - 0.5 or t_right > right + 0.5 or t_top < top - 0.5
                        or t_bottom > bottom + 0.5):
                    outside.append(f"{lang} {width}px: {text!r} at {t_left:.0f}–{t_right:.0f} "
                                   f"× {t_top:.0f}–{t_bottom:.0f}, the chart "
                                   f"{left:.0f}–{right:.0f} × {top:.0f}–{bottom:.0f}")
            chart.screenshot(path=str(SHOTS / f"indicator-chart-{lang}-{width}.png"))
            page.close()
    assert not outside, "\n".join(outside)
