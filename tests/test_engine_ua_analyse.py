"""Indicator analysis (lantu.engine.analyse): formulas recomputed by hand on 3–5 values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantu.engine import analyse as an

# --------------------------------------------------------------------------- moments


def _skew_by_hand(x):
    n = len(x)
    m = sum(x) / n
    s2 = sum((v - m) ** 2 for v in x)
    s3 = sum((v - m) ** 3 for v in x)
    return math.sqrt(n) * s3 / s2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)


def _kurt_by_hand(x):
    n = len(x)
    m = sum(x) / n
    s2 = sum((v - m) ** 2 for v in x)
    s4 = sum((v - m) ** 4 for v in x)
    r = n * s4 / s2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def test_skew_and_kurtosis_type2_match_the_reference_formulas():
    x = [1.0, 2.0, 4.0, 10.0, 3.0]
    assert an.skew2(x) == pytest.approx(_skew_by_hand(x), rel=1e-12)
    assert an.kurtosis2(x) == pytest.approx(_kurt_by_hand(x), rel=1e-12)
    # [1, 2, 10]: mean 13/3, Σd² = 146/3, Σd³ = 3570/27
    assert an.skew2([1.0, 2.0, 10.0]) == pytest.approx(
        math.sqrt(3) * (3570 / 27) / (146 / 3) ** 1.5 * math.sqrt(6), rel=1e-12)


def test_moments_agree_with_scipy_bias_corrected():
    from scipy import stats

    x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0]
    assert an.skew2(x) == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
    assert an.kurtosis2(x) == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-12)
    assert math.isnan(an.skew2([2.0, 2.0, 2.0])) and math.isnan(an.kurtosis2([1.0] * 5))


def test_moments_ignore_missing_and_need_enough_values():
    assert an.skew2([1.0, np.nan, 2.0, 10.0]) == pytest.approx(an.skew2([1.0, 2.0, 10.0]))
    assert math.isnan(an.skew2([1.0, 2.0]))
    assert math.isnan(an.kurtosis2([1.0, 2.0, 3.0]))


# --------------------------------------------------------------------------- stats


def test_indicator_stats_on_a_hand_example():
    df = pd.DataFrame({"a": [0.0, 2.0, np.nan, -1.0, 100.0], "b": [1.0, 1.0, 1.0, 2.0, 3.0]})
    s = an.indicator_stats(df, availability_thresh=0.9)
    a = s.loc["a"]
    assert a["n"] == 4 and a["availability"] == 0.8 and bool(a["flag_availability"])
    assert a["mean"] == pytest.approx(101 / 4)
    assert a["sd"] == pytest.approx(np.std([0, 2, -1, 100], ddof=1))
    assert (a["min"], a["max"]) == (-1.0, 100.0)
    assert a["frac_zero"] == 0.25 and a["frac_negative"] == 0.25 and a["frac_unique"] == 1.0
    # quartiles type 7 of (-1, 0, 2, 100): q25 = -0.25, q75 = 26.5, fences -40.375 / 66.625
    assert (a["q25"], a["median"], a["q75"]) == (-0.25, 1.0, 26.5)
    assert a["n_outliers"] == 1
    b = s.loc["b"]
    assert b["frac_unique"] == pytest.approx(3 / 5) and not bool(b["flag_availability"])


def test_skew_kurt_flag_uses_the_treatment_test():
    heavy = pd.DataFrame({"x": [1.0] * 19 + [100.0]})
    mild = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert bool(an.indicator_stats(heavy).loc["x", "flag_skew_kurt"])
    assert not bool(an.indicator_stats(mild).loc["x", "flag_skew_kurt"])


def test_outlier_flags_never_flag_missing_and_reject_bad_factor():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan, 50.0]})
    flags = an.outlier_flags(df)
    assert flags["a"].tolist() == [False, False, False, False, True]
    with pytest.raises(ValueError, match="factor"):
        an.outlier_flags(df, factor=0)


def test_non_numeric_column_is_named():
    with pytest.raises(ValueError, match="indicator_stats: column 'name'"):
        an.indicator_stats(pd.DataFrame({"name": ["a", "b"], "x": [1.0, 2.0]}))


# --------------------------------------------------------------------------- correlations


def test_correlation_flags_within_parent_only():
    df = pd.DataFrame({
        "a": [1.0, 2, 3, 4, 5],
        "b": [1.1, 2.0, 3.2, 3.9, 5.1],   # collinear with a
        "c": [5.0, 4, 3, 2, 1],           # negative with a and b
        "d": [1.0, 2, 3, 4, 5],           # other parent: never paired with a
    })
    t = an.correlation_flags(df, {"a": "P", "b": "P", "c": "P", "d": "Q"})
    assert len(t) == 3 and set(t["parent"]) == {"P"}
    ab = t[(t.ind1 == "a") & (t.ind2 == "b")].iloc[0]
    assert ab["flag_collinear"] and not ab["flag_negative"] and not ab["flag_insignificant"]
    ac = t[(t.ind1 == "a") & (t.ind2 == "c")].iloc[0]
    assert ac["r"] == pytest.approx(-1.0) and ac["flag_negative"]


def test_correlation_flags_insignificant_and_spearman():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 3, 1, 2]})
    t = an.correlation_flags(df, {"a": "P", "b": "P"}, method="spearman")
    assert t.loc[0, "flag_insignificant"] and t.loc[0, "p"] > 0.05
    assert an.correlations(df, method="spearman").loc["a", "b"] == pytest.approx(
        np.corrcoef([1, 2, 3, 4, 5], [3.5, 1.5, 5, 1.5, 3.5])[0, 1])


def test_correlation_bad_arguments_are_named():
    df = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 4]})
    with pytest.raises(ValueError, match="method"):
        an.correlations(df, method="kendall")
    with pytest.raises(ValueError, match="column 'b' has no parent"):
        an.correlation_flags(df, {"a": "P"})


# --------------------------------------------------------------------------- Cronbach, PCA


def test_cronbach_alpha_by_hand():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 9]})
    va, vb, cab = 5 / 3, 26.75 / 3, 11.5 / 3
    expected = 2 * (1 - (va + vb) / (va + vb + 2 * cab))
    assert an.cronbach_alpha(df) == pytest.approx(expected, rel=1e-12)
    by = an.cronbach_by_group(df.assign(c=[1.0, 0, 1, 0]), {"a": "P", "b": "P", "c": "Q"})
    assert by["P"] == pytest.approx(expected) and math.isnan(by["Q"])
    with pytest.raises(ValueError, match="at least 2"):
        an.cronbach_alpha(df[["a"]])


def test_pca_matches_prcomp_definitions():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 7], "b": [2.0, 1, 4, 3, 5], "c": [0.0, 1, 0, 1, 3]})
    r = an.pca(df)
    z = (df - df.mean()) / df.std(ddof=1)
    ev = np.sort(np.linalg.eigvalsh(np.cov(z.T)))[::-1]
    assert r.explained_variance == pytest.approx(ev, rel=1e-10)
    assert r.explained_variance_ratio.sum() == pytest.approx(1.0)
    # loadings are orthonormal and scores = Z · loadings
    lo = r.loadings.to_numpy()
    assert lo.T @ lo == pytest.approx(np.eye(3), abs=1e-12)
    assert r.scores.to_numpy() == pytest.approx(z.to_numpy() @ lo, abs=1e-12)
    with pytest.raises(ValueError, match="column 'k' is constant"):
        an.pca(df.assign(k=1.0))


# --------------------------------------------------------------------------- ranks, LOO


def test_rank_desc_min_ties_and_missing():
    r = an.rank_desc(np.array([[1.0, 3.0, 3.0, np.nan, 0.5]]))
    assert r[0, :3].tolist() == [3.0, 1.0, 1.0] and np.isnan(r[0, 3]) and r[0, 4] == 4.0


def test_leave_one_out_by_hand():
    nominal = pd.Series([4.0, 3.0, 2.0, 1.0], index=list("wxyz"))
    runs = {
        "same": nominal * 2,                                          # no change
        "swap": pd.Series([3.0, 4.0, 2.0, 1.0], index=list("wxyz")),  # w, x swap: 2/4
        "miss": pd.Series([np.nan, 1.0, 2.0, 3.0], index=list("wxyz")),
    }
    t = an.leave_one_out(runs.__getitem__, nominal, list(runs))
    assert t.loc["same", "mean_abs_rank_change"] == 0
    assert t.loc["swap", "mean_abs_rank_change"] == 0.5
    # x: 2→3, y: 3→2, z: 4→1 (w missing, ignored)
    assert t.loc["miss", "mean_abs_rank_change"] == pytest.approx(5 / 3)
    assert t.loc["miss", "max_abs_rank_change"] == 3


# --------------------------------------------------------------------------- properties

_cols = arrays(np.float64, st.integers(4, 12), elements=st.integers(-1000, 1000).map(float))


@settings(max_examples=60, deadline=None)
@given(_cols)
def test_stats_are_invariant_to_shift_and_positive_scale(x):
    df = pd.DataFrame({"x": x})
    base = an.indicator_stats(df).loc["x"]
    moved = an.indicator_stats(df * 4.0 + 8.0).loc["x"]  # exact in binary floating point
    if base["sd"] > 0:
        assert moved["skew"] == pytest.approx(base["skew"], rel=1e-6, abs=1e-6)
        assert moved["kurtosis"] == pytest.approx(base["kurtosis"], rel=1e-6, abs=1e-6)
    assert moved["n_outliers"] == base["n_outliers"]
    assert moved["min"] <= moved["q25"] <= moved["median"] <= moved["q75"] <= moved["max"]


@settings(max_examples=60, deadline=None)
@given(_cols)
def test_cronbach_of_identical_items_is_one(x):
    if np.var(x) <= 1e-9:
        return
    df = pd.DataFrame({"a": x, "b": x, "c": x})
    assert an.cronbach_alpha(df) == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 15), elements=st.integers(-5, 5).map(float)))
def test_ranks_are_a_permutation_with_min_ties(x):
    r = an.rank_desc(x)
    for i in range(len(x)):
        assert r[i] == 1 + np.sum(x > x[i])


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 9)),
              elements=st.sampled_from([0.0, 1.0, 2.0, 2.5, -1.0, np.nan])))
def test_rank_desc_equals_scipy_min_ranks(a):
    from scipy import stats as sps

    from lantu.engine.analyse import rank_desc

    expected = np.where(np.isnan(a), np.nan,
                        sps.rankdata(-a, method="min", axis=-1, nan_policy="omit"))
    np.testing.assert_array_equal(rank_desc(a), expected)
    np.testing.assert_array_equal(rank_desc(a[0]), expected[0])
