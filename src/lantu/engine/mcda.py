"""Multi-criteria methods of Chinese evaluation practice: entropy and CRITIC weights, TOPSIS, AHP.

Every public function takes a decision matrix ``X`` (alternatives in rows, criteria in columns),
passes it through one validation gate (:func:`check_matrix`, :func:`check_directions`,
:func:`check_weights`) and returns plain NumPy arrays. Weights always sum to 1.

Formulas, the shift used against ``ln 0`` and the treatment of constant columns are documented in
``docs/analysis.md``; the short version is in each docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AHPResult",
    "RANDOM_INDEX",
    "ahp_consistency",
    "ahp_weights",
    "check_directions",
    "check_matrix",
    "check_weights",
    "critic_weights",
    "entropy_topsis",
    "entropy_weights",
    "topsis",
]

FloatArray = NDArray[np.float64]

#: Saaty's random consistency index RI for matrices of order 1-10 (Saaty, *The Analytic
#: Hierarchy Process*, 1980). Larger matrices need an explicit ``ri``.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}

_STANDARDISE = ("minmax", "none")
_NORMALISATION = ("vector", "minmax")


# --------------------------------------------------------------------------------------------
# The validation gate
# --------------------------------------------------------------------------------------------


def check_matrix(X: ArrayLike, func: str, name: str = "X", *, min_rows: int = 1) -> FloatArray:
    """Return ``X`` as a finite 2-D float64 array or raise ``ValueError`` naming ``func`` and ``name``.

    Parameters
    ----------
    X : array-like
        Decision matrix, alternatives in rows and criteria in columns (a DataFrame works).
    func : str
        Name of the public function doing the check (used in the message).
    name : str
        Name of the argument (used in the message).
    min_rows : int
        Fewest rows the method needs.

    Returns
    -------
    numpy.ndarray
        ``float64`` array; no copy when ``X`` already is one.

    Examples
    --------
    >>> check_matrix([[1, 2], [3, 4]], "demo").dtype
    dtype('float64')
    """
    try:
        A = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: argument {name} must be numeric; {exc}") from None
    if A.ndim != 2:
        raise ValueError(
            f"{func}: argument {name} must be a 2-D array (alternatives × criteria); "
            f"got {A.ndim}-D with shape {A.shape}"
        )
    n, m = A.shape
    if n < min_rows or m < 1:
        raise ValueError(
            f"{func}: argument {name} needs at least {min_rows} rows and 1 column; got shape {A.shape}"
        )
    # One reduction is enough when everything is finite (a NaN or ±inf makes the sum non-finite);
    # only then look for the offending cell (the sum may also overflow on huge finite values).
    if not np.isfinite(A.sum()):
        bad = np.argwhere(~np.isfinite(A))
        if bad.size:
            i, j = (int(v) for v in bad[0])
            raise ValueError(
                f"{func}: argument {name} must be finite; {name}[{i}, {j}] is {A[i, j]} "
                f"({len(bad)} non-finite cell{'' if len(bad) == 1 else 's'} in all)"
            )
    return A


def check_directions(directions: ArrayLike | None, m: int, func: str) -> FloatArray:
    """Return criterion directions as a float array of ±1 (``None`` means all +1).

    Parameters
    ----------
    directions : array-like or None
        One entry per criterion: ``1`` (benefit, more is better) or ``-1`` (cost, less is better).
    m : int
        Number of criteria.
    func : str
        Name of the calling function (used in the message).

    Returns
    -------
    numpy.ndarray
        Shape ``(m,)``.

    Examples
    --------
    >>> check_directions([1, -1], 2, "demo")
    array([ 1., -1.])
    """
    if directions is None:
        return np.ones(m)
    d = _as_vector(directions, m, func, "directions")
    bad = np.flatnonzero((d != 1.0) & (d != -1.0))
    if bad.size:
        k = int(bad[0])
        raise ValueError(
            f"{func}: argument directions must contain only 1 (benefit) or -1 (cost); "
            f"directions[{k}] is {d[k]}"
        )
    return d


def check_weights(
    weights: ArrayLike, m: int, func: str, *, name: str = "weights", per: str = "criterion"
) -> FloatArray:
    """Return non-negative weights rescaled to sum to 1, or raise ``ValueError``.

    Parameters
    ----------
    weights : array-like
        One non-negative weight per criterion, not all zero.
    m : int
        Number of criteria.
    func : str
        Name of the calling function (used in the message).
    name, per : str
        Argument name and what one entry stands for (used in the message).

    Returns
    -------
    numpy.ndarray
        Shape ``(m,)``, summing to 1.

    Examples
    --------
    >>> check_weights([1, 3], 2, "demo")
    array([0.25, 0.75])
    """
    w = _as_vector(weights, m, func, name, per)
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        k = int(bad[0])
        raise ValueError(
            f"{func}: argument {name} must be finite and non-negative; {name}[{k}] is {w[k]}"
        )
    total = w.sum()
    if not total > 0:
        raise ValueError(f"{func}: argument {name} must sum to more than 0; they sum to {total}")
    return w / total


def _as_vector(
    values: ArrayLike, m: int, func: str, name: str, per: str = "criterion"
) -> FloatArray:
    """A float vector with one entry per criterion, or ``ValueError`` naming ``func`` and ``name``."""
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: argument {name} must be numeric; {exc}") from None
    if v.ndim != 1 or v.shape[0] != m:
        raise ValueError(
            f"{func}: argument {name} must have one entry per {per} ({m}); got shape {v.shape}"
        )
    return v


def _check_shift(shift: float, func: str) -> float:
    value = float(shift)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{func}: argument shift must be a finite number ≥ 0; got {value}")
    return value


def _check_choice(value: str, allowed: tuple[str, ...], func: str, name: str) -> str:
    if value not in allowed:
        raise ValueError(f"{func}: argument {name} must be one of {allowed}; got {value!r}")
    return value


# --------------------------------------------------------------------------------------------
# Kernels on validated arrays
# --------------------------------------------------------------------------------------------


def _minmax(A: FloatArray, d: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Min-max standardise by direction onto [0, 1]; constant columns become 0 (and are flagged)."""
    lo = A.min(axis=0)
    hi = A.max(axis=0)
    rng = hi - lo
    constant = rng == 0
    # benefit: (x - min) / range; cost: (max - x) / range = (x - max) * (-1 / range)
    anchor = np.where(d > 0, lo, hi)
    scale = np.divide(d, rng, out=np.zeros_like(rng), where=~constant)
    Z = A - anchor
    Z *= scale
    return Z, constant


