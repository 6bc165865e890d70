"""A bound word written after 分别 governs every figure of the list (found while keying key4):
Shanxi's 2020 report, "城镇登记失业率、城镇调查失业率分别小于3%、6%" — the 6 is as much under its bound as
the 3, but only the 3 carried ``upper_bound``. The cases marked (main) fail on main; the others are
the neighbours the rule must leave as they were."""

from __future__ import annotations

import csv

import pytest

from lantu import defaults
from lantu.ingest.extract import extract_text


def _quals(text, year=2020, region="140000"):
    return [(r.indicator, r.value, r.qualifier) for r in extract_text(text, region, year) if r.kind == "observed"]


@pytest.mark.parametrize("text, expected", [
    # (main) the second figure of the list takes the word after 分别
    ("一年来，城镇登记失业率、城镇调查失业率分别小于3%、6%。",
     [("unemployment_rate_registered", 3.0, "以内"), ("unemployment_rate_surveyed", 6.0, "以内")]),
    # neighbour: a threshold word was shared already (the bound rule of 突破/超过)
    ("城乡居民人均可支配收入分别超过3万元、1万元。",
     [("income_urban", 30000.0, "突破"), ("income_rural", 10000.0, "突破")]),
    # neighbours: no bound word after 分别 — nothing to share
    ("城乡居民人均可支配收入分别增长8.1%、11.2%。",
     [("income_urban_growth", 8.1, ""), ("income_rural_growth", 11.2, "")]),
    ("城镇登记失业率、城镇调查失业率分别为3%、6%。",
     [("unemployment_rate_registered", 3.0, ""), ("unemployment_rate_surveyed", 6.0, "")]),
    # neighbour: joined by 和, already shared before (the threshold word)
    ("城乡居民可支配收入分别突破3万元和1万元大关。",
     [("income_urban", 30000.0, "突破"), ("income_rural", 10000.0, "突破")]),
    # neighbour: no 分别 — a bound word of the first item stays the first item's
    ("城镇登记失业率小于3%，城镇调查失业率5.2%。",
     [("unemployment_rate_registered", 3.0, "以内"), ("unemployment_rate_surveyed", 5.2, "")]),
])
def test_bound_word_after_fenbie_governs_the_list(text, expected):
    assert _quals(text) == expected


def test_targets_are_left_as_they_were():
    rows = extract_text("今年主要预期目标是：城乡居民人均可支配收入分别增长6%、7%以上。", "140000", 2021)
    assert [(r.indicator, r.value, r.qualifier) for r in rows if r.kind == "target"] == [
        ("income_urban_growth", 6.0, ""), ("income_rural_growth", 7.0, "以上")]


def test_the_default_row_carries_its_bound():  # (main)
    with open(defaults.DATA / "extracted" / "observations.csv", encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if (r["region_code"], r["period"], r["indicator"])
                   == ("140000", "2019", "unemployment_rate_surveyed"))
    assert "upper_bound" in row["flags"].split(";")
