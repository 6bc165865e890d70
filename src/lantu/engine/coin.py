"""Run a spec on data: every intermediate data set kept by name, every step logged, cached.

:func:`build` checks the spec against the data (nothing is computed if anything is wrong), then
runs the steps in the spec's order. Each step reads a named data set and writes a new one
(``Raw -> Denominated -> Imputed -> Screened -> Treated -> Normalised -> Aggregated`` in the
reference pipeline) and logs its resolved arguments and a report.

Results are cached by step prefix: the key of step k is a hash of the key of step k-1 and step
k's resolved definition (plus the weight overrides for weight and aggregate steps), so
:meth:`Coin.regen` after changing one choice recomputes only from the first step whose inputs
changed. The hot path works on numpy arrays; DataFrames are made only when asked for.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lantu.engine.context import Ctx, DSet
from lantu.engine.data import IndexData
from lantu.engine.errors import ComputationError, SpecError
from lantu.engine.methods.aggregate import aggregate_tree
from lantu.engine.methods.normalise import normalise_columns
from lantu.engine.methods.prep import denominate_panel
from lantu.engine.methods.weight import _apply, effective_weights
from lantu.engine.registry import REGISTRY
from lantu.engine.spec import ResolvedStep, Spec
from lantu.engine.stats import rank_min

__all__ = ["Coin", "StepRecord", "build", "StepCache"]


@dataclass(frozen=True)
class StepRecord:
    """Log entry of one step: its resolved arguments, a report, the time it took.

    ``name``, ``step``, ``method``, ``params``, ``dset_in``, ``dset_out`` read through to the
    resolved step.
    """

    resolved: ResolvedStep
    report: dict[str, Any]
    seconds: float

    def __getattr__(self, item: str) -> Any:
        if item in ("name", "step", "method", "params", "dset_in", "dset_out"):
            return getattr(self.resolved, item)
        raise AttributeError(item)


@dataclass(frozen=True)
class _State:
    dsets: dict[str, DSet]
    weights: np.ndarray | None  # None: the base weights (tree + spec overrides)
    last: str
    panel: np.ndarray | None  # all periods, in the units of the data set named panel_for
    records: tuple[StepRecord, ...]
    last_aggregated: str | None = None
    panel_for: str | None = "Raw"


class StepCache:
    """LRU cache of pipeline states keyed by step-prefix hash (bound to one IndexData).

    Parameters
    ----------
    maxsize : int
        Number of states kept (each holds references to already-computed arrays).
    max_bytes : int
        Bound on the memory of the arrays the cached steps computed (each state is charged for
        the data set its step wrote); the least recently used states go first.
    """

    def __init__(self, maxsize: int = 512, max_bytes: int = 512 * 2**20) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._d: OrderedDict[str, tuple[_State, int]] = OrderedDict()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0
        self.token: str | None = None

    def get(self, key: str) -> _State | None:
        hit = self._d.get(key)
        if hit is None:
            self.misses += 1
            return None
        self._d.move_to_end(key)
        self.hits += 1
        return hit[0]

    def put(self, key: str, st: _State, nbytes: int = 0) -> None:
        old = self._d.pop(key, None)
        if old is not None:
            self.nbytes -= old[1]
        self._d[key] = (st, nbytes)
        self.nbytes += nbytes
        while len(self._d) > 1 and (len(self._d) > self.maxsize or self.nbytes > self.max_bytes):
            _, (_, b) = self._d.popitem(last=False)
            self.nbytes -= b

    def __len__(self) -> int:
        return len(self._d)


def _h(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def _check_output(Y: Any, X: np.ndarray, step: ResolvedStep) -> np.ndarray:
    if not isinstance(Y, np.ndarray) or Y.shape != X.shape:
        raise ComputationError(
            f"step '{step.name}': method '{step.method}' returned shape "
            f"{getattr(Y, 'shape', type(Y))}, expected {X.shape}"
        )
    return np.asarray(Y, dtype=np.float64)


def _run_step(st: _State, rs: ResolvedStep, data: IndexData, base_w: np.ndarray) -> _State:
    t0 = time.perf_counter()
    m = REGISTRY[rs.step][rs.method]
    src = st.dsets[rs.dset_in]
    weights = st.weights if st.weights is not None else base_w
    ctx = Ctx(data, rs.name, src.units, src.cols, weights, st.dsets)
    dsets = dict(st.dsets)
    new_w = st.weights
    panel = st.panel
    panel_for = st.panel_for
    last = st.last
    last_agg = st.last_aggregated
    fam = rs.step
    if fam == "weight":
        w, report = m.fn(src.values, ctx, **rs.params)
        new_w = np.asarray(w, dtype=np.float64)
    elif fam == "aggregate":
        pos = {c: j for j, c in enumerate(src.cols)}
        inds = data.tree.indicators
        lacking = [c for c in inds if c not in pos]
        if lacking:
            raise SpecError(rs.name, "dset_in", f"data set '{rs.dset_in}' has no column '{lacking[0]}'")
        X = src.values[:, [pos[c] for c in inds]] if src.cols[: len(inds)] != inds else src.values[:, : len(inds)]
        units = data.unit_array[src.units]
        A, codes, report = aggregate_tree(X, data.tree, weights, rs.method, rs.params, units, rs.name)
        out = DSet(src.units, tuple(inds) + tuple(codes), np.hstack([X, A]))
        dsets[rs.dset_out] = out  # type: ignore[index]
        last = rs.dset_out  # type: ignore[assignment]
        last_agg = rs.dset_out
    elif fam == "screen":
        keep, report = m.fn(src.values, ctx, **rs.params)
        keep = np.asarray(keep, dtype=bool)
        if not keep.any():
            raise ComputationError(f"step '{rs.name}': every unit was screened out; lower the threshold")
        dsets[rs.dset_out] = DSet(src.units[keep], src.cols, src.values[keep])  # type: ignore[index]
        if rs.dset_in == panel_for:
            panel_for = rs.dset_out
        last = rs.dset_out  # type: ignore[assignment]
    else:
        X = src.values
        if fam == "normalise":
            X = X * ctx.directions
        on_panel = panel is not None and rs.dset_in == panel_for and src.cols == data.indicators
        if fam == "impute" and on_panel:
            ctx.panel = panel[:, src.units, :]  # type: ignore[index]  # on_panel: not None
        if fam == "normalise":
            Y, report = normalise_columns(X, ctx, rs.method, rs.params)
        else:
            Y, report = m.fn(X, ctx, **rs.params)
        Y = _check_output(Y, X, rs)
        if fam == "denominate" and on_panel:
            pctx = Ctx(data, rs.name, np.arange(len(data.units)), src.cols, weights)
            panel = denominate_panel(panel, pctx, **rs.params)  # type: ignore[arg-type]
        # the history stays comparable through denomination and imputation only
        if on_panel and fam in ("denominate", "impute"):
            panel_for = rs.dset_out
        dsets[rs.dset_out] = DSet(src.units, src.cols, Y)  # type: ignore[index]
        last = rs.dset_out  # type: ignore[assignment]
    rec = StepRecord(rs, report, time.perf_counter() - t0)
    if panel_for == rs.dset_out and fam not in ("denominate", "impute", "screen"):
        panel_for = None  # the data set was overwritten by a transforming step
    return _State(dsets, new_w, last, panel, st.records + (rec,), last_agg, panel_for)


class Coin:
    """The result of running a spec on data (named like COINr's "coin").

    Use :func:`build` to make one. Attributes ending in ``_`` are computed.

    Attributes
    ----------
    data : IndexData
    spec : Spec
        The spec that was run, resolved (property).
    dsets_ : dict
        Data set name -> :class:`~lantu.engine.context.DSet` (arrays).
    log_ : list of StepRecord
    weights_ : numpy.ndarray
        Final weights over the tree nodes (tree order).
    """

    def __init__(self, data: IndexData, spec: Spec, state: _State, base_w: np.ndarray,
                 cache: StepCache, resolved: list[ResolvedStep]) -> None:
        self.data = data
        # snapshot of what was run (the caller may go on changing its own spec object)
        self._meta = dict(spec.meta)
        self._weights = dict(spec.weights)
        self.dsets_ = state.dsets
        self.log_ = list(state.records)
        self.weights_ = state.weights if state.weights is not None else base_w
        self._cache = cache
        self._resolved = resolved
        self._agg = state.last_aggregated

    # ------------------------------------------------------------ access

    @property
    def dset_names(self) -> list[str]:
        """Names of the data sets, in the order they were first written."""
        return list(self.dsets_)

    def dset(self, name: str) -> pd.DataFrame:
        """A data set as a DataFrame: ``uCode`` then one column per indicator or aggregate.

        Examples
        --------
        >>> coin.dset("Normalised").iloc[:2, :3]  # doctest: +SKIP
        """
        if name not in self.dsets_:
            raise KeyError(f"no data set '{name}'; data sets: {self.dset_names}")
        d = self.dsets_[name]
        df = pd.DataFrame(d.values, columns=list(d.cols))
        df.insert(0, "uCode", [self.data.units[i] for i in d.units])
        return df

    def report(self, step: str) -> dict[str, Any]:
        """The report of the step called ``step`` (e.g. treated points, dropped units)."""
        for r in self.log_:
            if r.name == step:
                return r.report
        raise KeyError(f"no step '{step}'")

    @property
    def aggregated(self) -> str:
        """Name of the data set written by the last aggregate step."""
        if self._agg is None:
            raise ComputationError("the spec has no aggregate step: no index to report")
        return self._agg

    def index_scores(self) -> np.ndarray:
        """Index (root) scores of the final aggregated data set, rows in unit order (fast path)."""
        d = self.dsets_[self.aggregated]
        return d.values[:, d.cols.index(self.data.tree.root)]

    def index_units(self) -> list[str]:
        """Unit codes of the rows of :meth:`index_scores`."""
        return [self.data.units[i] for i in self.dsets_[self.aggregated].units]

    def ranks(self, code: str | None = None) -> np.ndarray:
        """Ranks (1 = highest, ties the smallest rank, NaN stays NaN) of ``code`` (default root)."""
        d = self.dsets_[self.aggregated]
        return rank_min(d.values[:, d.cols.index(code or self.data.tree.root)], descending=True)

    def results(self, all_levels: bool = False) -> pd.DataFrame:
        """``uCode, Index, Rank`` sorted by Index descending (rank 1 best, min ties).

        With ``all_levels`` the aggregate scores of every level follow.
        """
        d = self.dsets_[self.aggregated]
        root = self.data.tree.root
        df = pd.DataFrame({"uCode": self.index_units(), "Index": self.index_scores()})
        df["Rank"] = pd.array(self.ranks(), dtype="Int64")
        if all_levels:
            p = self.data.tree.n_indicators
            for j, c in enumerate(d.cols[p:]):
                if c != root:
                    df[c] = d.values[:, p + j]
        df = df.sort_values(["Index", "uCode"], ascending=[False, True], na_position="last", kind="mergesort")
        return df.reset_index(drop=True)

    def effective_weights(self) -> pd.Series:
        """Weight of every node in the final index (products of sibling-normalised weights)."""
        return effective_weights(self.data.tree, self.weights_)

    def resolved_spec(self) -> dict[str, Any]:
        """The spec that was run, with every default filled in."""
        d = dict(self._meta)
        d["steps"] = [r.to_dict() for r in self._resolved]
        d["weights"] = dict(self._weights)
        return d

    @property
    def spec(self) -> Spec:
        """The spec that was run (resolved: every default filled in; a new object each time)."""
        return Spec.from_dict(self.resolved_spec())

    def regen(self, spec: Spec | None = None) -> Coin:
        """Re-run with another spec (default: the same), reusing every cached step prefix."""
        return build(self.data, spec if spec is not None else self.spec, cache=self._cache)

    def __repr__(self) -> str:
        n, p = self.data.values.shape
        return f"Coin({n} units × {p} indicators; data sets: {', '.join(self.dset_names)})"


def build(data: IndexData, spec: Spec, *, cache: StepCache | None = None) -> Coin:
    """Check ``spec`` against ``data``, run its steps, return the :class:`Coin`.

    Parameters
    ----------
    data : IndexData
    spec : Spec
    cache : StepCache, optional
        Share one between builds on the same data to skip unchanged step prefixes
        (:meth:`Coin.regen` does this).

    Returns
    -------
    Coin

    Raises
    ------
    SpecError
        Before any computation, when the spec does not fit the data.
    ComputationError
        When a method cannot compute (e.g. geometric mean of a zero), naming unit and indicator.

    Examples
    --------
    >>> data = load_coinr("examples/asem/iData.csv", "examples/asem/iMeta.csv")  # doctest: +SKIP
    >>> coin = build(data, Spec.load("examples/asem/nominal.yaml"))  # doctest: +SKIP
    >>> coin.results().head(1)  # doctest: +SKIP
    """
    if not isinstance(spec, Spec):
        raise TypeError(f"spec must be a Spec, got {type(spec).__name__}")
    resolved = spec.check(data)
    if cache is None:
        cache = StepCache()
    if cache.token is None:
        cache.token = data.token
    elif cache.token != data.token:
        raise ValueError("this cache belongs to other data; use a new StepCache")
    base_w = _apply(data.tree, data.tree.weights, spec.weights) if spec.weights else data.tree.weights
    wkey = json.dumps(spec.weights, sort_keys=True)
    raw = DSet(np.arange(len(data.units)), data.indicators, data.values)
    panel = data.panel.values if data.panel is not None else None
    st = _State({"Raw": raw}, None, "Raw", panel, ())
    key = data.token
    for rs in resolved:
        key = _h(key, rs.key, wkey if rs.step in ("weight", "aggregate") else "")
        hit = cache.get(key)
        if hit is not None:
            st = hit
            continue
        st = _run_step(st, rs, data, base_w)
        cache.put(key, st, st.dsets[rs.dset_out].values.nbytes if rs.dset_out else 0)
    return Coin(data, spec, st, base_w, cache, resolved)