def _sum_xlogx(Z: FloatArray) -> FloatArray:
    """Column sums of ``z ln z`` with ``0 ln 0 = 0`` (Z ≥ 0): ln of max(z, tiny) times z is
    exactly 0 at z = 0, and avoids scipy's slower ``xlogy``."""
    L = np.maximum(Z, np.finfo(np.float64).tiny)
    np.log(L, out=L)
    return np.einsum("ij,ij->j", Z, L)


def _entropy(A: FloatArray, d: FloatArray, shift: float, standardise: str, func: str) -> FloatArray:
    n = A.shape[0]
    if standardise == "minmax":
        Z, constant = _minmax(A, d)
    else:
        if (A < 0).any():
            i, j = (int(v) for v in np.argwhere(A < 0)[0])
            raise ValueError(
                f"{func}: with standardise='none' argument X must be non-negative; "
                f"X[{i}, {j}] is {A[i, j]}"
            )
        Z = A.copy() if shift else A
        constant = A.max(axis=0) == A.min(axis=0)
    if shift:
        Z += shift
    S = Z.sum(axis=0)
    constant |= S <= 0
    # sum_i p ln p with p = z / S equals (sum_i z ln z) / S - ln S: one pass, no p matrix.
    S_safe = np.where(constant, 1.0, S)
    plogp = _sum_xlogx(Z) / S_safe - np.log(S_safe)
    e = -plogp / np.log(n)
    e[constant] = 1.0  # a constant criterion carries no information
    div = np.clip(1.0 - e, 0.0, None)
    total = div.sum()
    if not total > 0:
        raise ValueError(
            f"{func}: every criterion of X is constant (entropy 1), so entropy weights are undefined"
        )
    return div / total


def _critic(A: FloatArray, d: FloatArray, func: str) -> FloatArray:
    n, m = A.shape
    if m < 2:
        raise ValueError(f"{func}: CRITIC needs at least 2 criteria; X has {m}")
    Z, constant = _minmax(A, d)
    Zc = Z - Z.mean(axis=0)
    cov = (Zc.T @ Zc) / (n - 1)
    sd = np.sqrt(np.diag(cov).clip(0.0))
    denom = np.outer(sd, sd)
    r = np.divide(cov, denom, out=np.zeros_like(cov), where=denom > 0)
    np.fill_diagonal(r, 1.0)
    info = sd * (1.0 - r).sum(axis=1)
    info[constant] = 0.0
    total = info.sum()
    if not total > 0:
        raise ValueError(
            f"{func}: no criterion of X carries CRITIC information (constant or perfectly "
            "correlated columns), so CRITIC weights are undefined"
        )
    return info / total


