"""A figure of a part of the region is not the region's (``extract_layout._OTHER_PLACE``): the
counties and districts taken together (县区) and an economic zone's share (…经济区忻州区域) were read
as the city's GDP goal (合肥 2026, 忻州 2022: horizon13's two wrong rows). Both cases fail on
main; the neighbours — the city's own figure in the same words — must still be read."""

from __future__ import annotations

from lantu.ingest.extract import extract_text


def _report(goals: str, year: int) -> str:
    return (f"一、{year - 1}年工作回顾\n\n全年地区生产总值5571亿元。\n\n二、今后五年的目标任务\n\n{goals}\n\n"
            f"三、{year}年工作安排\n\n今年主要预期目标是：地区生产总值增长5%。\n")


def gdp_goals(text: str, year: int, region: str) -> list[tuple]:
    return [(r.period, r.value) for r in extract_text(text, region, year, doc_type="report",
                                                      horizon=True)
            if r.period > year and r.indicator == "gdp"]


def test_counties_and_districts_together_are_parts() -> None:
    assert gdp_goals(_report("力争县区经济总量全部超过千亿。", 2026), 2026, "340100") == []
    assert gdp_goals(_report("力争县（市、区）经济总量全部超过千亿。", 2026), 2026, "340100") == []
    # the city's own total in the same paragraph is still its goal
    assert gdp_goals(_report("力争全市经济总量突破2万亿元。", 2026), 2026, "340100") == [(2030, 20000.0)]


def test_an_economic_zones_share_is_a_part() -> None:
    text = _report("到“十四五”末太忻一体化经济区忻州区域经济总量破千亿。", 2022)
    assert gdp_goals(text, 2022, "140900") == []
    assert gdp_goals(_report("到“十四五”末全市经济总量破千亿。", 2022), 2022, "140900") == [(2025, 1000.0)]
