"""Target tracking: Taiyuan's GDP-growth targets against the actual figures, every kind and
qualifier on hand-computed examples, the goal colour rule, properties and bad input."""

from __future__ import annotations

import enum
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _shanxi_raw import observations, targets
from lantu.analysis.targets import (
    ABOUT_TOLERANCE_POINTS,
    ARROWS,
    COLOURS,
    TargetSpec,
    evaluate_target,
    goal_colour,
)

TAIYUAN = "140100"


def status_from_ratio(ratio, due):
    """The SDG-dashboard thresholds of an interim year, written out for the tests; a target
    whose year has come is achieved or missed, never paced."""
    if due:
        return "missed"
    if ratio >= 1:
        return "on_track"
    if ratio >= 0.5:
        return "moderately_improving"
    if ratio >= 0:
        return "stagnating"
    return "deteriorating"


def gdp_growth_targets():
    out = []
    for row in targets():
        if row["region"] == "太原市" and row["indicator_zh"].startswith("地区生产总值增长率"):
            lo, _, hi = row["target_value"].partition("-")
            out.append(
                TargetSpec(
                    TAIYUAN,
                    "gdp_growth",
                    None,
                    None,
                    int(row["target_year"]),
                    "annual_growth",
                    float(lo),
                    float(hi) if hi else None,
                    "力争" if "力争" in row["indicator_zh"] else None,
                    row["binding"] == "约束性",
                    "%",
                )  # fmt: skip
            )
    return out


def test_taiyuan_gdp_growth_targets_against_actuals():
    actual = {y: v for (r, y), v in observations("gdp_growth").items() if r == "太原市"}
    specs = gdp_growth_targets()
    assert {s.target_period for s in specs} >= {2021, 2022, 2023, 2024, 2025}
    checked = 0
    for spec in specs:
        res = evaluate_target(spec, actual, direction=1)
        T = spec.target_period
        if T not in actual:  # e.g. 2023: no actual growth figure in the data set
            assert res.status == "pending" and res.colour == "grey"
            assert f"{T}" in res.explanation_zh
            continue
        checked += 1
        met = actual[T] >= spec.value
        assert res.met is met
        assert res.gap == pytest.approx(actual[T] - spec.value)
        want = "achieved" if met else status_from_ratio(actual[T] / spec.value, due=True)
        assert res.status == want, (T, spec.value, actual[T])
        assert res.colour == COLOURS[want] and res.arrow == ARROWS[want]
        assert f"{T}年实际{actual[T]:.4g}%" in res.explanation_zh
        assert f"{T} actual {actual[T]:.4g}%" in res.explanation_en
    assert checked >= 4  # 2021 (8–8.5), 2022 (7 and 力争 7.5), 2024 (5)


def test_2021_range_is_met_by_its_low_end_and_2022_stretch_missed():
    actual = {2021: 9.2, 2022: 3.3}
    rng = TargetSpec(TAIYUAN, "gdp_growth", None, None, 2021, "annual_growth", 8.0, 8.5)
    res = evaluate_target(rng, actual)
    assert res.status == "achieved" and res.gap == pytest.approx(1.2)
    assert "超出1.2个百分点" in res.explanation_zh
    stretch = TargetSpec(
        TAIYUAN, "gdp_growth", None, None, 2022, "annual_growth", 7.5, None, "力争"
    )
    res = evaluate_target(stretch, actual)
    assert res.status == "missed" and res.colour == "red" and res.arrow == "✗"
    assert "停滞" not in res.explanation_zh and "↓" not in res.arrow
    assert "差4.2个百分点" in res.explanation_zh and "short by 4.2 points" in res.explanation_en


