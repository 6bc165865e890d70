"""The map of Shanxi's cities: vendored boundaries (decoded for matplotlib), map data for every
city, the page's map block and the boundaries served offline."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from lantu.domain.observations import measured
from lantu.evaluation import maps

SHANXI_CITIES = {"140100", "140200", "140300", "140400", "140500", "140600", "140700",
                 "140800", "140900", "141000", "141100"}


def test_the_vendored_file_is_unchanged_and_its_source_and_licence_are_beside_it():
    f = maps.map_file("140000")
    digest = hashlib.sha256(f.read_bytes()).hexdigest()
    readme = (f.parent / "README.md").read_text(encoding="utf-8")
    assert digest in readme and "echarts" in readme and "4.9.0" in readme
    assert "Apache License" in (f.parent / "LICENSE").read_text(encoding="utf-8")


def test_boundaries_decode_to_the_eleven_cities_inside_shanxi():
    geo = maps.boundaries("140000")
    assert {f["id"] for f in geo["features"]} == SHANXI_CITIES
    for f in geo["features"]:
        g = f["geometry"]
        rings = g["coordinates"] if g["type"] == "Polygon" else [r for p in g["coordinates"] for r in p]
        pts = [p for r in rings for p in r]
        assert len(pts) > 20
        # Shanxi lies within 110.2–114.6 °E, 34.6–40.8 °N
        assert all(110.0 < x < 114.8 and 34.4 < y < 40.9 for x, y in pts), f["id"]
        cx, cy = f["properties"]["cp"]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        assert min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys)


def test_map_data_covers_every_city_and_outlines_the_group(default_db):
    from lantu.store import queries

    with default_db.session() as s:
        gdp = maps.map_data(s, province="140000", year=2022, layer="gdp")
        idx = maps.map_data(s, province="140000", year=2022, layer="index")
        members = set(queries.group_members(s, "central_shanxi"))
        long = queries.panel(s, ["gdp"], sorted(SHANXI_CITIES), ["2022"])
    assert {c["region"] for c in gdp["cities"]} == SHANXI_CITIES
    assert {c["region"] for c in gdp["cities"] if c["outlined"]} == members
    # a figure known only as a bound (晋城 2022, "2300亿元以上") colours nothing (session 14)
    assert "140500" in set(long["region_code"]) and "140500" not in set(measured(long)["region_code"])
    long = measured(long)
    stored = dict(zip(long["region_code"], long["value"], strict=True))
    assert {c["region"]: c["value"] for c in gdp["cities"] if c["value"] is not None} == stored
    assert gdp["min"] == min(stored.values()) and gdp["max"] == max(stored.values())
    scored = {c["region"] for c in idx["cities"] if c["value"] is not None}
    assert scored and scored <= members
    with default_db.session() as s, pytest.raises(Exception, match="unknown indicator"):
        maps.map_data(s, province="140000", year=2022, layer="no_such")


def test_the_page_carries_the_map_and_the_boundaries_are_served(client):
    html = client.get("/comparison?layer=gdp&year=2022").text
    blocks = [json.loads(m) for m in re.findall(
        r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)]
    block = next(b for b in blocks if b["kind"] == "map")
    assert len(block["cities"]) == 11 and block["layer"] == "gdp"
    r = client.get(f"/maps/{block['map']}.json")
    assert r.status_code == 200 and len(json.loads(r.content)["features"]) == 11
    assert client.get("/comparison?layer=nope").status_code == 422


def test_a_status_layer_paints_each_citys_verdict_with_a_legend(default_db):
    """status:<indicator> and goal:<node> read each city's verdict (one rule with every page):
    Taiyuan's 2023 GDP growth (3.8 % against 6.5 %左右) is missed, so its fill is the red of
    ``missed``; the legend lists exactly the statuses on the map, in zh and en."""
    from lantu.evaluation import evaluate
    from lantu.store import queries

    with default_db.session() as s:
        st = maps.map_data(s, province="140000", year=2023, layer="status:gdp_growth")
        goal = maps.map_data(s, province="140000", year=2023, layer="goal:T1", lang="en")
        v = evaluate(s, region="140100", year=2023)
        members = set(queries.group_members(s, "central_shanxi"))
        layers = maps.layers(s, [], "en")
        with pytest.raises(Exception, match="no goal"):
            maps.map_data(s, province="140000", year=2023, layer="goal:NOPE")
    assert st["scale"] == "status" and goal["scale"] == "status"
    ty = next(c for c in st["cities"] if c["region"] == "140100")
    assert ty["status"] == "missed" and ty["status_label"] == "未完成"
    assert ty["hex"] == maps.HEX["red"]
    assert {c["region"] for c in st["cities"] if c["outlined"]} == members and len(members) == 5
    shown = {c["status"] or "no_data" for c in st["cities"]}
    assert {e["status"] for e in st["legend"]} == shown
    assert "地区生产总值增速" in st["label"] and "山西中部城市群" in st["legend_labels"]["outlined"]
    ty_goal = next(c for c in goal["cities"] if c["region"] == "140100")
    assert ty_goal["status"] == v.node("T1").status
    assert ty_goal["status_label"] == goal["legend"][[e["status"] for e in goal["legend"]]
                                                    .index(ty_goal["status"])]["label"]
    assert goal["label"].startswith("T1 ") and goal["label"].endswith(": status")
    assert "Outlined: Central Shanxi" in goal["legend_labels"]["outlined"]
    groups = {x["group"] for x in layers}
    assert groups == {"index", "value", "goal", "status"}
    assert {"goal:P0", "goal:P0.8", "status:gdp_growth"} <= {x["code"] for x in layers}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_colours_the_map_by_a_status_with_its_legend(client, lang):
    html = client.get(f"/comparison?layer=status:gdp_growth&year=2023&lang={lang}").text
    blocks = [json.loads(m) for m in re.findall(
        r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)]
    block = next(b for b in blocks if b["kind"] == "map")
    assert block["scale"] == "status" and block["layer"] == "status:gdp_growth"
    legend = html.split('class="map-legend', 1)[1].split("</div>", 1)[0]
    for e in block["legend"]:
        assert e["label"] in legend and e["hex"] in legend
    assert ("粗线勾勒：山西中部城市群" if lang == "zh" else "Outlined: Central Shanxi") in legend
    assert ("未完成" if lang == "zh" else "missed") in html.split('class="map-table"', 1)[1]
    assert ('<optgroup label="目标状态">' if lang == "zh" else
            '<optgroup label="Status of a goal">') in html


def test_the_report_map_takes_any_layer_for_the_period(default_db):
    from lantu.reports import data as rdata
    from lantu.reports.monitoring import map_title

    with default_db.session() as s:
        by_status = rdata.monitoring_data(s, "140100", "2023", map_layer="status:gdp_growth")["map"]
        by_value = rdata.monitoring_data(s, "140100", "2023", map_layer="gdp")["map"]
    assert by_status["year"] == 2023 and by_status["scale"] == "status"
    assert next(c for c in by_status["cities"] if c["region"] == "140100")["status"] == "missed"
    assert by_value["scale"] == "value" and by_value["layer"] == "gdp"
    assert map_title(by_status).startswith("2023年山西省各市地区生产总值增速")