def _topsis(A: FloatArray, w: FloatArray, d: FloatArray, normalisation: str) -> FloatArray:
    lo = A.min(axis=0)
    hi = A.max(axis=0)
    if normalisation == "vector":
        denom = np.sqrt(np.einsum("ij,ij->j", A, A))
    else:
        denom = hi - lo
    scale = np.divide(w, denom, out=np.zeros_like(w), where=denom > 0)
    # Weighted normalised value v = x * scale (scale >= 0), so the ideal and anti-ideal follow
    # from the column extremes of X; minmax's shift by the column minimum cancels in distances.
    best = np.where(d > 0, hi, lo) * scale
    worst = np.where(d > 0, lo, hi) * scale
    buf = np.multiply(A, scale)
    buf -= best
    d_plus = np.sqrt(np.einsum("ij,ij->i", buf, buf))
    buf += best - worst
    d_minus = np.sqrt(np.einsum("ij,ij->i", buf, buf))
    total = d_plus + d_minus
    # total == 0 only when every alternative equals the ideal on every weighted criterion.
    return np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)


# --------------------------------------------------------------------------------------------
# Public methods
# --------------------------------------------------------------------------------------------


def entropy_weights(
    X: ArrayLike,
    directions: ArrayLike | None = None,
    shift: float = 0.0,
    *,
    standardise: Literal["minmax", "none"] = "minmax",
) -> FloatArray:
    """Entropy weights (熵权法) as commonly published in Chinese evaluation studies.

    1. Standardise each column by direction: benefit ``(x - min) / (max - min)``, cost
       ``(max - x) / (max - min)``; then add ``shift``.
    2. Shares ``p_ij = z_ij / Σ_i z_ij``.
    3. Entropy ``e_j = -k Σ_i p_ij ln p_ij`` with ``k = 1 / ln n``.
    4. Divergence ``d_j = 1 - e_j``; weights ``w_j = d_j / Σ_j d_j``.

    Min-max standardisation always produces a 0 in every non-constant column, so something must
    be done about ``ln 0``. By default (``shift=0``) the limit ``0 · ln 0 = 0`` is used, which adds
    nothing arbitrary. Papers that instead translate the standardised values by a small constant
    are reproduced with ``shift=0.0001`` or ``shift=0.01``. A constant column has entropy 1 and
    weight 0.

    Parameters
    ----------
    X : array-like of shape (n, m)
        Decision matrix, n ≥ 2 alternatives in rows, m criteria in columns.
    directions : array-like of shape (m,), optional
        ``1`` for benefit criteria, ``-1`` for cost criteria; default all benefit.
    shift : float, default 0.0
        Non-negative constant added to the standardised values before the shares are taken.
    standardise : {"minmax", "none"}, default "minmax"
        ``"none"`` skips step 1 and uses the raw non-negative values (the original Shannon
        entropy weights of the international literature, e.g. pymcdm's ``entropy_weights``);
        directions then have no effect.

    Returns
    -------
    numpy.ndarray of shape (m,)
        Non-negative weights summing to 1.

    Examples
    --------
    >>> w = entropy_weights([[1, 10], [2, 10.5], [3, 30]])
    >>> bool(w[1] > w[0]), round(float(w.sum()), 12)
    (True, 1.0)
    """
    func = "entropy_weights"
    A = check_matrix(X, func, min_rows=2)
    d = check_directions(directions, A.shape[1], func)
    _check_choice(standardise, _STANDARDISE, func, "standardise")
    shift = _check_shift(shift, func)
    return _entropy(A, d, shift, standardise, func)


def critic_weights(X: ArrayLike, directions: ArrayLike | None = None) -> FloatArray:
    """CRITIC weights (Diakoulaki et al., 1995): contrast intensity times conflict.

    Columns are min-max standardised by direction onto [0, 1]; ``σ_j`` is the standard deviation
    of standardised column j and ``r_jk`` the Pearson correlation between columns j and k. The
    information of criterion j is ``C_j = σ_j Σ_k (1 - r_jk)`` and ``w_j = C_j / Σ_k C_k``.
    Whether σ uses n or n - 1 cancels in the weights. A constant column has ``σ = 0`` (weight 0)
    and correlation 0 with the others.

    Parameters
    ----------
    X : array-like of shape (n, m)
        Decision matrix with n ≥ 2 rows and m ≥ 2 columns.
    directions : array-like of shape (m,), optional
        ``1`` for benefit, ``-1`` for cost criteria; default all benefit.

    Returns
    -------
    numpy.ndarray of shape (m,)
        Non-negative weights summing to 1.

    Examples
    --------
    >>> critic_weights([[1, 2, 9], [2, 4, 1], [3, 5, 5]]).round(3)
    array([0.238, 0.267, 0.495])
    """
    func = "critic_weights"
    A = check_matrix(X, func, min_rows=2)
    d = check_directions(directions, A.shape[1], func)
    return _critic(A, d, func)


