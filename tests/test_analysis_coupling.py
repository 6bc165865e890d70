"""Coupling coordination degree: hand-computed examples, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantu.analysis.coupling import (
    GRADES_EN,
    GRADES_ZH,
    coordination_grade,
    coordination_index,
    coupling_coordination,
    coupling_degree,
)


def hand_traditional(u):
    n = len(u)
    prod = 1.0
    for v in u:
        prod *= v
    return n * (prod / sum(u) ** n) ** (1 / n)


def hand_corrected(u):
    n = len(u)
    diff = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            diff += math.sqrt((u[i] - u[j]) ** 2)
    pairs = sum(range(1, n))
    top = max(u)
    prod = 1.0
    for v in u:
        prod *= v / top
    return math.sqrt((1 - diff / pairs) * prod ** (1 / (n - 1)))


CASES = [[0.3, 0.6], [0.2, 0.5, 0.8], [0.9, 0.85, 0.4, 0.6]]


@pytest.mark.parametrize("u", CASES)
def test_coupling_degree_by_hand(u):
    assert coupling_degree(u, "traditional").item() == pytest.approx(hand_traditional(u), rel=1e-12)
    assert coupling_degree(u).item() == pytest.approx(hand_corrected(u), rel=1e-12)


def test_two_subsystem_corrected_form():
    # n = 2: C = sqrt((1 - |U1 - U2|) * U_min / U_max)
    assert coupling_degree([0.3, 0.6]).item() == pytest.approx(math.sqrt(0.7 * 0.5))


def test_d_and_grade_by_hand_with_weights():
    u, w = [0.2, 0.5, 0.8], [0.5, 0.3, 0.2]
    T = sum(a * b for a, b in zip(u, w, strict=True))
    res = coupling_coordination([u], weights=w)
    assert res.T[0] == pytest.approx(T)
    assert res.D[0] == pytest.approx(math.sqrt(hand_corrected(u) * T))
    band = int(math.sqrt(hand_corrected(u) * T) * 10)
    assert res.grade[0] == band + 1
    assert res.grade_zh[0] == GRADES_ZH[band] and res.grade_en[0] == GRADES_EN[band]


def test_vectorised_over_units_and_years():
    rng = np.random.default_rng(1)
    U = rng.uniform(0.05, 1, size=(4, 3, 2))  # 4 cities × 3 years × 2 subsystems
    res = coupling_coordination(U, method="traditional")
    assert res.D.shape == (4, 3)
    for i in range(4):
        for t in range(3):
            u = U[i, t].tolist()
            assert res.C[i, t] == pytest.approx(hand_traditional(u))
            assert res.D[i, t] == pytest.approx(math.sqrt(hand_traditional(u) * sum(u) / 2))


def test_dataframe_keeps_its_index():
    idx = pd.MultiIndex.from_tuples([("太原市", 2021), ("太原市", 2022)], names=["region", "year"])
    df = pd.DataFrame({"economy": [0.6, 0.7], "ecology": [0.4, 0.7]}, index=idx)
    out = coupling_coordination(df)
    assert list(out.columns) == ["C", "T", "D", "grade", "grade_zh", "grade_en"]
    assert out.index.equals(idx)
    assert out.loc[("太原市", 2022), "C"] == pytest.approx(1.0)
    assert out.loc[("太原市", 2022), "grade_zh"] == "良好协调"  # D = sqrt(0.7) = 0.837


def test_grade_bands_and_edges():
    got = coordination_grade([0.0, 0.1, 0.3, 0.7, 0.999, 1.0]).tolist()
    assert got == ["极度失调", "严重失调", "轻度失调", "中级协调", "优质协调", "优质协调"]
    assert coordination_grade([0.55], lang="en").tolist() == ["barely coordinated"]


def test_all_zero_subsystems_give_zero():
    res = coupling_coordination([[0.0, 0.0]])
    assert res.C[0] == 0.0 and res.D[0] == 0.0


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda: coupling_degree([0.5]),
            r"coupling_degree: argument U needs the subsystems .* at least 2",
        ),
        (
            lambda: coupling_degree([0.5, 1.2]),
            r"coupling_degree: argument U must hold subsystem scores in \[0, 1\]; U\[1\]",
        ),
        (lambda: coupling_degree([0.5, np.nan]), r"coupling_degree: argument U must be finite"),
        (lambda: coupling_degree([0.5, 0.4], method="new"), r"argument method must be one of"),
        (
            lambda: coordination_index([0.5, 0.4], [1, -1]),
            r"coordination_index: argument weights must be finite and non-negative",
        ),
        (
            lambda: coordination_index([0.5, 0.4], [1, 1, 1]),
            r"argument weights must have one entry per subsystem \(2\)",
        ),
        (
            lambda: coupling_coordination([[0.5, 0.4]], [0, 0]),
            r"argument weights must sum to more than 0",
        ),
        (lambda: coordination_grade([1.5]), r"coordination_grade: argument D must be in \[0, 1\]"),
        (lambda: coordination_grade([0.5], lang="fr"), r"argument lang must be 'zh' or 'en'"),
    ],
)
def test_bad_input(call, msg):
    with pytest.raises(ValueError, match=msg):
        call()


scores = st.integers(2, 6).flatmap(
    lambda n: arrays(np.float64, (5, n), elements=st.floats(0.0, 1.0, allow_subnormal=False))
)


@settings(max_examples=100, deadline=None)
@given(U=scores, method=st.sampled_from(["corrected", "traditional"]))
def test_c_t_d_in_unit_interval(U, method):
    res = coupling_coordination(U, method=method)
    for arr in (res.C, res.T, res.D):
        assert ((arr >= 0) & (arr <= 1 + 1e-12)).all()
    assert ((res.grade >= 1) & (res.grade <= 10)).all()


@settings(max_examples=60, deadline=None)
@given(
    u=st.floats(0.01, 1.0),
    n=st.integers(2, 6),
    method=st.sampled_from(["corrected", "traditional"]),
)
def test_equal_subsystems_couple_perfectly(u, n, method):
    res = coupling_coordination([[u] * n], method=method)
    assert res.C[0] == pytest.approx(1.0)
    assert res.D[0] == pytest.approx(math.sqrt(u))


@settings(max_examples=60, deadline=None)
@given(U=arrays(np.float64, (5, 2), elements=st.floats(0.0, 1.0, allow_subnormal=False)))
def test_corrected_never_exceeds_traditional_for_two_subsystems(U):
    """For n = 2, C_corr² = (1 - d) r ≤ r ≤ 4r / (1 + r)² = C_trad² with r = min/max, d = |U1 - U2|.

    (For n ≥ 3 it does not hold in general: one near-zero subsystem among equal ones is
    penalised by the 1/(n-1) root less than by the 1/n root.)
    """
    assert (coupling_degree(U) <= coupling_degree(U, "traditional") + 1e-12).all()


def test_dataframe_errors_name_row_and_column():
    idx = pd.MultiIndex.from_tuples([("太原市", 2021), ("晋中市", 2021)], names=["region", "year"])
    df = pd.DataFrame({"economy": [0.6, 1.4], "ecology": [0.4, 0.7]}, index=idx)
    with pytest.raises(ValueError, match=r"U\[row \(晋中市, 2021\), column economy\] .*is outside"):
        coupling_coordination(df)
    df.loc[("太原市", 2021), "ecology"] = np.nan
    with pytest.raises(
        ValueError,
        match=r"must be finite \(drop or impute missing values first\); U\[row \(太原市, 2021\), column ecology\]",
    ):
        coupling_coordination(df)
