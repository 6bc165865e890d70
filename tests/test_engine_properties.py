"""Properties that hold for all inputs (hypothesis)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantu.engine import IndexData, Spec, build, effective_weights, rank_min
from lantu.engine.methods.treat import winsorise_column

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def columns(n_min=3, n_max=12, p=3):
    return st.integers(n_min, n_max).flatmap(
        lambda n: arrays(np.float64, (n, p), elements=finite).filter(
            # columns with a real spread (not a constant up to rounding)
            lambda X: all(X[:, j].std() > 1e-6 * (1 + np.abs(X[:, j]).max()) for j in range(p)))
    )


def data_of(X: np.ndarray, directions=(1, -1, 1), weights=(1.0, 1.0, 1.0)) -> IndexData:
    p = X.shape[1]
    codes = [f"i{j}" for j in range(p)]
    rows = [{"code": c, "parent": "P", "direction": directions[j], "weight": weights[j]}
            for j, c in enumerate(codes)]
    rows.append({"code": "P", "parent": None})
    units = [f"u{i:03d}" for i in range(X.shape[0])]
    return IndexData.from_frames(pd.DataFrame(X, index=units, columns=codes), pd.DataFrame(rows))


def normalised(X, method, params=None, directions=(1, -1, 1)):
    d = data_of(X, directions)
    c = build(d, Spec([{"step": "normalise", "method": method, "params": params or {}}]))
    return c.dsets_["Normalised"].values


@SETTINGS
@given(columns(), st.floats(-50, 50), st.floats(1, 100))
def test_minmax_respects_range_and_direction(X, lo, width):
    Y = normalised(X, "minmax", {"l_u": [lo, lo + width]})
    np.testing.assert_allclose(Y.min(axis=0), lo, atol=1e-9 * max(1, abs(lo)))
    np.testing.assert_allclose(Y.max(axis=0), lo + width, rtol=1e-9)
    for j, d in enumerate((1, -1, 1)):
        # order agrees with direction: a higher raw value never scores lower (d=1) / higher (d=-1)
        o = np.argsort(X[:, j] * d, kind="mergesort")
        assert np.all(np.diff(Y[o, j]) >= -1e-9 * width)


@SETTINGS
@given(columns(), st.floats(-10, 10), st.floats(0.1, 10))
def test_zscore_hits_target_mean_and_sd(X, m, s):
    Y = normalised(X, "zscore", {"m_sd": [m, s]})
    ok = np.isfinite(Y).all(axis=0)
    np.testing.assert_allclose(Y.mean(axis=0)[ok], m, atol=1e-6 * s + 1e-9)
    np.testing.assert_allclose(Y.std(axis=0, ddof=1)[ok], s, rtol=1e-6)


@SETTINGS
@given(columns())
def test_rank_normalisation_is_a_permutation_with_min_ties(X):
    Y = normalised(X, "rank", directions=(1, 1, 1))
    for j in range(X.shape[1]):
        x = X[:, j]
        expected = np.array([1 + np.sum(x < v) for v in x], dtype=float)
        np.testing.assert_array_equal(Y[:, j], expected)


@SETTINGS
@given(arrays(np.float64, st.integers(1, 30), elements=st.one_of(finite, st.just(np.nan))))
def test_rank_min_definition(x):
    r = rank_min(x, descending=True)
    for i, v in enumerate(x):
        if np.isnan(v):
            assert np.isnan(r[i])
        else:
            assert r[i] == 1 + np.sum(x[~np.isnan(x)] > v)


@SETTINGS
@given(st.integers(3, 15).flatmap(lambda n: arrays(np.float64, (n,), elements=st.floats(0.5, 100))),
       st.integers(1, 3), st.sampled_from(["amean", "gmean", "hmean", "wmedian"]))
def test_aggregating_identical_indicators_returns_them(x, k, method):
    X = np.repeat(x[:, None], 3, axis=1)
    d = data_of(X, directions=(1, 1, 1), weights=(1.0, float(k), 2.0))
    c = build(d, Spec([{"step": "aggregate", "method": method}]))
    np.testing.assert_allclose(c.index_scores(), x, rtol=1e-12)


@SETTINGS
@given(arrays(np.float64, (8, 3), elements=st.floats(1, 100)),
       st.lists(st.floats(0.01, 10), min_size=3, max_size=3))
def test_means_lie_between_min_and_max_and_are_ordered(X, w):
    d = data_of(X, directions=(1, 1, 1), weights=tuple(w))
    out = {}
    for m in ("amean", "gmean", "hmean"):
        out[m] = build(d, Spec([{"step": "aggregate", "method": m}])).index_scores()
        assert np.all(out[m] >= X.min(axis=1) - 1e-9) and np.all(out[m] <= X.max(axis=1) + 1e-9)
    assert np.all(out["hmean"] <= out["gmean"] + 1e-9) and np.all(out["gmean"] <= out["amean"] + 1e-9)


@SETTINGS
@given(st.lists(st.floats(0.01, 10), min_size=6, max_size=6))
def test_effective_weights_sum_to_one_per_level(ws):
    rows = [{"code": f"i{j}", "parent": f"P{j % 2}", "weight": ws[j]} for j in range(4)]
    rows += [{"code": "P0", "parent": "I", "weight": ws[4]}, {"code": "P1", "parent": "I", "weight": ws[5]},
             {"code": "I", "parent": None}]
    t = IndexData.from_frames(pd.DataFrame(np.ones((2, 4)), index=["a", "b"],
                                           columns=[f"i{j}" for j in range(4)]), pd.DataFrame(rows)).tree
    ew = effective_weights(t, t.weights)
    assert abs(ew[[f"i{j}" for j in range(4)]].sum() - 1) < 1e-12
    assert abs(ew[["P0", "P1"]].sum() - 1) < 1e-12


@SETTINGS
@given(arrays(np.float64, st.integers(5, 40), elements=st.floats(-1e3, 1e3)), st.integers(0, 6))
def test_winsorisation_only_pulls_extremes_inward(x, winmax):
    y, info = winsorise_column(x, winmax, 2.0, 3.5)
    if info["status"] in ("passed", "winsorised", "failed"):
        assert y.min() >= x.min() and y.max() <= x.max()
        changed = np.flatnonzero(y != x)
        assert set(changed) <= set(info["high"]) | set(info["low"])
        # Winsorised values take an observed value of the column
        assert set(y[changed]) <= set(x)
    if info["status"] == "winsorised":
        assert info["passes_after"]


@SETTINGS
@given(arrays(np.float64, st.integers(0, 30),
              elements=st.one_of(st.integers(-1000, 1000).map(lambda v: v / 8), st.just(np.nan))))
def test_one_pass_skew_kurt_equals_the_column_functions(x):
    # well-conditioned values (exact in binary): summation order cannot matter
    from lantu.engine.stats import kurt2, skew2, skew_kurt

    s, k = skew_kurt(x)
    np.testing.assert_allclose([s, k], [skew2(x), kurt2(x)], rtol=1e-12, atol=1e-12, equal_nan=True)


@SETTINGS
@given(columns(), st.sampled_from([
    ("minmax", {}), ("zscore", {}), ("rank", {}), ("prank", {}), ("borda", {}), ("dist2max", {}),
    ("scaled", {"npara": [-5, 5]}), ("dist2ref", {"ref": "u000"}),
]))
def test_every_normalisation_is_monotone_in_the_direction(X, method):
    name, params = method
    Y = normalised(X, name, params)
    for j, d in enumerate((1, -1, 1)):
        o = np.argsort(X[:, j] * d, kind="mergesort")
        y = Y[o, j]
        ok = ~np.isnan(y)
        scale = np.nanmax(np.abs(y)) if ok.any() else 1.0
        assert np.all(np.diff(y[ok]) >= -1e-9 * max(scale, 1.0))


@SETTINGS
@given(arrays(np.float64, (6, 3), elements=st.floats(1, 100)),
       st.lists(st.floats(0.01, 10), min_size=3, max_size=3), st.floats(0.001, 1000),
       st.sampled_from(["amean", "gmean", "hmean", "wmedian", "copeland"]))
def test_weights_are_relative(X, w, factor, method):
    a = build(data_of(X, (1, 1, 1), tuple(w)), Spec([{"step": "aggregate", "method": method}]))
    b = build(data_of(X, (1, 1, 1), tuple(v * factor for v in w)),
              Spec([{"step": "aggregate", "method": method}]))
    np.testing.assert_allclose(a.index_scores(), b.index_scores(), rtol=1e-9)


VARIATIONS = [
    ("treat.winmax", [1, 2, 3, 4, 5]),
    ("normalise", [{"method": "minmax", "params": {"l_u": [1, 100]}},
                   {"method": "zscore", "params": {"m_sd": [10, 2]}},
                   {"method": "rank"}]),
    ("aggregate.method", ["amean", "gmean"]),
    ("weights", [{}, {"Conn": 2.0}, {"Physical": 0.5, "Sust": 1.5}]),
    ("impute.method", ["mean_grp", "median_grp"]),
]


@functools.cache
def _asem():
    from lantu.engine import load_coinr

    ex = Path(__file__).resolve().parents[1] / "examples" / "asem"
    data = load_coinr(ex / "iData.csv", ex / "iMeta.csv")
    base = Spec.load(ex / "nominal.yaml").set("normalise.l_u", [1, 100])  # gmean-safe
    return data, base, build(data, base)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VARIATIONS) - 1), st.integers(0, 4)), min_size=1, max_size=6))
def test_cached_regeneration_equals_a_cold_build(changes):
    data, base, coin = _asem()
    spec = base.copy()
    for i, k in changes:
        path, options = VARIATIONS[i]
        spec.set(path, options[k % len(options)])
        warm = coin.regen(spec)  # every intermediate spec goes through the shared cache
    cold = build(data, spec)
    for name in cold.dset_names:
        np.testing.assert_array_equal(warm.dsets_[name].values, cold.dsets_[name].values)
