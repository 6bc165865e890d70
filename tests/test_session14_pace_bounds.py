"""A pace read from figures stated as bounds is a pace status only when the bounds decide it
(session 14, after verdict14 left it open): 合肥's "突破1.4万亿元" in a middle year was paced as if it
were the GDP itself. A lower bound of a figure to reach may only pace better, so only "on track"
holds on it; an upper bound only worse. Cases marked (main) fail on main."""

from __future__ import annotations

import pytest

from lantu.analysis.target_bound import pace_decided
from lantu.analysis.targets import TargetSpec, evaluate_target

SPEC = TargetSpec("340100", "gdp", 2020, 10000.0, 2025, "level", 16000.0)


@pytest.mark.parametrize("figure, bound, expected", [
    (11000.0, "lower_bound", "pending"),  # (main) paced at a third: the truth may be on track
    (11000.0, None, "stagnating"),  # the same figure measured: its pace
    (15000.0, "lower_bound", "on_track"),  # on track by the bound: on track whatever the truth
    (15000.0, "upper_bound", "pending"),  # (main) at most on track
    (9000.0, "upper_bound", "deteriorating"),  # below the base at most: deteriorating
])
def test_middle_year_pace_on_a_bound(figure, bound, expected):
    years = {2020: 10000.0, 2023: figure}
    res = evaluate_target(SPEC, years, 1, as_of=2023, bounds={2023: bound} if bound else None)
    assert res.status == expected, res.explanation_zh
    if expected == "pending" and bound:
        assert "界值" in res.explanation_zh


def test_a_bound_base_turns_the_pace():  # (main)
    # the base year known only as "1万亿元以上": progress from it may be smaller than it reads
    res = evaluate_target(SPEC, {2020: 10000.0, 2023: 15000.0}, 1, as_of=2023,
                          bounds={2020: "lower_bound"})
    assert res.status == "pending"


def test_the_target_year_is_judged_as_before():
    # at the target year the bound rule of achieved/missed decides (verdict14), not the pace rule
    res = evaluate_target(SPEC, {2020: 10000.0, 2025: 16500.0}, 1, as_of=2025,
                          bounds={2025: "lower_bound"})
    assert res.status == "achieved"


@pytest.mark.parametrize("status, sense, rise, fall, decided", [
    ("stagnating", "min", True, False, False), ("on_track", "min", True, False, True),
    ("on_track", "min", False, True, False), ("deteriorating", "min", False, True, True),
    ("on_track", "max", True, False, False), ("deteriorating", "max", True, False, True),
    ("on_track", "about", True, False, False), ("stagnating", "min", False, False, True),
    ("achieved", "min", True, False, True),  # not a pace status: the bound rule's own
])
def test_pace_decided(status, sense, rise, fall, decided):
    assert pace_decided(status, sense, can_rise=rise, can_fall=fall) is decided


def test_a_ceiling_met_is_not_undone_by_its_base():
    # 太原's registered unemployment 4%以内 by 2021: 3.41 % in 2017 meets it whatever the base
    # 2016 "4%以内" was (a bound); only the reading's own bound could undo it
    spec = TargetSpec("140100", "unemployment_rate_registered", 2016, None, 2021, "ceiling", 4.0,
                      qualifier="以内")
    res = evaluate_target(spec, {2016: 4.0, 2017: 3.41}, -1, as_of=2017,
                          bounds={2016: "upper_bound"})
    assert res.status == "on_track", res.explanation_zh
