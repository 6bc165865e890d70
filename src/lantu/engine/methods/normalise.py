"""Normalisation methods.

Contract: ``fn(X, ctx, **params) -> (Y, report)``. ``X`` arrives already multiplied by each
indicator's direction (+1/-1), so every method treats "higher is better".
"""

from __future__ import annotations

import warnings

import numpy as np

from lantu.engine.context import Ctx
from lantu.engine.errors import SpecError
from lantu.engine.registry import Param, check_overrides, check_params, get_method, register
from lantu.engine.stats import rank_columns


def _minmax_of(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = ~np.isnan(X)
    lo = np.where(ok, X, np.inf).min(axis=0)
    hi = np.where(ok, X, -np.inf).max(axis=0)
    none = ~ok.any(axis=0)
    lo[none] = np.nan
    hi[none] = np.nan
    return lo, hi


def _constant_report(ctx: Ctx, lo: np.ndarray, hi: np.ndarray) -> dict:
    const = [c for c, a, b in zip(ctx.cols, lo, hi, strict=True) if a == b]
    return {"constant_columns": const} if const else {}


def _check_pair_increasing(name: str):
    def check(params: dict, step: str) -> None:
        a, b = params[name]
        if not a < b:
            raise SpecError(step, f"params.{name}", f"lower bound must be below upper bound, got {[a, b]}")

    return check


@register(
    "normalise",
    "minmax",
    (Param("l_u", "pair", [0.0, 100.0], doc="target interval [l, u]"),),
    aliases=("n_minmax",),
    check=_check_pair_increasing("l_u"),
)
def n_minmax(X: np.ndarray, ctx: Ctx, l_u: list[float]) -> tuple[np.ndarray, dict]:
    """``(x - min) / (max - min) * (u - l) + l``; a constant column gives NaN (reported)."""
    lo, hi = _minmax_of(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = (X - lo) / (hi - lo) * (l_u[1] - l_u[0]) + l_u[0]
    Y[~np.isfinite(Y)] = np.nan
    return Y, _constant_report(ctx, lo, hi)


def _check_zscore(params: dict, step: str) -> None:
    if not params["m_sd"][1] > 0:
        raise SpecError(step, "params.m_sd", f"target sd must be > 0, got {params['m_sd'][1]}")


@register(
    "normalise",
    "zscore",
    (Param("m_sd", "pair", [0.0, 1.0], doc="target [mean, sd]"),),
    aliases=("n_zscore",),
    check=_check_zscore,
)
def n_zscore(X: np.ndarray, ctx: Ctx, m_sd: list[float]) -> tuple[np.ndarray, dict]:
    """``(x - mean) / sd * sd_t + m_t`` with the sample sd (n - 1)."""
    ok = ~np.isnan(X)
    n = ok.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(ok, X, 0.0).sum(axis=0) / n
        d = np.where(ok, X - mean, 0.0)
        sd = np.sqrt((d * d).sum(axis=0) / (n - 1))
        Y = (X - mean) / sd * m_sd[1] + m_sd[0]
    Y[~np.isfinite(Y)] = np.nan
    const = [c for c, s in zip(ctx.cols, sd, strict=True) if not s > 0]
    return Y, ({"constant_columns": const} if const else {})


@register(
    "normalise",
    "scaled",
    (Param("npara", "pair", [0.0, 100.0], doc="[l, u]: y = (x - l) / (u - l) * 100"),),
    aliases=("n_scaled",),
    check=_check_pair_increasing("npara"),
)
def n_scaled(X: np.ndarray, ctx: Ctx, npara: list[float]) -> tuple[np.ndarray, dict]:
    """``(x - l) / (u - l) * 100`` (a fixed linear map, not min-max)."""
    return (X - npara[0]) / (npara[1] - npara[0]) * 100.0, {}


@register("normalise", "fracmax", aliases=("n_fracmax",))
def n_fracmax(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """``x / max(x)``."""
    _, hi = _minmax_of(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = X / hi
    Y[~np.isfinite(Y)] = np.nan
    return Y, {}


@register("normalise", "dist2max", aliases=("n_dist2max",))
def n_dist2max(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """``1 - (max - x) / (max - min)``."""
    lo, hi = _minmax_of(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = 1.0 - (hi - X) / (hi - lo)
    Y[~np.isfinite(Y)] = np.nan
    return Y, _constant_report(ctx, lo, hi)


def _check_ref(params: dict, data, step: str) -> None:
    if params["ref"] not in data.units:
        raise SpecError(step, "params.ref", f"unknown unit code {params['ref']!r}")


@register(
    "normalise",
    "dist2ref",
    (
        Param("ref", "str", doc="code of the reference unit"),
        Param("cap_max", "bool", False, doc="cap scores above the reference at 1"),
    ),
    aliases=("n_dist2ref",),
    validate=_check_ref,
)
def n_dist2ref(X: np.ndarray, ctx: Ctx, ref: str, cap_max: bool) -> tuple[np.ndarray, dict]:
    """``1 - (x_ref - x) / (x_ref - min)`` with ``x_ref`` the reference unit's value."""
    codes = ctx.unit_codes
    if ref not in codes:
        raise SpecError(ctx.step, "params.ref", f"unit {ref!r} is not in the data set (screened out?)")
    xr = X[codes.index(ref)]
    lo, _ = _minmax_of(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = 1.0 - (xr - X) / (xr - lo)
    Y[~np.isfinite(Y)] = np.nan
    if cap_max:
        Y = np.where(Y > 1, 1.0, Y)
    return Y, {}


def _targets_for(ctx: Ctx, targets: dict | None) -> np.ndarray:
    src = dict(ctx.data.tree.targets)
    src.update(targets or {})
    missing = [c for c in ctx.cols if c not in src]
    if missing:
        raise SpecError(ctx.step, "params.targets", f"no target for indicator(s) {', '.join(missing)}")
    return np.array([src[c] for c in ctx.cols]) * ctx.directions


@register(
    "normalise",
    "dist2targ",
    (
        Param("targets", "mapping", None, doc="indicator -> target (default: iMeta's Target)"),
        Param("cap_max", "bool", False, doc="cap scores beyond the target at 1"),
    ),
    aliases=("n_dist2targ",),
)
def n_dist2targ(X: np.ndarray, ctx: Ctx, targets: dict | None, cap_max: bool) -> tuple[np.ndarray, dict]:
    """``1 - (t - x) / (t - min)``; the target is multiplied by the direction like the data."""
    t = _targets_for(ctx, targets)
    lo, _ = _minmax_of(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = 1.0 - (t - X) / (t - lo)
    Y[~np.isfinite(Y)] = np.nan
    if cap_max:
        Y = np.where(Y > 1, 1.0, Y)
    return Y, {}


@register(
    "normalise",
    "goalposts",
    (
        Param("lower", "mapping", doc="indicator -> lower goalpost (original units)"),
        Param("upper", "mapping", doc="indicator -> upper goalpost (original units)"),
        Param("scale", "float", 100.0, low=0.0, low_open=True, doc="scores run from 0 to scale"),
        Param("trunc", "bool", True, doc="truncate scores outside the goalposts to [0, 1]"),
    ),
    aliases=("n_goalposts",),
)
def n_goalposts(
    X: np.ndarray, ctx: Ctx, lower: dict, upper: dict, scale: float, trunc: bool
) -> tuple[np.ndarray, dict]:
    """``(x - l) / (u - l)`` (``(u - x) / (u - l)`` for direction -1), truncated, times scale."""
    missing = [c for c in ctx.cols if c not in lower or c not in upper]
    if missing:
        raise SpecError(ctx.step, "params.lower", f"no goalposts for indicator(s) {', '.join(missing)}")
    lo = np.array([lower[c] for c in ctx.cols])
    up = np.array([upper[c] for c in ctx.cols])
    d = ctx.directions
    # X arrives multiplied by d; goalposts are multiplied the same way
    lo_d, up_d = lo * d, up * d
    with np.errstate(divide="ignore", invalid="ignore"):
        Y = np.where(d > 0, (X - lo_d) / (up_d - lo_d), (X - up_d) / (lo_d - up_d))
    if trunc:
        Y = np.clip(Y, 0.0, 1.0)
    return Y * scale, {}


@register("normalise", "rank", aliases=("n_rank",))
def n_rank(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """Ascending rank within the column (highest value gets n), ties get the minimum rank."""
    return rank_columns(X), {}


@register("normalise", "prank", aliases=("n_prank", "percentile_rank"))
def n_prank(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """Percentile rank ``(rank - 1) / (n - 1)`` with min-tie ranks."""
    n = (~np.isnan(X)).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (rank_columns(X) - 1.0) / (n - 1.0), {}


@register("normalise", "borda", aliases=("n_borda",))
def n_borda(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """Borda score ``rank - 1`` (the number of units ranked strictly below)."""
    return rank_columns(X) - 1.0, {}


@register("normalise", "none")
def n_none(X: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, dict]:
    """No scaling: only the direction is applied."""
    return X.copy(), {}


# ------------------------------------------------------------ per-indicator methods


def check_normalise(method: str, params: dict, data, step: str) -> dict:
    """Check a normalise step: its method's params plus ``by_indicator`` (code -> {method, params})."""
    own = {k: v for k, v in params.items() if k != "by_indicator"}
    resolved = check_params(get_method("normalise", method, step), own, step, data)

    def key(code: object, f: str) -> str:
        if data is not None and code not in data.tree.indicators:
            raise SpecError(step, f, "not an indicator code")
        return str(code)

    out_bi = check_overrides("normalise", params.get("by_indicator"), step, "params.by_indicator", key, data)
    out = dict(resolved)
    out["by_indicator"] = out_bi
    return out


def normalise_columns(X: np.ndarray, ctx: Ctx, method: str, params: dict) -> tuple[np.ndarray, dict]:
    """Run a normalise step: its method on every column, then each ``by_indicator`` override on
    its own columns (``X`` already multiplied by the directions)."""
    own = {k: v for k, v in params.items() if k != "by_indicator"}
    Y, report = get_method("normalise", method, ctx.step).fn(X, ctx, **own)
    overrides = params.get("by_indicator") or {}
    if overrides:
        Y = np.array(Y, dtype=np.float64, copy=True)
        groups: dict[tuple, list[int]] = {}
        for j, c in enumerate(ctx.cols):
            if c in overrides:
                o = overrides[c]
                groups.setdefault((o["method"], repr(o["params"])), []).append(j)
        for (name, _), cols in groups.items():
            sub = Ctx(ctx.data, ctx.step, ctx.units, tuple(ctx.cols[j] for j in cols), ctx.weights,
                      ctx.dsets)
            y, rep = get_method("normalise", name, ctx.step).fn(
                X[:, cols], sub, **overrides[ctx.cols[cols[0]]]["params"])
            Y[:, cols] = y
            report = {**report, **{f"by_indicator.{ctx.cols[j]}": rep for j in cols if rep}}
    return Y, report