def test_about_tolerance_for_growth_rates():
    spec = TargetSpec(TAIYUAN, "gdp_growth", None, None, 2023, "annual_growth", 6.5, None, "左右")
    assert ABOUT_TOLERANCE_POINTS == 0.5
    ok = evaluate_target(spec, {2023: 6.0})
    assert ok.met and ok.status == "achieved" and ok.tolerance == 0.5
    missed = evaluate_target(spec, {2023: 5.9})
    assert not missed.met and missed.status == "missed"
    assert missed.gap == pytest.approx(5.9 - 6.5)
    exact = TargetSpec(TAIYUAN, "gdp_growth", None, None, 2023, "annual_growth", 6.5)
    assert evaluate_target(exact, {2023: 6.0}).status == "missed"
    assert evaluate_target(spec, {2023: 5.9}, tolerance=0.6).met


def test_about_tolerance_for_levels_is_relative():
    spec = TargetSpec(TAIYUAN, "gdp", 2020, 4000.0, 2025, "level", 10000.0, None, "左右")
    res = evaluate_target(spec, {2025: 9850.0})
    assert res.met and res.tolerance == pytest.approx(200.0)


@pytest.mark.parametrize(
    ("latest", "year"),
    [(127.0, 2023), (131.0, 2023), (110.0, 2023), (95.0, 2023), (151.0, 2024), (140.0, 2025)],
)
def test_level_pace_by_hand(latest, year):
    spec = TargetSpec(TAIYUAN, "x", 2020, 100.0, 2025, "level", 150.0)
    res = evaluate_target(spec, {2020: 100.0, 2021: 105.0, year: latest})
    required = (150 - 100) / 5
    observed = (latest - 100) / (year - 2020)
    if latest >= 150:
        want = "achieved"  # a level reached early is achieved
    else:
        want = status_from_ratio(observed / required, due=year >= 2025)
    assert res.status == want
    assert res.required_change == pytest.approx(required)
    assert res.observed_change == pytest.approx(observed)


def test_level_base_taken_from_observations_when_not_given():
    spec = TargetSpec(TAIYUAN, "pm25", 2020, None, 2024, "level", 40.0)
    res = evaluate_target(spec, {2020: 50.0, 2022: 46.0}, direction=-1)
    assert res.required_change == pytest.approx(2.5)  # (50 - 40) / 4, as progress downwards
    assert res.observed_change == pytest.approx(2.0)
    assert res.status == "moderately_improving" and res.gap == pytest.approx(6.0)
    # a plan target without a base: from the plan's base year (start - 1) if there is a figure
    plan = TargetSpec(TAIYUAN, "pm25", None, None, 2024, "level", 40.0, plan_start=2020)
    res = evaluate_target(plan, {2018: 60.0, 2019: 52.0, 2022: 46.0}, direction=-1)
    assert res.base_year == 2019 and res.points == ((2019, 52.0), (2022, 46.0))
    assert res.required_change == pytest.approx(12 / 5) and "2019" in res.explanation_zh
    # ... else from its first figure on or after the start
    res = evaluate_target(plan, {2018: 60.0, 2021: 50.0, 2022: 46.0}, direction=-1)
    assert res.base_year == 2021 and res.required_change == pytest.approx(10 / 3)
    # without base or plan it is a yearly target: the 2024 figure or nothing
    no_base = TargetSpec(TAIYUAN, "pm25", None, None, 2024, "level", 40.0)
    res = evaluate_target(no_base, {2019: 52.0, 2022: 46.0}, direction=-1)
    assert res.status == "pending" and res.latest_year == 2022 and res.horizon == "yearly"
    assert res.required_change is None and res.points == ()
    assert "最新数据为2022年" in res.explanation_zh


def test_level_met_without_any_base_is_achieved():
    spec = TargetSpec(TAIYUAN, "good_air_days_ratio", None, None, 2022, "level", 63.0, unit="%")
    assert evaluate_target(spec, {2022: 70.1}).status == "achieved"
    res = evaluate_target(spec, {2022: 60.0})  # missed, by 3 points in the indicator's unit
    assert res.met is False and res.status == "missed" and res.gap == pytest.approx(-3.0)
    assert "差3个百分点" in res.explanation_zh
    assert evaluate_target(spec, {2022: 62.99}).status == "missed"  # its neighbour below


