from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantu.domain import (
    Formula,
    Framework,
    FrameworkNode,
    Indicator,
    Observation,
    Period,
    PlanNode,
    Region,
    Target,
    ValidationError,
    conversion_factor,
    parse_flags,
)


@pytest.mark.parametrize("text,expected", [
    ("2023", "2023"), (2023, "2023"), ("2023年", "2023"), ("2023Q1", "2023Q1"), ("2023q4", "2023Q4"),
    ("2023-03", "2023-03"), ("2023年3月", "2023-03"), ("2023/11", "2023-11"), (2023.0, "2023"),
])
def test_period_parse(text, expected):
    assert str(Period.parse(text)) == expected


@pytest.mark.parametrize("bad", ["23", "2023Q5", "2023-13", "abc", "", True, "2023-00"])
def test_period_rejects(bad):
    with pytest.raises(ValidationError, match="period"):
        Period.parse(bad)


def test_period_bounds_and_order():
    q = Period.parse("2023Q2")
    assert (q.start, q.end) == (date(2023, 4, 1), date(2023, 6, 30))
    assert Period.parse("2024-02").end == date(2024, 2, 29)
    assert Period.parse("2023") < Period.parse("2023Q1") < Period.parse("2023-01") < \
        Period.parse("2023-02") < Period.parse("2023Q2") < Period.parse("2024")


@given(st.integers(1949, 2100), st.sampled_from(["year", "quarter", "month"]), st.integers(1, 12))
def test_period_roundtrip(year, kind, idx):
    idx = 0 if kind == "year" else (idx - 1) % (4 if kind == "quarter" else 12) + 1
    p = Period(year, kind, idx)
    assert Period.parse(str(p)) == p
    assert p.start <= p.end


def test_units_convert_exact_powers_of_ten_only():
    assert conversion_factor("万元", "亿元") == pytest.approx(1e-4)
    assert conversion_factor("亿元", "万元") == pytest.approx(1e4)
    assert conversion_factor("人", "万人") == pytest.approx(1e-4)
    assert conversion_factor("张", "万张") == pytest.approx(1e-4)
    assert conversion_factor("％", "%") == 1.0
    for a, b in [("亿美元", "亿元"), ("%", "‰"), ("万吨", "亿元"), ("元", "美元")]:
        with pytest.raises(ValidationError, match="cannot be converted"):
            conversion_factor(a, b)


def test_formula_evaluates_on_series_and_refuses_code():
    f = Formula("va_tertiary / gdp * 100")
    assert f.inputs == ("gdp", "va_tertiary")
    s = f.evaluate({"va_tertiary": pd.Series([50.0, 30.0]), "gdp": pd.Series([100.0, 120.0])})
    assert list(s) == [50.0, 25.0]
    for bad in ["__import__('os')", "gdp ** 2", "gdp.real", "'a' + gdp", "gdp +"]:
        with pytest.raises(ValidationError, match="formula"):
            Formula(bad)


def test_indicator_rules():
    ind = Indicator.from_catalogue_row({"code": "tertiary_share", "name_zh": "第三产业增加值占比",
                                        "unit": "%", "direction": "1", "pillar": "T1",
                                        "note": "derived: va_tertiary / gdp * 100"})
    assert ind.is_derived and ind.is_share
    assert not Indicator("gdp_growth", "x", unit="%").is_share
    with pytest.raises(ValidationError, match="direction"):
        Indicator("gdp", "x", direction=2)
    with pytest.raises(ValidationError, match="code"):
        Indicator("GDP Total", "x")


def test_region_and_observation_validation():
    assert Region("140100", "太原市").code == "140100"
    assert Region("Z14001", "太忻一体化经济区", level="zone").level == "zone"
    with pytest.raises(ValidationError, match="GB/T 2260"):
        Region("1401", "太原市")
    with pytest.raises(ValidationError, match="value"):
        Observation("140100", "2023", "gdp", float("nan"))
    with pytest.raises(ValidationError, match="flag"):
        parse_flags("preliminary;guessed")
    assert parse_flags("preliminary, weak_source") == {"preliminary", "weak_source"}


def test_target_rules():
    t = Target("140100", "gdp_growth", "2022", "annual_growth", 7, qualifier="力争")
    assert t.describe() == "7力争"
    with pytest.raises(ValidationError, match="value_high"):
        Target("140100", "gdp_growth", "2021", "annual_growth", 8.5, value_high=8)
    with pytest.raises(ValidationError, match="qualifier"):
        Target("140100", "gdp_growth", "2021", "annual_growth", 8, qualifier="大约")
    with pytest.raises(ValidationError, match="base_period"):
        Target("140100", "gdp", "2025", "level", 1e4, base_period="2025")


def test_plan_node_and_framework_rules():
    with pytest.raises(ValidationError, match="before start"):
        PlanNode("T1", "x", start="2024-01-01", due="2023-01-01")
    with pytest.raises(ValidationError, match="date"):
        PlanNode("T1", "x", due="next week")
    fw = Framework("f", "f", nodes=[FrameworkNode("I", None), FrameworkNode("a", "I", 1, is_indicator=True),
                                    FrameworkNode("b", "X", 1, is_indicator=True)])
    with pytest.raises(ValidationError, match="unknown parent"):
        fw.validate()
    cyc = Framework("f", "f", nodes=[FrameworkNode("I", None), FrameworkNode("p", "q"),
                                     FrameworkNode("q", "p")])
    with pytest.raises(ValidationError, match="cycle"):
        cyc.validate()
    zero = Framework("f", "f", nodes=[FrameworkNode("I", None), FrameworkNode("a", "I", 0, is_indicator=True)])
    with pytest.raises(ValidationError, match="sum to 0"):
        zero.validate()


def test_the_catalogue_says_which_indicators_are_flows_and_shares_of_the_province():
    from lantu.defaults import load_indicators

    cat = {i.code: i for i in load_indicators()}
    assert cat["new_urban_jobs"].flow and cat["new_parking_spaces"].flow
    assert not cat["gdp"].flow and not cat["urbanization_rate"].flow
    assert cat["gdp_share_of_province"].share_of_province == "gdp"
    assert all(i.share_of_province in cat for i in cat.values() if i.share_of_province)
    assert cat["gdp"].share_of_province is None
    row = {"code": "x", "name_zh": "某", "flow": "maybe"}
    with pytest.raises(ValidationError, match="flow"):
        Indicator.from_catalogue_row(row)
    with pytest.raises(ValidationError, match="share_of_province"):
        Indicator.from_catalogue_row({**row, "flow": "", "share_of_province": "GDP Total"})
