"""Aggregation, level by level.

Contract of a method: ``fn(X, W, lv, **params) -> Y`` where ``X`` is units × children (all the
nodes of one level, NaN = missing), ``W`` is children × parents holding each child's weight in
its parent's column (0 elsewhere), ``lv`` a :class:`Level` (codes, for error messages) and ``Y``
is units × parents. Weights of missing children are dropped and the rest re-scaled
(``sum w x / sum w`` over the present children); all children missing gives NaN.

The runner :func:`aggregate_tree` applies a method per level (``by_level``) and a data
availability threshold per level (``dat_thresh``: a parent is NaN when the share of its present
children is below it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lantu.engine.data import Tree
from lantu.engine.errors import ComputationError, SpecError
from lantu.engine.registry import Param, check_overrides, check_params, get_method, register

__all__ = ["Level", "aggregate_tree", "tree_levels"]


@dataclass(frozen=True)
class Level:
    """Structure of one aggregation level."""

    level: int
    children: tuple[str, ...]
    parents: tuple[str, ...]
    child_idx: np.ndarray  # positions of the children in tree order
    parent_idx: np.ndarray  # positions of the parents in tree order
    member: np.ndarray  # children × parents, 1.0 where child belongs to parent
    units: Sequence[str] = ()
    step: str = "aggregate"

    def with_units(self, units: Sequence[str], step: str) -> Level:
        return Level(self.level, self.children, self.parents, self.child_idx, self.parent_idx,
                     self.member, units, step)


def tree_levels(tree: Tree) -> list[Level]:
    """Aggregation levels 2..top of a tree (cached per tree object)."""
    cached = getattr(tree, "_levels_cache", None)
    if cached is not None:
        return cached
    pos = tree.index_of
    out = []
    for lv in range(2, tree.max_level + 1):
        parents = [c for c, v in zip(tree.codes, tree.levels, strict=True) if v == lv]
        children = [c for c, v in zip(tree.codes, tree.levels, strict=True) if v == lv - 1]
        m = np.zeros((len(children), len(parents)))
        ppos = {p: j for j, p in enumerate(parents)}
        for i, c in enumerate(children):
            m[i, ppos[str(tree.parents[pos[c]])]] = 1.0  # a child below the top has a parent
        out.append(
            Level(lv, tuple(children), tuple(parents), np.array([pos[c] for c in children]),
                  np.array([pos[p] for p in parents]), m)
        )
    object.__setattr__(tree, "_levels_cache", out)
    return out


def _present(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nan = np.isnan(X)
    return nan, (~nan).astype(np.float64)


def _den(A: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Sum of the weights of the present children (NaN where no child is present)."""
    return np.where(A @ lv.member > 0, A @ W, np.nan)


def _bad(X: np.ndarray, mask: np.ndarray, lv: Level, what: str) -> None:
    if mask.any():
        i, j = np.argwhere(mask)[0]
        unit = lv.units[i] if len(lv.units) else str(i)
        raise ComputationError(
            f"step '{lv.step}': {what} at level {lv.level}: unit '{unit}', "
            f"{'indicator' if lv.level == 2 else 'aggregate'} '{lv.children[j]}' is {X[i, j]:g}"
        )


