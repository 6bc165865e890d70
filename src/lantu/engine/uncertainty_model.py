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

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lantu.engine.coin import StepCache, build
from lantu.engine.data import IndexData
from lantu.engine.methods.aggregate import aggregate_tree
from lantu.engine.methods.weight import _apply
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
    fast_weights : bool
        Re-run only the final aggregation when a run differs from an earlier one by its weight
        set alone (see :meth:`run`).

    Attributes
    ----------
    units : list of str
        Units of the nominal Index (scores of every run are aligned with them; a unit a run
        drops gets NaN).
    """

    def __init__(self, data: IndexData, spec: Spec, *, cache_size: int = 512,
                 fast_weights: bool = True) -> None:
        self.data = data
        self.spec = spec.copy()
        self.cache_size = cache_size
        self.fast_weights = fast_weights
        self._cache = StepCache(cache_size)
        self._specs: dict[str, Spec] = {}
        self._fast: dict[str, Any] = {}
        self._checked: set[tuple] = set()
        coin = build(data, self.spec, cache=self._cache)
        self.units = coin.index_units()
        self._nominal = coin.index_scores().copy()
        self._pos = {u: i for i, u in enumerate(self.units)}
        self._rows = coin.dsets_[coin.aggregated].units.copy()

    def __getstate__(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["_cache"] = None
        d["_specs"] = {}
        d["_fast"] = {}
        return d

    def __setstate__(self, d: dict[str, Any]) -> None:
        self.__dict__.update(d)
        self._cache = StepCache(self.cache_size)

    # ------------------------------------------------------------ Model protocol

    def targets(self) -> list[str]:
        """Spec paths: ``weights`` and ``weights.<code>`` for every tree node, and per step
        ``<step>``, ``<step>.method``, ``<step>.params`` and ``<step>.<param>`` for the
        parameters of its nominal method."""
        out = ["weights", *(f"weights.{c}" for c in self.data.tree.codes)]
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

    def _prepared(self, settings: Mapping[str, Any]) -> Spec:
        """The spec for ``settings``; specs differing only in the weight set are made once."""
        key = self._key(settings)
        spec = self._specs.get(key)
        if spec is None:
            spec = self.spec_for({k: v for k, v in settings.items() if k != "weights"})
            if len(self._specs) >= 256:
                self._specs.pop(next(iter(self._specs)))
            self._specs[key] = spec
        if "weights" in settings:
            spec.set("weights", settings["weights"])
        return spec

    def run(self, settings: Mapping[str, Any]) -> np.ndarray:
        """Index scores with ``settings`` (path → value), aligned with :attr:`units`.

        When only the weight set differs from an earlier run (and the spec ends with its one
        aggregate step, with no weight step), the final aggregation is re-run directly on the
        cached input of that step with the engine's own ``aggregate_tree`` — exactly what
        :func:`~lantu.engine.build` computes, without re-checking and re-hashing the spec.
        Each distinct weight set is still checked once by ``Spec.check``.
        """
        if self.fast_weights and "weights" in settings:
            w = settings["weights"]
            key = self._key(settings)
            fast = self._fast.get(key)
            if fast is not None:
                wkey = tuple(sorted(w.items()))
                if wkey not in self._checked:
                    self.spec.copy().set("weights", w).check(self.data)
                    self._checked.add(wkey)
                return fast(w)
        coin = build(self.data, self._prepared(settings), cache=self._cache)
        if self.fast_weights and "weights" in settings:
            self._remember(key, coin)
        d = coin.dsets_[coin.aggregated]
        return self._align(d.units, coin.index_scores())

    def _align(self, rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Scores of data rows ``rows`` (indices into ``data.units``) in :attr:`units` order."""
        if np.array_equal(rows, self._rows):
            return scores
        out = np.full(len(self.units), np.nan)
        for i, v in zip(rows, scores, strict=True):
            j = self._pos.get(self.data.units[i])
            if j is not None:
                out[j] = v
        return out

    def _remember(self, key: str, coin: Any) -> None:
        """Keep a re-aggregation function for the non-weight settings ``key``, if possible."""
        steps = [r.resolved for r in coin.log_]
        fams = [r.step for r in steps]
        if fams.count("aggregate") != 1 or "weight" in fams or fams[-1] != "aggregate":
            return
        rs = steps[-1]
        src = coin.dsets_[rs.dset_in]
        tree = self.data.tree
        pos = {c: j for j, c in enumerate(src.cols)}
        X = src.values[:, [pos[c] for c in tree.indicators]]
        units = tuple(self.data.units[i] for i in src.units)
        root = tree.codes.index(tree.root) - tree.n_indicators
        rows = src.units

        def reaggregate(weights: Mapping[str, float]) -> np.ndarray:
            w = _apply(tree, tree.weights, dict(weights))
            A, _, _ = aggregate_tree(X, tree, w, rs.method, rs.params, units, rs.name)
            return self._align(rows, A[:, root])

        if len(self._fast) >= 64:
            self._fast.pop(next(iter(self._fast)))
        self._fast[key] = reaggregate
        self._checked.add(tuple(sorted(coin.spec.weights.items())))

    @staticmethod
    def _key(settings: Mapping[str, Any]) -> str:
        return json.dumps({k: v for k, v in settings.items() if k != "weights"},
                          sort_keys=True, default=str)


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
