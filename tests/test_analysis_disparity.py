"""Disparity: CV and Theil on hand-computed examples, the Theil decomposition identity, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _shanxi_raw import observations
from lantu.analysis.disparity import coefficient_of_variation, theil_index


def hand_theil(y, p=None):
    p = p or [1.0] * len(y)
    P = sum(p)
    Y = sum(a * b for a, b in zip(y, p, strict=True))
    t = 0.0
    for yi, pi in zip(y, p, strict=True):
        s, q = yi * pi / Y, pi / P
        if s > 0:
            t += s * math.log(s / q)
    return t


def test_cv_by_hand():
    y = [3.0, 5.0, 10.0, 2.0]
    mean = sum(y) / 4
    sd0 = math.sqrt(sum((v - mean) ** 2 for v in y) / 4)
    sd1 = math.sqrt(sum((v - mean) ** 2 for v in y) / 3)
    assert coefficient_of_variation(y) == pytest.approx(sd0 / mean)
    assert coefficient_of_variation(y, ddof=1) == pytest.approx(sd1 / mean)


def test_weighted_cv_by_hand():
    y, p = [3.0, 5.0, 10.0], [100.0, 50.0, 10.0]
    P = sum(p)
    mean = sum(a * b for a, b in zip(y, p, strict=True)) / P
    sd = math.sqrt(sum(b * (a - mean) ** 2 for a, b in zip(y, p, strict=True)) / P)
    assert coefficient_of_variation(y, weights=p) == pytest.approx(sd / mean)


def test_theil_by_hand_weighted_and_not():
    y, p = [3.0, 5.0, 10.0, 2.0], [4.0, 1.0, 2.0, 3.0]
    assert theil_index(y).total == pytest.approx(hand_theil(y))
    assert theil_index(y, p).total == pytest.approx(hand_theil(y, p))


def test_theil_decomposition_by_hand():
    y, p, g = [3.0, 5.0, 10.0, 2.0, 6.0], [4.0, 1.0, 2.0, 3.0, 2.0], ["a", "a", "b", "b", "b"]
    res = theil_index(y, p, g)
    Y = sum(a * b for a, b in zip(y, p, strict=True))
    P = sum(p)
    between = within = 0.0
    for label in ("a", "b"):
        yy = [a for a, k in zip(y, g, strict=True) if k == label]
        pp = [b for b, k in zip(p, g, strict=True) if k == label]
        S = sum(a * b for a, b in zip(yy, pp, strict=True)) / Y
        Q = sum(pp) / P
        between += S * math.log(S / Q)
        within += S * hand_theil(yy, pp)
        assert res.groups.loc[label, "theil"] == pytest.approx(hand_theil(yy, pp))
    assert res.between == pytest.approx(between)
    assert res.within == pytest.approx(within)
    assert res.total == pytest.approx(between + within)


def test_gdp_per_capita_disparity_of_three_cities_2021():
    gdp, pop = observations("gdp"), observations("population")
    cities = ["太原市", "晋中市", "阳泉市"]
    y = [gdp[(c, 2021)] / pop[(c, 2021)] for c in cities]  # 亿元 / 万人 = 万元 per person
    p = [pop[(c, 2021)] for c in cities]
    assert theil_index(y, p).total == pytest.approx(hand_theil(y, p))
    assert 0 < coefficient_of_variation(y, p) < 1


@settings(max_examples=80, deadline=None)
@given(
    y=st.lists(st.floats(0.01, 1e5), min_size=3, max_size=10),
    seed=st.integers(0, 1000),
)
def test_decomposition_identity_and_bounds(y, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.5, 10, len(y))
    g = rng.choice(["x", "y", "z"], len(y))
    res = theil_index(y, p, g)
    assert res.total == pytest.approx(res.between + res.within, abs=1e-9)
    assert (
        -1e-12 <= res.total <= math.log(p.sum() / p.min()) + 1e-9
    )  # max: all in the smallest unit
    assert res.between >= -1e-12 and res.within >= -1e-12


@settings(max_examples=40, deadline=None)
@given(v=st.floats(0.01, 1e5), n=st.integers(2, 8))
def test_equal_values_have_no_disparity(v, n):
    assert theil_index([v] * n).total == pytest.approx(0.0, abs=1e-12)
    assert coefficient_of_variation([v] * n) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda: theil_index([1.0]),
            r"theil_index: argument values must be 1-D with at least 2 units",
        ),
        (
            lambda: theil_index([1.0, np.nan]),
            r"theil_index: argument values must be finite \(drop or impute missing values first\); values\[1\]",
        ),
        (lambda: theil_index([1.0, -1.0]), r"must be non-negative; values\[1\]"),
        (lambda: theil_index([0.0, 0.0]), r"mean of values is 0"),
        (
            lambda: theil_index([1.0, 2.0], [1.0]),
            r"argument weights must have one entry per unit \(2\)",
        ),
        (lambda: theil_index([1.0, 2.0], groups=["a"]), r"argument groups must have 2 labels"),
        (lambda: theil_index([1.0, 2.0], groups=["a", None]), r"groups has a missing label"),
        (lambda: coefficient_of_variation([1.0, 2.0], ddof=2), r"argument ddof must be 0 or 1"),
        (
            lambda: coefficient_of_variation([1.0, 2.0], [1, 1], ddof=1),
            r"ddof must be 0 with weights",
        ),
        (lambda: coefficient_of_variation([0.0, 0.0]), r"mean of values is 0"),
    ],
)
def test_bad_input(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()
