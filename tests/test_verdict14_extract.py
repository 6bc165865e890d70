"""verdict14: found by key5's CS20 (长沙's 十四五-span trade goal): a free-trade zone's area is a
part of the city, and 全国 after a zone does not turn a city's clause back to the city — only the
region's own word does (全市 in a city's report, 全省 in a province's, 全国 in a national bulletin).
长沙 2023 report: "——自贸区长沙片区入选全国高质量发展改革创新十佳园区，进出口总额突破千亿元" was read as
the city's 2022 trade (突破1000亿元, a lower bound), when the city's was 2,300亿元 in 2020."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text

REVIEW = "一、2022年工作回顾\n"


def figures(body: str, region: str = "430100", year: int = 2023) -> list[tuple]:
    return [(r.period, r.indicator, r.value) for r in extract_text(REVIEW + body, region, year)
            if r.kind == "observed" and r.indicator.startswith("trade")]


@pytest.mark.parametrize(("body", "region", "expected"), [
    # the real clause: the zone's trade, no figure of the city
    ("——自贸区长沙片区入选全国高质量发展改革创新十佳园区，进出口总额突破千亿元。", "430100", []),
    # the zone alone, without the nation after it
    ("自由贸易试验区郑州片区开放活力增强，进出口总额突破500亿元。", "410100", []),
    # neighbour: the zone named, then the whole city again — the city's
    ("自贸区长沙片区加快建设，全市进出口总额达到2300亿元。", "430100", [(2022, "trade_total", 2300.0)]),
    # neighbour: no zone — the city's, a 全国 in the sentence changes nothing
    ("外贸稳中提质，进出口总额达到2300亿元、居全国第十五位。", "430100", [(2022, "trade_total", 2300.0)]),
    # neighbour: a province's report turns back on 全省
    ("自贸试验区太原片区加快建设，全省进出口总额达到2000亿元。", "140000", [(2022, "trade_total", 2000.0)]),
])
def test_a_free_trade_zone_is_a_part_and_only_the_regions_own_word_turns_back(body, region, expected):
    assert figures(body, region) == expected