def topsis(
    X: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike | None = None,
    normalisation: Literal["vector", "minmax"] = "vector",
) -> FloatArray:
    """TOPSIS closeness to the ideal solution (Hwang & Yoon, 1981).

    Normalise each column (``"vector"``: ``x / sqrt(Σ x²)``; ``"minmax"``:
    ``(x - min) / (max - min)``), multiply by the weights, take the ideal (best value of each
    column by direction) and the anti-ideal (worst), and return
    ``C_i = D_i⁻ / (D_i⁺ + D_i⁻)`` with Euclidean distances ``D⁺`` to the ideal and ``D⁻`` to the
    anti-ideal. A column with zero norm or zero range contributes nothing. When every alternative
    equals the ideal (all distances zero) the closeness is 0.5 for all.

    Parameters
    ----------
    X : array-like of shape (n, m)
        Decision matrix.
    weights : array-like of shape (m,)
        Non-negative criterion weights, not all zero (rescaled to sum to 1).
    directions : array-like of shape (m,), optional
        ``1`` for benefit, ``-1`` for cost criteria; default all benefit.
    normalisation : {"vector", "minmax"}, default "vector"
        Column normalisation.

    Returns
    -------
    numpy.ndarray of shape (n,)
        Closeness in [0, 1]; larger is better.

    Examples
    --------
    >>> X = [[1, 3000], [2, 3750], [5, 4500]]
    >>> topsis(X, [0.5, 0.5], [-1, 1]).round(3)
    array([0.762, 0.722, 0.238])
    >>> topsis(X, [0.5, 0.5], [-1, 1], normalisation="minmax").round(3)
    array([0.5  , 0.617, 0.5  ])
    """
    func = "topsis"
    A = check_matrix(X, func)
    m = A.shape[1]
    w = check_weights(weights, m, func)
    d = check_directions(directions, m, func)
    _check_choice(normalisation, _NORMALISATION, func, "normalisation")
    return _topsis(A, w, d, normalisation)


