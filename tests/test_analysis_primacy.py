"""Primacy indices: real Shanxi figures, hand-computed examples, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _shanxi_raw import observations
from lantu.analysis.primacy import primacy_index, primacy_share

CENTRAL_SHANXI = ["太原市", "晋中市", "阳泉市", "忻州市", "吕梁市"]


def test_population_primacy_of_taiyuan_2022_over_central_shanxi():
    pop = observations("population")
    vals = {c: pop[(c, 2022)] for c in CENTRAL_SHANXI}  # all five present in 2022
    ordered = sorted(vals.values(), reverse=True)
    assert max(vals, key=vals.get) == "太原市"
    assert primacy_index(vals, "S2") == pytest.approx(ordered[0] / ordered[1])
    assert primacy_index(vals, "S4") == pytest.approx(
        ordered[0] / (ordered[1] + ordered[2] + ordered[3])
    )
    share = primacy_share(vals, pop[("山西省", 2022)])
    assert share == pytest.approx(pop[("太原市", 2022)] / pop[("山西省", 2022)])
    with pytest.raises(
        ValueError, match=r"S11 needs at least 11 units with values; got 5 \(太原市, "
    ):
        primacy_index(vals, "S11")


def test_gdp_primacy_over_the_cities_with_2021_figures():
    gdp = observations("gdp")
    present = {c: gdp[(c, 2021)] for c in CENTRAL_SHANXI if (c, 2021) in gdp}
    assert sorted(present) == ["太原市", "晋中市", "阳泉市"]  # gaps stay gaps
    assert primacy_index(present, "S2") == pytest.approx(
        gdp[("太原市", 2021)] / gdp[("晋中市", 2021)]
    )
    with pytest.raises(ValueError, match=r"S4 needs at least 4 units with values; got 3"):
        primacy_index(present, "S4")
    share = primacy_share(present, gdp[("山西省", 2021)], unit="太原市")
    assert share == pytest.approx(gdp[("太原市", 2021)] / gdp[("山西省", 2021)])


def test_panel_rows_are_computed_separately_and_missing_values_skipped():
    pop = observations("population")
    years = [2021, 2022]
    df = pd.DataFrame(
        {c: [pop.get((c, y), np.nan) for y in years] for c in CENTRAL_SHANXI},
        index=pd.Index(years, name="year"),
    )
    s2 = primacy_index(df, "S2")
    assert list(s2.index) == years and s2.index.name == "year"
    for y in years:
        ordered = sorted((v for v in df.loc[y] if not np.isnan(v)), reverse=True)
        assert s2[y] == pytest.approx(ordered[0] / ordered[1])
    totals = pd.Series({y: pop[("山西省", y)] for y in years})
    share = primacy_share(df, totals)
    assert share[2021] == pytest.approx(pop[("太原市", 2021)] / pop[("山西省", 2021)])
    df.loc[2022, ["晋中市", "阳泉市", "忻州市", "吕梁市"]] = np.nan
    with pytest.raises(
        ValueError, match=r"S2 needs at least 2 units with values \(row 2022\); got 1 \(太原市\)"
    ):
        primacy_index(df, "S2")


def test_eleven_city_index_by_hand():
    vals = {
        f"c{i}": float(v)
        for i, v in enumerate([100, 40, 30, 20, 10, 10, 10, 10, 10, 10, 10, 999_999][:11])
    }
    rest = 40 + 30 + 20 + 10 * 7
    assert primacy_index(vals, "S11") == pytest.approx(2 * 100 / rest)


@settings(max_examples=60, deadline=None)
@given(v=st.floats(0.1, 1e6), n=st.integers(11, 15))
def test_equal_cities(v, n):
    vals = {f"c{i}": v for i in range(n)}
    assert primacy_index(vals, "S2") == pytest.approx(1.0)
    assert primacy_index(vals, "S4") == pytest.approx(1 / 3)
    assert primacy_index(vals, "S11") == pytest.approx(2 / 10)


@settings(max_examples=60, deadline=None)
@given(vals=st.lists(st.floats(0.1, 1e6), min_size=4, max_size=12))
def test_indices_at_least_their_equal_city_value_and_order_free(vals):
    d = {f"c{i}": v for i, v in enumerate(vals)}
    rev = dict(reversed(list(d.items())))
    assert primacy_index(d, "S2") >= 1 - 1e-12
    assert primacy_index(d, "S4") >= 1 / 3 - 1e-12
    assert primacy_index(rev, "S4") == pytest.approx(primacy_index(d, "S4"))


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda: primacy_index({"a": 1, "b": 2}, "S3"),
            r"argument index must be one of \('S2', 'S4', 'S11'\)",
        ),
        (lambda: primacy_index({"a": 1, "b": -2}), r"must be finite and non-negative; b is -2"),
        (lambda: primacy_index({"a": 1, "b": "x"}), r"primacy_index: values must be numeric"),
        (
            lambda: primacy_index({"a": 1, "b": 0}),
            r"S2 is undefined: the units after the first are all 0",
        ),
        (lambda: primacy_index([1, 2]), r"argument values must be a Series .* got list"),
        (lambda: primacy_share({"a": 1}, 0), r"argument total must be a positive number"),
        (
            lambda: primacy_index(pd.Series([5.0, 3.0, 2.0], index=["a", "b", "a"])),
            r"primacy_index: values name unit a twice",
        ),
        (lambda: primacy_share({"a": 5}, 3), r"the unit's value 5.0 exceeds the total 3.0"),
        (lambda: primacy_share({"a": 5}, 30, unit="b"), r"unit 'b' has no value"),
    ],
)
def test_bad_input(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()
