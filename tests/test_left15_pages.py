"""Session 14's left list, the analyst's pages (left15): the comparison page's refusal of a
year names the region group by its name in the page's language, not by its code."""

from __future__ import annotations

import html
import re

import pytest

from webutil import login

BOX = re.compile(r'<section class="card error-box">(.*?)</section>', re.S)


def _box(r) -> str:
    box = BOX.search(r.text)
    assert box, r.text[:300]
    return html.unescape(re.sub(r"<[^>]+>", " ", box.group(1)))


@pytest.fixture()
def admin(client):
    login(client, "admin")
    return client


def test_the_refusal_of_a_year_names_the_group(admin):
    with_code = admin.get("/comparison?year=2031&group=central_shanxi",
                          headers={"accept": "application/json"})
    assert with_code.status_code == 422
    assert "central_shanxi" in with_code.json()["detail"]  # the API and CLI keep the code
    zh = _box(admin.get("/comparison?year=2031&group=central_shanxi&lang=zh"))
    assert "central_shanxi" not in zh, zh
    assert "山西中部城市群" in zh and "2031 年" in zh, zh
    en = _box(admin.get("/comparison?year=2031&group=central_shanxi&lang=en"))
    assert "central_shanxi" not in en, en
    assert "cannot be built for 2031" in en and "Shanxi" in en, en


# -- figures through the one formatter (fmt_number) ----------------------------------------------

UNFORMATTED = re.compile(r"(?<![\d,.])(\d{4,}(?:\.\d+)?|\d+\.0)(?![\d%])")


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


def test_primacy_and_coupling_figures_are_formatted(admin):
    for lang in ("zh", "en"):
        page = admin.get(f"/comparison?year=2023&lang={lang}").text
        prim = _section(page, 'class="primacy-tables"', "</section>\n</div>")
        cells = re.findall(r'<td class="num">([^<]*)<', prim)
        assert cells, prim[:300]
        bad = [c for c in cells if UNFORMATTED.search(c.replace("≥", "").replace("≤", ""))]
        assert not bad, (lang, bad[:5])  # was 1013.4, 1255.0, 545.4392 as stored
        assert "1,013.4" in prim or "1,255" in prim, lang


def test_a_city_known_only_as_a_bound_is_shown_on_the_map(admin):
    data = admin.get("/comparison?year=2022&layer=gdp&format=json").json()["map"]
    jincheng = next(c for c in data["cities"] if c["region"] == "140500")
    assert jincheng["value"] is None  # no colour on the scale from a bound
    assert jincheng["bound"] == "lower_bound" and jincheng["text"] == "≥2,300"
    assert data["bounds"] is True and data["min"] == 1012.9  # the scale from measurements
    for lang, word in (("zh", "仅知下限或上限"), ("en", "Only a bound known")):
        page = admin.get(f"/comparison?year=2022&layer=gdp&lang={lang}").text
        assert 'data-test="bound-figure">≥2,300<' in page, lang
        assert 'data-test="legend-bound"' in page and word in page, lang
    # a layer without bounds says nothing of them
    page = admin.get("/comparison?year=2022&lang=zh").text
    assert 'data-test="legend-bound"' not in page


def test_an_earlier_version_of_a_figure_is_formatted(admin):
    page = admin.get("/indicators?region=140100&indicator=gdp&lang=zh").text
    versions = re.findall(r"<li>v\d+：([^ <]+)", page)
    assert versions, page[:200]
    assert not [v for v in versions if UNFORMATTED.search(v)], versions  # was v1：1468.8


def test_the_reports_map_data_carries_the_bound_and_its_legend(default_db_module):
    from lantu.evaluation.maps import map_data

    with default_db_module.session() as s:
        m = map_data(s, province="140000", year=2022, layer="gdp", lang="zh")
        en = map_data(s, province="140000", year=2022, layer="gdp", lang="en")
        none = map_data(s, province="140000", year=2022, layer="population", lang="zh")
    city = next(c for c in m["cities"] if c["region"] == "140500")
    assert (city["value"], city["bound"], city["bound_value"]) == (None, "lower_bound", 2300.0)
    assert m["legend_labels"]["bound"].startswith("仅知下限或上限")
    assert en["legend_labels"]["bound"].startswith("Only a bound known")
    assert "bound" not in none["legend_labels"] or any(c["bound"] for c in none["cities"])


def test_the_indicator_explorer_writes_a_bound_as_one(admin):
    """Found on the way (left15): Taiyuan's 2025 GDP, "迈上5000亿元台阶" (a lower bound), was
    "5,000" in the explorer's tables and a point of its line."""
    for lang in ("zh", "en"):
        page = admin.get(f"/indicators?region=140100&indicator=gdp&lang={lang}").text
        assert ">≥5,000</a>" in page and "≥5,000 <small" in page, lang
    data = admin.get("/indicators?region=140100&indicator=gdp&format=json").json()
    chart = data["chart"]
    at = chart["categories"].index("2025")
    assert chart["series"][0]["data"][at] is None  # no point from a bound
    assert chart["series"][0]["data"][chart["categories"].index("2022")] == 5571.17
