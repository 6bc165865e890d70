"""MCDA methods: hand-computed examples (plain loops over 3–5 values), properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantu.engine.mcda import (
    RANDOM_INDEX,
    ahp_consistency,
    ahp_weights,
    critic_weights,
    entropy_topsis,
    entropy_weights,
    topsis,
)

X3 = [[2.0, 30.0, 5.0], [4.0, 10.0, 9.0], [7.0, 20.0, 6.0], [5.0, 25.0, 1.0]]


# ---------------------------------------------------------------------- hand computations


def _cols(X):
    return [[row[j] for row in X] for j in range(len(X[0]))]


def _standardise(col, direction):
    lo, hi = min(col), max(col)
    if direction == 1:
        return [(x - lo) / (hi - lo) for x in col]
    return [(hi - x) / (hi - lo) for x in col]


def hand_entropy(X, directions, shift=0.0):
    n = len(X)
    divs = []
    for col, dj in zip(_cols(X), directions, strict=True):
        z = [v + shift for v in _standardise(col, dj)]
        s = sum(z)
        e = 0.0
        for v in z:
            p = v / s
            if p > 0:
                e += p * math.log(p)
        divs.append(1 - (-e / math.log(n)))
    return [dv / sum(divs) for dv in divs]


def hand_critic(X, directions):
    cols = [_standardise(c, d) for c, d in zip(_cols(X), directions, strict=True)]
    n = len(X)
    means = [sum(c) / n for c in cols]
    sds = [
        math.sqrt(sum((v - mu) ** 2 for v in c) / (n - 1))
        for c, mu in zip(cols, means, strict=True)
    ]
    info = []
    for j, cj in enumerate(cols):
        conflict = 0.0
        for k, ck in enumerate(cols):
            cov = sum((a - means[j]) * (b - means[k]) for a, b in zip(cj, ck, strict=True)) / (
                n - 1
            )
            conflict += 1 - cov / (sds[j] * sds[k])
        info.append(sds[j] * conflict)
    return [c / sum(info) for c in info]


def hand_topsis(X, weights, directions, normalisation="vector"):
    cols = _cols(X)
    wsum = sum(weights)
    V = []
    for col, w in zip(cols, weights, strict=True):
        if normalisation == "vector":
            norm = math.sqrt(sum(v * v for v in col))
            V.append([w / wsum * v / norm for v in col])
        else:
            lo, hi = min(col), max(col)
            V.append([w / wsum * (v - lo) / (hi - lo) for v in col])
    out = []
    for i in range(len(X)):
        dp = dm = 0.0
        for col, dj in zip(V, directions, strict=True):
            best, worst = (max(col), min(col)) if dj == 1 else (min(col), max(col))
            dp += (col[i] - best) ** 2
            dm += (col[i] - worst) ** 2
        dp, dm = math.sqrt(dp), math.sqrt(dm)
        out.append(dm / (dp + dm))
    return out


def test_entropy_weights_by_hand():
    dirs = [1, -1, 1]
    for shift in (0.0, 0.0001, 0.01):
        got = entropy_weights(X3, dirs, shift=shift)
        assert got == pytest.approx(hand_entropy(X3, dirs, shift), rel=1e-12)
    # the shift matters (that is why it is documented and a parameter)
    assert not np.allclose(entropy_weights(X3, dirs, 0.0), entropy_weights(X3, dirs, 0.01))


def test_entropy_weights_raw_shares_match_shannon_by_hand():
    X = [[1.0, 4.0], [2.0, 4.0], [5.0, 2.0]]
    divs = []
    for col in _cols(X):
        s = sum(col)
        e = -sum((v / s) * math.log(v / s) for v in col) / math.log(3)
        divs.append(1 - e)
    want = [dv / sum(divs) for dv in divs]
    assert entropy_weights(X, standardise="none") == pytest.approx(want, rel=1e-12)


def test_entropy_constant_column_gets_zero_weight():
    X = [[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [4.0, 5.0, 2.0]]
    w = entropy_weights(X)
    assert w[1] == 0.0
    assert w.sum() == pytest.approx(1.0)


def test_critic_weights_by_hand():
    dirs = [1, -1, 1]
    assert critic_weights(X3, dirs) == pytest.approx(hand_critic(X3, dirs), rel=1e-12)


def test_critic_constant_column_gets_zero_weight():
    X = [[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [4.0, 5.0, 2.0]]
    w = critic_weights(X)
    assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("normalisation", ["vector", "minmax"])
def test_topsis_by_hand(normalisation):
    w, dirs = [0.2, 0.5, 0.3], [1, -1, 1]
    got = topsis(X3, w, dirs, normalisation=normalisation)
    assert got == pytest.approx(hand_topsis(X3, w, dirs, normalisation), rel=1e-12)


def test_entropy_topsis_is_entropy_then_topsis():
    dirs = [1, -1, 1]
    w = hand_entropy(X3, dirs)
    assert entropy_topsis(X3, dirs) == pytest.approx(hand_topsis(X3, w, dirs), rel=1e-12)


def test_topsis_all_alternatives_equal_gives_half():
    assert topsis([[3.0, 1.0], [3.0, 1.0]], [1, 1]).tolist() == [0.5, 0.5]


def test_ahp_consistent_matrix_recovers_weights():
    w = [0.5, 0.3, 0.2]
    M = [[wi / wj for wj in w] for wi in w]
    res = ahp_consistency(M)
    assert res.weights == pytest.approx(w, rel=1e-12)
    assert res.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert res.cr == pytest.approx(0.0, abs=1e-12)
    assert ahp_weights(M) == pytest.approx(w)


def test_ahp_inconsistent_matrix_power_iteration_by_hand():
    M = [[1, 2, 5], [1 / 2, 1, 3], [1 / 5, 1 / 3, 1]]
    v = [1.0, 1.0, 1.0]
    for _ in range(200):
        nv = [sum(M[i][j] * v[j] for j in range(3)) for i in range(3)]
        s = sum(nv)
        v = [x / s for x in nv]
    lam = sum(sum(M[i][j] * v[j] for j in range(3)) / v[i] for i in range(3)) / 3
    ci = (lam - 3) / 2
    res = ahp_consistency(M)
    assert res.weights == pytest.approx(v, rel=1e-9)
    assert res.lambda_max == pytest.approx(lam, rel=1e-9)
    assert res.ci == pytest.approx(ci, rel=1e-6)
    assert res.cr == pytest.approx(ci / 0.58, rel=1e-6)
    assert res.consistent


def test_ahp_saaty_wealth_of_nations_published_example():
    """Saaty (1980, *The Analytic Hierarchy Process*, ch. 2): the relative wealth of seven
    nations (US, USSR, China, France, UK, Japan, West Germany). Published: eigenvector
    0.427 0.230 0.021 0.052 0.052 0.123 0.094, λmax = 7.61, CR = 0.08 — with RI(7) = 1.32 of
    Saaty's table. The spec step (``weight: ahp``) gives the same figures: one implementation."""
    from lantu.engine.methods.weight import ahp_weights as spec_ahp

    M = [[1, 4, 9, 6, 6, 5, 5], [1 / 4, 1, 7, 5, 5, 3, 4], [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
         [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3], [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
         [1 / 5, 1 / 3, 7, 3, 3, 1, 2], [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1]]
    res = ahp_consistency(M)
    assert res.weights.round(3).tolist() == [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]
    assert round(res.lambda_max, 2) == 7.61 and res.ri == 1.32 and round(res.cr, 2) == 0.08
    w, lam, cr = spec_ahp(M)
    assert w.tolist() == res.weights.tolist() and (lam, cr) == (res.lambda_max, res.cr)


def test_ahp_cr_above_threshold_raises_unless_allowed():
    M = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]  # a cycle: i > j > k > i
    with pytest.raises(ValueError, match=r"ahp_weights: argument matrix is inconsistent: CR = "):
        ahp_weights(M)
    w = ahp_weights(M, allow_inconsistent=True)
    assert w.sum() == pytest.approx(1.0)


def test_ahp_accepts_rounded_reciprocals_and_small_orders():
    assert ahp_weights([[1, 3, 5], [0.333, 1, 2], [0.2, 0.5, 1]]).sum() == pytest.approx(1.0)
    assert ahp_weights([[1.0]]).tolist() == [1.0]
    assert ahp_weights([[1, 4], [0.25, 1]]) == pytest.approx([0.8, 0.2])
    assert RANDOM_INDEX[3] == 0.58 and RANDOM_INDEX[10] == 1.49


@pytest.mark.parametrize(
    ("M", "msg"),
    [
        (
            [[1, 2], [0.4, 1]],
            r"must be reciprocal .*matrix\[0, 1\] is 2.0 but matrix\[1, 0\] is 0.4",
        ),
        ([[1, -2], [-0.5, 1]], r"must be positive; matrix\[0, 1\]"),
        ([[2, 2], [0.5, 1]], r"ones on the diagonal; matrix\[0, 0\] is 2.0"),
        ([[1, 2, 3], [0.5, 1, 2]], r"must be square"),
        ([[1] * 11] * 11, r"n ≤ 10; matrix has n = 11, pass ri"),
    ],
)
def test_ahp_bad_matrices(M, msg):
    with pytest.raises(ValueError, match=msg):
        ahp_weights(M)


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda: entropy_weights([1, 2, 3]),
            r"entropy_weights: argument X must be a 2-D array .*1-D",
        ),
        (
            lambda: entropy_weights([[1.0, 2.0]]),
            r"entropy_weights: argument X needs at least 2 rows",
        ),
        (
            lambda: entropy_weights([[1, 2], [3, np.nan]]),
            r"entropy_weights: argument X must be finite; X\[1, 1\] is nan",
        ),
        (
            lambda: critic_weights([[1, np.inf], [3, 4]]),
            r"critic_weights: argument X must be finite; X\[0, 1\] is inf",
        ),
        (
            lambda: entropy_weights([["a", 1], [2, 3]]),
            r"entropy_weights: argument X must be numeric",
        ),
        (
            lambda: entropy_weights([[1, 2], [3, 4]], [1, 0]),
            r"directions must contain only 1 \(benefit\) or -1 \(cost\); directions\[1\] is 0.0",
        ),
        (
            lambda: entropy_weights([[1, 2], [3, 4]], [1]),
            r"directions must have one entry per criterion \(2\)",
        ),
        (
            lambda: entropy_weights([[1, 2], [3, 4]], shift=-0.1),
            r"shift must be a finite number ≥ 0",
        ),
        (
            lambda: entropy_weights([[1, 2], [3, 4]], standardise="zscore"),
            r"standardise must be one of",
        ),
        (
            lambda: entropy_weights([[1, -2], [3, 4]], standardise="none"),
            r"must be non-negative; X\[0, 1\] is -2.0",
        ),
        (lambda: entropy_weights([[1, 2], [1, 2]]), r"every criterion of X is constant"),
        (lambda: critic_weights([[1], [2]]), r"critic_weights: CRITIC needs at least 2 criteria"),
        (
            lambda: critic_weights([[1, 2], [2, 4], [3, 6]]),
            r"critic_weights: no criterion of X carries CRITIC information",
        ),
        (
            lambda: topsis([[1, 2], [3, 4]], [0.5, -0.5]),
            r"topsis: argument weights must be finite and non-negative; weights\[1\] is -0.5",
        ),
        (
            lambda: topsis([[1, 2], [3, 4]], [0, 0]),
            r"topsis: argument weights must sum to more than 0",
        ),
        (
            lambda: topsis([[1, 2], [3, 4]], [1, 1, 1]),
            r"topsis: argument weights must have one entry per criterion \(2\)",
        ),
        (
            lambda: topsis([[1, 2], [3, 4]], [1, 1], normalisation="sum"),
            r"topsis: argument normalisation must be one of",
        ),
        (lambda: entropy_topsis([[1, 2], [3, 4]], [1, 2]), r"entropy_topsis: argument directions"),
    ],
)
def test_bad_input_messages(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


def test_dataframe_input_is_accepted():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X3, columns=["a", "b", "c"])
    assert entropy_weights(df) == pytest.approx(entropy_weights(np.array(X3)))