def entropy_topsis(
    X: ArrayLike,
    directions: ArrayLike | None = None,
    shift: float = 0.0,
    normalisation: Literal["vector", "minmax"] = "vector",
) -> FloatArray:
    """Entropy-weighted TOPSIS (熵权TOPSIS): :func:`entropy_weights` then :func:`topsis`.

    Parameters
    ----------
    X : array-like of shape (n, m)
        Decision matrix with n ≥ 2 rows.
    directions : array-like of shape (m,), optional
        ``1`` for benefit, ``-1`` for cost criteria; default all benefit.
    shift : float, default 0.0
        Passed to :func:`entropy_weights`.
    normalisation : {"vector", "minmax"}, default "vector"
        Passed to :func:`topsis`.

    Returns
    -------
    numpy.ndarray of shape (n,)
        Closeness in [0, 1].

    Examples
    --------
    >>> c = entropy_topsis([[1, 5], [2, 3], [3, 1]], directions=[1, -1])
    >>> int(c.argmax())
    2
    """
    func = "entropy_topsis"
    A = check_matrix(X, func, min_rows=2)
    d = check_directions(directions, A.shape[1], func)
    _check_choice(normalisation, _NORMALISATION, func, "normalisation")
    shift = _check_shift(shift, func)
    w = _entropy(A, d, shift, "minmax", func)
    return _topsis(A, w, d, normalisation)


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of an AHP pairwise-comparison matrix.

    Attributes
    ----------
    weights : numpy.ndarray
        Principal (Perron) eigenvector normalised to sum 1.
    lambda_max : float
        Principal eigenvalue.
    ci : float
        Consistency index ``(λmax - n) / (n - 1)`` (0 for n = 1).
    ri : float
        Random index used.
    cr : float
        Consistency ratio ``CI / RI`` (0 when RI is 0, i.e. n ≤ 2).
    """

    weights: FloatArray
    lambda_max: float
    ci: float
    ri: float
    cr: float

    @property
    def consistent(self) -> bool:
        """``True`` when CR ≤ 0.1 (Saaty's threshold)."""
        return self.cr <= 0.1


def ahp_consistency(
    matrix: ArrayLike, *, ri: float | None = None, reciprocal_tol: float = 1e-3
) -> AHPResult:
    """Principal-eigenvector weights, λmax, CI and CR of a pairwise-comparison matrix.

    The matrix must be square, positive, with ones on the diagonal and reciprocal
    (``a_ji · a_ij = 1`` within ``reciprocal_tol``, so ``0.333`` for 1/3 passes).

    Parameters
    ----------
    matrix : array-like of shape (n, n)
        Saaty-scale judgements: ``a_ij`` is how much more important criterion i is than j.
    ri : float, optional
        Random index; default Saaty's table :data:`RANDOM_INDEX` (n ≤ 10).
    reciprocal_tol : float, default 1e-3
        Allowed ``|a_ij · a_ji - 1|``.

    Returns
    -------
    AHPResult

    Examples
    --------
    >>> r = ahp_consistency([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]])
    >>> r.weights.round(4), round(r.cr, 6)
    (array([0.5714, 0.2857, 0.1429]), 0.0)
    """
    func = "ahp_weights"
    M = check_matrix(matrix, func, name="matrix")
    n, m = M.shape
    if n != m:
        raise ValueError(f"{func}: argument matrix must be square; got shape {M.shape}")
    nonpos = np.argwhere(M <= 0)
    if nonpos.size:
        i, j = (int(v) for v in nonpos[0])
        raise ValueError(f"{func}: argument matrix must be positive; matrix[{i}, {j}] is {M[i, j]}")
    diag_bad = np.flatnonzero(np.abs(np.diag(M) - 1.0) > reciprocal_tol)
    if diag_bad.size:
        k = int(diag_bad[0])
        raise ValueError(
            f"{func}: argument matrix must have ones on the diagonal; matrix[{k}, {k}] is {M[k, k]}"
        )
    recip = np.abs(M * M.T - 1.0) > reciprocal_tol
    if recip.any():
        i, j = (int(v) for v in np.argwhere(recip)[0])
        raise ValueError(
            f"{func}: argument matrix must be reciprocal (matrix[j, i] = 1 / matrix[i, j]); "
            f"matrix[{i}, {j}] is {M[i, j]} but matrix[{j}, {i}] is {M[j, i]}"
        )
    if ri is None:
        if n not in RANDOM_INDEX:
            raise ValueError(
                f"{func}: Saaty's random index table covers n ≤ 10; matrix has n = {n}, pass ri"
            )
        ri = RANDOM_INDEX[n]
    values, vectors = np.linalg.eig(M)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    vec = np.abs(vectors[:, k].real)
    weights = vec / vec.sum()
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ci = max(ci, 0.0)  # λmax ≥ n for positive reciprocal matrices; clear rounding noise
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(weights=weights, lambda_max=lam, ci=ci, ri=float(ri), cr=cr)


def ahp_weights(
    matrix: ArrayLike,
    *,
    allow_inconsistent: bool = False,
    ri: float | None = None,
    reciprocal_tol: float = 1e-3,
) -> FloatArray:
    """AHP weights from a pairwise-comparison matrix; CR > 0.1 raises unless allowed.

    See :func:`ahp_consistency` for λmax, CI and CR.

    Parameters
    ----------
    matrix : array-like of shape (n, n)
        Positive reciprocal judgement matrix.
    allow_inconsistent : bool, default False
        Return the weights even when CR > 0.1.
    ri : float, optional
        Random index; default from Saaty's table.
    reciprocal_tol : float, default 1e-3
        Allowed ``|a_ij · a_ji - 1|``.

    Returns
    -------
    numpy.ndarray of shape (n,)
        Weights summing to 1.

    Examples
    --------
    >>> ahp_weights([[1, 3], [1/3, 1]])
    array([0.75, 0.25])
    """
    res = ahp_consistency(matrix, ri=ri, reciprocal_tol=reciprocal_tol)
    if not res.consistent and not allow_inconsistent:
        raise ValueError(
            f"ahp_weights: argument matrix is inconsistent: CR = {res.cr:.4f} > 0.1 "
            f"(λmax = {res.lambda_max:.4f}, CI = {res.ci:.4f}, RI = {res.ri}); revise the "
            "judgements or pass allow_inconsistent=True"
        )
    return res.weights