def test_ceiling_met_at_base_then_exceeded_is_deteriorating():
    spec = TargetSpec(
        TAIYUAN, "unemployment", 2020, 4.0, 2025, "ceiling", 4.5, None, "以内", unit="%"
    )
    # under a ceiling in an interim year is on track (it must hold to the end), not achieved
    assert evaluate_target(spec, {2022: 4.4}).status == "on_track"
    assert evaluate_target(spec, {2025: 4.4}).status == "achieved"
    assert evaluate_target(spec, {2025: 4.6}).status == "missed"
    res = evaluate_target(spec, {2022: 4.8})
    assert res.status == "deteriorating" and res.colour == "red" and res.arrow == "↓"
    assert res.ratio is None


def test_floor_by_hand():
    spec = TargetSpec(TAIYUAN, "forest", 2020, 20.0, 2025, "floor", 25.0, None, "以上", unit="%")
    res = evaluate_target(spec, {2023: 22.0}, direction=0)
    assert res.ratio == pytest.approx((2 / 3) / 1.0)
    assert res.status == "moderately_improving"


def test_binding_cumulative_relative_reduction():
    spec = TargetSpec(
        "140000",
        "energy_intensity",
        2020,
        None,
        2025,
        "cumulative_change",
        -14.5,
        binding=True,
        unit="%",
    )
    res = evaluate_target(spec, {2020: 1.0, 2022: 0.93}, direction=-1)
    assert res.current == pytest.approx(-7.0)
    assert res.required_change == pytest.approx(14.5 / 5)
    assert res.observed_change == pytest.approx(3.5)
    assert res.status == "on_track"
    res = evaluate_target(spec, {2020: 1.0, 2025: 0.9}, direction=-1)
    assert res.status == "missed" and "约束性指标" in res.explanation_zh
    with pytest.raises(
        ValueError, match=r"140000/energy_intensity, field value: 14.5 moves the indicator against"
    ):
        evaluate_target(
            TargetSpec(
                "140000", "energy_intensity", 2020, None, 2025, "cumulative_change", 14.5, unit="%"
            ),
            {2020: 1.0},
            direction=-1,
        )


def test_cumulative_flows_accumulate():
    spec = TargetSpec(
        TAIYUAN, "new_urban_jobs", 2020, None, 2025, "cumulative_change", 40.0, unit="万人"
    )
    res = evaluate_target(spec, {2021: 8.6, 2022: 8.2}, accumulate=True)
    assert res.current == pytest.approx(16.8)
    assert res.observed_change == pytest.approx(8.4) and res.required_change == pytest.approx(8.0)
    assert res.status == "on_track"


def test_cumulative_absolute_change_of_a_stock():
    spec = TargetSpec(
        TAIYUAN, "population", 2020, 530.0, 2025, "cumulative_change", 100.0, unit="万人"
    )
    res = evaluate_target(spec, {2022: 543.5})
    assert res.current == pytest.approx(13.5)
    assert res.ratio == pytest.approx((13.5 / 2) / 20)
    assert res.status == "stagnating"


def test_multi_year_growth_from_levels_and_from_rates():
    spec = TargetSpec(TAIYUAN, "rd_expenditure", 2020, 100.0, 2025, "annual_growth", 10.0, unit="%")
    res = evaluate_target(spec, {2022: 119.0})
    cagr = 100 * (math.sqrt(1.19) - 1)
    assert res.current == pytest.approx(cagr) and res.ratio == pytest.approx(cagr / 10)
    assert res.status == "moderately_improving"
    assert evaluate_target(spec, {2022: 125.0}).status == "on_track"  # pace met, not yet due
    assert evaluate_target(spec, {2025: 162.0}).status == "achieved"
    rates = TargetSpec(TAIYUAN, "rd_growth", 2020, None, 2025, "annual_growth", 10.0, unit="%")
    res = evaluate_target(rates, {2021: 12.0, 2022: 9.0})
    assert res.current == pytest.approx(100 * (math.sqrt(1.12 * 1.09) - 1))
    assert res.status == "on_track"