# ---------------------------------------------------------------------- properties

matrices = st.integers(3, 8).flatmap(
    lambda n: st.integers(2, 5).flatmap(
        lambda m: arrays(np.float64, (n, m), elements=st.floats(0.0, 1000.0, allow_subnormal=False))
    )
)


def _dirs(m, seed):
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=m)


def _all_constant(X):
    return bool((X.max(axis=0) == X.min(axis=0)).all())


def _every_column_spread(X):
    return bool(((X.max(axis=0) - X.min(axis=0)) > 1e-6 * (1 + np.abs(X).max(axis=0))).all())


@settings(max_examples=80, deadline=None)
@given(X=matrices, seed=st.integers(0, 10_000))
def test_weights_non_negative_sum_to_one(X, seed):
    d = _dirs(X.shape[1], seed)
    if _all_constant(X):
        with pytest.raises(ValueError, match="every criterion of X is constant"):
            entropy_weights(X, d)
        return
    for w in (entropy_weights(X, d), entropy_weights(X, d, shift=0.01)):
        assert (w >= 0).all()
        assert w.sum() == pytest.approx(1.0, abs=1e-12)
    try:
        w = critic_weights(X, d)
    except ValueError as exc:  # perfectly (anti)correlated columns: documented refusal
        assert "CRITIC information" in str(exc)
    else:
        assert (w >= 0).all() and w.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(X=matrices, seed=st.integers(0, 10_000), norm=st.sampled_from(["vector", "minmax"]))
