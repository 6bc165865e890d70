"""verdict12: two extraction rules the third hand key (tests/gold/verdict/key3.md) found wanting,
each with its real clause and its neighbours.

* A bonded zone (综保区, 综合保税区, 保税区) is a part of the city like a new area or a science city:
  a figure or target of a clause about it is the zone's, not the city's (长沙 2020 and 2021:
  进出口总额增长40%以上 / 进出口额增长18%以上 of 黄花综保区 and the airport economy zone).
* 有望 / 可望 ("is expected to") before a number is a hope for the year, not a figure of it
  (南昌 2026: 高新技术企业有望突破2000家)."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text

REVIEW = "一、2025年工作回顾\n"
PLAN = "\n二、2026年工作安排\n今年主要预期目标是：地区生产总值增长5%。\n"


def keys(text: str, year: int = 2021, region: str = "430100") -> list[tuple]:
    return [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, region, year)]


@pytest.mark.parametrize(("body", "expected"), [
    # the real clause (长沙 2021): the zone's trade — no target of the city
    ("加快建设临空经济示范区，实现黄花综保区整区封关运行、进出口商品展示交易中心正式运营，进出口额增长18%以上。", []),
    # 长沙 2020's: the same zone, an older report
    ("加快黄花综保区建设，打造进口药品产业园，运营综保区进出口商品展示交易中心，实现进出口总额增长40%以上。", []),
    # neighbour: the city's own sentence, no zone — kept (长沙 2021)
    ("加快发展跨境电商、市场采购等外贸新业态，推进服务贸易创新发展，进出口总额增长15%。",
     [(2021, "trade_growth", "target", 15.0, "")]),
    # neighbour: a zone named, then the whole city again (全市) — the city's
    ("推动综合保税区扩区，全市进出口总额增长10%。", [(2021, "trade_growth", "target", 10.0, "")]),
])
def test_a_bonded_zone_is_a_part(body, expected):
    assert [k for k in keys("二、2021年工作安排\n" + body) if k[1].startswith("trade")] == expected


@pytest.mark.parametrize(("body", "expected"), [
    # the real clause (南昌 2026): a hope — no figure
    ("科技型中小企业突破4000家，高新技术企业有望突破2000家，科技领军企业314家。", []),
    ("高新技术企业可望达到2000家。", []),
    # neighbours: the same threshold stated as passed is a lower bound; an estimate (预计) is kept
    ("高新技术企业突破2000家。", [(2025, "high_tech_enterprises", "observed", 2000.0, "突破")]),
    ("高新技术企业预计达到2000家。", [(2025, "high_tech_enterprises", "observed", 2000.0, "")]),
])
def test_a_hope_is_no_figure(body, expected):
    got = [k for k in keys(REVIEW + body + PLAN, 2026, "360100") if k[1] == "high_tech_enterprises"]
    assert got == expected
