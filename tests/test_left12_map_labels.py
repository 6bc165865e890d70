"""The comparison map's names never lie on one another (left12): in a real browser (Debian's
chromium through Playwright), the bounding boxes of the map's labels do not intersect, in
Chinese and English, on a desktop and a phone — on the map as served, and on one where three
cities' label points lie next to one another (as a smaller province, a county map or a narrow
screen puts them), where ECharts had drawn Taiyuan, Yangquan and Jinzhong on top of each other.
Screenshots go to ``artifacts/screenshots/``."""

from __future__ import annotations

import json
import re

import pytest

from test_web_browser import SHOTS, server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BOXES = """() => [...document.querySelectorAll('[data-chart="map-chart"] svg text')]
  .filter(t => t.textContent.trim())
  .map(t => { const r = t.getBoundingClientRect();
              return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""

#: label points put next to Taiyuan's (112.32, 37.96): Yangquan's and Jinzhong's
CROWDED = {"Yangquan": [112.36, 37.97], "Jinzhong": [112.33, 37.93],
           "阳泉市": [112.36, 37.97], "晋中市": [112.33, 37.93]}


def overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    """The pairs of labels whose boxes intersect (touching edges do not)."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                out.append((a[0], b[0]))
    return out


def test_overlaps_sees_an_intersection_and_passes_neighbours():
    assert overlaps([["a", 0, 0, 10, 10], ["b", 5, 5, 15, 15]]) == [("a", "b")]
    assert overlaps([["a", 0, 0, 10, 10], ["b", 10, 0, 20, 10], ["c", 0, 11, 10, 20]]) == []


def _crowd(route) -> None:
    """The comparison page as served, with three cities' label points moved together."""
    resp = route.fetch()
    body = resp.text()

    def moved(m: re.Match) -> str:
        city = json.loads(m.group(0))
        name = city.get("name")
        if name in CROWDED:
            city["label_point"] = CROWDED[name]
        return json.dumps(city, ensure_ascii=False)

    body = re.sub(r'\{"feature": [^{}]*\}', moved, body)
    route.fulfill(response=resp, body=body)


@pytest.mark.parametrize("crowded", [False, True], ids=["as-served", "crowded"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_names_do_not_overlap(server, chromium, lang, crowded):  # noqa: F811
    base, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page = chromium.new_page(viewport={"width": width, "height": 900})
        if crowded:
            page.route(re.compile(r".*/comparison\?.*"), _crowd)
        page.goto(f"{base}/comparison?lang={lang}", wait_until="networkidle", timeout=300000)
        chart = page.locator('[data-chart="map-chart"]')
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "document.querySelectorAll('[data-chart=\"map-chart\"] svg path').length >= 11",
            timeout=20000)
        page.wait_for_timeout(500)  # the labels' layout runs after the first frame
        boxes = page.evaluate(BOXES)
        names = " ".join(b[0] for b in boxes)
        assert ("太原市" if lang == "zh" else "Taiyuan") in names
        chart.screenshot(path=str(SHOTS / f"left12-map-{lang}-{width}"
                                          f"{'-crowded' if crowded else ''}.png"))
        page.close()
        assert not overlaps(boxes), (lang, width, overlaps(boxes))
