"""Uncertainty and sensitivity analysis core (lantu.engine.uncertainty) on toy models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantu.engine import uncertainty as ua


class ToyModel:
    """Five units; Index = base + x1 · slope1 + x2 · slope2 (x1, x2 set by the spec)."""

    units = ["a", "b", "c", "d", "e"]
    base = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    slope1 = np.array([0.0, 0.0, 0.0, 0.0, 10.0])   # x1 lifts unit e to the top
    slope2 = np.array([-3.0, 0.0, 0.0, 0.0, 0.0])   # x2 drops unit a
    calls = 0

    def targets(self):
        return ["step1.x", "step2.x", "weights", "fail"]

    def check(self, target, value):
        if target != "weights" and not isinstance(value, int | float):
            raise ValueError(f"{target} must be a number, got {value!r}")

    def nominal_weights(self, levels):
        return {f"w{lv}": 1.0 for lv in levels if lv in (2, 3)}

    def position(self, target):
        return {"step1.x": 1, "step2.x": 2, "weights": 3, "fail": 4}[target]

    def nominal(self):
        return self.base.copy()

    def run(self, settings):
        if settings.get("fail") == 1:
            raise ZeroDivisionError("toy failure")
        w = settings.get("weights", {"w2": 1.0})
        return (self.base + settings.get("step1.x", 0) * self.slope1
                + settings.get("step2.x", 0) * self.slope2) * w.get("w2", 1.0)


def _spec(*extra):
    return ua.UASpec.from_dict({"inputs": [
        {"name": "X1", "target": "step1.x", "values": [0, 1]},
        {"name": "X2", "target": "step2.x", "values": [0, 1]},
        *extra,
    ]})


# --------------------------------------------------------------------------- spec validation


@pytest.mark.parametrize("raw, message", [
    ({"inputs": []}, "field 'inputs' must be a non-empty list"),
    ({"inputs": [{"name": "A", "target": "t", "values": []}]}, "input 'A': field 'values'"),
    ({"inputs": [{"name": "A", "target": "t", "uniform": {"low": 3, "high": 1}}]},
     r"input 'A': field 'uniform': low \(3\) > high \(1\)"),
    ({"inputs": [{"name": "A", "target": "t", "uniform": {"low": 1}}]},
     "input 'A': field 'uniform': missing field 'high'"),
    ({"inputs": [{"name": "A", "values": [1]}]}, "input 'A': missing field 'target'"),
    ({"inputs": [{"name": "A", "target": "t", "values": [1], "uniform": {}}]}, "exactly one"),
    ({"inputs": [{"name": "A", "target": "t", "values": [1], "colour": 1}]},
     "input 'A': unknown field 'colour'"),
    ({"inputs": [{"name": "W", "weights": {"n": 0, "levels": [2]}}]}, "field 'weights.n'"),
    ({"inputs": [{"name": "W", "weights": {"n": 5, "levels": [2], "noise": 1.5}}]},
     "field 'weights.noise'"),
    ({"inputs": [{"name": "A", "target": "t", "values": [1]},
                 {"name": "A", "target": "u", "values": [1]}]}, "'A': name used twice"),
    ({"inputs": [{"name": "A", "target": "t", "values": [1]},
                 {"name": "B", "target": "t", "values": [1]}]}, "target 't' is set by two"),
    ({"inputs": [{"name": "A", "target": "normalise", "values": [{}]},
                 {"name": "B", "target": "normalise.l_u", "values": [[0, 1]]}]},
     "target 'normalise.l_u' is inside target 'normalise'"),
])
def test_bad_spec_names_input_and_field(raw, message):
    with pytest.raises(ua.UASpecError, match=message):
        ua.UASpec.from_dict(raw)


def test_bind_rejects_unknown_target_and_bad_alternative():
    m = ToyModel()
    bad = ua.UASpec.from_dict({"inputs": [{"name": "Z", "target": "nope.x", "values": [1]}]})
    with pytest.raises(ua.UASpecError, match="input 'Z': field 'target': unknown spec path 'nope.x'"):
        bad.bind(m)
    bad = ua.UASpec.from_dict({"inputs": [{"name": "Z", "target": "step1.x", "values": [1, "x"]}]})
    with pytest.raises(ua.UASpecError, match=r"input 'Z': field 'values\[1\]'"):
        bad.bind(m)
    bad = ua.UASpec.from_dict({"inputs": [{"name": "W", "weights": {"levels": [7]}}]})
    with pytest.raises(ua.UASpecError, match="no weights at levels"):
        bad.bind(m)
    with pytest.raises(ValueError, match="n must be >= 1"):
        ua.run_ua(m, _spec(), 0)


def test_uniform_range_ends_are_checked_by_the_model():
    class Picky(ToyModel):
        def check(self, target, value):
            if value > 2:
                raise ValueError(f"{target} must be <= 2, got {value}")

    spec = ua.UASpec.from_dict({"inputs": [
        {"name": "U", "target": "step1.x", "uniform": {"low": 0.5, "high": 3.7}, "integer": True}]})
    with pytest.raises(ua.UASpecError, match=r"input 'U': field 'uniform.high': .* got 3"):
        spec.bind(Picky())
    ok = ua.UASpec.from_dict({"inputs": [
        {"name": "U", "target": "step1.x", "uniform": {"low": 0.5, "high": 2.0}, "integer": True}]})
    r = ua.run_ua(Picky(), ok, 40, seed=0)
    assert set(r.samples["U"]) == {1, 2}


def test_constant_output_gives_missing_indices_not_a_crash():
    y = np.ones(10)
    t = ua.sobol_indices(y, y, np.column_stack([y, y]), n_boot=5, seed=0)
    assert t[["Si", "STi"]].isna().all().all()


def test_yaml_errors_name_the_file(tmp_path):
    p = tmp_path / "u.yaml"
    p.write_text("inputs:\n  - name: A\n    target: t\n    values: []\n")
    with pytest.raises(ua.UASpecError, match=r"u\.yaml: uncertainty input 'A'"):
        ua.UASpec.from_yaml(p)


# --------------------------------------------------------------------------- sampling


def test_pick_maps_uniform_numbers_to_equal_bins():
    d = ua.DiscreteInput("A", "t", (10, 20, 30))
    assert d.pick(np.array([0.0, 0.33, 0.34, 0.99, 1.0])).tolist() == [0, 0, 1, 2, 2]
    u = ua.UniformInput("U", "t", 2.0, 4.0)
    assert u.pick(np.array([0.0, 0.5, 1.0])).tolist() == [2.0, 3.0, 4.0]
    i = ua.UniformInput("I", "t", 1.0, 3.0, integer=True)
    assert i.pick(np.array([0.0, 0.34, 0.99])).tolist() == [1.0, 2.0, 3.0]


def test_noisy_weights_are_reproducible_and_in_range():
    w1 = ua.noisy_weights({"p": 1.0, "q": 4.0}, n=50, noise=0.25, seed=3)
    w2 = ua.noisy_weights({"p": 1.0, "q": 4.0}, n=50, noise=0.25, seed=3)
    assert w1 == w2
    q = np.array([w["q"] for w in w1])
    assert q.min() >= 3.0 and q.max() <= 5.0 and q.std() > 0.2


# --------------------------------------------------------------------------- UA


def test_rank_stats_hand_example():
    ranks = np.array([[1.0, 2, 3], [2, 1, 3], [1, 3, 2], [np.nan, np.nan, np.nan]])
    t = ua.rank_stats(np.array([1.0, 2, 3]), ranks, ["x", "y", "z"])
    assert list(t.columns) == ["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"]
    x = t.iloc[0]
    # ranks of x: 1, 2, 1 (failed row ignored); type-7: Q5 = 1, Q95 = 1 + 0.9·(2 − 1)
    assert (x.Mean, x.Median, x.Q5, x.Q95) == pytest.approx((4 / 3, 1.0, 1.0, 1.9))
    z = t.iloc[2]
    assert (z.Mean, z.Median, z.Q5, z.Q95) == pytest.approx((8 / 3, 3.0, 2.1, 3.0))


def test_workers_start_by_an_explicit_method_and_spawn_gives_the_same_scores():
    """The start method is chosen, not Python's default (forkserver from 3.14): fork where
    available; spawn (the model pickled to each worker) computes the same numbers."""
    import multiprocessing

    assert ua.worker_context().get_start_method() == (
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    assert ua.worker_context("spawn").get_start_method() == "spawn"
    m = ToyModel()
    spec = _spec({"name": "W", "weights": {"n": 7, "noise": 0.2, "levels": [2], "seed": 1}})
    codes = np.array([[k % 2, (k // 2) % 2, k % 7] for k in range(30)])
    serial, _ = ua.evaluate(m, spec.bind(m), codes)
    spawned, _ = ua.evaluate(m, spec.bind(m), codes, n_jobs=2, chunk_size=2,
                             start_method="spawn")
    np.testing.assert_array_equal(serial, spawned)


def test_ua_is_reproducible_and_serial_equals_parallel():
    m = ToyModel()
    spec = _spec({"name": "W", "weights": {"n": 7, "noise": 0.2, "levels": [2], "seed": 1}})
    r1 = ua.run_ua(m, spec, 40, seed=5)
    r2 = ua.run_ua(m, spec, 40, seed=5)
    r3 = ua.run_ua(m, spec, 40, seed=5, n_jobs=2)
    np.testing.assert_array_equal(r1.scores, r2.scores)
    np.testing.assert_array_equal(r1.scores, r3.scores)
    pd.testing.assert_frame_equal(r1.samples, r3.samples)
    r4 = ua.run_ua(m, spec, 40, seed=6)
    assert not np.array_equal(r1.scores, r4.scores)


def test_a_longer_run_extends_a_shorter_one_with_the_same_seed():
    short = ua.run_ua(ToyModel(), _spec(), 10, seed=7)
    long = ua.run_ua(ToyModel(), _spec(), 25, seed=7)
    pd.testing.assert_frame_equal(short.samples, long.samples.iloc[:10])


def test_ua_scores_follow_the_sampled_alternatives():
    m = ToyModel()
    r = ua.run_ua(m, _spec(), 64, seed=0)
    for k in range(64):
        x1, x2 = r.samples.loc[k, "X1"], r.samples.loc[k, "X2"]
        np.testing.assert_array_equal(r.scores[k], m.run({"step1.x": x1, "step2.x": x2}))
    # unit e is first exactly when X1 = 1
    assert ((r.ranks[:, 4] == 1) == (r.samples["X1"] == 1)).all()
    st = r.rank_stats.set_index("uCode")
    assert st.loc["e", "Nominal"] == 5 and st.loc["e", "Q5"] == 1 and st.loc["e", "Q95"] == 5
    assert list(r.score_stats.columns) == ["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_failed_replications_give_missing_scores_and_are_counted(jobs):
    m = ToyModel()
    spec = _spec({"name": "F", "target": "fail", "values": [0, 1]},
                 {"name": "W", "weights": {"n": 30, "levels": [2], "seed": 2}})
    r = ua.run_ua(m, spec, 50, seed=2, n_jobs=jobs)
    failed = r.samples["F"] == 1
    assert r.n_failed == int(failed.sum()) > 0
    assert np.isnan(r.scores[failed.to_numpy()]).all()
    assert not np.isnan(r.scores[~failed.to_numpy()]).any()
    assert all("ZeroDivisionError: toy failure" in msg for _, msg in r.failures)
    assert r.rank_stats["Mean"].notna().all()


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_callback_reaches_total(jobs):
    seen = []
    spec = _spec({"name": "W", "weights": {"n": 50, "levels": [2], "seed": 2}})
    ua.run_ua(ToyModel(), spec, 30, seed=1, n_jobs=jobs, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 30) and seen[-1] == (30, 30)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# --------------------------------------------------------------------------- SA estimators


def _sa_on(f, n, d, seed, n_boot=50, design="random"):
    x = ua.sa_design(n, d, seed=seed, design=design)
    y = f(x)
    return ua.sobol_indices(y[:n], y[n:2 * n], y[2 * n:].reshape(d, n).T, n_boot=n_boot, seed=1)


def test_sobol_additive_linear_model_with_discrete_inputs():
    a, b = 1.0, 2.0
    pick = ua.DiscreteInput("x", "t", (0, 1, 2))

    def f(u):
        return a * pick.pick(u[:, 0]) + b * pick.pick(u[:, 1])

    t = _sa_on(f, 20000, 2, seed=11)
    exact = np.array([a**2, b**2]) / (a**2 + b**2)
    assert t["Si"].to_numpy() == pytest.approx(exact, abs=0.03)
    assert t["STi"].to_numpy() == pytest.approx(exact, abs=0.03)
    assert (t["Si_q5"] <= t["Si"]).all() and (t["Si"] <= t["Si_q95"]).all()
    assert (t["STi_q5"] <= t["STi"]).all() and (t["STi"] <= t["STi_q95"]).all()


def test_sobol_product_model_separates_first_and_total_order():
    # y = x1·x2, x ∈ {0, 1}: V = 3/16, S1 = S2 = 1/3, ST1 = ST2 = 2/3
    def f(u):
        return (u[:, 0] >= 0.5).astype(float) * (u[:, 1] >= 0.5)

    t = _sa_on(f, 20000, 2, seed=12)
    assert t["Si"].to_numpy() == pytest.approx([1 / 3, 1 / 3], abs=0.03)
    assert t["STi"].to_numpy() == pytest.approx([2 / 3, 2 / 3], abs=0.03)


def test_sobol_with_salib_sobol_design():
    def f(u):
        return u[:, 0] + 0 * u[:, 1]

    t = _sa_on(f, 1024, 2, seed=3, design="sobol")
    assert t.loc[0, "Si"] == pytest.approx(1.0, abs=0.05)
    assert t.loc[1, "Si"] == 0.0 and t.loc[1, "STi"] == 0.0


def test_sobol_estimator_formulas_by_hand():
    ya = np.array([1.0, 2.0, 4.0])
    yb = np.array([3.0, 1.0, 2.0])
    yab = np.array([[2.0], [2.0], [1.0]])
    v = np.var([1, 2, 4, 3, 1, 2], ddof=1)
    t = ua.sobol_indices(ya, yb, yab, n_boot=0)
    assert t.loc[0, "Si"] == pytest.approx(np.mean([3 * 1, 1 * 0, 2 * -3]) / v)
    assert t.loc[0, "STi"] == pytest.approx((1 + 0 + 9) / (2 * 3 * v))


def test_run_sa_inert_input_has_zero_indices_and_parallel_matches():
    m = ToyModel()
    spec = _spec({"name": "Inert", "target": "fail", "values": [0]})
    s1 = ua.run_sa(m, spec, 64, seed=4, n_boot=20)
    s2 = ua.run_sa(m, spec, 64, seed=4, n_boot=20, n_jobs=2)
    pd.testing.assert_frame_equal(s1.sensitivity, s2.sensitivity)
    sens = s1.sensitivity.set_index("input")
    assert sens.loc["Inert", "Si"] == 0 and sens.loc["Inert", "STi"] == 0
    assert sens.loc["X1", "STi"] > 0.1 and sens.loc["X2", "STi"] > 0.1
    assert len(s1.y) == 64 * 5 and s1.rank_stats.shape[0] == 5


# --------------------------------------------------------------------------- properties



@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 6)),
              elements=st.integers(1, 20).map(float)))
def test_rank_stats_are_ordered_and_within_range(reps):
    t = ua.rank_stats(reps[0], reps, [f"u{i}" for i in range(reps.shape[1])])
    lo, hi = reps.min(axis=0), reps.max(axis=0)
    assert (t.Q5 <= t.Median + 1e-12).all() and (t.Median <= t.Q95 + 1e-12).all()
    assert (lo - 1e-12 <= t.Mean).all() and (t.Mean <= hi + 1e-12).all()
    assert (t.Q5 >= lo - 1e-12).all() and (t.Q95 <= hi + 1e-12).all()


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(3, 40), elements=st.floats(-100, 100)),
       arrays(np.float64, st.integers(3, 40), elements=st.floats(-100, 100)))
def test_total_index_is_nonnegative_and_zero_for_an_unused_input(ya, yb):
    n = min(len(ya), len(yb))
    ya, yb = ya[:n], yb[:n]
    if np.var(np.concatenate([ya, yb])) < 1e-9:
        return
    t = ua.sobol_indices(ya, yb, np.column_stack([ya, yb]), n_boot=5, seed=0)
    assert t.loc[0, "Si"] == 0 and t.loc[0, "STi"] == 0     # AB_i == A: input i unused
    assert (t["STi"] >= 0).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 4)),
                min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_evaluate_returns_rows_in_the_order_given(rows, rnd):
    spec = _spec({"name": "W", "weights": {"n": 5, "levels": [2], "seed": 3}}).bind(ToyModel())
    codes = np.array(rows, dtype=float)
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    a, _ = ua.evaluate(ToyModel(), spec, codes)
    b, _ = ua.evaluate(ToyModel(), spec, codes[perm])
    np.testing.assert_array_equal(a[perm], b)
    for k, (x1, x2, w) in enumerate(rows):
        np.testing.assert_array_equal(a[k], ToyModel().run(
            {"step1.x": x1, "step2.x": x2, "weights": spec.inputs[2].sets[w]}))
