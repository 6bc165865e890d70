"""Weighting methods.

Contract: ``fn(X, ctx, **params) -> (weights, report)``. ``X`` is the step's input data set
(columns ``ctx.cols``), ``ctx.weights`` the current weights over all tree nodes (tree order);
the method returns a new full weight vector (it changes only the nodes it is about).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lantu.engine.context import Ctx
from lantu.engine.data import Tree
from lantu.engine.errors import ComputationError, SpecError
from lantu.engine.mcda import ahp_consistency
from lantu.engine.registry import Param, register

__all__ = ["effective_weights", "ahp_weights", "pca_weights"]


def effective_weights(tree: Tree, weights: np.ndarray) -> pd.Series:
    """Weight of every node in the final index: product of sibling-normalised weights up the tree.

    ``w_eff(node) = prod over the path node -> root of w(n) / sum(w of n's siblings incl. n)``;
    the root has 1. The effective weights of the indicators sum to 1 (and so do those of each
    level) when all weights are positive.

    Examples
    --------
    >>> t = Tree.from_frame(pd.DataFrame({"code": ["a", "b", "c", "P", "Q", "I"],
    ...     "parent": ["P", "P", "Q", "I", "I", None], "weight": [1, 3, 1, 1, 1, 1]}))
    >>> effective_weights(t, t.weights).round(3).to_dict()
    {'a': 0.125, 'b': 0.375, 'c': 0.5, 'P': 0.5, 'Q': 0.5, 'I': 1.0}
    """
    pos = tree.index_of
    sums: dict[str, float] = {}
    for c, p in zip(tree.codes, tree.parents, strict=True):
        if p is not None:
            sums[p] = sums.get(p, 0.0) + float(weights[pos[c]])
    out = np.ones(len(tree.codes))
    # aggregates come after their children in tree order: walk from the top down
    for i in range(len(tree.codes) - 1, -1, -1):
        p = tree.parents[i]
        if p is not None:
            out[i] = out[pos[p]] * weights[i] / sums[p]
    return pd.Series(out, index=list(tree.codes), name="weight")


def _set_level(ctx: Ctx, level: int | None, value_of) -> np.ndarray:
    w = ctx.weights.copy()
    tree = ctx.data.tree
    for i, c in enumerate(tree.codes):
        if tree.parents[i] is None:
            continue
        if level is None or tree.levels[i] == level:
            w[i] = value_of(c)
    return w


def _check_manual(params: dict, data, step: str) -> None:
    codes = set(data.tree.codes)
    for c in params["weights"]:
        if c not in codes:
            raise SpecError(step, f"params.weights.{c}", "unknown indicator/aggregate code")
    _check_sums(data.tree, _apply(data.tree, data.tree.weights, params["weights"]), step, "params.weights")


def _apply(tree: Tree, base: np.ndarray, override: dict) -> np.ndarray:
    w = base.copy()
    pos = tree.index_of
    for c, v in override.items():
        w[pos[c]] = v
    return w


def _check_sums(tree: Tree, w: np.ndarray, step: str | None, field: str) -> None:
    sums: dict[str, float] = {}
    for i, p in enumerate(tree.parents):
        if p is not None:
            sums[p] = sums.get(p, 0.0) + float(w[i])
    for p, s in sums.items():
        if s == 0:
            raise SpecError(step, field, f"the weights of the children of '{p}' sum to zero")


@register(
    "weight",
    "manual",
    (Param("weights", "mapping", doc="code -> weight (indicators or aggregates, any level)"),),
    validate=_check_manual,
)
def w_manual(X: np.ndarray, ctx: Ctx, weights: dict) -> tuple[np.ndarray, dict]:
    """Set the weights of the given codes."""
    return _apply(ctx.data.tree, ctx.weights, weights), {"set": dict(weights)}


def _check_level_opt(params: dict, data, step: str) -> None:
    lv = params.get("level")
    if lv is not None and not (1 <= lv < data.tree.max_level):
        raise SpecError(step, "params.level", f"must be between 1 and {data.tree.max_level - 1}, got {lv}")


@register(
    "weight",
    "equal",
    (Param("level", "int", None, low=1, doc="level whose weights are set (default: all)"),),
    validate=_check_level_opt,
)
def w_equal(X: np.ndarray, ctx: Ctx, level: int | None) -> tuple[np.ndarray, dict]:
    """Weight 1 for every child (equal shares within each parent)."""
    return _set_level(ctx, level, lambda c: 1.0), {"level": level}


def _groups_at(tree: Tree, level: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c, lv, p in zip(tree.codes, tree.levels, tree.parents, strict=True):
        if lv == level and p is not None:
            out.setdefault(p, []).append(c)
    return out


def pca_weights(Z: np.ndarray) -> tuple[np.ndarray, float]:
    """Loadings of the first principal component of a correlation PCA (R's ``prcomp``, scaled).

    Rows with a missing value are dropped; columns are centred and divided by their sample sd;
    the loadings are the first right singular vector of the scaled data, with the sign the SVD
    (LAPACK ``gesdd``, as R uses) returns.

    Returns
    -------
    (loadings, share of variance of PC1)
    """
    Z = Z[~np.isnan(Z).any(axis=1)]
    if Z.shape[0] < 2:
        raise ComputationError("PCA needs at least 2 complete rows")
    sd = Z.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise ComputationError("PCA: a column is constant")
    S = (Z - Z.mean(axis=0)) / sd
    _, s, vt = np.linalg.svd(S, full_matrices=False)
    return vt[0].copy(), float(s[0] ** 2 / (s**2).sum())


def _check_pca(params: dict, data, step: str) -> None:
    _check_level_opt({"level": params["level"]}, data, step)


@register(
    "weight",
    "pca",
    (
        Param("level", "int", 1, low=1, doc="level of the weighted nodes (1 = indicators)"),
        Param("sign", "choice", "svd", choices=("svd", "positive"),
              doc="svd: as the SVD returns (COINr); positive: flip a group so its loadings sum > 0"),
    ),
    validate=_check_pca,
)
def w_pca(X: np.ndarray, ctx: Ctx, level: int, sign: str) -> tuple[np.ndarray, dict]:
    """PC1 loadings of each group of siblings at ``level`` (COINr's ``get_PCA`` weights)."""

    def weigh(parent: str, kids: list[str], Z: np.ndarray) -> tuple[np.ndarray, dict]:
        try:
            load, share = pca_weights(Z)
        except ComputationError as e:
            raise ComputationError(f"step '{ctx.step}': group '{parent}': {e}") from None
        if sign == "positive" and load.sum() < 0:
            load = -load
        return load, {"var_share": share}

    return _group_weights(X, ctx, level, weigh)


def _group_weights(X: np.ndarray, ctx: Ctx, level: int, weigh) -> tuple[np.ndarray, dict]:
    """The weights of each group of siblings at ``level``, the one loop of every data-driven
    weighting (PCA, entropy, CRITIC): ``weigh(parent, kids, Z)`` gets the group's complete rows
    (a row missing a value of the group is left out) and returns the kids' weights and what it
    reports beside them. A group whose column the data set lacks is a :class:`SpecError`. The
    report of a group: ``weights``, ``rows_used`` and what ``weigh`` added."""
    tree = ctx.data.tree
    pos = tree.index_of
    col = {c: j for j, c in enumerate(ctx.cols)}
    w = ctx.weights.copy()
    report = {}
    for parent, kids in _groups_at(tree, level).items():
        missing = [k for k in kids if k not in col]
        if missing:
            raise SpecError(ctx.step, "dset_in", f"the data set has no column '{missing[0]}' (level {level})")
        Z = X[:, [col[k] for k in kids]]
        Z = Z[~np.isnan(Z).any(axis=1)]
        ww, extra = weigh(parent, kids, Z)
        for k, v in zip(kids, ww, strict=True):
            w[pos[k]] = v
        report[parent] = {"weights": dict(zip(kids, np.asarray(ww).tolist(), strict=True)),
                          "rows_used": int(Z.shape[0]), **extra}
    return w, report


def ahp_weights(A: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Weights from a pairwise comparison matrix (Saaty's eigenvector method).

    The one implementation is :func:`lantu.engine.mcda.ahp_consistency` (Saaty's random index
    table, reciprocity within 1e-3); this returns its figures as a tuple for the spec step.

    Returns
    -------
    (weights summing to 1, lambda_max, consistency ratio CR = CI / RI, CI = (lambda_max - n)/(n - 1))

    Examples
    --------
    >>> w, lam, cr = ahp_weights(np.array([[1, 3], [1 / 3, 1]]))
    >>> w.round(3).tolist(), cr
    ([0.75, 0.25], 0.0)
    """
    res = ahp_consistency(A)
    return res.weights, res.lambda_max, res.cr


def _check_ahp_matrices(params: dict, step: str) -> None:
    for parent, m in params["matrices"].items():
        f = f"params.matrices.{parent}"
        try:
            _, _, cr = ahp_weights(np.asarray(m, dtype=float))
        except ValueError as exc:
            raise SpecError(step, f, str(exc).removeprefix("ahp_weights: argument matrix ")) from None
        if cr > 0.1 and not params["allow_inconsistent"]:
            raise SpecError(step, f, f"consistency ratio {cr:.3f} > 0.1 (set allow_inconsistent: true to accept)")


def _check_ahp_tree(params: dict, data, step: str) -> None:
    tree = data.tree
    order = params.get("order") or {}
    for parent, m in params["matrices"].items():
        f = f"params.matrices.{parent}"
        if parent not in tree.codes or not tree.children(parent):
            raise SpecError(step, f, f"'{parent}' is not an aggregate of the tree")
        kids = order.get(parent, tree.children(parent))
        if not isinstance(kids, list) or sorted(map(str, kids)) != sorted(tree.children(parent)):
            raise SpecError(step, f"params.order.{parent}", f"must list the children of '{parent}': {tree.children(parent)}")
        if len(m) != len(kids):
            raise SpecError(step, f, f"must be {len(kids)}×{len(kids)} (children {kids}), got {len(m)}×{len(m)}")


@register(
    "weight",
    "ahp",
    (
        Param("matrices", "matrices", doc="parent -> pairwise matrix over its children"),
        Param("order", "dict", None, doc="parent -> list of children in matrix order (default: tree order)"),
        Param("allow_inconsistent", "bool", False, doc="accept a consistency ratio above 0.1"),
    ),
    check=_check_ahp_matrices,
    validate=_check_ahp_tree,
)
def w_ahp(X: np.ndarray, ctx: Ctx, matrices: dict, order: dict | None, allow_inconsistent: bool):
    """AHP weights of the children of each given parent; the consistency ratio is reported."""
    tree = ctx.data.tree
    pos = tree.index_of
    w = ctx.weights.copy()
    report = {}
    for parent, m in matrices.items():
        kids = (order or {}).get(parent, tree.children(parent))
        ww, lam, cr = ahp_weights(np.asarray(m, dtype=float))
        for k, v in zip(kids, ww, strict=True):
            w[pos[k]] = v
        report[parent] = {"weights": dict(zip(kids, ww.tolist(), strict=True)), "lambda_max": lam, "CR": cr}
    return w, report


# ------------------------------------------------------------ entropy and CRITIC (lantu.engine.mcda)


def _per_group_weights(X: np.ndarray, ctx: Ctx, level: int, directions: bool, fn, what: str):
    """Apply ``fn(values, directions) -> weights`` to each group of siblings at ``level``."""
    tree = ctx.data.tree

    def weigh(parent: str, kids: list[str], Z: np.ndarray) -> tuple[np.ndarray, dict]:
        d = np.array([tree.directions[tree.index_of[k]] for k in kids]) if directions else None
        try:
            return fn(Z, d), {}
        except ValueError as e:
            raise ComputationError(f"step '{ctx.step}': {what} of the children of '{parent}': {e}") from None

    return _group_weights(X, ctx, level, weigh)


_LEVEL_W = Param("level", "int", 1, low=1, doc="level of the weighted nodes (1 = indicators)")
_DIRS = Param("directions", "bool", False,
              doc="apply the tree's directions (for raw data); normalised data are already 'higher is better'")


@register(
    "weight", "entropy",
    (_LEVEL_W, _DIRS, Param("shift", "float", 0.0, low=0.0, doc="constant added before the shares (ln 0)")),
    validate=_check_pca,
)
def w_entropy(X: np.ndarray, ctx: Ctx, level: int, directions: bool, shift: float):
    """Entropy weights (熵权) of each group of siblings (``lantu.engine.mcda.entropy_weights``).

    Rows with a missing value in the group are left out.
    """
    from lantu.engine.mcda import entropy_weights

    return _per_group_weights(X, ctx, level, directions,
                              lambda Z, d: entropy_weights(Z, d, shift), "entropy weights")


@register("weight", "critic", (_LEVEL_W, _DIRS), validate=_check_pca)
def w_critic(X: np.ndarray, ctx: Ctx, level: int, directions: bool):
    """CRITIC weights of each group of siblings (``lantu.engine.mcda.critic_weights``)."""
    from lantu.engine.mcda import critic_weights

    return _per_group_weights(X, ctx, level, directions, critic_weights, "CRITIC weights")
