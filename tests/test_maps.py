"""The map of Shanxi's cities: vendored boundaries (decoded for matplotlib), map data for every
city, the page's map block and the boundaries served offline."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

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