def test_topsis_closeness_in_unit_interval(X, seed, norm):
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    c = topsis(X, rng.uniform(0.01, 1, m), _dirs(m, seed), normalisation=norm)
    assert c.shape == (X.shape[0],)
    assert ((c >= 0) & (c <= 1)).all()


@settings(max_examples=80, deadline=None)
@given(X=matrices, seed=st.integers(0, 10_000))
def test_reversing_every_direction_mirrors_minmax_topsis(X, seed):
    """With min-max normalisation the ideal and anti-ideal swap, so C becomes 1 - C."""
    m = X.shape[1]
    w = np.random.default_rng(seed).uniform(0.01, 1, m)
    d = _dirs(m, seed)
    c = topsis(X, w, d, normalisation="minmax")
    c_rev = topsis(X, w, -d, normalisation="minmax")
    assert c_rev == pytest.approx(1 - c, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(X=matrices, seed=st.integers(0, 10_000))
def test_cost_criterion_equals_benefit_on_mirrored_column(X, seed):
    """A cost criterion ranks like a benefit criterion on (max + min - x)."""
    d = _dirs(X.shape[1], seed)
    mirrored = np.where(d > 0, X, X.max(axis=0) + X.min(axis=0) - X)
    ones = np.ones(X.shape[1])
    if _every_column_spread(X):
        assert entropy_weights(X, d) == pytest.approx(entropy_weights(mirrored, ones), abs=1e-9)
    w = np.random.default_rng(seed).uniform(0.01, 1, X.shape[1])
    assert topsis(X, w, d, "minmax") == pytest.approx(topsis(mirrored, w, ones, "minmax"), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 9))
