"""Shared checks for the analysis functions: messages name the function and the argument."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lantu.engine.mcda import check_weights
from lantu.locale import plural


def as_float_array(values: ArrayLike, func: str, name: str) -> NDArray[np.float64]:
    """``values`` as a float64 array, or ``ValueError`` naming ``func`` and ``name``."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: argument {name} must be numeric; {exc}") from None


def _label(x: object) -> str:
    if isinstance(x, tuple):
        return "(" + ", ".join(str(v) for v in x) + ")"
    return str(x)


def first_bad(mask: NDArray[np.bool_], labels: tuple[Sequence, Sequence] | None = None) -> str:
    """The first ``True`` cell of ``mask`` as ``[i]``/``[i, j]`` (or row and column labels of a
    table when ``labels`` = (index, columns) is given), and the count."""
    idx = np.argwhere(mask)
    first = idx[0]
    if labels is not None and len(first) == 2:
        where = (
            f"[row {_label(labels[0][int(first[0])])}, column {_label(labels[1][int(first[1])])}]"
        )
    else:
        where = "[" + ", ".join(str(int(v)) for v in first) + "]"
    return f"{where} ({plural(len(idx), 'cell')} in all)"


def check_finite(
    A: NDArray[np.float64],
    func: str,
    name: str,
    labels: tuple[Sequence, Sequence] | None = None,
) -> None:
    """Raise when ``A`` holds NaN or ±inf."""
    bad = ~np.isfinite(A)
    if bad.any():
        raise ValueError(
            f"{func}: argument {name} must be finite (drop or impute missing values first); "
            f"{name}{first_bad(bad, labels)} is not"
        )


def check_unit_weights(
    weights: ArrayLike | None, n: int, func: str, name: str = "weights", per: str = "unit"
) -> NDArray[np.float64]:
    """Non-negative weights of length ``n`` rescaled to sum 1 (``None``: equal weights)."""
    if weights is None:
        return np.full(n, 1.0 / n)
    return check_weights(weights, n, func, name=name, per=per)