@register("aggregate", "amean", aliases=("a_amean", "arithmetic"))
def a_amean(X: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Weighted arithmetic mean ``sum w x / sum w``."""
    nan, A = _present(X)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(nan, 0.0, X) @ W / _den(A, W, lv)


@register("aggregate", "gmean", aliases=("a_gmean", "geometric"))
def a_gmean(X: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Weighted geometric mean ``exp(sum w ln x / sum w)``; a value <= 0 is an error."""
    nan, A = _present(X)
    _bad(X, ~nan & (X <= 0), lv, "geometric mean needs positive values")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp(np.where(nan, 0.0, np.log(np.where(nan, 1.0, X))) @ W / _den(A, W, lv))


@register("aggregate", "hmean", aliases=("a_hmean", "harmonic"))
def a_hmean(X: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Weighted harmonic mean ``sum w / sum (w / x)``; a value <= 0 is an error."""
    nan, A = _present(X)
    _bad(X, ~nan & (X <= 0), lv, "harmonic mean needs positive values")
    with np.errstate(invalid="ignore", divide="ignore"):
        return _den(A, W, lv) / (np.where(nan, 0.0, 1.0 / np.where(nan, 1.0, X)) @ W)


def _check_p(params: dict, step: str) -> None:
    if params["p"] == 0:
        raise SpecError(step, "params.p", "p = 0 is the geometric mean: use method 'gmean'")


@register(
    "aggregate",
    "pmean",
    (Param("p", "float", 2.0, doc="exponent (p != 0)"),),
    aliases=("a_genmean", "genmean", "power"),
    check=_check_p,
)
def a_pmean(X: np.ndarray, W: np.ndarray, lv: Level, p: float) -> np.ndarray:
    """Weighted power mean ``(sum w x^p / sum w)^(1/p)``; needs x > 0 unless p is a positive integer."""
    nan, A = _present(X)
    if p < 0 or not float(p).is_integer():
        _bad(X, ~nan & (X <= 0), lv, f"power mean with p = {p} needs positive values")
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.where(nan, 0.0, np.where(nan, 1.0, X) ** p) @ W / _den(A, W, lv)) ** (1.0 / p)


def _per_parent(X: np.ndarray, W: np.ndarray, fn) -> np.ndarray:
    out = np.full((X.shape[0], W.shape[1]), np.nan)
    for j in range(W.shape[1]):
        kids = np.flatnonzero(W[:, j] != 0)
        out[:, j] = fn(X[:, kids], W[kids, j])
    return out


def _wmedian(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    out = np.full(X.shape[0], np.nan)
    for i in range(X.shape[0]):
        ok = ~np.isnan(X[i])
        if not ok.any():
            continue
        x, ww = X[i, ok], w[ok]
        o = np.argsort(x, kind="mergesort")
        x, ww = x[o], ww[o]
        c = np.cumsum(ww) / ww.sum()
        k = int(np.searchsorted(c, 0.5 - 1e-12))
        if abs(c[k] - 0.5) <= 1e-12 and k + 1 < len(x):
            out[i] = (x[k] + x[k + 1]) / 2.0
        else:
            out[i] = x[k]
    return out


@register("aggregate", "wmedian", aliases=("a_wmedian", "median"))
def a_wmedian(X: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Weighted median: the smallest value whose cumulative weight share exceeds 0.5.

    Values are sorted; with cumulative shares ``c_k``, the median is ``x_k`` for the first k with
    ``c_k > 0.5``, or ``(x_k + x_{k+1}) / 2`` when ``c_k`` equals 0.5 exactly (the usual median
    for equal weights). Missing values and their weights are dropped.
    """
    return _per_parent(X, W, _wmedian)


def _copeland(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    w = w / w.sum()
    n = X.shape[0]
    a = X[:, None, :]
    b = X[None, :, :]
    gt = (a > b) @ w
    eq = (a == b) @ w
    orm = gt + eq / 2.0
    iu = np.triu_indices(n, 1)
    full = np.zeros((n, n))
    full[iu] = orm[iu]
    full.T[iu] = 1.0 - orm[iu]
    diff = full - 0.5
    # a share within rounding of one half is a tie (weights re-scaled to sum 1 rarely add up to
    # exactly 0.5 in floating point even when they should)
    s = np.where(np.abs(diff) <= 1e-12, 0.0, np.sign(diff))
    np.fill_diagonal(s, 0.0)
    return s.sum(axis=1)


@register("aggregate", "copeland", aliases=("a_copeland",))
def a_copeland(X: np.ndarray, W: np.ndarray, lv: Level) -> np.ndarray:
    """Copeland score: pairwise wins minus losses by outranking share.

    For units i < j, ``P_ij`` = sum of the (sum-1) weights of children where i is higher plus
    half of those where they are equal (children missing for either unit count for neither);
    ``P_ji = 1 - P_ij``. The score of i is ``#{j: P_ij > 0.5} - #{j: P_ij < 0.5}``, with
    ``|P_ij - 0.5| <= 1e-12`` counted as a tie.
    """
    return _per_parent(X, W, _copeland)


def _topsis_group(normalisation: str):
    def fn(X: np.ndarray, w: np.ndarray) -> np.ndarray:
        from lantu.engine.mcda import topsis

        out = np.full(X.shape[0], np.nan)
        ok = ~np.isnan(X).any(axis=1)
        if ok.any():
            out[ok] = topsis(X[ok], w, None, normalisation)  # type: ignore[arg-type]  # checked by the spec
        return out

    return fn


@register(
    "aggregate",
    "topsis",
    (Param("normalisation", "choice", "vector", choices=("vector", "minmax"),
           doc="column normalisation inside TOPSIS"),),
    aliases=("a_topsis",),
)
def a_topsis(X: np.ndarray, W: np.ndarray, lv: Level, normalisation: str) -> np.ndarray:
    """TOPSIS closeness of each unit over the children (``lantu.engine.mcda.topsis``).

    All children count as benefit criteria (the data are normalised); units with a missing
    child get NaN (TOPSIS needs complete rows). Scores are in [0, 1] and depend on the other
    units.
    """
    try:
        return _per_parent(X, W, _topsis_group(normalisation))
    except ValueError as e:
        raise ComputationError(f"step '{lv.step}': TOPSIS at level {lv.level}: {e}") from None


_COMMON = (
    Param("dat_thresh", "level_mapping", None,
          doc="minimum share of present children (one number or level -> number)"),
    Param("by_level", "dict", None, doc="level -> {method, params} overriding the method at that level"),
)


def common_params() -> tuple[Param, ...]:
    """Parameters every aggregation step accepts besides its method's own."""
    return _COMMON


def split_params(params: dict) -> tuple[dict, dict]:
    """Split an aggregate step's params into (runner params, method params)."""
    common = {p.name for p in _COMMON}
    return ({k: v for k, v in params.items() if k in common},
            {k: v for k, v in params.items() if k not in common})


def check_aggregate(method: str, params: dict, data, step: str) -> dict:
    """Check an aggregate step (method, its params, ``dat_thresh``, ``by_level``); return resolved."""
    run, own = split_params(params)
    m = get_method("aggregate", method, step)
    resolved = check_params(m, own, step, data)
    dt = run.get("dat_thresh")
    if dt is not None:
        dt = Param("dat_thresh", "level_mapping", low=0.0, high=1.0).check(dt, step)

    def key(k: object, f: str) -> int:
        try:
            lvl = int(k)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise SpecError(step, f, "keys must be levels (integers)") from None
        if data is not None and not (2 <= lvl <= data.tree.max_level):
            raise SpecError(step, f, f"level must be between 2 and {data.tree.max_level}")
        return lvl

    out_bl = check_overrides("aggregate", run.get("by_level"), step, "params.by_level", key, data)
    out = dict(resolved)
    out["dat_thresh"] = dt
    out["by_level"] = out_bl
    return out


def aggregate_tree(
    X: np.ndarray,
    tree: Tree,
    weights: np.ndarray,
    method: str,
    params: dict,
    units: Sequence[str],
    step: str,
) -> tuple[np.ndarray, list[str], dict]:
    """Aggregate indicator columns (tree order) up to the root.

    Returns
    -------
    (values, aggregate codes, report): ``values`` is units × aggregates (levels 2..top in tree
    order).
    """
    run, own = split_params(params)
    by_level = run.get("by_level") or {}
    dt = run.get("dat_thresh")
    n = X.shape[0]
    full = np.empty((n, len(tree.codes)))
    p = tree.n_indicators
    full[:, :p] = X
    report: dict = {"methods": {}}
    for lv in tree_levels(tree):
        entry = by_level.get(lv.level)
        if entry is not None:
            m = get_method("aggregate", entry["method"], step)
            mp = entry["params"]
        else:
            m = get_method("aggregate", method, step)
            mp = own
        W = lv.member * weights[lv.child_idx][:, None]
        Xc = full[:, lv.child_idx]
        Y = m.fn(Xc, W, lv.with_units(units, step), **mp)
        thr = dt.get(lv.level) if isinstance(dt, dict) else dt
        if thr is not None:
            share = (~np.isnan(Xc)).astype(np.float64) @ lv.member / lv.member.sum(axis=0)
            Y = np.where(share < thr, np.nan, Y)
        full[:, lv.parent_idx] = Y
        report["methods"][lv.level] = m.name
    return full[:, p:], list(tree.codes[p:]), report
