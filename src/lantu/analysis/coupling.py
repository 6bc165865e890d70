"""Coupling coordination degree (耦合协调度) of n subsystems, vectorised over units and years.

For subsystem scores ``U_1 … U_n`` in [0, 1] (e.g. the economy and ecology indices of a city in a
year):

* coupling degree C, either the **corrected** form of Wang Shujia, Kong Wei, Ren Liang et al.,
  "国内耦合协调度模型的误区及修正", 自然资源学报 2021, 36(3): 793–810 (default)::

      C = sqrt( [1 - Σ_{i<j} |U_i - U_j| / Σ_{m=1}^{n-1} m] · [Π_i (U_i / max U)]^{1/(n-1)} )

  or the **traditional** (normative) form ``C = n · [Π U_i / (Σ U_i)^n]^{1/n}``;
* comprehensive coordination index ``T = Σ α_i U_i`` with ``Σ α_i = 1`` (equal by default);
* coupling coordination degree ``D = sqrt(C · T)``, graded in ten 0.1-wide bands from
  极度失调 (extreme disorder, [0, 0.1)) to 优质协调 (high-quality coordination, [0.9, 1]).

When every subsystem is 0 the coupling is undefined; C is set to 0 (and D is 0 anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from lantu.analysis._validate import as_float_array, check_finite, check_unit_weights, first_bad

__all__ = [
    "GRADES_EN",
    "GRADES_ZH",
    "CouplingResult",
    "coordination_grade",
    "coordination_index",
    "coupling_coordination",
    "coupling_degree",
]

#: The ten grades of D in 0.1 bands, lowest first (lower bound inclusive; 1.0 is 优质协调).
GRADES_ZH: tuple[str, ...] = (
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
)
GRADES_EN: tuple[str, ...] = (
    "extreme disorder",
    "serious disorder",
    "moderate disorder",
    "mild disorder",
    "on the verge of disorder",
    "barely coordinated",
    "primary coordination",
    "intermediate coordination",
    "good coordination",
    "high-quality coordination",
)

Method = Literal["corrected", "traditional"]
_METHODS = ("corrected", "traditional")


def _scores(U: ArrayLike, func: str) -> NDArray[np.float64]:
    A = as_float_array(U, func, "U")
    if A.ndim < 1 or A.shape[-1] < 2:
        raise ValueError(
            f"{func}: argument U needs the subsystems on its last axis, at least 2 of them; "
            f"got shape {A.shape}"
        )
    labels = (U.index, U.columns) if isinstance(U, pd.DataFrame) else None
    check_finite(A, func, "U", labels)
    out = (A < 0) | (A > 1)
    if out.any():
        raise ValueError(
            f"{func}: argument U must hold subsystem scores in [0, 1]; "
            f"U{first_bad(out, labels)} is outside"
        )
    return A


def _coupling(A: NDArray[np.float64], method: str, func: str) -> NDArray[np.float64]:
    if method not in _METHODS:
        raise ValueError(f"{func}: argument method must be one of {_METHODS}; got {method!r}")
    n = A.shape[-1]
    top = A.max(axis=-1)
    ratio = np.divide(A, top[..., None], out=np.zeros_like(A), where=top[..., None] > 0)
    if method == "traditional":
        # n (Π U)^{1/n} / Σ U computed on U / max U, so tiny scores do not underflow the product
        mean = ratio.mean(axis=-1)
        geo = np.prod(ratio, axis=-1) ** (1.0 / n)
        return np.divide(geo, mean, out=np.zeros_like(mean), where=mean > 0)
    # Σ_{i<j} |U_i - U_j|, over the n(n-1)/2 = Σ_{m=1}^{n-1} m pairs
    pair_sum = np.abs(A[..., :, None] - A[..., None, :]).sum(axis=(-2, -1)) / 2.0
    spread = 1.0 - pair_sum / (n * (n - 1) / 2.0)
    balance = np.prod(ratio, axis=-1) ** (1.0 / (n - 1))
    return np.sqrt(np.clip(spread * balance, 0.0, 1.0))


def coupling_degree(U: ArrayLike, method: Method = "corrected") -> NDArray[np.float64]:
    """Coupling degree C of the subsystems on the last axis of ``U``.

    Parameters
    ----------
    U : array-like of shape (..., n)
        Subsystem scores in [0, 1], n ≥ 2 on the last axis (e.g. units × years × n).
    method : {"corrected", "traditional"}, default "corrected"
        Wang Shujia et al. (2021) corrected C, or the traditional ``n · (Π U / (Σ U)^n)^{1/n}``.

    Returns
    -------
    numpy.ndarray of shape (...)
        C in [0, 1].

    Examples
    --------
    >>> coupling_degree([0.5, 0.5]).item(), coupling_degree([0.4, 0.1], "traditional").item()
    (1.0, 0.8)
    """
    func = "coupling_degree"
    return _coupling(_scores(U, func), method, func)


def coordination_index(U: ArrayLike, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """Comprehensive coordination index ``T = Σ α_i U_i``.

    Parameters
    ----------
    U : array-like of shape (..., n)
        Subsystem scores in [0, 1].
    weights : array-like of shape (n,), optional
        Subsystem weights α (rescaled to sum 1); equal by default.

    Returns
    -------
    numpy.ndarray of shape (...)

    Examples
    --------
    >>> round(coordination_index([0.2, 0.6], [1, 3]).item(), 12)
    0.5
    """
    func = "coordination_index"
    A = _scores(U, func)
    return A @ check_unit_weights(weights, A.shape[-1], func, per="subsystem")


def coordination_grade(D: ArrayLike, lang: Literal["zh", "en"] = "zh") -> NDArray[np.str_]:
    """Grade labels of coupling coordination degrees D (ten 0.1 bands, lower bound inclusive).

    Parameters
    ----------
    D : array-like
        Values in [0, 1].
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    numpy.ndarray of str, same shape as ``D``

    Examples
    --------
    >>> coordination_grade([0.05, 0.5, 0.95]).tolist()
    ['极度失调', '勉强协调', '优质协调']
    """
    func = "coordination_grade"
    if lang not in ("zh", "en"):
        raise ValueError(f"{func}: argument lang must be 'zh' or 'en'; got {lang!r}")
    A = as_float_array(D, func, "D")
    check_finite(A, func, "D")
    out = (A < 0) | (A > 1)
    if out.any():
        raise ValueError(f"{func}: argument D must be in [0, 1]; D{first_bad(out)} is outside")
    labels = np.array(GRADES_ZH if lang == "zh" else GRADES_EN)
    return labels[_band(A)]


def _band(D: NDArray[np.float64]) -> NDArray[np.intp]:
    # 1e-9 absorbs rounding such as 0.7 * 10 = 6.999999999999999
    return np.clip(np.floor(D * 10 + 1e-9), 0, 9).astype(np.intp)


@dataclass(frozen=True)
class CouplingResult:
    """C, T, D and the grade (band 1–10) for every unit/year, arrays of the input's leading shape."""

    C: NDArray[np.float64]
    T: NDArray[np.float64]
    D: NDArray[np.float64]
    grade: NDArray[np.intp]
    method: str

    @property
    def grade_zh(self) -> NDArray[np.str_]:
        """Chinese grade labels."""
        return np.array(GRADES_ZH)[self.grade - 1]

    @property
    def grade_en(self) -> NDArray[np.str_]:
        """English grade labels."""
        return np.array(GRADES_EN)[self.grade - 1]


