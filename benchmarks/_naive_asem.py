"""A naive pandas re-implementation of the reference ASEM pipeline (benchmark baseline only).

Every regeneration recomputes every step with plain DataFrame operations, as a first
implementation in pandas would: denominate, group-mean/median imputation, winsorisation with the
log fallback, min-max or z-score normalisation, level-by-level arithmetic or geometric mean.
Written from ``shared/methods/composite-index-reference.md``; its nominal Index is checked against
the engine's in the benchmark run, so the two compute the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


def _fails(x: pd.Series) -> bool:
    return abs(x.skew()) >= 2 and x.kurt() >= 3.5


def _treat(col: pd.Series, winmax: int) -> pd.Series:
    if not _fails(col):
        return col
    x = col.copy()
    n_hi = n_lo = 0
    while _fails(x) and n_hi + n_lo < winmax:
        if x.skew() >= 0:
            top = x == x.max()
            x[top] = x[~top].max()
            n_hi = int(top.sum())
        else:
            bot = x == x.min()
            x[bot] = x[~bot].min()
            n_lo = int(bot.sum())
    if _fails(x):
        return np.log(col - col.min() + 0.01 * (col.max() - col.min()))
    return x


@dataclass
class NaiveASEM:
    """The ASEM tables; :meth:`regen` rebuilds the Index from scratch for one set of choices."""

    idata: pd.DataFrame
    imeta: pd.DataFrame

    def regen(
        self,
        *,
        winmax: int = 5,
        normalise: tuple[str, float, float] = ("minmax", 0.0, 100.0),
        aggregate: str = "amean",
        weights: Mapping[str, float] | None = None,
        impute: str = "mean",
    ) -> pd.Series:
        df = self.idata.set_index("uCode").sort_index()
        ind = self.imeta[self.imeta["Type"] == "Indicator"].set_index("iCode")
        x = df[list(ind.index)].astype(float)
        for code, den in ind["Denominator"].dropna().items():
            x[code] = x[code] / df[den]
        x = x.groupby(df["EurAsia_group"]).transform(
            lambda c: c.fillna(c.mean() if impute == "mean" else c.median()))
        x = x[(x.notna().mean(axis=1) >= 0.9)]
        x = x.apply(lambda c: _treat(c, winmax))
        x = x * ind["Direction"]
        kind, a, b = normalise
        if kind == "minmax":
            x = (x - x.min()) / (x.max() - x.min()) * (b - a) + a
        else:
            x = (x - x.mean()) / x.std() * b + a
        meta = self.imeta.set_index("iCode")
        w = meta["Weight"].astype(float).copy()
        for code, v in (weights or {}).items():
            w[code] = v
        agg = meta[meta["Type"] == "Aggregate"]
        for level in sorted(agg["Level"].unique()):
            for parent in sorted(agg.index[agg["Level"] == level]):
                kids = list(meta.index[meta["Parent"] == parent])
                wk = w[kids]
                if aggregate == "amean":
                    x[parent] = (x[kids] * wk).sum(axis=1) / wk.sum()
                else:
                    x[parent] = np.exp((np.log(x[kids]) * wk).sum(axis=1) / wk.sum())
        return x["Index"]
