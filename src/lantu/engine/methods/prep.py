"""Denominate, screen and impute.

Contracts (see ``lantu.engine.coin``):

- denominate / impute: ``fn(X, ctx, **params) -> (Y, report)`` with Y the same shape as X;
- screen: ``fn(X, ctx, **params) -> (keep, report)`` with ``keep`` a boolean row mask.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lantu.engine.context import Ctx
from lantu.engine.errors import SpecError
from lantu.engine.registry import Param, register

# ---------------------------------------------------------------- denominate


def _check_denominate(params: dict, data, step: str) -> None:
    by = params.get("by") or {}
    for code, den in by.items():
        if code not in data.tree.indicators:
            raise SpecError(step, f"params.by.{code}", "not an indicator code")
        if den not in data.denominators:
            raise SpecError(
                step, f"params.by.{code}", f"no denominator column '{den}' in the data"
            )
    sc = params.get("scale")
    if isinstance(sc, dict):
        for code in sc:
            if code not in data.tree.indicators:
                raise SpecError(step, f"params.scale.{code}", "not an indicator code")


@register(
    "denominate",
    "divide",
    (
        Param("by", "str_mapping", None, doc="indicator -> denominator column (default: iMeta's Denominator)"),
        Param("scale", "number_or_mapping", 1.0, doc="scale factor, one number or per indicator"),
    ),
    aliases=("standard",),
    validate=_check_denominate,
)
def denominate_divide(X: np.ndarray, ctx: Ctx, by: dict | None, scale) -> tuple[np.ndarray, dict]:
    """Divide indicators by a denominator column and multiply by a scale factor.

    ``y = x / d * scale`` for each indicator with a denominator; a missing numerator or
    denominator gives a missing result; other indicators pass unchanged.
    """
    by = by if by is not None else ctx.data.tree.denominators
    Y = X.copy()
    done = {}
    for j, c in enumerate(ctx.cols):
        den = by.get(c)
        if den is None:
            continue
        d = ctx.data.denominators[den][ctx.units]
        s = scale.get(c, 1.0) if isinstance(scale, dict) else scale
        with np.errstate(divide="ignore", invalid="ignore"):
            y = X[:, j] / d * s
        y[~np.isfinite(y)] = np.nan
        Y[:, j] = y
        done[c] = {"denominator": den, "scale": s}
    return Y, {"denominated": done}


def denominate_panel(panel: np.ndarray, ctx: Ctx, by: dict | None, scale) -> np.ndarray:
    """Apply :func:`denominate_divide` to every period of a panel (periods × units × cols)."""
    by = by if by is not None else ctx.data.tree.denominators
    out = panel.copy()
    pd_ = ctx.data.panel
    for j, c in enumerate(ctx.cols):
        den = by.get(c)
        if den is None or pd_ is None:
            continue
        d = pd_.denominators[den][:, ctx.units]
        s = scale.get(c, 1.0) if isinstance(scale, dict) else scale
        with np.errstate(divide="ignore", invalid="ignore"):
            y = panel[:, :, j] / d * s
        y[~np.isfinite(y)] = np.nan
        out[:, :, j] = y
    return out


# ---------------------------------------------------------------- screen


def _availability(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = X.shape[1]
    nmiss = np.isnan(X).sum(axis=1)
    nzero = (X == 0).sum(axis=1)
    avail = 1.0 - nmiss / p
    with np.errstate(divide="ignore", invalid="ignore"):
        nonzero = np.where(p - nmiss > 0, 1.0 - nzero / (p - nmiss), np.nan)
    return avail, nonzero


def _screen(X: np.ndarray, ctx: Ctx, use_na: bool, use_nz: bool, dat_thresh: float,
            nonzero_thresh: float) -> tuple[np.ndarray, dict]:
    avail, nonzero = _availability(X)
    low_na = avail < dat_thresh if use_na else np.zeros(len(avail), bool)
    low_nz = (nonzero < nonzero_thresh) if use_nz else np.zeros(len(avail), bool)
    keep = ~(low_na | low_nz)
    reasons = []
    for a, b in zip(low_na, low_nz, strict=True):
        r = []
        if a:
            r.append(f"data availability < {dat_thresh}")
        if b:
            r.append(f"share of non-zero values < {nonzero_thresh}")
        reasons.append("; ".join(r))
    table = pd.DataFrame(
        {"uCode": ctx.unit_codes, "Dat_Avail": avail, "Frc_nonzero": nonzero, "Kept": keep,
         "Reason": reasons}
    )
    dropped = table.loc[~keep, ["uCode", "Reason"]].to_dict("records")
    return keep, {"table": table, "dropped": dropped}


_DAT = Param("dat_thresh", "float", 0.66, low=0.0, high=1.0, doc="minimum data availability")
_NZ = Param("nonzero_thresh", "float", 0.05, low=0.0, high=1.0, doc="minimum share of non-zero values")


@register("screen", "byNA", (_DAT,))
def screen_by_na(X: np.ndarray, ctx: Ctx, dat_thresh: float) -> tuple[np.ndarray, dict]:
    """Drop units whose data availability ``1 - missing/p`` is below ``dat_thresh``."""
    return _screen(X, ctx, True, False, dat_thresh, 0.0)


@register("screen", "byNZ", (_NZ,))
def screen_by_nz(X: np.ndarray, ctx: Ctx, nonzero_thresh: float) -> tuple[np.ndarray, dict]:
    """Drop units whose share of non-zero values ``1 - zeros/(p - missing)`` is below the threshold."""
    return _screen(X, ctx, False, True, 0.0, nonzero_thresh)


@register("screen", "both", (_DAT, _NZ))
def screen_both(X: np.ndarray, ctx: Ctx, dat_thresh: float, nonzero_thresh: float) -> tuple[np.ndarray, dict]:
    """Drop units failing either the availability or the non-zero threshold."""
    return _screen(X, ctx, True, True, dat_thresh, nonzero_thresh)


# ---------------------------------------------------------------- impute


def _flag_report(X: np.ndarray, Y: np.ndarray, ctx: Ctx,
                 used: dict[tuple[int, int], list] | None = None) -> dict:
    """The imputation report; ``used`` (panel methods) gives per filled cell the periods whose
    values were used, reported as the cell's ``Time``."""
    imputed = np.isnan(X) & ~np.isnan(Y)
    cells = [
        {"uCode": ctx.data.units[ctx.units[i]], "iCode": ctx.cols[j], "value": float(Y[i, j]),
         **({"Time": used.get((int(i), int(j)), [])} if used is not None else {})}
        for i, j in zip(*np.nonzero(imputed), strict=True)
    ]
    return {"imputed": imputed, "cells": cells, "n_imputed": int(imputed.sum()),
            "n_missing_after": int(np.isnan(Y).sum())}