def test_neutral_range_must_be_inside():
    spec = TargetSpec(TAIYUAN, "cpi", None, None, 2024, "annual_growth", 2.0, 3.0)
    assert evaluate_target(spec, {2024: 2.5}, direction=0).status == "achieved"
    # outside the range: missed, by the distance to its nearer end
    res = evaluate_target(spec, {2024: 3.6}, direction=0)
    assert res.status == "missed" and res.gap == pytest.approx(0.6)
    res = evaluate_target(spec, {2024: 1.5}, direction=0)
    assert res.status == "missed" and res.gap == pytest.approx(-0.5)
    ceiling = TargetSpec(TAIYUAN, "cpi", None, None, 2024, "annual_growth", 3.0, None, "左右")
    assert evaluate_target(ceiling, {2024: 3.5}, direction=-1).status == "achieved"  # edge
    res = evaluate_target(ceiling, {2024: 3.6}, direction=-1)
    assert res.status == "missed" and res.gap == pytest.approx(0.6)


def test_as_of_and_missing_year():
    spec = TargetSpec(TAIYUAN, "x", 2020, 100.0, 2025, "level", 150.0)
    obs = {2021: 110.0, 2022: 112.0, 2023: 160.0}
    assert evaluate_target(spec, obs).status == "achieved"  # reached early
    early = evaluate_target(spec, obs, as_of=2021)
    assert early.year == 2021 and early.status == "on_track"
    assert evaluate_target(spec, {}).status == "no_data"
    # the target year has come without its figure: pending, whatever the pace was
    late = evaluate_target(spec, {2021: 110.0, 2022: 112.0}, as_of=2025)
    assert late.status == "pending" and "2025" in late.explanation_zh
    assert evaluate_target(spec, {2021: 110.0, 2025: 140.0}).status == "missed"


class Kind(enum.Enum):
    LEVEL = "level"


def test_accepts_any_object_with_the_attributes():
    obj = SimpleNamespace(
        region_code=TAIYUAN, indicator_code="x", base_period=2020, base_value=100.0,
        target_period=2025, kind=Kind.LEVEL, value=150.0, value_high=None, qualifier="",
        binding=False, unit="亿元",
    )  # fmt: skip
    res = evaluate_target(obj, {2023: 131.0})
    assert res.status == "on_track" and "亿元" in res.explanation_zh
    with pytest.raises(ValueError, match=r"target lacks attribute\(s\) unit"):
        evaluate_target(SimpleNamespace(**{k: v for k, v in vars(obj).items() if k != "unit"}), {})


def test_goal_colour_two_worst_rule():
    assert goal_colour(["green", "green", "green"]) == "green"
    assert goal_colour(["green", "yellow", "green"]) == "yellow"
    assert goal_colour(["green", "red", "green"]) == "orange"  # (3 + 0) / 2 = 1.5 → 1
    assert goal_colour(["orange", "red", "green"]) == "red"  # (1 + 0) / 2 = 0.5 → 0
    assert goal_colour(["yellow"]) == "yellow"
    assert goal_colour(["grey", "yellow", "grey"]) == "yellow"
    assert goal_colour(["grey"]) == "grey" and goal_colour([]) == "grey"
    spec = TargetSpec(TAIYUAN, "g", None, None, 2022, "annual_growth", 7.0)
    results = [evaluate_target(spec, {2022: v}) for v in (7.5, 3.3, 8.0)]
    assert goal_colour(results) == "orange"  # green 3 + red (missed) 0 → 1
    with pytest.raises(ValueError, match=r"goal_colour: unknown colour 'blue'"):
        goal_colour(["blue"])


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"kind": "trend"}, r"field kind: must be one of"),
        ({"qualifier": "大约"}, r"field qualifier: must be one of"),
        ({"value_high": 1.0}, r"field value_high: 1.0 is below value 150.0"),
        ({"base_period": 2025}, r"field base_period: 2025 is not before target_period 2025"),
        ({"base_period": None}, r"field base_period: is needed when base_value is given"),
        ({"value": float("nan")}, r"field value: is required"),
        ({"value": "150"}, r"field value: must be a finite number; got '150'"),
        ({"target_period": 2025.5}, r"field target_period: must be a year \(int\)"),
    ],
)
def test_bad_specs(kwargs, msg):
    base = dict(
        region_code=TAIYUAN, indicator_code="x", base_period=2020, base_value=100.0,
        target_period=2025, kind="level", value=150.0,
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"evaluate_target: target 140100/x, " + msg):
        TargetSpec(**{**base, **kwargs})


