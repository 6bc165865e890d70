"""Uncertainty and sensitivity analysis of a composite index (COINr's ``get_sensitivity``).

An *uncertainty spec* (YAML/JSON, :class:`UASpec`) lists the uncertain inputs. Each input sets
one path of the pipeline spec (``treat.winmax``, ``normalise``, ``aggregate.method``, ...) to one
of several alternatives:

* ``values: [...]`` — discrete alternatives, equally likely;
* ``uniform: {low: a, high: b}`` — a continuous value, uniform on ``[a, b]`` (``integer: true``
  rounds down to whole numbers on ``[a, b]``);
* ``weights: {n: 100, noise: 0.25, levels: [2, 3], seed: 1}`` — ``n`` noisy copies of the nominal
  weights, each weight at the given levels replaced by ``w · (1 + noise · (2u − 1))``, ``u`` uniform.

Sampling maps a uniform number ``u`` to alternative ``floor(u · k)`` of ``k`` (a discrete uniform
choice; COINr cuts the observed range into ``k`` bins, which is the same up to the 0.1 % widening).

The analysis is model-agnostic: a :class:`Model` regenerates the Index scores from a mapping of
``path → value`` (the pipeline adapter is :class:`lantu.engine.uncertainty_model.CoinModel`).

* **UA** (:func:`run_ua`): ``N`` independent draws; per unit the nominal, mean, median, 5 % and
  95 % quantile of the rank (rank 1 = highest score, ties the smallest rank) and of the score.
  Quantiles are R's type 7 (numpy ``linear``), missing ignored.
* **SA** (:func:`run_sa`): matrices ``A``, ``B`` (``N × d``) and ``AB_i`` (``A`` with column
  ``i`` from ``B``), ``N(d + 2)`` runs; output ``y`` = mean absolute rank change against the
  nominal ranks; ``V`` = variance (``n − 1``) of the ``2N`` values ``y(A), y(B)``;
  first order ``S_i = mean(y_B · (y_ABi − y_A)) / V`` and total order (Jansen)
  ``ST_i = Σ (y_A − y_ABi)² / (2N · V)``; 5 %/95 % bootstrap intervals over the ``N`` rows.

Replications are reproducible from ``seed``; ``n_jobs > 1`` runs them in worker processes and
returns exactly what a serial run returns. A replication that raises gives missing scores; the
failures are counted and their messages kept (:attr:`UAResult.failures`).

Examples
--------
>>> spec = UASpec.from_dict({"inputs": [{"name": "A", "target": "a", "values": [1, 2]}]})
>>> spec.names
('A',)
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import multiprocessing.context
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from lantu.engine.analyse import rank_desc
from lantu.errors import UsageError

__all__ = [
    "DiscreteInput",
    "Model",
    "SAResult",
    "UAResult",
    "UASpec",
    "UASpecError",
    "UniformInput",
    "WeightsInput",
    "evaluate",
    "mean_abs_rank_change",
    "noisy_weights",
    "rank_stats",
    "run_sa",
    "run_ua",
    "sa_design",
    "sobol_indices",
]

Progress = Callable[[int, int], None]
"""``progress(done, total)`` — called in the calling process as replications finish."""


class UASpecError(UsageError):
    """A bad uncertainty spec: the message names the input and the field."""


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class DiscreteInput:
    """Equally likely discrete alternatives for one spec path."""

    name: str
    target: str
    values: tuple[Any, ...]

    @property
    def k(self) -> int:
        return len(self.values)

    def pick(self, u: np.ndarray) -> np.ndarray:
        """Alternative index for each uniform number."""
        return np.minimum((np.asarray(u) * self.k).astype(int), self.k - 1)

    def value(self, code: float) -> Any:
        return self.values[int(code)]


@dataclass(frozen=True)
class UniformInput:
    """A continuous value, uniform on ``[low, high]`` (whole numbers if ``integer``)."""

    name: str
    target: str
    low: float
    high: float
    integer: bool = False

    def pick(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if self.integer:
            span = math.floor(self.high) - math.ceil(self.low) + 1
            return math.ceil(self.low) + np.minimum((u * span).astype(int), span - 1).astype(float)
        return self.low + u * (self.high - self.low)

    def value(self, code: float) -> Any:
        return int(code) if self.integer else float(code)


@dataclass(frozen=True)
class WeightsInput:
    """``n`` noisy copies of the nominal weights at ``levels`` (set on :attr:`target`)."""

    name: str
    n: int
    noise: float
    levels: tuple[int, ...]
    seed: int | None = None
    target: str = "weights"
    sets: tuple[Mapping[str, float], ...] = field(default=(), compare=False)

    def pick(self, u: np.ndarray) -> np.ndarray:
        return np.minimum((np.asarray(u) * self.n).astype(int), self.n - 1)

    def value(self, code: float) -> Mapping[str, float]:
        if not self.sets:
            raise RuntimeError(f"input {self.name!r}: weight sets not generated (call UASpec.bind)")
        return self.sets[int(code)]


Input = DiscreteInput | UniformInput | WeightsInput


def noisy_weights(
    nominal: Mapping[str, float],
    *,
    n: int,
    noise: float,
    seed: int | None = None,
) -> list[dict[str, float]]:
    """``n`` copies of ``nominal`` with each weight multiplied by ``1 + noise · (2u − 1)``.

    Parameters
    ----------
    nominal : mapping
        Code → nominal weight of the perturbed elements (in a fixed order).
    n : int
        Number of copies.
    noise : float
        Relative half-width of the uniform perturbation (0.25 → ``[0.75 w, 1.25 w]``).
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> ws = noisy_weights({"a": 1.0, "b": 2.0}, n=3, noise=0.25, seed=1)
    >>> all(0.75 <= w["a"] <= 1.25 and 1.5 <= w["b"] <= 2.5 for w in ws)
    True
    """
    codes = list(nominal)
    w = np.array([nominal[c] for c in codes], dtype=float)
    u = np.random.default_rng(seed).random((n, len(codes)))
    mat = w * (1.0 + noise * (2.0 * u - 1.0))
    return [dict(zip(codes, row.tolist(), strict=True)) for row in mat]


# --------------------------------------------------------------------------- spec


def _need(d: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise UASpecError(f"{where}: missing field {key!r}")
    return d[key]


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise UASpecError(f"{where}: expected a finite number, got {v!r}")
    return float(v)


def _parse_input(i: int, raw: Any) -> Input | None:
    where = f"uncertainty input #{i + 1}"
    if not isinstance(raw, Mapping):
        raise UASpecError(f"{where}: expected a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise UASpecError(f"{where}: field 'name' must be a non-empty string")
    where = f"uncertainty input {name!r}"
    if not raw.get("active", True):
        return None
    kinds = [k for k in ("values", "uniform", "weights") if k in raw]
    if len(kinds) != 1:
        raise UASpecError(f"{where}: give exactly one of 'values', 'uniform', 'weights' (got {kinds})")
    kind = kinds[0]
    known = {"name", "active", "target", "description", kind} | ({"integer"} if kind == "uniform" else set())
    extra = sorted(set(raw) - known)
    if extra:
        raise UASpecError(f"{where}: unknown field {extra[0]!r}")
    if kind == "weights":
        w = raw["weights"]
        if not isinstance(w, Mapping):
            raise UASpecError(f"{where}: field 'weights' must be a mapping")
        n = w.get("n", 100)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise UASpecError(f"{where}: field 'weights.n' must be a positive integer, got {n!r}")
        noise = _number(w.get("noise", 0.25), f"{where}: field 'weights.noise'")
        if not 0 <= noise < 1:
            raise UASpecError(f"{where}: field 'weights.noise' must be in [0, 1), got {noise}")
        levels = w.get("levels")
        if not isinstance(levels, list) or not levels or not all(isinstance(x, int) for x in levels):
            raise UASpecError(f"{where}: field 'weights.levels' must be a non-empty list of levels")
        seed = w.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise UASpecError(f"{where}: field 'weights.seed' must be an integer")
        extra = sorted(set(w) - {"n", "noise", "levels", "seed"})
        if extra:
            raise UASpecError(f"{where}: unknown field 'weights.{extra[0]}'")
        return WeightsInput(name, n, noise, tuple(levels), seed, str(raw.get("target", "weights")))
    target = _need(raw, "target", where)
    if not isinstance(target, str) or not target:
        raise UASpecError(f"{where}: field 'target' must be a non-empty spec path")
    if kind == "values":
        vals = raw["values"]
        if not isinstance(vals, list) or not vals:
            raise UASpecError(f"{where}: field 'values' must be a non-empty list of alternatives")
        return DiscreteInput(name, target, tuple(vals))
    u = raw["uniform"]
    if not isinstance(u, Mapping):
        raise UASpecError(f"{where}: field 'uniform' must be a mapping with 'low' and 'high'")
    low = _number(_need(u, "low", f"{where}: field 'uniform'"), f"{where}: field 'uniform.low'")
    high = _number(_need(u, "high", f"{where}: field 'uniform'"), f"{where}: field 'uniform.high'")
    if low > high:
        raise UASpecError(f"{where}: field 'uniform': low ({low:g}) > high ({high:g})")
    integer = raw.get("integer", False)
    if integer and math.ceil(low) > math.floor(high):
        raise UASpecError(f"{where}: field 'uniform': no whole number in [{low:g}, {high:g}]")
    return UniformInput(name, target, low, high, bool(integer))


@dataclass(frozen=True)
class UASpec:
    """The uncertain inputs of an analysis.

    Build it with :meth:`from_dict` or :meth:`from_yaml`; :meth:`bind` checks the targets against
    a model and generates weight sets. Inputs with ``active: false`` are skipped.

    Examples
    --------
    >>> s = UASpec.from_dict({"inputs": [
    ...     {"name": "Winmax", "target": "treat.winmax", "values": [1, 2, 3]},
    ...     {"name": "Off", "target": "x", "values": [1], "active": False}]})
    >>> [i.name for i in s.inputs]
    ['Winmax']
    """

    inputs: tuple[Input, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    @classmethod
    def from_dict(cls, raw: Any) -> UASpec:
        """Parse and validate a spec (raises :class:`UASpecError` naming input and field)."""
        if not isinstance(raw, Mapping):
            raise UASpecError("uncertainty spec: expected a mapping with 'inputs'")
        extra = sorted(set(raw) - {"inputs", "description"})
        if extra:
            raise UASpecError(f"uncertainty spec: unknown field {extra[0]!r}")
        items = _need(raw, "inputs", "uncertainty spec")
        if not isinstance(items, list) or not items:
            raise UASpecError("uncertainty spec: field 'inputs' must be a non-empty list")
        inputs = tuple(x for i, raw_i in enumerate(items) if (x := _parse_input(i, raw_i)))
        if not inputs:
            raise UASpecError("uncertainty spec: every input is inactive")
        seen: Counter[str] = Counter(i.name for i in inputs)
        dup = [n for n, c in seen.items() if c > 1]
        if dup:
            raise UASpecError(f"uncertainty input {dup[0]!r}: name used twice")
        targets: Counter[str] = Counter(i.target for i in inputs)
        dup = [t for t, c in targets.items() if c > 1]
        if dup:
            raise UASpecError(f"uncertainty spec: target {dup[0]!r} is set by two inputs")
        nested = [(a, b) for a in targets for b in targets if b.startswith(a + ".")]
        if nested:
            a, b = nested[0]
            raise UASpecError(f"uncertainty spec: target {b!r} is inside target {a!r}, "
                              "set by another input")
        return cls(inputs)

    @classmethod
    def from_yaml(cls, path: str | Path) -> UASpec:
        """Read a YAML (or JSON) file; errors name the file."""
        import yaml

        p = Path(path)
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise UASpecError(f"{p}: cannot read uncertainty spec: {exc}") from exc
        try:
            return cls.from_dict(raw)
        except UASpecError as exc:
            raise UASpecError(f"{p}: {exc}") from None

    def bind(self, model: Model) -> UASpec:
        """Check every target against ``model`` and generate the weight sets.

        Raises :class:`UASpecError` naming the input whose target the model does not know, or
        whose alternatives the model rejects (``model.check(target, value)``).
        """
        bound: list[Input] = []
        for inp in self.inputs:
            where = f"uncertainty input {inp.name!r}: field 'target'"
            if inp.target not in model.targets():
                known = ", ".join(sorted(model.targets()))
                raise UASpecError(f"{where}: unknown spec path {inp.target!r} (known: {known})")
            if isinstance(inp, WeightsInput):
                nominal = model.nominal_weights(inp.levels)
                if not nominal:
                    raise UASpecError(
                        f"uncertainty input {inp.name!r}: field 'weights.levels': no weights at "
                        f"levels {list(inp.levels)}"
                    )
                sets = noisy_weights(nominal, n=inp.n, noise=inp.noise, seed=inp.seed)
                inp = WeightsInput(inp.name, inp.n, inp.noise, inp.levels, inp.seed, inp.target,
                                   tuple(sets))
            else:
                # discrete: every alternative; uniform: both ends of the range
                alts = (list(inp.values) if isinstance(inp, DiscreteInput)
                        else [inp.value(c) for c in inp.pick(np.array([0.0, 1.0]))])
                for j, v in enumerate(alts):
                    try:
                        model.check(inp.target, v)
                    except (ValueError, TypeError, KeyError) as exc:
                        field_ = (f"values[{j}]" if isinstance(inp, DiscreteInput)
                                  else f"uniform.{('low', 'high')[j]}")
                        raise UASpecError(
                            f"uncertainty input {inp.name!r}: field {field_!r}: {exc}"
                        ) from None
            bound.append(inp)
        return UASpec(tuple(bound))


# --------------------------------------------------------------------------- model protocol


class Model(Protocol):
    """What the analysis needs from a pipeline (see ``CoinModel`` for the engine's)."""

    units: Sequence[str]

    def targets(self) -> Sequence[str]:
        """Spec paths an input may set."""

    def check(self, target: str, value: Any) -> None:
        """Raise ``ValueError`` if ``value`` is not a valid setting of ``target``."""

    def nominal_weights(self, levels: Sequence[int]) -> Mapping[str, float]:
        """Nominal weights of the elements at ``levels``."""

    def position(self, target: str) -> int:
        """Position of the step ``target`` belongs to (replications are sorted by it)."""

    def nominal(self) -> np.ndarray:
        """Nominal Index scores, aligned with :attr:`units`."""

    def run(self, settings: Mapping[str, Any]) -> np.ndarray:
        """Index scores with the given ``path → value`` settings, aligned with :attr:`units`."""


# --------------------------------------------------------------------------- running


def _run_chunk(model: Model, chunk: list[dict[str, Any]]) -> tuple[np.ndarray, list[str | None]]:
    out = np.full((len(chunk), len(model.units)), np.nan)
    errors: list[str | None] = [None] * len(chunk)
    for j, settings in enumerate(chunk):
        try:
            out[j] = model.run(settings)
        except Exception as exc:  # noqa: BLE001 - a failed replication is data, reported as missing
            errors[j] = f"{type(exc).__name__}: {exc}"
    return out, errors


_WORKER_MODEL: Model | None = None
_THREADPOOLS: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """Limit BLAS to one thread (a context manager; the library scan is done once per process)."""
    global _THREADPOOLS
    if _THREADPOOLS is None:
        _THREADPOOLS = ThreadpoolController()
    return _THREADPOOLS.limit(limits=1, user_api="blas")


def _worker_init(model: Model) -> None:
    global _WORKER_MODEL
    _WORKER_MODEL = model
    _one_blas_thread()  # one BLAS thread per worker process, for its lifetime


def _worker_chunk(chunk: list[dict[str, Any]]) -> tuple[np.ndarray, list[str | None]]:
    assert _WORKER_MODEL is not None
    return _run_chunk(_WORKER_MODEL, chunk)


def _chunks(n: int, size: int) -> list[range]:
    return [range(s, min(s + size, n)) for s in range(0, n, size)]


def worker_context(start_method: str | None = None) -> multiprocessing.context.BaseContext:
    """The multiprocessing context of the replication workers: ``start_method`` if given, else
    ``fork`` where available (workers inherit the model's warm caches), else ``spawn``."""
    if start_method is None:
        start_method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(start_method)


def evaluate(
    model: Model,
    spec: UASpec,
    codes: np.ndarray,
    *,
    n_jobs: int = 1,
    progress: Progress | None = None,
    chunk_size: int | None = None,
    start_method: str | None = None,
) -> tuple[np.ndarray, list[str | None]]:
    """Run the model for every row of ``codes`` (replications × inputs of alternative codes).

    Identical rows are run once. Distinct rows are run sorted by the pipeline steps they change
    (so a model that caches step prefixes recomputes as little as possible) and returned in the
    original order. The result does not depend on ``n_jobs``. BLAS runs single-threaded while
    replications run (its idle threads spin and slow small matrix products down; parallelism
    comes from ``n_jobs`` processes instead).

    The worker processes start by ``start_method`` (default :func:`worker_context`: ``fork``
    where the platform has it, so workers inherit the warm caches; ``spawn`` otherwise, the
    model then travels pickled). It is chosen here, not left to Python's default (which is
    ``forkserver`` on POSIX from Python 3.14).

    Returns
    -------
    scores : ndarray (replications × units), NaN rows for failed replications
    errors : list, the error message of each failed row, ``None`` for the others
    """
    n = len(codes)
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be >= 1, got {n_jobs}")
    pos = [model.position(i.target) for i in spec.inputs]
    cols = np.argsort(pos, kind="stable")
    # identical rows run once; distinct rows sorted by the step they change first
    if n:
        uniq, inverse = np.unique(codes[:, cols], axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
    else:
        uniq, inverse = np.zeros((0, len(cols))), np.zeros(0, dtype=int)
    weight = np.bincount(inverse, minlength=len(uniq))
    inputs = [spec.inputs[c] for c in cols]
    settings = [{inp.target: inp.value(row[k]) for k, inp in enumerate(inputs)} for row in uniq]
    m = len(uniq)
    u_scores = np.full((m, len(model.units)), np.nan)
    u_errors: list[str | None] = [None] * m
    if chunk_size is None:
        chunk_size = max(1, min(256, math.ceil(m / (8 * n_jobs)) if m else 1))
    parts = _chunks(m, chunk_size)
    done = 0
    if progress:
        progress(0, n)

    def store(rng: range, res: tuple[np.ndarray, list[str | None]]) -> None:
        nonlocal done
        u_scores[rng.start:rng.stop] = res[0]
        u_errors[rng.start:rng.stop] = res[1]
        done += int(weight[rng.start:rng.stop].sum())
        if progress:
            progress(done, n)

    if n_jobs == 1 or m <= chunk_size:
        with _one_blas_thread():
            for rng in parts:
                store(rng, _run_chunk(model, settings[rng.start:rng.stop]))
    else:
        # Warm up in this process: the first run of every combination of the inputs that act
        # before the last step. Forked workers inherit the model's warm caches, so they do not
        # each recompute the shared prefixes (treat, normalise, ...).
        last = max(pos)
        early = [k for k, c in enumerate(cols) if pos[c] < last]
        first = np.unique(uniq[:, early], axis=0, return_index=True)[1] if early else np.array([0])
        warm = np.zeros(m, dtype=bool)
        warm[first] = True
        with _one_blas_thread():
            for j in np.flatnonzero(warm):
                res = _run_chunk(model, [settings[j]])
                u_scores[j], u_errors[j] = res[0][0], res[1][0]
        done += int(weight[warm].sum())
        if progress:
            progress(done, n)
        rest = np.flatnonzero(~warm)
        parts = _chunks(len(rest), max(1, min(256, math.ceil(len(rest) / (8 * n_jobs)))))
        workers = min(n_jobs, len(parts), os.cpu_count() or 1)
        with (ProcessPoolExecutor(workers, mp_context=worker_context(start_method),
                                  initializer=_worker_init, initargs=(model,))
              if parts else contextlib.nullcontext()) as ex:
            futs = [ex.submit(_worker_chunk,  # type: ignore[union-attr]  # parts: ex is a pool
                              [settings[j] for j in rest[r.start:r.stop]])
                    for r in parts]
            for rng, fut in zip(parts, futs, strict=True):
                idx = rest[rng.start:rng.stop]
                sc, er = fut.result()
                u_scores[idx] = sc
                for j, e in zip(idx, er, strict=True):
                    u_errors[j] = e
                done += int(weight[idx].sum())
                if progress:
                    progress(done, n)
    scores = u_scores[inverse]
    errors = [u_errors[j] for j in inverse]
    return scores, errors


# --------------------------------------------------------------------------- statistics


def _quantiles(a: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Type-7 quantiles along axis 0, NaN ignored (all-NaN columns give NaN)."""
    out = np.full((len(qs), a.shape[1]), np.nan)
    ok = ~np.all(np.isnan(a), axis=0)
    if ok.any():
        out[:, ok] = np.nanquantile(a[:, ok], qs, axis=0, method="linear")
    return out


def rank_stats(nominal: np.ndarray, reps: np.ndarray, units: Sequence[str]) -> pd.DataFrame:
    """Per unit: ``Nominal, Mean, Median, Q5, Q95`` of ``reps`` (replications × units).

    NaN (failed replications) are ignored; quantiles are type 7.

    Parameters
    ----------
    nominal : ndarray, the nominal value per unit
    reps : ndarray, replications × units
    units : unit codes

    Returns
    -------
    DataFrame with ``uCode`` first.

    Examples
    --------
    >>> t = rank_stats(np.array([1.0, 2.0]), np.array([[1.0, 2], [2, 1], [1, 2]]), ["a", "b"])
    >>> t.loc[0, ["Mean", "Median", "Q5", "Q95"]].tolist()
    [1.3333333333333333, 1.0, 1.0, 1.9]
    """
    reps = np.asarray(reps, dtype=float)
    q = _quantiles(reps, [0.5, 0.05, 0.95])
    ok = ~np.all(np.isnan(reps), axis=0)
    mean = np.full(reps.shape[1], np.nan)
    mean[ok] = np.nanmean(reps[:, ok], axis=0)
    return pd.DataFrame({"uCode": list(units), "Nominal": nominal, "Mean": mean,
                         "Median": q[0], "Q5": q[1], "Q95": q[2]})


@dataclass
class UAResult:
    """Outcome of an uncertainty analysis.

    Attributes
    ----------
    units : unit codes
    samples : DataFrame, one row per replication, the alternative chosen for each input
        (its index among the alternatives; the value itself for a ``uniform`` input)
    scores : ndarray, replications × units Index scores (NaN where a replication failed)
    ranks : ndarray, the same as ranks (1 = highest)
    nominal_scores, nominal_ranks : ndarray
    failures : list of (replication, message)
    """

    units: list[str]
    samples: pd.DataFrame
    scores: np.ndarray
    ranks: np.ndarray
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    failures: list[tuple[int, str]]

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    @property
    def rank_stats(self) -> pd.DataFrame:
        """``uCode, Nominal, Mean, Median, Q5, Q95`` of the rank."""
        return rank_stats(self.nominal_ranks, self.ranks, self.units)

    @property
    def score_stats(self) -> pd.DataFrame:
        """``uCode, Nominal, Mean, Median, Q5, Q95`` of the Index score."""
        return rank_stats(self.nominal_scores, self.scores, self.units)


def _uniform_codes(spec: UASpec, u: np.ndarray) -> np.ndarray:
    return np.column_stack([inp.pick(u[:, k]) for k, inp in enumerate(spec.inputs)]).astype(float)


def _samples_frame(spec: UASpec, codes: np.ndarray) -> pd.DataFrame:
    data = {}
    for k, inp in enumerate(spec.inputs):
        col = codes[:, k]
        data[inp.name] = col if isinstance(inp, UniformInput) and not inp.integer else col.astype(int)
    return pd.DataFrame(data)


def _ua_from_scores(model: Model, spec: UASpec, codes: np.ndarray, scores: np.ndarray,
                    errors: list[str | None]) -> UAResult:
    nom = np.asarray(model.nominal(), dtype=float)
    return UAResult(
        units=list(model.units),
        samples=_samples_frame(spec, codes),
        scores=scores,
        ranks=rank_desc(scores),
        nominal_scores=nom,
        nominal_ranks=rank_desc(nom),
        failures=[(i, e) for i, e in enumerate(errors) if e is not None],
    )


def _prepare(model: Model, spec: UASpec) -> UASpec:
    bound = all(not isinstance(i, WeightsInput) or i.sets for i in spec.inputs)
    return spec if bound else spec.bind(model)


def run_ua(
    model: Model,
    spec: UASpec,
    n: int,
    *,
    seed: int | None = None,
    n_jobs: int = 1,
    progress: Progress | None = None,
) -> UAResult:
    """Monte Carlo uncertainty analysis: ``n`` independent draws of every input.

    Parameters
    ----------
    model : Model
        The pipeline (e.g. ``CoinModel``).
    spec : UASpec
        Uncertain inputs (bound to the model here if not yet).
    n : int
        Number of replications.
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same result for any
        ``n_jobs``.
    n_jobs : int
        Worker processes (1 = in this process).
    progress : callable, optional
        ``progress(done, total)``.

    Returns
    -------
    UAResult

    Examples
    --------
    See ``tests/test_engine_ua.py``.
    """
    if n < 1:
        raise ValueError(f"run_ua: n must be >= 1, got {n}")
    spec = _prepare(model, spec)
    u = np.random.default_rng(seed).random((n, len(spec.inputs)))
    codes = _uniform_codes(spec, u)
    scores, errors = evaluate(model, spec, codes, n_jobs=n_jobs, progress=progress)
    return _ua_from_scores(model, spec, codes, scores, errors)


# --------------------------------------------------------------------------- sensitivity


def _sobol_point(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Si, STi for each column of ``yab`` (rows with any NaN must be removed beforehand)."""
    n = len(ya)
    v = np.var(np.concatenate([ya, yb]), ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        si = np.mean(yb[:, None] * (yab - ya[:, None]), axis=0) / v
        sti = np.sum((ya[:, None] - yab) ** 2, axis=0) / (2 * n * v)
    return si, sti


def sobol_indices(
    ya: np.ndarray,
    yb: np.ndarray,
    yab: np.ndarray,
    *,
    n_boot: int = 100,
    seed: int | None = None,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """First-order and total (Jansen) indices with bootstrap 5 %/95 % intervals.

    ``S_i = mean(y_B · (y_ABi − y_A)) / V``, ``ST_i = Σ (y_A − y_ABi)² / (2N · V)``,
    ``V`` = variance (``n − 1``) of the ``2N`` values of ``y_A`` and ``y_B``. For input ``i``,
    rows where any of ``y_A, y_B, y_ABi`` is missing are dropped. The bootstrap resamples rows
    with replacement ``n_boot`` times and recomputes ``V`` and both indices.

    Parameters
    ----------
    ya, yb : ndarray (N,)
    yab : ndarray (N, d), column ``i`` = output of ``AB_i``
    n_boot : int
    seed : int or None
    names : input names (default ``x1..xd``)

    Returns
    -------
    DataFrame ``input, Si, STi, Si_q5, Si_q95, STi_q5, STi_q95``

    Examples
    --------
    >>> ya = np.array([1.0, 2, 3, 4]); yb = np.array([2.0, 1, 4, 3])
    >>> t = sobol_indices(ya, yb, np.column_stack([yb, ya]), n_boot=10, seed=0)
    >>> t[["Si", "STi"]].round(4).values.tolist()
    [[0.35, 0.35], [0.0, 0.0]]
    """
    ya, yb = np.asarray(ya, dtype=float), np.asarray(yb, dtype=float)
    yab = np.asarray(yab, dtype=float)
    if yab.ndim != 2 or yab.shape[0] != ya.shape[0] or yb.shape != ya.shape:
        raise ValueError("sobol_indices: ya, yb must be (N,) and yab (N, d)")
    d = yab.shape[1]
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(d)]
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(d):
        ok = np.isfinite(ya) & np.isfinite(yb) & np.isfinite(yab[:, i])
        a, b, ab = ya[ok], yb[ok], yab[ok, i:i + 1]
        m = len(a)
        if m < 2:
            rows.append((names[i], *[np.nan] * 6))
            continue
        si, sti = _sobol_point(a, b, ab)
        idx = rng.integers(0, m, size=(n_boot, m))
        bs = np.array([_sobol_point(a[j], b[j], ab[j]) for j in idx]).reshape(n_boot, 2)
        q = _quantiles(bs, [0.05, 0.95]) if n_boot else np.full((2, 2), np.nan)
        rows.append((names[i], si[0], sti[0], q[0, 0], q[1, 0], q[0, 1], q[1, 1]))
    return pd.DataFrame(rows, columns=["input", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"])


@dataclass
class SAResult:
    """Outcome of a sensitivity analysis.

    Attributes
    ----------
    sensitivity : DataFrame ``input, Si, STi, Si_q5, Si_q95, STi_q5, STi_q95``
    ua : UAResult of all ``N(d + 2)`` runs, in the order A, B, AB_1, ..., AB_d
    y : ndarray, the mean absolute rank change of every run (same order)
    n : int, base sample size N
    """

    sensitivity: pd.DataFrame
    ua: UAResult
    y: np.ndarray
    n: int

    @property
    def rank_stats(self) -> pd.DataFrame:
        """Rank statistics over the ``A`` and ``B`` rows (2N independent runs)."""
        r = self.ua.ranks[: 2 * self.n]
        return rank_stats(self.ua.nominal_ranks, r, self.ua.units)


def mean_abs_rank_change(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Mean over units of ``|rank − nominal rank|`` for each row; NaN units ignored.

    Examples
    --------
    >>> mean_abs_rank_change(np.array([[1.0, 2, 3], [3, 2, np.nan]]), np.array([1.0, 2, 3]))
    array([0., 1.])
    """
    diff = np.abs(np.asarray(ranks, dtype=float) - np.asarray(nominal, dtype=float))
    cnt = np.sum(~np.isnan(diff), axis=-1)
    tot = np.nansum(diff, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)


def sa_design(n: int, d: int, *, seed: int | None = None, design: str = "random") -> np.ndarray:
    """Uniform design rows ``A; B; AB_1; ...; AB_d`` (``N(d + 2) × d``).

    ``design="random"``: ``A`` and ``B`` are independent pseudo-random ``N × d`` blocks (as the
    reference). ``design="sobol"``: ``A`` and ``B`` come from SALib's scrambled Sobol' sampler
    (``N`` should be a power of 2).

    Examples
    --------
    >>> x = sa_design(3, 2, seed=0)
    >>> x.shape, bool((x[6:9, 0] == x[3:6, 0]).all() and (x[6:9, 1] == x[0:3, 1]).all())
    ((12, 2), True)
    """
    if design == "random":
        rng = np.random.default_rng(seed)
        a, b = rng.random((n, d)), rng.random((n, d))
    elif design == "sobol":
        from SALib.sample import sobol as _sobol

        problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0, 1]] * d}
        x = _sobol.sample(problem, n, calc_second_order=False, seed=seed)
        a, b = x[0::d + 2], x[d + 1::d + 2]
    else:
        raise ValueError(f"sa_design: design must be 'random' or 'sobol', got {design!r}")
    blocks = [a, b]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.vstack(blocks)


def run_sa(
    model: Model,
    spec: UASpec,
    n: int,
    *,
    seed: int | None = None,
    n_boot: int = 100,
    n_jobs: int = 1,
    design: str = "random",
    progress: Progress | None = None,
) -> SAResult:
    """Variance-based sensitivity analysis of the mean absolute rank change.

    Parameters
    ----------
    model, spec : as :func:`run_ua`
    n : int
        Base sample size N (the model runs ``N(d + 2)`` times).
    seed : int or None
        Seeds the design and the bootstrap.
    n_boot : int
        Bootstrap resamples for the intervals.
    n_jobs : int
        Worker processes.
    design : {"random", "sobol"}
        See :func:`sa_design`.
    progress : callable, optional

    Returns
    -------
    SAResult
    """
    if n < 2:
        raise ValueError(f"run_sa: n must be >= 2, got {n}")
    spec = _prepare(model, spec)
    d = len(spec.inputs)
    ss = np.random.SeedSequence(seed)
    s_design, s_boot = (int(s.generate_state(1)[0]) for s in ss.spawn(2))
    u = sa_design(n, d, seed=s_design, design=design)
    codes = _uniform_codes(spec, u)
    scores, errors = evaluate(model, spec, codes, n_jobs=n_jobs, progress=progress)
    ua = _ua_from_scores(model, spec, codes, scores, errors)
    y = mean_abs_rank_change(ua.ranks, ua.nominal_ranks)
    ya, yb = y[:n], y[n:2 * n]
    yab = y[2 * n:].reshape(d, n).T
    sens = sobol_indices(ya, yb, yab, n_boot=n_boot, seed=s_boot, names=spec.names)
    return SAResult(sensitivity=sens, ua=ua, y=y, n=n)
