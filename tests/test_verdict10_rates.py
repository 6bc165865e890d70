"""A cumulative target on yearly rates of change (session 10's independent audit).

Shanxi's 十四五 target 单位地区生产总值能耗比2020年下降14.5% has yearly figures that are the year's
reductions (2021: 下降3.2%). The verdict called it ``pending`` ("no figure for the base year
2020") as if the figures were a level; an auditor (and a 督查 office) reads 2021 as on track:
3.2 against the 2.9 a year the five-year reduction needs. The yearly rates compound, they are
never summed (five years of 3.0 % reduce by 14.13 %, not 15 %). The indicator's catalogue says
which figures are rates (``flow`` = ``reduction`` or ``growth``): data, not a branch on a code.
"""

from __future__ import annotations

import pytest

from lantu.analysis.target_status import evaluate_target
from lantu.analysis.targets import TargetSpec
from lantu.defaults import load_indicators
from lantu.domain import Indicator
from lantu.errors import ValidationError
from lantu.evaluation.verdict import target_statuses
from webutil import fresh_db

SHANXI = "140000"
ENERGY = TargetSpec(SHANXI, "energy_intensity_change", 2020, None, 2025, "cumulative_change",
                    14.5, unit="%")


def _judge(obs, year, rate="reduction"):
    return evaluate_target(ENERGY, obs, 1, as_of=year, accumulate=True, rate=rate)


def test_a_yearly_reduction_paces_a_cumulative_reduction_without_a_base_level():
    r = _judge({2021: 3.2}, 2021)
    # by hand: required 14.5 / 5 = 2.9 a year; observed 3.2 in one year → 110 % → on track
    assert r.status == "on_track" and r.current == pytest.approx(3.2)
    assert "复合" in r.explanation_zh and "compounded" in r.explanation_en


def test_yearly_reductions_compound_they_are_not_summed():
    r = _judge({y: 3.0 for y in range(2021, 2026)}, 2025)
    # 1 − 0.97⁵ = 14.13 % < 14.5 %: missed (a sum, 15 %, would call it achieved)
    assert r.current == pytest.approx(100 * (1 - 0.97 ** 5))
    assert r.status == "missed"
    r = _judge({2021: 3.2, 2022: 3.1, 2023: 3.3, 2024: 3.0, 2025: 3.5}, 2025)
    assert r.current == pytest.approx(100 * (1 - 0.968 * 0.969 * 0.967 * 0.97 * 0.965))
    assert r.status == "achieved"  # 15.09 ≥ 14.5


def test_growth_rates_compound_as_growth():
    spec = TargetSpec("140100", "x_growth", 2020, None, 2022, "cumulative_change", 20.0, unit="%")
    r = evaluate_target(spec, {2021: 10.0, 2022: 10.0}, 1, as_of=2022, accumulate=True,
                        rate="growth")
    assert r.current == pytest.approx(21.0) and r.status == "achieved"


def test_a_missing_year_is_said_and_the_pace_uses_the_years_there_are():
    r = _judge({2021: 3.0, 2023: 3.0}, 2023)
    assert r.current == pytest.approx(100 * (1 - 0.97 ** 2))
    assert "缺少2022年数据" in r.explanation_zh and r.status == "on_track"


def test_the_target_year_without_its_figure_is_pending():
    assert _judge({2021: 3.2}, 2025).status == "pending"


def test_a_rate_is_refused_without_accumulate_or_with_an_unknown_sense():
    with pytest.raises(ValueError, match="rate"):
        evaluate_target(ENERGY, {2021: 3.2}, 1, as_of=2021, rate="reduction")
    with pytest.raises(ValueError, match="rate"):
        evaluate_target(ENERGY, {2021: 3.2}, 1, as_of=2021, accumulate=True, rate="decline")


def test_the_catalogue_says_which_figures_are_rates_and_which_are_flows():
    row = {"code": "x_change", "name_zh": "x", "unit": "%", "direction": "1", "flow": "reduction"}
    ind = Indicator.from_catalogue_row(row)
    assert (ind.flow, ind.rate) == (True, "reduction")
    with pytest.raises(ValidationError, match="flow"):
        Indicator.from_catalogue_row({**row, "flow": "compound"})
    with pytest.raises(ValidationError, match="rate"):
        Indicator(code="x", name_zh="x", rate="decline")
    cat = {i.code: i for i in load_indicators()}
    assert cat["energy_intensity_change"].rate == "reduction"
    # neighbours: five-year totals of yearly amounts (五年投入100亿元, 重点工程减排量) are flows
    for code in ("sci_tech_investment", "cod_reduction", "ammonia_reduction", "nox_reduction",
                 "voc_reduction"):
        assert cat[code].flow and cat[code].rate is None, code


@pytest.fixture(scope="module")
def db(web_template_db, tmp_path_factory):
    database = fresh_db(web_template_db, tmp_path_factory.mktemp("verdict10"))
    yield database
    database.dispose()


def test_shanxi_energy_intensity_2021_is_on_track_on_the_default(db):
    with db.session() as s:  # Shanxi has no plan of its own: its targets, judged by the verdict's rule
        e = target_statuses(s, SHANXI, 2021)["energy_intensity_change"]
        e2025 = target_statuses(s, SHANXI, 2025)["energy_intensity_change"]
    assert e.target.value == 14.5 and e.target.year == 2025
    assert e.target.status == "on_track" and e.target.current == pytest.approx(3.2)
    assert "缺少基期" not in e.target.reason_zh
    # the target year without its figure: pending, with the pace up to 2021 said
    assert e2025.target.status == "pending"
