"""A growth target held over a plan's years reads as an average (年均增长 / average growth), not as
one year's growth: the targets page said "2010年增长13%" for the 2006 report's 年均增长13% over
2006–2010 (and so for every five-year growth goal horizon13 brought in). Fails on main; the
yearly neighbours keep their words."""

from __future__ import annotations

from lantu.web.dashboard.status import describe_target


def _row(**kw):
    return {"value": 8.0, "value_high": None, "unit": "%", "qualifier": "以上",
            "kind": "annual_growth", "target_period": "2025", **kw}


def test_a_growth_over_the_plans_years_is_an_average() -> None:
    assert describe_target(_row(), "zh", over_years=True) == "2025年年均增长8%以上"
    assert describe_target(_row(), "en", over_years=True) == "2025: average growth at least 8%"


def test_a_years_growth_and_other_kinds_keep_their_words() -> None:
    assert describe_target(_row(), "zh") == "2025年增长8%以上"
    assert describe_target(_row(), "en") == "2025: growth at least 8%"
    level = _row(kind="level", value=2200.0, unit="亿元", qualifier="左右")
    assert describe_target(level, "zh", over_years=True) == "2025年2200亿元左右"
    total = _row(kind="cumulative_change", value=40.0, unit="万人", qualifier="")
    assert describe_target(total, "zh", over_years=True) == "2025年累计40万人"