def test_bad_evaluation_arguments():
    spec = TargetSpec(TAIYUAN, "x", 2020, 100.0, 2025, "level", 150.0)
    with pytest.raises(ValueError, match=r"field direction: must be 1, -1 or 0; got 2"):
        evaluate_target(spec, {2021: 1.0}, direction=2)
    with pytest.raises(ValueError, match=r"field observations: values must be numeric"):
        evaluate_target(spec, {2021: "a lot"})
    with pytest.raises(
        ValueError, match=r"field observations: index must be years \(int\); got '2021年'"
    ):
        evaluate_target(spec, {"2021年": 1.0})
    with pytest.raises(
        ValueError, match=r"field observations: index must be whole years; got 2021.5"
    ):
        evaluate_target(spec, {2021.5: 1.0})
    import pandas as pd

    with pytest.raises(ValueError, match=r"field observations: index has a year twice"):
        evaluate_target(spec, pd.Series([1.0, 2.0], index=[2021, 2021]))
    with pytest.raises(ValueError, match=r"field observations: year 2021 is inf"):
        evaluate_target(spec, {2021: math.inf})
    with pytest.raises(
        ValueError, match=r"field kind: accumulate=True applies to cumulative_change"
    ):
        evaluate_target(spec, {2021: 1.0}, accumulate=True)
    with pytest.raises(ValueError, match=r"field tolerance: must be a finite number ≥ 0"):
        evaluate_target(spec, {2021: 1.0}, tolerance=-1)


_ORDER = {
    "missed": 0,
    "deteriorating": 0,
    "stagnating": 1,
    "moderately_improving": 2,
    "on_track": 3,
    "achieved": 4,
}


@settings(max_examples=150, deadline=None)
@given(
    a=st.floats(0, 300),
    b=st.floats(0, 300),
    year=st.integers(2021, 2025),
    direction=st.sampled_from([1, -1]),
)
def test_a_better_latest_value_never_gets_a_worse_status(a, b, year, direction):
    goal = 150.0 if direction == 1 else 50.0
    spec = TargetSpec(TAIYUAN, "x", 2020, 100.0, 2025, "level", goal)
    ra = evaluate_target(spec, {year: a}, direction=direction)
    rb = evaluate_target(spec, {year: b}, direction=direction)
    better_a = a >= b if direction == 1 else a <= b
    if better_a:
        assert _ORDER[ra.status] >= _ORDER[rb.status]
    assert ra.colour == COLOURS[ra.status] and ra.arrow == ARROWS[ra.status]


def test_evaluate_targets_on_a_long_table():
    import pandas as pd

    from lantu.analysis.targets import evaluate_targets

    actual = {y: v for (r, y), v in observations("gdp_growth").items() if r == "太原市"}
    obs = pd.DataFrame(
        {
            "region_code": TAIYUAN,
            "indicator_code": "gdp_growth",
            "year": list(actual),
            "value": list(actual.values()),
        }
    )
    specs = gdp_growth_targets()
    table = evaluate_targets(specs, obs, {"gdp_growth": 1})
    assert len(table) == len(specs)
    for spec, (_, row) in zip(specs, table.iterrows(), strict=True):
        one = evaluate_target(spec, actual)
        assert row["target_period"] == spec.target_period
        assert row["status"] == one.status and row["colour"] == one.colour
    with pytest.raises(
        ValueError, match=r"evaluate_targets: no direction for indicator 'gdp_growth'"
    ):
        evaluate_targets(specs, obs, {})
    with pytest.raises(
        ValueError, match=r"evaluate_targets: argument observations lacks column\(s\) value"
    ):
        evaluate_targets(specs, obs.drop(columns="value"), {"gdp_growth": 1})
    doubled = pd.concat([obs, obs.iloc[:1]])
    with pytest.raises(
        ValueError, match=r"observations hold two values for 140100/gdp_growth in 20"
    ):
        evaluate_targets(specs, doubled, {"gdp_growth": 1})


