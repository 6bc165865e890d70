"""The engine's pipeline as a :class:`lantu.engine.uncertainty.Model`.

:class:`CoinModel` regenerates the Index from the nominal spec with some paths changed
(``Spec.set``), sharing one :class:`~lantu.engine.StepCache` across replications, so a
replication recomputes only from the first step whose inputs changed. It pickles without its
cache (each worker process keeps its own).

Examples
--------
>>> from lantu.engine import load_coinr, Spec  # doctest: +SKIP
>>> m = CoinModel(load_coinr("iData.csv", "iMeta.csv"), Spec.load("nominal.yaml"))  # doctest: +SKIP
>>> m.run({"treat.winmax": 1})[:3]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lantu.engine.coin import StepCache, build
from lantu.engine.data import IndexData
from lantu.engine.registry import REGISTRY
from lantu.engine.spec import Spec

__all__ = ["CoinModel", "leave_one_out_coin"]


class CoinModel:
    """Index scores of ``spec`` on ``data`` with some choices changed.

    Parameters
    ----------
    data : IndexData
    spec : Spec
        The nominal spec (copied).
    cache_size : int
        Pipeline states kept by the step cache.

    Attributes
    ----------
    units : list of str
        Units of the nominal Index (scores of every run are aligned with them; a unit a run
        drops gets NaN).
    """

    def __init__(self, data: IndexData, spec: Spec, *, cache_size: int = 512) -> None:
        self.data = data
        self.spec = spec.copy()
        self.cache_size = cache_size
        self._cache = StepCache(cache_size)
        coin = build(data, self.spec, cache=self._cache)
        self.units = coin.index_units()
        self._nominal = coin.index_scores().copy()
        self._pos = {u: i for i, u in enumerate(self.units)}

    def __getstate__(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["_cache"] = None
        return d

    def __setstate__(self, d: dict[str, Any]) -> None:
        self.__dict__.update(d)
        self._cache = StepCache(self.cache_size)

    # ------------------------------------------------------------ Model protocol

    def targets(self) -> list[str]:
        """Spec paths: ``weights``, and per step ``<step>``, ``<step>.method``,
        ``<step>.params`` and ``<step>.<param>`` for the parameters of its nominal method."""
        out = ["weights"]
        for s in self.spec.steps:
            out += [s.name, f"{s.name}.method", f"{s.name}.params"]
            out += [f"{s.name}.{p.name}" for p in REGISTRY[s.step][s.method].params]
        return out

    def check(self, target: str, value: Any) -> None:
        """Raise ``SpecError`` (a ``ValueError``) if the nominal spec with ``target = value`` does
        not fit the data."""
        self.spec.copy().set(target, value).check(self.data)

    def nominal_weights(self, levels: Sequence[int]) -> dict[str, float]:
        """Nominal weights (tree weights with the spec's overrides) of the nodes at ``levels``."""
        t = self.data.tree
        want = set(levels)
        return {c: float(self.spec.weights.get(c, w))
                for c, lv, w in zip(t.codes, t.levels, t.weights, strict=True) if int(lv) in want}

    def position(self, target: str) -> int:
        """Index of the step a target changes (``weights``: the first weight or aggregate step)."""
        head = target.partition(".")[0]
        for i, s in enumerate(self.spec.steps):
            if s.name == head or (head == "weights" and s.step in ("weight", "aggregate")):
                return i
        return len(self.spec.steps)

    def nominal(self) -> np.ndarray:
        """Nominal Index scores."""
        return self._nominal.copy()

    def spec_for(self, settings: Mapping[str, Any]) -> Spec:
        """The nominal spec with ``settings`` applied (checked by ``Spec.set``)."""
        s = self.spec.copy()
        for target, value in settings.items():
            s.set(target, value)
        return s

    def run(self, settings: Mapping[str, Any]) -> np.ndarray:
        """Index scores with ``settings`` (path → value), aligned with :attr:`units`."""
        coin = build(self.data, self.spec_for(settings), cache=self._cache)
        scores = coin.index_scores()
        units = coin.index_units()
        if len(units) == len(self.units) and units == self.units:
            return scores
        out = np.full(len(self.units), np.nan)
        for u, v in zip(units, scores, strict=True):
            if u in self._pos:
                out[self._pos[u]] = v
        return out


def leave_one_out_coin(data: IndexData, spec: Spec, indicators: Sequence[str] | None = None
                       ) -> pd.DataFrame:
    """Mean absolute rank change of the Index when each indicator is removed in turn.

    An indicator is removed by giving it weight 0 in aggregation (its parent is then the
    weighted mean of its other children; earlier steps, which work column by column, are
    unchanged). Removing the only child of a parent is impossible and gives NaN.

    Parameters
    ----------
    data : IndexData
    spec : Spec
    indicators : list of str, optional
        Default: every indicator.

    Returns
    -------
    DataFrame indexed by indicator: ``mean_abs_rank_change``, ``max_abs_rank_change``, ``error``.

    Examples
    --------
    >>> leave_one_out_coin(data, spec).sort_values("mean_abs_rank_change").tail(3)  # doctest: +SKIP
    """
    from lantu.engine.analyse import leave_one_out

    model = CoinModel(data, spec)
    nominal = pd.Series(model.nominal(), index=model.units)
    errors: dict[str, str] = {}

    def without(code: str) -> pd.Series:
        try:
            return pd.Series(model.run({"weights": {**spec.weights, code: 0.0}}), index=model.units)
        except ValueError as exc:
            errors[code] = str(exc)
            return pd.Series(np.nan, index=model.units)

    codes = list(indicators) if indicators is not None else list(data.tree.indicators)
    out = leave_one_out(without, nominal, codes)
    out["error"] = [errors.get(c, "") for c in out.index]
    return out
