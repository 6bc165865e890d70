"""Regional disparity: coefficient of variation (optionally population-weighted) and the Theil
index with its between/within-group decomposition.

For units i with per-capita values ``y_i`` (e.g. GDP per capita) and weights ``p_i``
(populations; equal when omitted), ``q_i = p_i / Σ p`` and the weighted mean ``ȳ = Σ q_i y_i``:

* ``CV = sd / ȳ`` with ``sd = sqrt(Σ q_i (y_i - ȳ)²)`` (the weighted form is Williamson's index;
  unweighted, ``ddof`` chooses the population (0, default) or sample (1) standard deviation);
* Theil ``T = Σ s_i ln(s_i / q_i)`` with value shares ``s_i = q_i y_i / ȳ``, i.e.
  ``T = Σ s_i ln(y_i / ȳ)``; 0 means equality, ``ln n`` (equal weights) maximal inequality;
* for groups g (e.g. the central Shanxi cities vs the rest): ``S_g = Σ_{i∈g} s_i``,
  ``Q_g = Σ_{i∈g} q_i``, ``T = T_between + T_within`` with
  ``T_between = Σ_g S_g ln(S_g / Q_g)`` and ``T_within = Σ_g S_g T_g``, ``T_g`` the Theil index
  inside group g.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import xlogy

from lantu.analysis._validate import as_float_array, check_finite, check_unit_weights, first_bad

__all__ = ["TheilResult", "coefficient_of_variation", "theil_index"]


def _values(values: ArrayLike, func: str) -> NDArray[np.float64]:
    y = as_float_array(values, func, "values")
    if y.ndim != 1 or y.shape[0] < 2:
        raise ValueError(
            f"{func}: argument values must be 1-D with at least 2 units; got shape {y.shape}"
        )
    check_finite(y, func, "values")
    neg = y < 0
    if neg.any():
        raise ValueError(
            f"{func}: argument values must be non-negative; values{first_bad(neg)} is not"
        )
    return y


def coefficient_of_variation(
    values: ArrayLike, weights: ArrayLike | None = None, ddof: int = 0
) -> float:
    """Coefficient of variation of per-capita values, population-weighted when ``weights`` given.

    Parameters
    ----------
    values : array-like of shape (n,)
        Non-negative values, n ≥ 2 (NaN is an error: drop missing units first).
    weights : array-like of shape (n,), optional
        Populations (any scale). With weights the result is Williamson's weighted CV.
    ddof : {0, 1}, default 0
        Delta degrees of freedom of the unweighted standard deviation; must be 0 with weights.

    Returns
    -------
    float

    Examples
    --------
    >>> coefficient_of_variation([2, 4, 6])  # sd = sqrt(8/3), mean 4
    0.408248290463863
    """
    func = "coefficient_of_variation"
    y = _values(values, func)
    if ddof not in (0, 1):
        raise ValueError(f"{func}: argument ddof must be 0 or 1; got {ddof!r}")
    if weights is not None and ddof != 0:
        raise ValueError(f"{func}: argument ddof must be 0 with weights (weighted variance)")
    q = check_unit_weights(weights, y.shape[0], func)
    mean = float(q @ y)
    if not mean > 0:
        raise ValueError(f"{func}: the (weighted) mean of values is 0, so the CV is undefined")
    var = float(q @ (y - mean) ** 2)
    if weights is None and ddof == 1:
        n = y.shape[0]
        var *= n / (n - 1)
    return float(np.sqrt(var) / mean)


@dataclass(frozen=True)
class TheilResult:
    """Theil index and, when groups were given, its decomposition.

    Attributes
    ----------
    total : float
    between : float or None
    within : float or None
    groups : pandas.DataFrame or None
        Per group: ``value_share`` (S_g), ``weight_share`` (Q_g), ``theil`` (T_g) and
        ``within_contribution`` (S_g · T_g).
    """

    total: float
    between: float | None = None
    within: float | None = None
    groups: pd.DataFrame | None = None


def _theil(y: NDArray[np.float64], q: NDArray[np.float64]) -> float:
    mean = q @ y
    s = q * y / mean
    return float(xlogy(s, y / mean).sum())


def theil_index(
    values: ArrayLike, weights: ArrayLike | None = None, groups: ArrayLike | None = None
) -> TheilResult:
    """Theil index of per-capita values, with a between/within decomposition by ``groups``.

    Parameters
    ----------
    values : array-like of shape (n,)
        Non-negative per-capita values, n ≥ 2.
    weights : array-like of shape (n,), optional
        Populations; equal when omitted.
    groups : array-like of shape (n,), optional
        A group label per unit.

    Returns
    -------
    TheilResult
        ``total``; with groups also ``between``, ``within`` (summing to ``total``) and a table.

    Examples
    --------
    >>> round(theil_index([1, 1, 1, 1]).total, 12)
    0.0
    >>> r = theil_index([1, 3, 2, 2], groups=["a", "a", "b", "b"])
    >>> round(r.between, 12), round(r.within + r.between - r.total, 12)
    (0.0, 0.0)
    """
    func = "theil_index"
    y = _values(values, func)
    n = y.shape[0]
    q = check_unit_weights(weights, n, func)
    if not q @ y > 0:
        raise ValueError(
            f"{func}: the (weighted) mean of values is 0, so the Theil index is undefined"
        )
    total = _theil(y, q)
    if groups is None:
        return TheilResult(total=total)
    g = np.asarray(groups, dtype=object)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(f"{func}: argument groups must have {n} labels; got shape {g.shape}")
    missing = pd.isna(g)
    if missing.any():
        raise ValueError(
            f"{func}: argument groups has a missing label at groups{first_bad(missing)}"
        )
    mean = q @ y
    s = q * y / mean
    rows = []
    for label in pd.unique(g):
        idx = g == label
        Sg, Qg = float(s[idx].sum()), float(q[idx].sum())
        Tg = _theil(y[idx], q[idx] / Qg) if Sg > 0 else 0.0
        rows.append((label, Sg, Qg, Tg, Sg * Tg))
    table = pd.DataFrame(
        rows, columns=["group", "value_share", "weight_share", "theil", "within_contribution"]
    ).set_index("group")
    between = float(xlogy(table["value_share"], table["value_share"] / table["weight_share"]).sum())
    within = float(table["within_contribution"].sum())
    return TheilResult(total=total, between=between, within=within, groups=table)
