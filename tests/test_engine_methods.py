"""Each method on 3-5 values computed by hand, through the public pipeline (build + Spec)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lantu.engine import (
    ComputationError,
    IndexData,
    Spec,
    SpecError,
    ahp_weights,
    build,
    effective_weights,
    kurt2,
    rank_min,
    skew2,
)
from lantu.engine.methods.treat import winsorise_column

NAN = np.nan


def small(values: dict[str, list[float]], directions: dict[str, int] | None = None,
          parents: dict[str, str] | None = None, weights: dict[str, float] | None = None,
          groups: dict[str, list[str]] | None = None, dens: dict[str, list[float]] | None = None,
          targets: dict[str, float] | None = None) -> IndexData:
    """Units U1..Un, indicators as given, one pillar P per default and an index I."""
    codes = list(values)
    n = len(next(iter(values.values())))
    units = [f"U{i + 1}" for i in range(n)]
    parents = parents or {c: "P" for c in codes}
    pillars = sorted(set(parents.values()))
    rows = [{"code": c, "parent": parents[c], "level": 1, "direction": (directions or {}).get(c, 1),
             "weight": (weights or {}).get(c, 1.0), "target": (targets or {}).get(c)} for c in codes]
    rows += [{"code": p, "parent": "I", "level": 2, "weight": (weights or {}).get(p, 1.0)} for p in pillars]
    rows += [{"code": "I", "parent": None, "level": 3}]
    return IndexData.from_frames(
        pd.DataFrame(values, index=units), pd.DataFrame(rows),
        groups=pd.DataFrame(groups, index=units) if groups else None,
        denominators=pd.DataFrame(dens, index=units) if dens else None,
    )


def run(data: IndexData, *steps: dict):
    return build(data, Spec(list(steps)))


def last(coin) -> pd.DataFrame:
    return coin.dset(coin.dset_names[-1]).set_index("uCode")


# ------------------------------------------------------------------ denominate


def test_denominate_with_scale_and_missing():
    d = small({"a": [10.0, 20.0, NAN], "b": [1.0, 2.0, 3.0]}, dens={"pop": [2.0, 0.0, 5.0]})
    c = run(d, {"step": "denominate", "method": "divide", "params": {"by": {"a": "pop"}, "scale": 100}})
    out = last(c)
    assert out["a"].tolist()[0] == 500.0
    assert math.isnan(out.loc["U2", "a"])  # division by zero -> missing
    assert math.isnan(out.loc["U3", "a"])  # missing numerator
    assert out["b"].tolist() == [1.0, 2.0, 3.0]


def test_denominate_unknown_column_is_a_spec_error():
    d = small({"a": [1.0, 2.0, 3.0]}, dens={"pop": [1.0, 1.0, 1.0]})
    with pytest.raises(SpecError, match=r"step 'denominate', field 'params.by.a': no denominator column 'area'"):
        run(d, {"step": "denominate", "method": "divide", "params": {"by": {"a": "area"}}})


# ------------------------------------------------------------------ screen


def test_screen_by_na_and_zeros_reports_reasons():
    d = small({"a": [1.0, NAN, 0.0, 4.0], "b": [1.0, NAN, 0.0, 0.0], "c": [1.0, 3.0, 0.0, 2.0]})
    c = run(d, {"step": "screen", "method": "both", "params": {"dat_thresh": 0.5, "nonzero_thresh": 0.5}})
    rep = c.report("screen")
    t = rep["table"].set_index("uCode")
    assert t.loc["U2", "Dat_Avail"] == pytest.approx(1 / 3)
    assert t.loc["U3", "Frc_nonzero"] == 0.0
    assert t.loc["U4", "Frc_nonzero"] == pytest.approx(2 / 3)
    assert {r["uCode"]: r["Reason"] for r in rep["dropped"]} == {
        "U2": "data availability < 0.5", "U3": "share of non-zero values < 0.5"}
    assert last(c).index.tolist() == ["U1", "U4"]


# ------------------------------------------------------------------ impute


def test_impute_mean_median_and_flags():
    d = small({"a": [1.0, 2.0, NAN, 9.0], "b": [NAN, 1.0, 1.0, 1.0]})
    c = run(d, {"step": "impute", "method": "mean"})
    out = last(c)
    assert out.loc["U3", "a"] == 4.0 and out.loc["U1", "b"] == 1.0
    rep = c.report("impute")
    assert rep["n_imputed"] == 2 and rep["imputed"].sum() == 2
    assert {(x["uCode"], x["iCode"]) for x in rep["cells"]} == {("U3", "a"), ("U1", "b")}
    c2 = run(d, {"step": "impute", "method": "median"})
    assert last(c2).loc["U3", "a"] == 2.0


def test_impute_group_mean_and_median():
    d = small({"a": [1.0, 3.0, NAN, 10.0, 20.0, NAN, 60.0]},
              groups={"g": ["x", "x", "x", "y", "y", "y", "y"]})
    m = last(run(d, {"step": "impute", "method": "i_mean_grp", "params": {"group": "g"}}))
    assert m.loc["U3", "a"] == 2.0 and m.loc["U6", "a"] == 30.0
    md = last(run(d, {"step": "impute", "method": "median_grp", "params": {"group": "g"}}))
    assert md.loc["U6", "a"] == 20.0


def test_impute_group_all_missing_stays_missing():
    d = small({"a": [NAN, NAN, 5.0]}, groups={"g": ["x", "x", "y"]})
    out = last(run(d, {"step": "impute", "method": "mean_grp", "params": {"group": "g"}}))
    assert out["a"].isna().tolist() == [True, True, False]


def test_impute_row_mean_within_pillar():
    d = small({"a": [0.0, 10.0, 5.0], "b": [0.0, 10.0, NAN], "c": [100.0, 0.0, 50.0]},
              parents={"a": "P", "b": "P", "c": "Q"})
    out = last(run(d, {"step": "impute", "method": "row_mean", "params": {"level": 2, "normalise_first": False}}))
    assert out.loc["U3", "b"] == 5.0  # mean of U3's other indicator in P, not c
    out2 = last(run(d, {"step": "impute", "method": "row_mean"}))
    # normalised: a of U3 = 50 on [0, 100]; back on b's scale [0, 10] -> 5
    assert out2.loc["U3", "b"] == pytest.approx(5.0)


def test_impute_panel_latest_and_linear():
    idata = pd.DataFrame({
        "uCode": ["A", "A", "A", "B", "B", "B"], "Time": [2020, 2021, 2022] * 2,
        "x": [1.0, 2.0, NAN, 4.0, NAN, 8.0], "y": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    })
    imeta = pd.DataFrame({"iCode": ["x", "y", "I"], "Parent": ["I", "I", None], "Level": [1, 1, 2],
                          "Type": ["Indicator", "Indicator", "Aggregate"]})
    from lantu.engine import load_coinr

    d = load_coinr(idata, imeta)
    assert d.time == 2022 and d.units == ("A", "B")
    out = last(run(d, {"step": "impute", "method": "latest"}))
    assert out.loc["A", "x"] == 2.0
    d21 = load_coinr(idata, imeta, time=2021)
    lin = last(run(d21, {"step": "impute", "method": "linear"}))
    assert lin.loc["B", "x"] == 6.0
    latest = last(run(d21, {"step": "impute", "method": "latest", "params": {"max_time": 1}}))
    assert latest.loc["B", "x"] == 4.0


def test_impute_linear_window_and_no_extrapolation_report_the_periods_used():
    from lantu.engine import load_coinr

    idata = pd.DataFrame({
        "uCode": ["A"] * 6 + ["B"] * 6, "Time": list(range(2019, 2025)) * 2,
        "x": [1.0, NAN, NAN, NAN, NAN, 6.0, 2.0, 3.0, NAN, NAN, NAN, NAN],
        "y": [1.0] * 12,
    })
    imeta = pd.DataFrame({"iCode": ["x", "y", "I"], "Parent": ["I", "I", None], "Level": [1, 1, 2],
                          "Type": ["Indicator", "Indicator", "Aggregate"]})
    d = load_coinr(idata, imeta, time=2022)
    c = run(d, {"step": "impute", "method": "linear", "params": {"extrapolate": False}})
    out = last(c)
    assert out.loc["A", "x"] == 4.0          # between 2019 (1) and 2024 (6)
    assert np.isnan(out.loc["B", "x"])       # nothing after 2022: not extrapolated
    assert c.report("impute")["cells"] == [{"uCode": "A", "iCode": "x", "value": 4.0,
                                            "Time": [2019, 2024]}]
    narrow = last(run(d, {"step": "impute", "method": "linear",
                          "params": {"extrapolate": False, "max_time": 2}}))
    assert np.isnan(narrow.loc["A", "x"])    # 2019 is three periods away
    lat = run(d, {"step": "impute", "method": "latest", "params": {"max_time": 2}})
    assert last(lat).loc["B", "x"] == 3.0
    assert lat.report("impute")["cells"][0]["Time"] == [2020]


def test_panel_method_without_panel_is_a_spec_error():
    d = small({"a": [1.0, NAN, 3.0]})
    with pytest.raises(SpecError, match=r"step 'impute', field 'method': panel imputation needs panel data"):
        run(d, {"step": "impute", "method": "linear"})


# ------------------------------------------------------------------ statistics and treatment


def test_skew_kurt_type2_match_pandas():
    x = np.array([1.0, 2.0, 2.0, 3.0, 9.0, NAN])
    s = pd.Series(x)
    assert skew2(x) == pytest.approx(s.skew(), rel=1e-12)
    assert kurt2(x) == pytest.approx(s.kurt(), rel=1e-12)
    assert math.isnan(skew2(np.array([1.0, 2.0]))) and math.isnan(kurt2(np.array([1.0, 2.0, 3.0])))


def test_winsorise_one_point_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0])
    y, info = winsorise_column(x, winmax=5, skew_thresh=2, kurt_thresh=3.5)
    assert info["status"] == "winsorised" and info["n_high"] == 1 and info["high"] == [9]
    assert y[9] == 9.0 and (y[:9] == x[:9]).all()


def test_winsorise_ties_count_jumps_past_winmax():
    # two tied maxima are moved together: the count jumps from 0 to 2 although winmax is 1
    x = np.array([1.0] * 8 + [2.0, 3.0, 50.0, 50.0] + [1.5] * 8)
    y, info = winsorise_column(x, winmax=1, skew_thresh=2, kurt_thresh=3.5)
    assert info["n_high"] == 2 and info["high"] == [10, 11]


def test_winsorise_falls_back_to_log_of_original():
    x = np.array([1.0] * 15 + [100.0, 200.0, 400.0, 800.0, 1600.0])
    y, info = winsorise_column(x, winmax=1, skew_thresh=2, kurt_thresh=3.5)
    assert info["status"] == "logged"
    np.testing.assert_allclose(y, np.log(x - 1.0 + 0.01 * 1599.0))


def test_treat_pass_test_is_an_or():
    # skewed (|skew| >= 2) but kurtosis below the threshold passes untouched
    a = [float(i) for i in range(1, 14)] + [100.0]
    assert skew2(np.array(a)) > 2 and kurt2(np.array(a)) < 100
    d = small({"a": a, "b": [float(i) for i in range(14)]})
    c = run(d, {"step": "treat", "method": "winsorise", "params": {"kurt_thresh": 100}})
    assert c.report("treat")["treated"] == []
    c2 = run(d, {"step": "treat", "method": "winsorise"})
    assert c2.report("treat")["treated"] == ["a"]
    assert last(c2).loc["U14", "a"] == 13.0
    assert c2.report("treat")["table"].set_index("iCode").loc["a", "points"] == ["U14"]


# ------------------------------------------------------------------ normalise


DIRS = {"a": 1, "b": -1}
VALS = {"a": [1.0, 2.0, 4.0, NAN], "b": [1.0, 2.0, 4.0, 3.0]}


def norm(method: str, params: dict | None = None, **kw) -> pd.DataFrame:
    d = small(VALS, directions=DIRS, **kw)
    return last(run(d, {"step": "normalise", "method": method, "params": params or {}}))


def test_minmax_by_hand_with_direction():
    y = norm("minmax", {"l_u": [0, 10]})
    np.testing.assert_allclose(y["a"], [0.0, 10 / 3, 10.0, NAN], rtol=1e-15)
    np.testing.assert_allclose(y["b"], [10.0, 10 * 2 / 3, 0.0, 10 / 3], rtol=1e-15)


def test_zscore_sample_sd():
    y = norm("zscore", {"m_sd": [10, 2]})
    a = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(y["a"].to_numpy()[:3], (a - a.mean()) / a.std(ddof=1) * 2 + 10)


def test_scaled_fracmax_dist2max():
    assert norm("scaled", {"npara": [0, 4]})["a"].tolist()[:3] == [25.0, 50.0, 100.0]
    assert norm("fracmax")["a"].tolist()[:3] == [0.25, 0.5, 1.0]
    # direction -1: (-x) / max(-x) = x / min(x), as COINr (fracmax suits positive indicators)
    assert norm("fracmax")["b"].tolist() == [1.0, 2.0, 4.0, 3.0]
    np.testing.assert_allclose(norm("dist2max")["a"], [0.0, 1 / 3, 1.0, NAN], rtol=1e-15)


def test_dist2ref_and_dist2targ():
    y = norm("dist2ref", {"ref": "U2", "cap_max": True})
    assert y["a"].tolist()[:3] == [0.0, 1.0, 1.0]
    t = norm("dist2targ", {"targets": {"a": 3.0, "b": 1.5}})
    assert t["a"].tolist()[:3] == [0.0, 0.5, 1.5]
    # b: direction -1, x = -b, target -1.5, min = -4: 1 - (-1.5 - x)/(-1.5 + 4)
    np.testing.assert_allclose(t["b"], [1 - (-1.5 + 1) / 2.5, 1 - (-1.5 + 2) / 2.5, 0.0, 1 - (-1.5 + 3) / 2.5])


def test_dist2targ_uses_imeta_targets_and_names_missing_ones():
    y = norm("dist2targ", {"cap_max": True}, targets={"a": 2.0, "b": 2.0})
    assert y["a"].tolist()[:3] == [0.0, 1.0, 1.0]
    with pytest.raises(SpecError, match=r"field 'params.targets': no target for indicator\(s\) a, b"):
        norm("dist2targ")


def test_goalposts_both_directions():
    y = norm("goalposts", {"lower": {"a": 0, "b": 0}, "upper": {"a": 2, "b": 4}, "scale": 100})
    assert y["a"].tolist()[:3] == [50.0, 100.0, 100.0]
    assert y["b"].tolist() == [75.0, 50.0, 0.0, 25.0]  # (u - x)/(u - l)


def test_rank_prank_borda_min_ties():
    d = small({"a": [3.0, 1.0, 3.0, 2.0]}, directions={"a": -1})
    r = last(run(d, {"step": "normalise", "method": "rank"}))["a"].tolist()
    assert r == [1.0, 4.0, 1.0, 3.0]
    p = last(run(d, {"step": "normalise", "method": "prank"}))["a"].tolist()
    assert p == [0.0, 1.0, 0.0, 2 / 3]
    b = last(run(d, {"step": "normalise", "method": "borda"}))["a"].tolist()
    assert b == [0.0, 3.0, 0.0, 2.0]


def test_rank_min_descending():
    np.testing.assert_array_equal(rank_min(np.array([5.0, NAN, 5.0, 7.0]), descending=True), [2, NAN, 2, 1])


# ------------------------------------------------------------------ aggregate


def agg(method: str, values, weights=None, params=None):
    d = small(values, weights=weights)
    c = run(d, {"step": "aggregate", "method": method, "params": params or {}})
    return last(c)


def test_amean_drops_missing_weights():
    y = agg("amean", {"a": [1.0, 2.0], "b": [3.0, NAN], "c": [5.0, 4.0]}, weights={"a": 1, "b": 2, "c": 1})
    assert y["P"].tolist() == [(1 + 6 + 5) / 4, (2 + 4) / 2]


def test_gmean_hmean_pmean_by_hand():
    v = {"a": [1.0, 2.0], "b": [4.0, 8.0]}
    w = {"a": 1, "b": 3}
    assert agg("gmean", v, w)["P"].tolist() == pytest.approx([4 ** 0.75, 2 * 4 ** 0.75])
    assert agg("hmean", v, w)["P"].tolist() == pytest.approx([4 / (1 + 3 / 4), 4 / (1 / 2 + 3 / 8)])
    assert agg("pmean", v, w, {"p": 2})["P"].tolist() == pytest.approx(
        [math.sqrt((1 + 3 * 16) / 4), math.sqrt((4 + 3 * 64) / 4)])


def test_gmean_zero_names_unit_and_indicator():
    with pytest.raises(ComputationError, match=r"unit 'U2', indicator 'b' is 0"):
        agg("gmean", {"a": [1.0, 2.0], "b": [4.0, 0.0]})


def test_wmedian_by_hand():
    y = agg("wmedian", {"a": [1.0, 1.0], "b": [2.0, 2.0], "c": [10.0, 10.0], "d": [20.0, NAN]},
            weights={"a": 1, "b": 1, "c": 1, "d": 1})
    assert y["P"].tolist() == [6.0, 2.0]
    y2 = agg("wmedian", {"a": [1.0], "b": [2.0], "c": [10.0]}, weights={"a": 1, "b": 1, "c": 3})
    assert y2["P"].tolist() == [10.0]


def test_copeland_by_hand():
    # U1 beats U2 on a and b; U3 beats both on c only; equal weights
    y = agg("copeland", {"a": [3.0, 2.0, 1.0], "b": [3.0, 2.0, 1.0], "c": [1.0, 2.0, 3.0]})
    # P(U1,U2)=2/3 win, P(U1,U3)=2/3 win, P(U2,U3)=2/3 win
    assert y["P"].tolist() == [2.0, 0.0, -2.0]


def test_topsis_aggregation_matches_mcda():
    from lantu.engine.mcda import topsis

    v = {"a": [1.0, 2.0, 5.0], "b": [3.0, 1.0, 2.0]}
    y = agg("topsis", v)
    np.testing.assert_allclose(y["P"], topsis(np.array([v["a"], v["b"]]).T, [0.5, 0.5]), rtol=1e-14)


def test_by_level_and_dat_thresh():
    v = {"a": [1.0, 4.0], "b": [4.0, NAN], "c": [9.0, 9.0]}
    d = small(v, parents={"a": "P", "b": "P", "c": "Q"})
    c = run(d, {"step": "aggregate", "method": "amean",
                "params": {"by_level": {3: {"method": "gmean"}}, "dat_thresh": {2: 0.75}}})
    y = last(c)
    assert y.loc["U1", "P"] == 2.5 and math.isnan(y.loc["U2", "P"])
    assert y.loc["U1", "I"] == pytest.approx(math.sqrt(2.5 * 9))
    assert y.loc["U2", "I"] == pytest.approx(9.0, rel=1e-15)  # P missing: its weight dropped
    assert c.log_[0].report["methods"] == {2: "amean", 3: "gmean"}


# ------------------------------------------------------------------ weights


def test_manual_equal_and_effective_weights():
    d = small({"a": [1.0, 3.0], "b": [3.0, 5.0], "c": [5.0, 7.0]},
              parents={"a": "P", "b": "P", "c": "Q"})
    c = run(d, {"step": "weight", "method": "manual", "params": {"weights": {"a": 3, "Q": 2}}},
            {"step": "aggregate", "method": "amean"})
    y = last(c)
    assert y.loc["U1", "P"] == (3 * 1 + 3) / 4
    assert y.loc["U1", "I"] == (1.5 + 2 * 5) / 3
    ew = c.effective_weights()
    assert ew["a"] == pytest.approx(1 / 3 * 3 / 4) and ew["c"] == pytest.approx(2 / 3)
    assert ew[["a", "b", "c"]].sum() == pytest.approx(1.0)
    # the effective weights reproduce the index for a linear (arithmetic) aggregation
    assert (ew[["a", "b", "c"]] * y.loc["U1", ["a", "b", "c"]]).sum() == pytest.approx(y.loc["U1", "I"])
    c2 = c.regen(Spec([{"step": "weight", "method": "manual", "params": {"weights": {"a": 3, "Q": 2}}},
                       {"name": "eq", "step": "weight", "method": "equal"},
                       {"step": "aggregate", "method": "amean"}]))
    assert last(c2).loc["U1", "I"] == pytest.approx((2 + 5) / 2)


def test_effective_weights_function():
    d = small({"a": [1.0], "b": [1.0]}, weights={"a": 1, "b": 3})
    ew = effective_weights(d.tree, d.tree.weights)
    assert ew.to_dict() == {"a": 0.25, "b": 0.75, "P": 1.0, "I": 1.0}


def test_ahp_by_hand_and_consistency():
    A = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    w, lam, cr = ahp_weights(A)
    np.testing.assert_allclose(w, [4 / 7, 2 / 7, 1 / 7])
    assert lam == pytest.approx(3.0) and cr == pytest.approx(0.0, abs=1e-12)
    d = small({"a": [1.0, 2.0], "b": [2.0, 1.0], "c": [1.0, 1.0]})
    c = run(d, {"step": "weight", "method": "ahp", "params": {"matrices": {"P": A.tolist()}}},
            {"step": "aggregate", "method": "amean"})
    assert last(c).loc["U1", "P"] == pytest.approx((4 + 4 + 1) / 7)
    assert c.report("weight")["P"]["CR"] == pytest.approx(0.0, abs=1e-12)


def test_ahp_inconsistent_is_an_error_unless_allowed():
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    d = small({"a": [1.0, 2.0], "b": [2.0, 1.0], "c": [1.0, 1.0]})
    with pytest.raises(SpecError, match=r"field 'params.matrices.P': consistency ratio .* > 0.1"):
        run(d, {"step": "weight", "method": "ahp", "params": {"matrices": {"P": bad}}})
    c = run(d, {"step": "weight", "method": "ahp",
                "params": {"matrices": {"P": bad}, "allow_inconsistent": True}})
    assert c.report("weight")["P"]["CR"] > 0.1
    with pytest.raises(SpecError, match=r"must be reciprocal"):
        run(d, {"step": "weight", "method": "ahp", "params": {"matrices": {"P": [[1, 2, 1], [2, 1, 1], [1, 1, 1]]}}})


def test_pca_weights_are_pc1_of_the_correlation_matrix():
    rng = np.random.default_rng(3)
    z = rng.normal(size=30)
    v = {"a": (z + rng.normal(size=30) * 0.1).tolist(), "b": (z + rng.normal(size=30)).tolist(),
         "c": (-z + rng.normal(size=30) * 0.5).tolist()}
    d = small(v)
    c = run(d, {"step": "weight", "method": "pca", "params": {"level": 1}})
    w = np.array(list(c.report("weight")["P"]["weights"].values()))
    evals, evecs = np.linalg.eigh(np.corrcoef(np.array([v["a"], v["b"], v["c"]])))
    pc1 = evecs[:, -1]
    np.testing.assert_allclose(np.abs(w), np.abs(pc1), rtol=1e-10)
    assert np.sum(w * w) == pytest.approx(1.0)
    cpos = run(d, {"step": "weight", "method": "pca", "params": {"level": 1, "sign": "positive"}})
    assert sum(cpos.report("weight")["P"]["weights"].values()) > 0


def test_entropy_and_critic_weights_per_group():
    from lantu.engine.mcda import critic_weights, entropy_weights

    v = {"a": [1.0, 2.0, 3.0, 10.0], "b": [5.0, 5.5, 6.0, 5.0], "c": [2.0, 1.0, 4.0, 3.0]}
    d = small(v)
    X = np.array([v["a"], v["b"], v["c"]]).T
    ce = run(d, {"step": "weight", "method": "entropy"})
    np.testing.assert_allclose(list(ce.report("weight")["P"]["weights"].values()), entropy_weights(X))
    cc = run(d, {"step": "weight", "method": "critic"})
    np.testing.assert_allclose(list(cc.report("weight")["P"]["weights"].values()), critic_weights(X))


def test_data_driven_weights_share_one_loop_over_the_groups():
    """PCA, entropy and CRITIC weigh each group of siblings in one loop: a row missing a value
    of the group is left out alike and every report says how many rows were used (PCA's did
    not); the group's weights stand in the report as the step's weights."""
    v = {"a": [1.0, 2.0, 3.0, 10.0, np.nan], "b": [5.0, 5.5, 6.0, 5.0, 1.0],
         "c": [2.0, 1.0, 4.0, 3.0, 2.0]}
    d = small(v)
    for method, extra in (("pca", {"var_share"}), ("entropy", set()), ("critic", set())):
        c = run(d, {"step": "weight", "method": method})
        rep = c.report("weight")["P"]
        assert set(rep) == {"weights", "rows_used"} | extra, method
        assert rep["rows_used"] == 4, method  # U5 lacks a
        complete = run(small({k: x[:4] for k, x in v.items()}), {"step": "weight", "method": method})
        assert rep["weights"] == complete.report("weight")["P"]["weights"], method


def test_deep_tree_aggregates_level_by_level():
    # a - A1 - A2 - A3 - Root (5 levels), b directly under a sibling chain of the same depth
    rows = [
        {"code": "a", "parent": "A1"}, {"code": "b", "parent": "B1"}, {"code": "c", "parent": "B1"},
        {"code": "A1", "parent": "A2"}, {"code": "B1", "parent": "B2"},
        {"code": "A2", "parent": "A3"}, {"code": "B2", "parent": "A3", "weight": 3},
        {"code": "A3", "parent": None},
    ]
    d = IndexData.from_frames(pd.DataFrame({"a": [4.0], "b": [1.0], "c": [3.0]}, index=["U"]),
                              pd.DataFrame(rows))
    assert d.tree.max_level == 4 and d.tree.root == "A3"
    c = run(d, {"step": "aggregate", "method": "amean"})
    y = last(c)
    assert list(y.columns) == ["a", "b", "c", "A1", "B1", "A2", "B2", "A3"]
    assert y.loc["U", "B2"] == 2.0 and y.loc["U", "A3"] == (4.0 + 3 * 2.0) / 4


def test_group_imputation_leaves_units_without_group_alone():
    d = small({"a": [1.0, NAN, NAN, 3.0]}, groups={"g": ["x", "x", None, "x"]})
    out = last(run(d, {"step": "impute", "method": "mean_grp", "params": {"group": "g"}}))
    assert out.loc["U2", "a"] == 2.0 and math.isnan(out.loc["U3", "a"])


def test_panel_imputation_refuses_transformed_data():
    idata = pd.DataFrame({"uCode": ["A", "A", "B", "B"], "Time": [2020, 2021] * 2,
                          "x": [1.0, NAN, 4.0, 5.0], "y": [1.0, 2.0, 3.0, 4.0]})
    imeta = pd.DataFrame({"iCode": ["x", "y", "I"], "Parent": ["I", "I", None],
                          "Type": ["Indicator", "Indicator", "Aggregate"]})
    from lantu.engine import load_coinr

    d = load_coinr(idata, imeta)
    with pytest.raises(SpecError, match=r"step 'impute', field 'dset_in': panel imputation needs a data set in the units"):
        Spec([{"step": "normalise", "method": "minmax"}, {"step": "impute", "method": "latest"}])
    ok = run(d, {"step": "screen", "method": "byNA", "params": {"dat_thresh": 0.1}},
             {"step": "impute", "method": "latest"})
    assert last(ok).loc["A", "x"] == 1.0


def test_topsis_with_negative_weights_is_a_computation_error():
    d = small({"a": [1.0, 2.0], "b": [2.0, 1.0]}, weights={"a": 1, "b": -2})
    with pytest.raises(ComputationError, match=r"step 'aggregate': TOPSIS at level 2"):
        run(d, {"step": "aggregate", "method": "topsis"})


def test_normalise_by_indicator_overrides():
    d = small(VALS, directions=DIRS)
    c = run(d, {"step": "normalise", "method": "minmax", "params": {
        "l_u": [0, 10],
        "by_indicator": {"b": {"method": "goalposts",
                               "params": {"lower": {"b": 0}, "upper": {"b": 4}, "scale": 1}}}}})
    y = last(c)
    np.testing.assert_allclose(y["a"], [0.0, 10 / 3, 10.0, NAN], rtol=1e-15)
    assert y["b"].tolist() == [0.75, 0.5, 0.0, 0.25]
    s = Spec([{"step": "normalise", "method": "minmax", "params": {"by_indicator": {"b": "rank"}}}])
    s.set("normalise.method", "zscore")  # the override survives a change of the main method
    assert s.get("normalise.by_indicator") == {"b": "rank"}
    with pytest.raises(SpecError, match=r"field 'params.by_indicator.b.method': unknown normalise method 'nope'"):
        Spec([{"step": "normalise", "method": "minmax", "params": {"by_indicator": {"b": "nope"}}}])
    with pytest.raises(SpecError, match=r"field 'params.by_indicator.zz': not an indicator code"):
        run(d, {"step": "normalise", "method": "minmax", "params": {"by_indicator": {"zz": "rank"}}})


def test_screening_out_everyone_is_a_clear_error():
    d = small({"a": [NAN, NAN], "b": [1.0, NAN]})
    with pytest.raises(ComputationError, match=r"step 'screen': every unit was screened out"):
        run(d, {"step": "screen", "method": "byNA", "params": {"dat_thresh": 1.0}})


def test_ahp_order_must_list_the_children():
    A = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    d = small({"a": [1.0, 2.0], "b": [2.0, 1.0], "c": [1.0, 1.0]})
    c = run(d, {"step": "weight", "method": "ahp", "params": {"matrices": {"P": A}, "order": {"P": ["c", "b", "a"]}}})
    assert c.report("weight")["P"]["weights"] == pytest.approx({"c": 4 / 7, "b": 2 / 7, "a": 1 / 7})
    for bad in ("abc", ["a", "b"]):
        with pytest.raises(SpecError, match=r"field 'params.order.P': must list the children of 'P'"):
            run(d, {"step": "weight", "method": "ahp", "params": {"matrices": {"P": A}, "order": {"P": bad}}})


def test_zscore_10_2_with_geometric_mean_works_on_asem():
    from pathlib import Path

    from lantu.engine import load_coinr

    ex = Path(__file__).resolve().parents[1] / "examples" / "asem"
    data = load_coinr(ex / "iData.csv", ex / "iMeta.csv")
    s = Spec.load(ex / "zscore.yaml").set("aggregate.method", "gmean")
    c = build(data, s)
    assert c.dset("Normalised").iloc[:, 1:].min().min() > 0
    assert c.results()["Index"].notna().all()