def test_yearly_target_pending_against_the_data_year():
    from lantu.analysis.targets import evaluate_targets

    spec = TargetSpec(TAIYUAN, "cpi", None, None, 2022, "ceiling", 3.0, None, "左右", unit="%")
    # no 2022 figure: pending, naming the latest figure; other years never judge it
    res = evaluate_target(spec, {2018: 2.0, 2019: 9.0}, direction=-1)
    assert res.status == "pending" and res.latest_year == 2019 and res.points == ()
    assert "尚无2022年数据（最新数据为2019年）" in res.explanation_zh
    res = evaluate_target(spec, {2018: 2.0, 2019: 9.0}, direction=-1, data_year=2024)
    assert res.status == "pending" and res.met is None
    # nothing at all: no_data
    assert evaluate_target(spec, {}, direction=-1).status == "no_data"
    import pandas as pd

    table = pd.DataFrame({"region_code": [TAIYUAN, TAIYUAN], "indicator_code": ["cpi", "gdp"],
                          "period": [2019, 2024], "value": [9.0, 5000.0]})  # fmt: skip
    row = evaluate_targets([spec], table, {"cpi": -1}).iloc[0]
    assert row["status"] == "pending" and row["latest_year"] == 2019
    with pytest.raises(ValueError, match=r"field data_year: must be a year"):
        evaluate_target(spec, {}, data_year="2024")


@pytest.mark.parametrize(
    ("plan", "start"),
    [
        ("太原市“十四五”主要目标（2021年市政府工作报告概述《纲要（草案）》）", 2021),
        ("山西省2026年政府工作报告·“十五五”量化目标（据新闻转载）", 2026),
        ("太原市2022年政府工作报告·今后五年工作目标（四个高地等）", 2022),
        ("山西省深入推进以人为本的新型城镇化战略实施方案（2025—2029年）", 2025),
        ("太原市2024年政府工作报告·年度主要预期指标", None),
        ("万亿目标推迟（据中国新闻周刊2025-02-20报道；二手来源）", None),
        ("太原市“秋冬防”（自2021年10月1日起）大气污染防治控制指标", None),
        ("", None),
        (None, None),
    ],
)
def test_plan_start_year(plan, start):
    from lantu.analysis.targets import plan_start_year

    assert plan_start_year(plan) == start


def test_horizon_rules():
    from lantu.analysis.targets import target_horizon

    def h(**kw):
        base = dict(region_code=TAIYUAN, indicator_code="x", base_period=None, base_value=None,
                    target_period=2025, kind="level", value=1.0)  # fmt: skip
        return target_horizon(TargetSpec(**{**base, **kw}))

    assert h() == ("yearly", None)
    assert h(base_period=2020) == ("multi_year", 2021)
    assert h(kind="annual_growth", base_period=2024) == ("yearly", None)
    assert h(plan="十四五规划") == ("multi_year", 2021)
    assert h(plan="十四五规划", plan_start=2023) == ("multi_year", 2023)
    assert h(plan_start=2025) == ("yearly", None)  # a plan starting in its target year
    assert h(kind="cumulative_change") == ("multi_year", None)
    spec = TargetSpec(TAIYUAN, "x", None, None, 2025, "cumulative_change", 5.0, unit="万个")
    res = evaluate_target(spec, {2020: 1.0, 2023: 2.0}, accumulate=True)
    assert res.status == "pending" and "no base year or plan start" in res.explanation_en
    with pytest.raises(ValueError, match=r"field plan_start: must be a year"):
        TargetSpec(TAIYUAN, "x", None, None, 2025, "level", 1.0, plan_start=2026)