def coupling_coordination(
    U: ArrayLike | pd.DataFrame,
    weights: ArrayLike | None = None,
    method: Method = "corrected",
) -> CouplingResult | pd.DataFrame:
    """Coupling degree C, coordination index T, coupling coordination degree D and its grade.

    Parameters
    ----------
    U : array-like of shape (..., n) or pandas.DataFrame
        Subsystem scores in [0, 1]. A DataFrame has one column per subsystem and one row per
        unit (and year): its index (e.g. a (region, year) MultiIndex) is kept.
    weights : array-like of shape (n,), optional
        Subsystem weights α for T; equal by default.
    method : {"corrected", "traditional"}, default "corrected"
        Form of C (see the module docstring).

    Returns
    -------
    CouplingResult or pandas.DataFrame
        For a DataFrame: columns ``C, T, D, grade, grade_zh, grade_en`` on the same index.

    Examples
    --------
    >>> r = coupling_coordination([[0.5, 0.5], [0.9, 0.1]])
    >>> r.D.round(4).tolist(), r.grade_zh.tolist()
    ([0.7071, 0.273], ['中级协调', '中度失调'])
    """
    func = "coupling_coordination"
    A = _scores(U, func)
    C = _coupling(A, method, func)
    T = A @ check_unit_weights(weights, A.shape[-1], func, per="subsystem")
    D = np.sqrt(C * T)
    res = CouplingResult(C=C, T=T, D=D, grade=_band(D) + 1, method=method)
    if isinstance(U, pd.DataFrame):
        return pd.DataFrame(
            {
                "C": res.C,
                "T": res.T,
                "D": res.D,
                "grade": res.grade,
                "grade_zh": res.grade_zh,
                "grade_en": res.grade_en,
            },
            index=U.index,
        )
    return res