def _col_stat(X: np.ndarray, how: str) -> np.ndarray:
    ok = ~np.isnan(X)
    cnt = ok.sum(axis=0)
    out = np.full(X.shape[1], np.nan)
    has = cnt > 0
    if how == "mean":
        out[has] = np.where(ok, X, 0.0).sum(axis=0)[has] / cnt[has]
    else:
        if has.any():
            with np.errstate(all="ignore"):
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    out[has] = np.nanmedian(X[:, has], axis=0)
    return out


def _impute_cols(X: np.ndarray, how: str) -> np.ndarray:
    fill = _col_stat(X, how)
    return np.where(np.isnan(X), fill[None, :], X)


@register("impute", "mean", aliases=("i_mean",))
def impute_mean(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """Replace a missing value by the mean of the observed values of its indicator."""
    Y = _impute_cols(X, "mean")
    return Y, _flag_report(X, Y, ctx)


@register("impute", "median", aliases=("i_median",))
def impute_median(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """Replace a missing value by the median of the observed values of its indicator."""
    Y = _impute_cols(X, "median")
    return Y, _flag_report(X, Y, ctx)


def _check_group(params: dict, data, step: str) -> None:
    g = params.get("group")
    if g not in data.groups:
        raise SpecError(step, "params.group", f"no group column '{g}'; groups: {sorted(data.groups)}")


def _impute_grp(X: np.ndarray, ctx: Ctx, group: str, how: str) -> tuple[np.ndarray, dict]:
    labels = ctx.data.groups[group][ctx.units]
    Y = X.copy()
    for g in sorted({v for v in labels if v is not None}):
        rows = np.array([v == g for v in labels])
        Y[rows] = _impute_cols(X[rows], how)
    return Y, _flag_report(X, Y, ctx)


_GROUP = Param("group", "str", doc="group column of the data (e.g. EurAsia_group)")


@register("impute", "mean_grp", (_GROUP,), aliases=("i_mean_grp",), validate=_check_group)
def impute_mean_grp(X: np.ndarray, ctx: Ctx, group: str) -> tuple[np.ndarray, dict]:
    """Replace a missing value by the mean of its indicator among units of the same group."""
    return _impute_grp(X, ctx, group, "mean")


@register("impute", "median_grp", (_GROUP,), aliases=("i_median_grp",), validate=_check_group)
def impute_median_grp(X: np.ndarray, ctx: Ctx, group: str) -> tuple[np.ndarray, dict]:
    """Replace a missing value by the median of its indicator among units of the same group."""
    return _impute_grp(X, ctx, group, "median")


def _check_level(params: dict, data, step: str) -> None:
    lv = params.get("level")
    if lv is not None and not (2 <= lv <= data.tree.max_level):
        raise SpecError(step, "params.level", f"must be between 2 and {data.tree.max_level}, got {lv}")


def _impute_rows(X: np.ndarray, ctx: Ctx, level: int, normalise_first: bool, how: str):
    tree = ctx.data.tree
    pos = tree.index_of
    # ancestor at `level` of each column
    anc = []
    for c in ctx.cols:
        a: str | None = c
        while a is not None and tree.levels[pos[a]] < level:
            a = tree.parents[pos[a]]
        anc.append(a)
    Z = X
    if normalise_first:
        d = ctx.directions
        Xd = X * d
        lo = np.nanmin(np.where(np.isnan(Xd), np.inf, Xd), axis=0)
        hi = np.nanmax(np.where(np.isnan(Xd), -np.inf, Xd), axis=0)
        rng = np.where(hi > lo, hi - lo, np.nan)
        Z = (Xd - lo) / rng * 100.0
    Y = X.copy()
    for g in sorted({a for a in anc if a is not None}):
        cols = np.array([a == g for a in anc])
        sub = Z[:, cols]
        ok = ~np.isnan(sub)
        cnt = ok.sum(axis=1)
        if how == "mean":
            fill = np.where(cnt > 0, np.where(ok, sub, 0.0).sum(axis=1) / np.maximum(cnt, 1), np.nan)
        else:
            fill = np.full(sub.shape[0], np.nan)
            has = cnt > 0
            if has.any():
                fill[has] = np.nanmedian(sub[has], axis=1)
        filled = np.where(np.isnan(sub), fill[:, None], sub)
        if normalise_first:
            idx = np.flatnonzero(cols)
            back = filled / 100.0 * rng[idx] + lo[idx]
            back = back * ctx.directions[idx]
            Y[:, cols] = np.where(np.isnan(X[:, cols]), back, X[:, cols])
        else:
            Y[:, cols] = filled
    return Y, _flag_report(X, Y, ctx)


_LEVEL = Param("level", "int", 2, low=2, doc="level of the aggregation group whose members are used")
_NF = Param("normalise_first", "bool", True, doc="min-max (0-100, with direction) before, back after")


@register("impute", "row_mean", (_LEVEL, _NF), validate=_check_level)
def impute_row_mean(X: np.ndarray, ctx: Ctx, level: int, normalise_first: bool):
    """Replace a missing value by the unit's mean over the other indicators of the same group.

    The group is the ancestor at ``level`` (2 = pillar). With ``normalise_first`` the columns are
    min-max scaled onto [0, 100] (direction applied) before, and the imputed value mapped back.
    """
    return _impute_rows(X, ctx, level, normalise_first, "mean")


@register("impute", "row_median", (_LEVEL, _NF), validate=_check_level)
def impute_row_median(X: np.ndarray, ctx: Ctx, level: int, normalise_first: bool):
    """As ``row_mean`` with the median."""
    return _impute_rows(X, ctx, level, normalise_first, "median")


def _check_panel(params: dict, data, step: str) -> None:
    if data.panel is None:
        raise SpecError(step, "method", "panel imputation needs panel data (iData with several Time values)")


def _panel_of(ctx: Ctx) -> np.ndarray:
    if ctx.panel is None:
        raise SpecError(ctx.step, "dset_in", "panel imputation needs a data set in the units of the "
                        "panel (Raw, or after denominate/impute/screen only)")
    return ctx.panel


def _time_pos(ctx: Ctx) -> int:
    pnl = ctx.data.panel
    assert pnl is not None
    return int(np.flatnonzero(pnl.times == ctx.data.time)[0])


@register(
    "impute",
    "latest",
    (Param("max_time", "int", None, low=1, doc="look back at most this many periods"),),
    aliases=("i_latest",),
    validate=_check_panel,
)
def impute_latest(X: np.ndarray, ctx: Ctx, max_time: int | None):
    """Panel data: replace a missing value by the unit's latest earlier observed value."""
    P = _panel_of(ctx)
    t0 = _time_pos(ctx)
    times = ctx.data.panel.times.tolist()  # type: ignore[union-attr]
    Y = X.copy()
    used: dict[tuple[int, int], list] = {}
    lo = 0 if max_time is None else max(0, t0 - max_time)
    for t in range(t0 - 1, lo - 1, -1):
        miss = np.isnan(Y)
        if not miss.any():
            break
        Y = np.where(miss, P[t], Y)
        for i, j in zip(*np.nonzero(miss & ~np.isnan(Y)), strict=True):
            used[(int(i), int(j))] = [times[t]]
    return Y, _flag_report(X, Y, ctx, used)


@register(
    "impute",
    "linear",
    (Param("max_time", "int", None, low=1,
           doc="use observed periods at most this many periods away (before and after)"),
     Param("extrapolate", "bool", True,
           doc="beyond the first or last observation use the nearest one (else stay missing)")),
    aliases=("i_linear",),
    validate=_check_panel,
)
def impute_linear(X: np.ndarray, ctx: Ctx, max_time: int | None, extrapolate: bool):
    """Panel data: interpolate linearly in time between the nearest observed periods.

    Before the first or after the last observation the nearest observed value is used
    (constant extrapolation) unless ``extrapolate`` is false; with ``max_time`` only periods
    at most that many positions away count. The report gives each filled cell the periods used.
    """
    P = _panel_of(ctx)
    pnl = ctx.data.panel
    assert pnl is not None
    times = pnl.times.astype(np.float64)
    labels = pnl.times.tolist()
    t0 = _time_pos(ctx)
    pos = np.arange(len(times))
    near = np.ones(len(times), dtype=bool) if max_time is None else np.abs(pos - t0) <= max_time
    Y = X.copy()
    used: dict[tuple[int, int], list] = {}
    for i, j in zip(*np.nonzero(np.isnan(X)), strict=True):
        series = P[:, i, j].copy()
        series[t0] = np.nan
        ok = ~np.isnan(series) & near
        before, after = np.flatnonzero(ok & (pos < t0)), np.flatnonzero(ok & (pos > t0))
        if not extrapolate and (before.size == 0 or after.size == 0):
            continue
        if ok.any():
            Y[i, j] = float(np.interp(times[t0], times[ok], series[ok]))
            used[(int(i), int(j))] = [labels[k] for k in (*before[-1:], *after[:1])]
    return Y, _flag_report(X, Y, ctx, used)
