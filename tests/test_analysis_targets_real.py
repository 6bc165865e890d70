"""Audit of the target statuses on the embedded default data (Taiyuan, Shanxi, central capitals).

Each case picks one real target, reads the observations it must be judged on from the data, and
computes the status by hand with the rules of docs/analysis.md ("Target tracking"); the function
must agree. The asserts on the kind of case (met, missed, within tolerance, in progress) say why
the target was chosen: if the data change so that a case no longer is what it was chosen for,
the test says so rather than silently testing something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantu.analysis.targets import (
    ABOUT_TOLERANCE_POINTS,
    TargetSpec,
    evaluate_target,
    target_horizon,
)
from lantu.store import repo
from test_analysis_targets import status_from_ratio as sdg  # the SDG thresholds, by hand

TAIYUAN, SHANXI, CHANGSHA, WUHAN = "140100", "140000", "430100", "420100"


@dataclass
class Default:
    targets: list[Any]
    series: dict[tuple[str, str], dict[int, float]]
    directions: dict[str, int]


@pytest.fixture(scope="module")
def default(default_db_module) -> Default:
    with default_db_module.session() as session:
        targets = repo.targets(session)
        frame = repo.observations_frame(session)
        directions = {i.code: int(i.direction) for i in repo.indicators(session)}
    series: dict[tuple[str, str], dict[int, float]] = {}
    for region, indicator, period, value in zip(
        frame["region_code"], frame["indicator"], frame["period"], frame["value"], strict=True
    ):
        text = str(period)
        if len(text) == 4 and text.isdigit():  # yearly figures only
            series.setdefault((region, indicator), {})[int(text)] = float(value)
    return Default(targets, series, directions)


def _year(period: Any) -> int | None:
    return None if period is None or str(period) == "" else int(str(period))


def spec_of(target: Any) -> TargetSpec:
    return TargetSpec(
        target.region_code, target.indicator_code, _year(target.base_period), target.base_value,
        _year(target.target_period), getattr(target.kind, "value", target.kind), target.value,
        target.value_high, target.qualifier or None, bool(target.binding), target.unit or None,
        plan=target.plan or None,
    )  # fmt: skip


def find(d: Default, region: str, indicator: str, year: int, **fields: Any) -> TargetSpec:
    hits = [
        spec_of(t)
        for t in d.targets
        if t.region_code == region and t.indicator_code == indicator
        and _year(t.target_period) == year
        and all(getattr(spec_of(t), k) == v for k, v in fields.items())
    ]  # fmt: skip
    assert len(hits) == 1, f"expected one target {region}/{indicator}/{year} {fields}: {hits}"
    return hits[0]


def evaluate(d: Default, spec: TargetSpec, **kwargs: Any):
    obs = d.series.get((spec.region_code, spec.indicator_code), {})
    return evaluate_target(spec, obs, d.directions[spec.indicator_code], **kwargs), obs


# -- yearly targets: the figure of the target year, nothing else --------------------------------


def test_met_yearly_growth_range_8_to_8_5_taiyuan_2021(default):
    # the year's target (the 2017 report's five-year 年均7.5%以上 also ends in 2021: horizon13)
    spec = find(default, TAIYUAN, "gdp_growth", 2021, value_high=8.5)
    assert (spec.value, spec.value_high) == (8.0, 8.5)
    res, obs = evaluate(default, spec)
    x = obs[2021]
    assert x >= 8.0  # chosen as a met target: an increasing goal needs the low end of the range
    assert res.status == "achieved" and res.met and res.current == x
    assert res.horizon == "yearly" and res.points == ((2021, x),)
    assert res.gap == pytest.approx(x - 8.0)


def test_missed_yearly_growth_taiyuan_2022(default):
    spec = find(default, TAIYUAN, "gdp_growth", 2022, qualifier=None)
    res, obs = evaluate(default, spec)
    x = obs[2022]
    assert x < spec.value  # chosen as a missed target
    assert res.met is False and res.status == "missed" and res.arrow == "✗"
    assert "停滞" not in res.explanation_zh  # no pace word on a yearly target with its figure
    assert res.gap == pytest.approx(x - spec.value) and res.points == ((2022, x),)
    assert "short by" in res.explanation_en


def test_stretch_target_has_no_tolerance_taiyuan_2022(default):
    spec = find(default, TAIYUAN, "gdp_growth", 2022, qualifier="力争")
    res, obs = evaluate(default, spec)
    x = obs[2022]
    assert res.tolerance == 0 and res.met is (x >= spec.value)
    assert res.status == ("achieved" if x >= spec.value else "missed")


def test_about_within_tolerance_wuhan_2025(default):
    spec = find(default, WUHAN, "gdp_growth", 2025)
    assert spec.qualifier == "左右"
    res, obs = evaluate(default, spec)
    x = obs[2025]
    assert spec.value - ABOUT_TOLERANCE_POINTS <= x < spec.value  # chosen: below, but within
    assert res.tolerance == ABOUT_TOLERANCE_POINTS and res.met and res.status == "achieved"


def test_about_beyond_tolerance_shanxi_2022(default):
    spec = find(default, SHANXI, "gdp_growth", 2022)
    assert spec.qualifier == "左右"
    res, obs = evaluate(default, spec)
    x = obs[2022]
    assert x < spec.value - ABOUT_TOLERANCE_POINTS
    assert res.met is False and res.status == "missed"
    assert res.gap == pytest.approx(x - spec.value)


def test_ceilings_met_taiyuan_cpi_and_shanxi_unemployment_2019(default):
    cpi = find(default, TAIYUAN, "cpi", 2019)
    assert cpi.kind == "ceiling" and cpi.qualifier == "左右"
    res, obs = evaluate(default, cpi)
    assert obs[2019] <= cpi.value + ABOUT_TOLERANCE_POINTS
    assert res.status == "achieved" and res.points == ((2019, obs[2019]),)
    unemployment = find(default, SHANXI, "unemployment_rate_registered", 2019)
    assert unemployment.kind == "ceiling" and unemployment.qualifier == "以内"
    res, obs = evaluate(default, unemployment)
    assert res.tolerance == 0 and res.met is (obs[2019] <= unemployment.value)
    assert res.status == "achieved"


def test_missed_floor_changsha_good_air_days_2024(default):
    spec = find(default, CHANGSHA, "good_air_days_ratio", 2024)
    assert spec.kind == "floor"
    res, obs = evaluate(default, spec)
    x = obs[2024]
    assert x < spec.value
    assert res.status == "missed" and res.gap == pytest.approx(x - spec.value)
    assert "%" in res.explanation_en and "个百分点" in res.explanation_zh


def test_growth_far_below_target_is_missed_not_deteriorating_changsha_trade_2023(default):
    spec = find(default, CHANGSHA, "trade_growth", 2023)
    res, obs = evaluate(default, spec)
    x = obs[2023]
    assert x < 0 < spec.value and res.status == "missed"  # a pace word only in interim years


def test_yearly_level_target_new_jobs_taiyuan_2022(default):
    spec = find(default, TAIYUAN, "new_urban_jobs", 2022, kind="level")
    assert target_horizon(spec) == ("yearly", None)
    res, obs = evaluate(default, spec)
    x = obs[2022]
    want = "achieved" if x >= spec.value else "missed"
    assert res.status == want and res.points == ((2022, x),)


def test_future_yearly_ceiling_is_pending_not_judged_shanxi_cpi_2026(default):
    spec = find(default, SHANXI, "cpi", 2026)
    res, obs = evaluate(default, spec)
    assert 2026 not in obs and obs and max(obs) < 2026  # the old bug: judged from 2019
    assert res.status == "pending" and res.colour == "grey" and res.latest_year == max(obs)
    assert res.met is None and res.points == () and res.ratio is None
    assert f"latest figure: {max(obs)}" in res.explanation_en and "待数据" in res.explanation_zh


def test_direction_phrases_are_not_targets_taiyuan(default):
    """向万亿元迈进 (2021, 2022 reports), a news report of the 万亿 aim put off to 2027, and 冲击万亿
    are directions or hearsay, not targets: the default holds none of them (overrides.csv)."""
    for ind, year in (("gdp", 2025), ("gdp", 2026), ("gdp", 2027), ("industrial_output", 2026)):
        hits = [t for t in default.targets if t.region_code == TAIYUAN and t.indicator_code == ind
                and _year(t.target_period) == year and float(t.value) == 10000]
        assert hits == [], (ind, year)


# -- multi-year targets: the SDG pace from the base --------------------------------------------


def test_five_year_level_targets_are_paced_from_the_plan_base(default):
    """Every multi-year level target of the default (Taiyuan's 向万亿元迈进 is no target, so
    other cities' and the province's) with figures from its base on: the SDG pace from the year
    before the plan starts to the latest figure up to the target year."""
    checked = 0
    for t in default.targets:
        spec = spec_of(t)
        if spec.kind != "level":
            continue
        horizon, start = target_horizon(spec)
        if horizon != "multi_year" or start is None:
            continue
        year = spec.target_period
        res, obs = evaluate(default, spec)
        base = start - 1  # the plan's base year
        later = [y for y in obs if base < y <= year]
        if base not in obs or not later:
            continue
        t_year = max(later)
        xb, xt = obs[base], obs[t_year]
        required = (spec.value - xb) / (year - base)
        observed = (xt - xb) / (t_year - base)
        assert res.base_year == base and res.year == t_year, spec
        assert res.points == ((base, xb), (t_year, xt)), spec
        assert res.required_change == pytest.approx(required)
        assert res.observed_change == pytest.approx(observed)
        d = default.directions.get(spec.indicator_code, 1) or 1
        met = xt >= spec.value if d > 0 else xt <= spec.value
        if met or required == 0:
            continue
        expected = sdg(observed / required, due=t_year >= year)
        if year <= max(obs) and t_year < year:  # the target year has come, its figure has not
            expected = "pending"
        assert res.status == expected, spec
        checked += 1
        assert res.in_progress is (year > max(obs))
        assert "e+" not in res.explanation_en
    assert checked >= 1, "no multi-year level target with figures from its base"


def test_five_year_cumulative_new_jobs_taiyuan_2026(default):
    spec = find(default, TAIYUAN, "new_urban_jobs", 2026, kind="cumulative_change")
    horizon, start = target_horizon(spec)
    assert horizon == "multi_year" and start == 2022
    res, obs = evaluate(default, spec, accumulate=True)
    flows = {y: v for y, v in obs.items() if start <= y <= 2026}
    t = max(flows)
    assert res.current == pytest.approx(sum(flows.values()))
    assert res.points == tuple(sorted(flows.items())) and res.base_year == start - 1
    required = spec.value / (2026 - (start - 1))
    observed = sum(flows.values()) / len(flows)  # the average of the years with a figure
    assert res.required_change == pytest.approx(required)
    assert res.observed_change == pytest.approx(observed)
    assert res.status == sdg(observed / required, due=t >= 2026)
    missing = [y for y in range(start, t + 1) if y not in flows]
    for y in missing:
        assert str(y) in res.explanation_en


def test_plan_target_with_one_figure_is_not_coloured_taiyuan_income_rural_2025(default):
    spec = find(default, TAIYUAN, "income_rural", 2025)
    res, obs = evaluate(default, spec)
    since = [y for y in obs if 2020 <= y <= 2025]
    assert len(since) == 1 and obs[since[0]] < spec.value  # one figure: no pace to measure
    assert res.status == "pending" and res.met is None


# -- properties ---------------------------------------------------------------------------------


def test_no_yearly_target_is_coloured_without_a_figure_of_its_year(default):
    """Over every target of the default: a yearly target is judged on its own year only."""
    counted = {"without": 0, "with": 0}
    for target in default.targets:
        spec = spec_of(target)
        if target_horizon(spec)[0] != "yearly":
            continue
        res, obs = evaluate(default, spec)
        T = spec.target_period
        if T in obs:
            counted["with"] += 1
            assert res.points == ((T, obs[T]),) and res.year == T
        else:
            counted["without"] += 1
            assert res.status == ("pending" if obs else "no_data"), spec
            assert res.colour == "grey" and res.met is None and res.points == ()
    assert counted["without"] > 50 and counted["with"] > 50


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["annual_growth", "level", "ceiling", "floor"]),
    qualifier=st.sampled_from([None, "左右", "以上", "以内", "力争"]),
    year=st.integers(2019, 2030),
    direction=st.sampled_from([1, -1, 0]),
    others=st.dictionaries(
        st.integers(2010, 2035), st.floats(-50, 500, allow_nan=False), max_size=8
    ),
    value=st.floats(0.5, 1000),
)
def test_property_yearly_target_without_its_year_is_never_coloured(
    kind, qualifier, year, direction, others, value
):
    spec = TargetSpec(TAIYUAN, "x", None, None, year, kind, value, qualifier=qualifier)
    obs = {y: v for y, v in others.items() if y != year}
    res = evaluate_target(spec, obs, direction)
    assert res.status == ("pending" if obs else "no_data")
    assert res.points == () and res.met is None and res.ratio is None
    assert res.latest_year == (max(obs) if obs else None)