def test_numbers_and_units_for_people():
    from lantu.analysis.targets import _fmt, unit_en

    assert [_fmt(x) for x in (10000.0, 4153.25, 4.5, 0.28, 3.0, -3.7, 1e-9, None)] == [
        "10,000", "4,153.2", "4.5", "0.28", "3", "-3.7", "0", "—"
    ]  # fmt: skip
    assert unit_en("微克/立方米") == "μg/m³" and unit_en("亿元") == "100 million yuan"
    spec = TargetSpec(TAIYUAN, "gdp", 2020, 4000.0, 2025, "level", 10000.0, unit="亿元")
    res = evaluate_target(spec, {2023: 6000.0})
    assert "target 10,000 100 million yuan for 2025" in res.explanation_en
    assert "e+" not in res.explanation_en + res.explanation_zh
    assert "2025年目标10,000亿元" in res.explanation_zh and "基期2020年4,000亿元" in res.explanation_zh
    assert res.points == ((2020, 4000.0), (2023, 6000.0)) and res.base_year == 2020


def test_multi_year_growth_rates_from_the_plan_start_only():
    spec = TargetSpec(TAIYUAN, "rd_growth", None, None, 2025, "annual_growth", 10.0, unit="%",
                      plan="太原市“十四五”主要目标")  # fmt: skip
    obs = {2019: 50.0, 2020: 1.0, 2021: 12.0, 2022: 9.0, 2026: 80.0}
    # 2026 is past the target year and 2025 has no figure: pending
    assert evaluate_target(spec, obs).status == "pending"
    res = evaluate_target(spec, obs, as_of=2023)
    assert res.horizon == "multi_year" and res.base_year == 2020
    assert res.points == ((2021, 12.0), (2022, 9.0))  # not 2019-2020 nor after 2025
    assert res.current == pytest.approx(100 * (math.sqrt(1.12 * 1.09) - 1))
    assert res.status == "on_track" and res.year == 2022


def test_multi_year_level_ignores_figures_after_the_target_year():
    spec = TargetSpec(TAIYUAN, "gdp", 2020, None, 2025, "level", 10000.0, unit="亿元")
    res = evaluate_target(spec, {2020: 4000.0, 2024: 7000.0, 2026: 11000.0})
    assert res.points == ((2020, 4000.0), (2024, 7000.0)) and res.status != "achieved"
    assert res.ratio == pytest.approx((3000 / 4) / (6000 / 5))


@pytest.mark.parametrize(
    ("kind", "qualifier", "x", "bound", "want"),
    [
        # "超过7%" (at least 7) against a growth target of 6.5: achieved whatever the truth
        ("annual_growth", None, 7.0, "lower_bound", "achieved"),
        # "超过5%" against 6.5: the truth may be above 6.5 — undecided
        ("annual_growth", None, 5.0, "lower_bound", "pending"),
        # "不到5%" (at most 5) against 6.5: missed for sure
        ("annual_growth", None, 5.0, "upper_bound", "missed"),
        # "不到7%" against 6.5: may be under 6.5 — undecided
        ("annual_growth", None, 7.0, "upper_bound", "pending"),
        # a ceiling of 3 %以内: "控制在2.8%以内" (at most 2.8) is achieved ...
        ("ceiling", "以内", 2.8, "upper_bound", "achieved"),
        # ... "超过3.2%" (at least 3.2) missed, "超过2.8%" undecided
        ("ceiling", "以内", 3.2, "lower_bound", "missed"),
        ("ceiling", "以内", 2.8, "lower_bound", "pending"),
        # a plain figure next to these: judged as usual
        ("annual_growth", None, 5.0, None, "missed"),
    ],
)
def test_an_observation_stated_as_a_bound_is_evaluated_as_a_bound(kind, qualifier, x, bound,
                                                                  want):
    value = 6.5 if kind == "annual_growth" else 3.0
    spec = TargetSpec(TAIYUAN, "x", None, None, 2023, kind, value, None, qualifier, unit="%")
    res = evaluate_target(spec, {2023: x}, direction=1 if kind == "annual_growth" else -1,
                          bounds={2023: bound} if bound else None)
    assert res.status == want
    if want == "pending":
        assert "bound" in res.explanation_en and "限" in res.explanation_zh
