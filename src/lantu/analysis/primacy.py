"""Primacy (首位度): how far the largest city outweighs the next ones, by population or GDP.

With the units' values sorted so that ``P1 ≥ P2 ≥ …``:

* two-city index ``S2 = P1 / P2`` (Jefferson's law of the primate city);
* four-city index ``S4 = P1 / (P2 + P3 + P4)``;
* eleven-city index ``S11 = 2 P1 / (P2 + … + P11)``;
* share of the province ``P1 / total`` (or a named city's share).

Equal cities give S2 = 1, S4 = 1/3 and S11 = 1/5; Ginsburg's benchmarks for a "normal" rank-size
distribution are S2 = 2 and S4 = S11 = 1. Pass populations for demographic primacy and GDP for
economic primacy; missing values (NaN) are left out, never filled.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["PRIMACY_INDICES", "primacy_index", "primacy_share"]

#: index name → (number of cities it needs, numerator factor)
PRIMACY_INDICES: dict[str, tuple[int, float]] = {"S2": (2, 1.0), "S4": (4, 1.0), "S11": (11, 2.0)}

Index = Literal["S2", "S4", "S11"]


def _clean_row(row: pd.Series, func: str, where: str) -> pd.Series:
    try:
        vals = pd.to_numeric(row, errors="raise").astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: values{where} must be numeric; {exc}") from None
    dup = vals.index[vals.index.duplicated()]
    if len(dup):
        raise ValueError(f"{func}: values{where} name unit {dup[0]!s} twice")
    vals = vals.dropna()
    bad = vals[~np.isfinite(vals) | (vals < 0)]
    if len(bad):
        raise ValueError(
            f"{func}: values{where} must be finite and non-negative; {bad.index[0]!s} is {bad.iloc[0]}"
        )
    return vals.sort_values(ascending=False, kind="stable")


def _rows(values: pd.Series | pd.DataFrame | dict, func: str) -> list[tuple[object, pd.Series]]:
    if isinstance(values, dict):
        values = pd.Series(values, dtype=object)
    if isinstance(values, pd.Series):
        return [(None, values)]
    if isinstance(values, pd.DataFrame):
        return list(values.iterrows())
    raise ValueError(
        f"{func}: argument values must be a Series (unit → value), a dict, or a DataFrame "
        f"(rows = periods, columns = units); got {type(values).__name__}"
    )


def primacy_index(
    values: pd.Series | pd.DataFrame | dict, index: Index = "S2"
) -> float | pd.Series:
    """Two-, four- or eleven-city primacy index.

    Parameters
    ----------
    values : pandas.Series, dict or pandas.DataFrame
        One period: unit → value (population or GDP). Several periods: a DataFrame with one row
        per period and one column per unit; each row is computed on its own non-missing units.
    index : {"S2", "S4", "S11"}, default "S2"

    Returns
    -------
    float or pandas.Series
        A float for one period, a Series on the DataFrame's index otherwise.

    Raises
    ------
    ValueError
        When a period has fewer non-missing units than the index needs (naming the period and the
        units present), or values are negative or not numeric.

    Examples
    --------
    >>> primacy_index({"A": 500, "B": 250, "C": 125, "D": 125}, "S2")
    2.0
    >>> primacy_index({"A": 500, "B": 250, "C": 125, "D": 125}, "S4")
    1.0
    """
    func = "primacy_index"
    if index not in PRIMACY_INDICES:
        raise ValueError(
            f"{func}: argument index must be one of {tuple(PRIMACY_INDICES)}; got {index!r}"
        )
    need, factor = PRIMACY_INDICES[index]
    out: dict[object, float] = {}
    rows = _rows(values, func)
    for label, row in rows:
        where = "" if label is None else f" (row {label!s})"
        vals = _clean_row(row, func, where)
        if len(vals) < need:
            present = ", ".join(str(u) for u in vals.index) or "none"
            raise ValueError(
                f"{func}: {index} needs at least {need} units with values{where}; "
                f"got {len(vals)} ({present})"
            )
        top = vals.to_numpy()[:need]
        rest = top[1:].sum()
        if not rest > 0:
            raise ValueError(
                f"{func}: {index}{where} is undefined: the units after the first are all 0"
            )
        out[label] = float(factor * top[0] / rest)
    if len(rows) == 1 and rows[0][0] is None:
        return out[None]
    return pd.Series(out, name=index, dtype=float).rename_axis(values.index.name)  # type: ignore[union-attr]  # a frame here


def primacy_share(
    values: pd.Series | pd.DataFrame | dict,
    total: float | pd.Series,
    unit: str | None = None,
) -> float | pd.Series:
    """Share of the province: the largest unit's value (or ``unit``'s) over the province total.

    Parameters
    ----------
    values : pandas.Series, dict or pandas.DataFrame
        As for :func:`primacy_index`.
    total : float or pandas.Series
        Province total; a Series on the DataFrame's index for several periods.
    unit : str, optional
        Name of the unit whose share is wanted; default the largest unit of each period.

    Returns
    -------
    float or pandas.Series
        Share in [0, 1].

    Examples
    --------
    >>> primacy_share({"A": 30, "B": 20}, 100)
    0.3
    >>> primacy_share({"A": 30, "B": 20}, 100, unit="B")
    0.2
    """
    func = "primacy_share"
    rows = _rows(values, func)
    out: dict[object, float] = {}
    for label, row in rows:
        where = "" if label is None else f" (row {label!s})"
        vals = _clean_row(row, func, where)
        if unit is None:
            if vals.empty:
                raise ValueError(f"{func}: no unit has a value{where}")
            part = float(vals.iloc[0])
        elif unit in vals.index:
            part = float(vals[unit])
        else:
            raise ValueError(f"{func}: unit {unit!r} has no value{where}")
        if isinstance(total, pd.Series):
            if label not in total.index or pd.isna(total[label]):
                raise ValueError(f"{func}: argument total has no value for row {label!s}")
            tot = float(total[label])
        else:
            tot = float(total)
        if not (np.isfinite(tot) and tot > 0):
            raise ValueError(f"{func}: argument total must be a positive number{where}; got {tot}")
        if part > tot:
            raise ValueError(
                f"{func}: the unit's value {part} exceeds the total {tot}{where}; check units "
                "(万人 vs 人, 亿元 vs 万元) and that the total is the province's"
            )
        out[label] = part / tot
    if len(rows) == 1 and rows[0][0] is None:
        return out[None]
    return pd.Series(out, name="share", dtype=float).rename_axis(values.index.name)  # type: ignore[union-attr]  # a frame here
