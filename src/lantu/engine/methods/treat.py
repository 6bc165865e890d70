"""Outlier treatment: iterative Winsorisation with a log fallback (COINr's ``winsorise``).

Contract: ``fn(X, ctx, **params) -> (Y, report)``; directions are not applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lantu.engine.context import Ctx
from lantu.engine.registry import Param, register
from lantu.engine.stats import skew_kurt


def _fails(s: float, k: float, skew_thresh: float, kurt_thresh: float) -> bool:
    """Fails only if ``|skew| >= skew_thresh`` AND ``kurt >= kurt_thresh`` (NaN statistics pass)."""
    if np.isnan(s) or np.isnan(k):
        return False
    return bool(abs(s) >= skew_thresh and k >= kurt_thresh)


def log_ct(x: np.ndarray) -> np.ndarray:
    """``ln(x - min(x) + 0.01 * (max(x) - min(x)))`` over the non-missing values.

    Examples
    --------
    >>> np.round(log_ct(np.array([0.0, 1.0, 100.0])), 6)
    array([0.      , 0.693147, 4.615121])
    """
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def _winsorise_step(y: np.ndarray, high: bool) -> np.ndarray | None:
    """Set (in place) all positions equal to the current extreme to the next value inward.

    Returns the mask of changed positions, or None when every value is tied at the extreme.
    """
    ok = ~np.isnan(y)
    ext = np.nanmax(y) if high else np.nanmin(y)
    at = ok & (y == ext)
    rest = y[ok & ~at]
    if rest.size == 0:
        return None
    y[at] = rest.max() if high else rest.min()
    return at


def winsorise_column(
    x: np.ndarray,
    winmax: int,
    skew_thresh: float,
    kurt_thresh: float,
    force_win: bool = False,
    f2: str = "log_CT",
) -> tuple[np.ndarray, dict]:
    """Treat one column (see the module docstring of the reference for the exact rule).

    1. If the column passes (``|skew| < skew_thresh`` or ``kurt < kurt_thresh``) it is unchanged.
    2. Else, while it fails and the count of Winsorised points is below ``winmax``: at the high
       end if skew >= 0 (all positions equal to the maximum get the largest other value), else
       at the low end. The count is the number of positions changed in the latest high-end step
       plus in the latest low-end step (ties can make it jump past ``winmax``).
    3. If it still fails, the Winsorisation is discarded and ``f2`` (``log_CT``) is applied to
       the original column (used whether or not it then passes). ``force_win`` keeps the
       Winsorised column instead.

    Returns
    -------
    (y, info) : numpy.ndarray, dict
        ``info``: status (``passed``, ``winsorised``, ``logged``, ``failed``), n_high, n_low,
        positions changed (``high``, ``low``), skew/kurt before and after.
    """
    s0, k0 = skew_kurt(x)
    info: dict = {"skew": s0, "kurt": k0, "n_high": 0, "n_low": 0, "high": [], "low": []}
    if not _fails(s0, k0, skew_thresh, kurt_thresh):
        info.update(status="passed", skew_after=s0, kurt_after=k0, passes_after=True)
        return x, info
    y = x.copy()
    n_high = n_low = 0
    high: set[int] = set()
    low: set[int] = set()
    s, k = s0, k0
    while (n_high + n_low) < winmax and _fails(s, k, skew_thresh, kurt_thresh):
        at = _winsorise_step(y, high=s >= 0)
        if at is None:
            break
        if s >= 0:
            n_high = int(at.sum())
            high.update(np.flatnonzero(at).tolist())
        else:
            n_low = int(at.sum())
            low.update(np.flatnonzero(at).tolist())
        s, k = skew_kurt(y)
    info.update(n_high=n_high, n_low=n_low, high=sorted(high), low=sorted(low))
    still_fails = _fails(s, k, skew_thresh, kurt_thresh)
    if not still_fails or force_win or f2 == "none":
        info.update(status="failed" if still_fails else "winsorised",
                    skew_after=s, kurt_after=k, passes_after=not still_fails)
        return y, info
    z = log_ct(x)
    s2, k2 = skew_kurt(z)
    info.update(status="logged", n_high=0, n_low=0, high=[], low=[], skew_after=s2, kurt_after=k2,
                passes_after=not _fails(s2, k2, skew_thresh, kurt_thresh))
    return z, info


@register(
    "treat",
    "winsorise",
    (
        Param("winmax", "int", 5, low=0, doc="maximum number of Winsorised points"),
        Param("skew_thresh", "float", 2.0, low=0.0, low_open=True, doc="absolute skewness threshold"),
        Param("kurt_thresh", "float", 3.5, doc="excess kurtosis threshold"),
        Param("force_win", "bool", False, doc="keep the Winsorised column even if it still fails"),
        Param("f2", "choice", "log_CT", choices=("log_CT", "none"), doc="fallback transformation"),
    ),
    aliases=("winsorise_logCT",),
)
def treat_winsorise(
    X: np.ndarray, ctx: Ctx, winmax: int, skew_thresh: float, kurt_thresh: float,
    force_win: bool, f2: str,
) -> tuple[np.ndarray, dict]:
    """Iterative Winsorisation with the ``log_CT`` fallback, column by column."""
    Y = X.copy()
    rows = []
    changed = np.zeros(X.shape, dtype=bool)
    for j, c in enumerate(ctx.cols):
        s, k = skew_kurt(X[:, j])
        if not _fails(s, k, skew_thresh, kurt_thresh):
            rows.append({"iCode": c, "status": "passed", "n_high": 0, "n_low": 0,
                         "skew": s, "kurt": k, "passes_after": True})
            continue
        y, info = winsorise_column(X[:, j], winmax, skew_thresh, kurt_thresh, force_win, f2)
        Y[:, j] = y
        changed[:, j] = ~(np.isnan(X[:, j]) | (y == X[:, j]))
        rows.append({"iCode": c, "status": info["status"], "n_high": info["n_high"],
                     "n_low": info["n_low"], "skew": info["skew"], "kurt": info["kurt"],
                     "passes_after": info["passes_after"],
                     "points": [ctx.data.units[ctx.units[i]] for i in info["high"] + info["low"]]})
    table = pd.DataFrame(rows)
    return Y, {"table": table, "changed": changed,
               "treated": [r["iCode"] for r in rows if r["status"] != "passed"],
               "logged": [r["iCode"] for r in rows if r["status"] == "logged"]}
