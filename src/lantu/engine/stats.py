"""Column statistics used by the steps (NaN = missing, computed column-wise on 2-D arrays)."""

from __future__ import annotations

import numpy as np

__all__ = ["skew2", "kurt2", "skew_kurt", "rank_min", "rank_columns"]


def _centred(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """(count of non-missing values, deviations from the mean with 0 for NaN, input was 1-D)."""
    one = x.ndim == 1
    a = x[:, None] if one else x
    ok = ~np.isnan(a)
    n = ok.sum(axis=0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, a, 0.0).sum(axis=0) / n
        d = np.where(ok, a - mean, 0.0)
    return n, d, one


def skew2(x: np.ndarray) -> np.ndarray:
    """Sample skewness, "type 2" (Excel's SKEW), of each column, ignoring NaN.

    ``sqrt(n) * sum(d**3) / sum(d**2)**1.5 * sqrt(n*(n-1)) / (n-2)`` with ``d = x - mean``;
    NaN when fewer than 3 values or no spread.

    Parameters
    ----------
    x : numpy.ndarray
        1-D or 2-D (columns are variables).

    Returns
    -------
    numpy.ndarray or float

    Examples
    --------
    >>> round(float(skew2(np.array([1.0, 2.0, 10.0]))), 6)
    1.652317
    """
    n, d, one = _centred(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        m2 = (d * d).sum(axis=0)
        m3 = (d * d * d).sum(axis=0)
        g = np.sqrt(n) * m3 / m2**1.5
        out = g * np.sqrt(n * (n - 1.0)) / (n - 2.0)
    out = np.where((n < 3) | (m2 == 0), np.nan, out)
    return out[0] if one else out


def kurt2(x: np.ndarray) -> np.ndarray:
    """Sample excess kurtosis, "type 2" (Excel's KURT), of each column, ignoring NaN.

    With ``r = n * sum(d**4) / sum(d**2)**2``:
    ``((n+1)*(r-3) + 6) * (n-1) / ((n-2)*(n-3))``; NaN when fewer than 4 values or no spread.

    Examples
    --------
    >>> round(float(kurt2(np.array([1.0, 2.0, 3.0, 10.0]))), 6)
    3.228
    """
    n, d, one = _centred(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        d2 = d * d
        m2 = d2.sum(axis=0)
        m4 = (d2 * d2).sum(axis=0)
        r = n * m4 / (m2 * m2)
        out = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    out = np.where((n < 4) | (m2 == 0), np.nan, out)
    return out[0] if one else out


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """(:func:`skew2`, :func:`kurt2`) of a 1-D array from one centring pass (the treatment's loop)."""
    v = x[~np.isnan(x)]
    n = float(v.size)
    if n < 3:
        return np.nan, np.nan
    with np.errstate(invalid="ignore", divide="ignore", over="ignore", under="ignore"):
        d = v - v.sum() / n
        d2 = d * d
        m2 = d2.sum()
        if m2 == 0:
            return np.nan, np.nan
        s = np.sqrt(n) * (d2 * d).sum() / m2**1.5 * np.sqrt(n * (n - 1.0)) / (n - 2.0)
        if n < 4:
            return float(s), np.nan
        r = n * (d2 * d2).sum() / (m2 * m2)
        k = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    return float(s), float(k)


def rank_min(x: np.ndarray, descending: bool = False) -> np.ndarray:
    """Ranks 1..n along the last axis, ties get the smallest rank of the tie, NaN stays NaN.

    The one ranking rule of Lantu (COINr's ``ties.method = "min"``): the index's ranks, the
    rank statistics of the uncertainty analysis and leave-one-out all use it.

    Parameters
    ----------
    x : numpy.ndarray
        1-D values, or 2-D (replications × units: each row ranked on its own).
    descending : bool
        If True, rank 1 is the highest value (as for an index); else rank 1 is the lowest.

    Examples
    --------
    >>> rank_min(np.array([3.0, 1.0, 3.0, np.nan, 2.0]), descending=True)
    array([ 1.,  4.,  1., nan,  3.])
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0 or a.shape[-1] == 0:
        return a.copy()
    # sort each row (NaN last), give every run of equal values the position of its first
    # member, then put the ranks back where the values came from
    key = np.where(np.isnan(a), np.inf, -a if descending else a)
    order = np.argsort(key, axis=-1, kind="stable")
    sk = np.take_along_axis(key, order, axis=-1)
    pos = np.broadcast_to(np.arange(a.shape[-1], dtype=np.float64), a.shape)
    start = np.ones(a.shape, dtype=bool)
    start[..., 1:] = sk[..., 1:] != sk[..., :-1]
    first = np.maximum.accumulate(np.where(start, pos, 0.0), axis=-1)
    ranks = np.empty(a.shape)
    np.put_along_axis(ranks, order, first + 1.0, axis=-1)
    return np.where(np.isnan(a), np.nan, ranks)


def rank_columns(x: np.ndarray) -> np.ndarray:
    """Ascending min-tie ranks of each column of a 2-D array (NaN stays NaN)."""
    return rank_min(np.asarray(x, dtype=np.float64).T).T
