"""verdict14: a plan-period target is achieved or missed on figures stated as bounds only when
the bounds decide it (the rule of the yearly targets, lantu.analysis.target_bound), and a target
year that has come without its figure is pending on every path — key5's CS1, CS10, HF10 and their
neighbours. Each test fails on main."""

from __future__ import annotations

import pytest

from lantu.analysis.targets import TargetSpec, evaluate_target

HEFEI, CHANGSHA = "340100", "430100"
PLAN = "2021年政府工作报告·发展目标（2021—2025年）"


def _spec(kind, value, qualifier=None, unit="亿元", region=HEFEI, T=2025, plan=PLAN):
    return TargetSpec(region, "x", None, None, T, kind, value, None, qualifier, unit=unit, plan=plan)


# 合肥 2026 report: 地区生产总值突破1.4万亿元 against the 2021 report's 力争达到1.6万亿元 (HF10)
@pytest.mark.parametrize("x, bound, want", [
    (14000.0, "lower_bound", "pending"),   # at least 14,000: 16,000 not excluded
    (14000.0, None, "missed"),             # a plain figure: missed as before
    (17000.0, "lower_bound", "achieved"),  # at least 17,000: met whatever the truth
    (17000.0, "upper_bound", "pending"),   # at most 17,000: may lie under 16,000
    (15000.0, "upper_bound", "missed"),    # at most 15,000: missed whatever the truth
])
def test_a_level_at_its_target_year_is_decided_by_a_bound_only_when_it_decides(x, bound, want):
    obs = {2020: 10045.7, 2025: x}
    res = evaluate_target(_spec("level", 16000.0, "力争"), obs, direction=1, as_of=2025,
                          bounds={2025: bound} if bound else None)
    assert res.status == want
    if want == "pending":
        assert "2025年数据仅为" in res.explanation_zh and "bound" in res.explanation_en


# 长沙: 年均增长7%左右 (2021–2025) on 7.5, 4.8, 5.0, 5%以上 (2024), 5.0 (CS1)
def test_an_average_growth_with_a_year_stated_as_a_lower_bound_is_not_missed_on_it():
    rates = {2021: 7.5, 2022: 4.8, 2023: 5.0, 2024: 5.0, 2025: 5.0}
    spec = _spec("annual_growth", 7.0, "左右", unit="%", region=CHANGSHA)
    res = evaluate_target(spec, rates, direction=1, as_of=2025, bounds={2024: "lower_bound"})
    assert res.status == "pending"
    assert "2024年数据仅为界值" in res.explanation_zh and "only bounds" in res.explanation_en
    assert evaluate_target(spec, rates, direction=1, as_of=2025).status == "missed"
    # met even on the lower bound: the truth can only raise the average (CS2)
    ind = {2021: 7.5, 2022: 8.5, 2023: 6.5, 2024: 9.1, 2025: 7.5}
    assert evaluate_target(_spec("annual_growth", 7.5, "左右", unit="%"), ind, direction=1,
                           as_of=2025, bounds={2024: "lower_bound"}).status == "achieved"
    # an upper bound inside an average that meets: the truth may lie under it
    assert evaluate_target(_spec("annual_growth", 7.5, "左右", unit="%"), ind, direction=1,
                           as_of=2025, bounds={2022: "upper_bound"}).status == "pending"


def test_a_five_year_sum_missed_on_a_lower_bound_is_pending():
    spec = TargetSpec(HEFEI, "new_urban_jobs", None, None, 2026, "cumulative_change", 100.0,
                      None, None, unit="万人", plan="2022年政府工作报告·发展目标（2022—2026年）")
    jobs = {2022: 13.5, 2023: 20.0, 2024: 20.9, 2025: 24.0, 2026: 20.0}
    assert evaluate_target(spec, jobs, direction=1, as_of=2026, accumulate=True).status == "missed"
    res = evaluate_target(spec, jobs, direction=1, as_of=2026, accumulate=True,
                          bounds={2026: "lower_bound"})
    assert res.status == "pending"


def test_a_change_from_a_base_stated_as_a_lower_bound_cannot_be_achieved_on_it():
    # 常住人口过千万 (2021) as the base of "+100万 by 2026": the base may be higher, the change lower
    spec = TargetSpec(CHANGSHA, "population", None, None, 2026, "cumulative_change", 100.0, None,
                      None, unit="万人", plan="2022年政府工作报告·发展目标（2022—2026年）")
    obs = {2021: 1000.0, 2026: 1120.0}
    assert evaluate_target(spec, obs, direction=1, as_of=2026).status == "achieved"
    res = evaluate_target(spec, obs, direction=1, as_of=2026, bounds={2021: "lower_bound"})
    assert res.status == "pending" and "2021年数据仅为界值" in res.explanation_zh
    # missed from it: a larger base only makes the change smaller — decided
    short = evaluate_target(spec, {2021: 1000.0, 2026: 1050.0}, direction=1, as_of=2026,
                            bounds={2021: "lower_bound"})
    assert short.status == "missed"


# 长沙: 森林覆盖率稳定在55% (2021–2025); its one figure of the plan is 2021's 55 (CS9, CS10)
@pytest.mark.parametrize("as_of, want", [(2023, "achieved"), (2025, "pending"), (2026, "pending")])
def test_a_level_met_before_its_target_year_is_pending_once_that_year_has_come(as_of, want):
    res = evaluate_target(_spec("level", 55.0, unit="%", region=CHANGSHA), {2019: 55.0, 2021: 55.0},
                          direction=1, as_of=as_of)
    assert res.status == want
    if want == "pending":
        assert "尚无目标年2025年数据" in res.explanation_zh
        assert "no figure for the target year 2025" in res.explanation_en


def test_the_bound_rule_is_one_rule():
    from lantu.analysis.target_bound import bound_decides, bound_sides

    # the yearly judgement asks the same rule: a lower bound that meets a floor decides it, one
    # that misses it does not; a reading that may move both ways decides nothing
    assert bound_decides(True, "min", 7.0, 6.5, 6.5, 0.0, can_rise=True, can_fall=False)
    assert not bound_decides(False, "min", 6.0, 6.5, 6.5, 0.0, can_rise=True, can_fall=False)
    assert not bound_decides(True, "min", 7.0, 6.5, 6.5, 0.0, can_rise=True, can_fall=True)
    assert bound_sides({2024: "lower_bound", 2020: "lower_bound"}, [2024, 2025], 2020) == \
        ([2024], [2020])