def test_ahp_consistent_matrices_recover_their_weights(seed, n):
    w = np.random.default_rng(seed).uniform(0.1, 1, n)
    w /= w.sum()
    res = ahp_consistency(np.outer(w, 1 / w))
    assert res.weights == pytest.approx(w, rel=1e-9)
    assert res.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(X=matrices, seed=st.integers(0, 10_000))
def test_row_order_and_column_affine_changes_do_not_matter(X, seed):
    """Weights ignore the order of the units and (min-max form) positive affine rescaling of a
    column; TOPSIS closeness follows a permutation of the rows."""
    rng = np.random.default_rng(seed)
    d = _dirs(X.shape[1], seed)
    perm = rng.permutation(X.shape[0])
    a, b = rng.uniform(0.5, 3.0, X.shape[1]), rng.uniform(-50, 50, X.shape[1])
    w = rng.uniform(0.01, 1, X.shape[1])
    assert topsis(X[perm], w, d) == pytest.approx(topsis(X, w, d)[perm], abs=1e-12)
    if not _every_column_spread(X):
        return
    assert entropy_weights(X[perm], d) == pytest.approx(entropy_weights(X, d), abs=1e-9)
    assert entropy_weights(X * a + b, d) == pytest.approx(entropy_weights(X, d), abs=1e-6)
    try:  # no CRITIC information, or so little (columns correlated to the last bit) that
        # the rounding of the sums in one row order or the other decides whether there is any
        ref, permuted = critic_weights(X, d), critic_weights(X[perm], d)
    except ValueError:
        return
    assert permuted == pytest.approx(ref, abs=1e-9)
