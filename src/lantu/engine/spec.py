"""The spec of a composite index: an ordered list of named steps, each a method with parameters.

A spec is data (YAML or JSON), saved beside the results, diffed and varied by the uncertainty
analysis through :meth:`Spec.set`. It is checked in one place (:meth:`Spec.check`) before any
computation: unknown family or method, unknown/missing/out-of-range parameter, a data set read
before it is written, duplicate step names -> :class:`~lantu.engine.errors.SpecError` naming the
step and the field.

Example (``examples/asem/nominal.yaml``)::

    steps:
      - {name: denominate, step: denominate, method: divide}
      - {name: impute, step: impute, method: mean_grp, params: {group: EurAsia_group}}
      - {name: screen, step: screen, method: byNA, params: {dat_thresh: 0.9}}
      - {name: treat, step: treat, method: winsorise, params: {winmax: 5}}
      - {name: normalise, step: normalise, method: minmax, params: {l_u: [0, 100]}}
      - {name: aggregate, step: aggregate, method: amean}
    weights: {}          # optional overrides of the tree's weights: code -> weight
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

import lantu.engine.methods  # noqa: F401  (fills the registry)
from lantu.engine.data import IndexData
from lantu.engine.errors import SpecError
from lantu.engine.methods.aggregate import check_aggregate, common_params
from lantu.engine.methods.normalise import check_normalise
from lantu.engine.methods.weight import _apply, _check_sums
from lantu.engine.registry import FAMILIES, REGISTRY, check_params, get_method

__all__ = ["Step", "Spec", "DEFAULT_OUTPUT"]

#: Name of the data set each family writes when the step gives no ``dset_out``.
DEFAULT_OUTPUT = {
    "denominate": "Denominated",
    "impute": "Imputed",
    "screen": "Screened",
    "treat": "Treated",
    "normalise": "Normalised",
    "aggregate": "Aggregated",
    "weight": None,
}

_MEMO: dict[tuple, dict[str, Any]] = {}
_DSET_NAME = re.compile(r"[A-Za-z0-9_\-]{1,64}")

_STEP_FIELDS = ("name", "step", "method", "params", "dset_in", "dset_out")


@dataclass
class Step:
    """One step of a spec.

    Attributes
    ----------
    name : str
        Unique within the spec (default: the family); used by :meth:`Spec.set`.
    step : str
        Family: denominate, screen, impute, treat, normalise, weight, aggregate.
    method : str
        Method name in the family's registry (COINr's names such as ``n_minmax`` are aliases).
    params : dict
    dset_in, dset_out : str, optional
        Data set read (default: the latest written, ``Raw`` at first) and written (default: the
        family's name in :data:`DEFAULT_OUTPUT`; a weight step writes none).
    """

    name: str
    step: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)
    dset_in: str | None = None
    dset_out: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "step": self.step, "method": self.method}
        if self.params:
            d["params"] = copy.deepcopy(self.params)
        if self.dset_in is not None:
            d["dset_in"] = self.dset_in
        if self.dset_out is not None:
            d["dset_out"] = self.dset_out
        return d


@dataclass(frozen=True)
class ResolvedStep:
    """A checked step: canonical method name, all parameters, explicit data sets, cache key part."""

    name: str
    step: str
    method: str
    params: dict[str, Any]
    dset_in: str
    dset_out: str | None
    key: str

    def to_dict(self) -> dict[str, Any]:
        d = {"name": self.name, "step": self.step, "method": self.method,
             "params": _plain(self.params), "dset_in": self.dset_in}
        if self.dset_out is not None:
            d["dset_out"] = self.dset_out
        return d


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {(k if isinstance(k, str | int) else str(k)): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def _clone(v: Any) -> Any:
    """Copy plain data (dicts, lists, scalars) faster than ``copy.deepcopy``."""
    if isinstance(v, dict):
        return {k: _clone(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clone(x) for x in v]
    return v


def _step_from(obj: Any, i: int) -> Step:
    where = f"#{i + 1}"
    if not isinstance(obj, Mapping):
        raise SpecError(where, None, f"a step must be a mapping with fields {list(_STEP_FIELDS)}")
    for k in obj:
        if k not in _STEP_FIELDS:
            raise SpecError(str(obj.get("name", where)), str(k), f"unknown field; fields: {list(_STEP_FIELDS)}")
    fam = obj.get("step")
    name = obj.get("name", fam)
    label = str(name) if name else where
    if fam not in FAMILIES:
        raise SpecError(label, "step", f"must be one of {list(FAMILIES)}, got {fam!r}")
    if not isinstance(name, str) or not name or "." in name:
        raise SpecError(label, "name", f"must be a non-empty string without '.', got {name!r}")
    if "method" not in obj:
        raise SpecError(name, "method", "missing")
    params = obj.get("params") or {}
    if not isinstance(params, Mapping):
        raise SpecError(name, "params", f"must be a mapping, got {params!r}")
    for f in ("dset_in", "dset_out"):
        v = obj.get(f)
        if v is not None and (not isinstance(v, str) or not v):
            raise SpecError(name, f, f"must be a data set name, got {v!r}")
    return Step(name, fam, obj["method"], dict(copy.deepcopy(params)), obj.get("dset_in"), obj.get("dset_out"))


class Spec:
    """An ordered list of named steps plus optional weight overrides.

    Parameters
    ----------
    steps : iterable of Step or mapping
    weights : mapping, optional
        code -> weight, overriding the tree's weights (the "weight set" varied by the
        uncertainty analysis).
    meta : mapping, optional
        Free information saved with the spec (``name``, ``description``...).

    Examples
    --------
    >>> s = Spec([{"step": "normalise", "method": "minmax"}, {"step": "aggregate", "method": "amean"}])
    >>> s.set("normalise", {"method": "zscore", "params": {"m_sd": [10, 2]}}).get("normalise.m_sd")
    [10, 2]
    >>> s.set("aggregate.method", "gmean").get("aggregate.method")
    'gmean'
    """

    def __init__(
        self,
        steps: Iterable[Step | Mapping[str, Any]],
        weights: Mapping[str, float] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.steps: list[Step] = [
            s if isinstance(s, Step) else _step_from(s, i) for i, s in enumerate(steps)
        ]
        self.weights: dict[str, float] = {}
        self.meta: dict[str, Any] = dict(meta or {})
        if weights:
            self.set("weights", weights)
        self.check()

    # ------------------------------------------------------------ I/O

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Spec:
        """Build from a mapping with ``steps`` (and optional ``weights``, other keys kept as meta)."""
        if not isinstance(d, Mapping) or "steps" not in d:
            raise SpecError(None, "steps", "a spec is a mapping with a list 'steps'")
        if not isinstance(d["steps"], list) or not d["steps"]:
            raise SpecError(None, "steps", "must be a non-empty list")
        meta = {k: v for k, v in d.items() if k not in ("steps", "weights")}
        return cls(d["steps"], d.get("weights") or None, meta)

    @classmethod
    def loads(cls, text: str) -> Spec:
        """Parse YAML (or JSON, which is YAML)."""
        try:
            d = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise SpecError(None, None, f"not valid YAML/JSON: {e}") from None
        return cls.from_dict(d)

    @classmethod
    def load(cls, path: str | Path) -> Spec:
        """Read a YAML/JSON spec file; errors name the file."""
        p = Path(path)
        if not p.exists():
            raise SpecError(None, None, f"{p}: file not found")
        try:
            return cls.loads(p.read_text(encoding="utf-8"))
        except SpecError as e:
            raise SpecError(e.step, e.field, f"{e.reason} (in {p})") from None

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data (what :meth:`from_dict` reads)."""
        d: dict[str, Any] = dict(copy.deepcopy(self.meta))
        d["steps"] = [s.to_dict() for s in self.steps]
        if self.weights:
            d["weights"] = dict(self.weights)
        return d

    def dumps(self, fmt: str = "yaml") -> str:
        """Serialise as YAML (default) or JSON."""
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def dump(self, path: str | Path) -> None:
        """Write to ``path`` (JSON if it ends in .json, else YAML)."""
        p = Path(path)
        p.write_text(self.dumps("json" if p.suffix.lower() == ".json" else "yaml"), encoding="utf-8")

    def copy(self) -> Spec:
        """A deep copy (cheap: a spec is small)."""
        new = Spec.__new__(Spec)
        new.steps = [Step(s.name, s.step, s.method, _clone(s.params), s.dset_in, s.dset_out)
                     for s in self.steps]
        new.weights = dict(self.weights)
        new.meta = _clone(self.meta)
        return new

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return "Spec(" + ", ".join(f"{s.name}:{s.method}" for s in self.steps) + ")"

    # ------------------------------------------------------------ access and variation

    def step(self, name: str) -> Step:
        """The step called ``name`` (SpecError if none)."""
        for s in self.steps:
            if s.name == name:
                return s
        raise SpecError(name, None, f"no such step; steps: {[s.name for s in self.steps]}")

    def get(self, path: str) -> Any:
        """Read ``"weights"``, ``"weights.CODE"``, ``"<step>"``, ``"<step>.method"``,
        ``"<step>.params"`` or ``"<step>.<param>"``."""
        head, _, rest = path.partition(".")
        if head == "weights":
            return dict(self.weights) if not rest else self.weights.get(rest)
        s = self.step(head)
        if not rest:
            return s.to_dict()
        if rest in ("method", "params", "dset_in", "dset_out"):
            return getattr(s, rest)
        cur: Any = s.params
        for part in rest.split("."):
            cur = cur.get(part) if isinstance(cur, Mapping) else None
        return cur

    def set(self, path: str, value: Any) -> Spec:
        """Change one choice in place and re-check the step concerned; returns ``self``.

        Paths: ``"weights"`` (replace the whole weight-override set: code -> weight),
        ``"weights.CODE"`` (one override), ``"<step>"`` with a mapping of ``method``/``params``/
        ``dset_in``/``dset_out`` (a new ``method`` without ``params`` starts from the new
        method's defaults), ``"<step>.method"`` (parameters the new method also declares are
        kept), ``"<step>.params"`` (replace), ``"<step>.<param>"`` and ``"<step>.<param>.<key>"``.

        Examples
        --------
        >>> s = Spec([{"step": "treat", "method": "winsorise"}])
        >>> s.set("treat.winmax", 1).get("treat.winmax")
        1
        """
        head, _, rest = path.partition(".")
        if head == "weights":
            self._set_weights(rest, value, path)
            return self
        s = self.step(head)
        old = Step(s.name, s.step, s.method, _clone(s.params), s.dset_in, s.dset_out)
        setter = _STEP_SETTERS.get(rest, _PARAM_SETTER)
        try:
            setter.apply(s, rest, value)
            self._check_step(next(i for i, x in enumerate(self.steps) if x is s))
            if setter.moves_data:
                self.check()
        except SpecError:
            s.method, s.params, s.dset_in, s.dset_out = old.method, old.params, old.dset_in, old.dset_out
            raise
        return self

    def _set_weights(self, rest: str, value: Any, path: str) -> None:
        """``weights`` (the whole override set) or ``weights.CODE`` (one override)."""
        if rest:
            self.weights[rest] = _weight_value(value, path)
            return
        if not isinstance(value, Mapping):
            raise SpecError(None, "weights", "must map codes to numbers")
        self.weights = {str(k): _weight_value(v, f"weights.{k}") for k, v in value.items()}

    # ------------------------------------------------------------ checking

    def _check_step(self, i: int, data: IndexData | None = None) -> dict[str, Any]:
        s = self.steps[i]
        # the same step definition checked against the same data gives the same answer: memoise
        # (specs are re-checked on every regeneration of an uncertainty analysis)
        memo_key = (None if data is None else data.token, s.name, s.step, s.method, repr(s.params))
        hit = _MEMO.get(memo_key)
        if hit is not None:
            return hit
        if s.step == "aggregate":
            out = check_aggregate(s.method, s.params, data, s.name)
        elif s.step == "normalise":
            out = check_normalise(s.method, s.params, data, s.name)
        else:
            out = check_params(get_method(s.step, s.method, s.name), s.params, s.name, data)
        if len(_MEMO) > 4096:
            _MEMO.clear()
        _MEMO[memo_key] = out
        return out

    def check(self, data: IndexData | None = None) -> list[ResolvedStep]:
        """Check the whole spec (and, given ``data``, every code/column it names).

        Returns
        -------
        list of ResolvedStep
            Canonical methods, all parameters with defaults, explicit data sets.

        Raises
        ------
        SpecError
        """
        names: set[str] = set()
        written = ["Raw"]
        with_aggregates: set[str] = set()
        panel_units = {"Raw"}  # data sets still in the units of a panel's history
        last = "Raw"
        out: list[ResolvedStep] = []
        for i, s in enumerate(self.steps):
            if s.name in names:
                raise SpecError(s.name, "name", "duplicate step name (give each step its own name)")
            names.add(s.name)
            params = self._check_step(i, data)
            method = REGISTRY[s.step][get_method(s.step, s.method, s.name).name].name
            for f in ("dset_in", "dset_out"):
                v = getattr(s, f)
                if v is not None and (not isinstance(v, str) or not _DSET_NAME.fullmatch(v)):
                    raise SpecError(s.name, f, f"a data set name is letters, digits, '_' or '-' "
                                    f"(it names a CSV file), got {v!r}")
            dset_in = s.dset_in or last
            if dset_in not in written:
                raise SpecError(s.name, "dset_in", f"no data set '{dset_in}' before this step; available: {written}")
            if s.step == "weight":
                if s.dset_out is not None:
                    raise SpecError(s.name, "dset_out", "a weight step writes weights, not a data set")
                if (params.get("level") or 1) >= 2 and s.method in ("pca", "entropy", "critic") \
                        and dset_in not in with_aggregates:
                    raise SpecError(s.name, "dset_in", f"level-{params['level']} weights need a data set "
                                    f"with aggregate scores; '{dset_in}' has none (aggregate first)")
                dset_out = None
            else:
                if s.step == "impute" and method in ("latest", "linear") and dset_in not in panel_units:
                    raise SpecError(s.name, "dset_in", "panel imputation needs a data set in the units of "
                                    "the panel (Raw, or after denominate/impute/screen only)")
                dset_out = s.dset_out or str(DEFAULT_OUTPUT[s.step])  # not a weight step: a name
                if dset_out == "Raw":
                    raise SpecError(s.name, "dset_out", "'Raw' is the input and cannot be overwritten")
                if dset_out not in written:
                    written.append(dset_out)
                if s.step in ("denominate", "impute", "screen") and dset_in in panel_units:
                    panel_units.add(dset_out)
                else:
                    panel_units.discard(dset_out)
                if s.step == "aggregate" or dset_in in with_aggregates:
                    with_aggregates.add(dset_out)
                else:
                    with_aggregates.discard(dset_out)
                last = dset_out
            # resolved params come in the declared order, so their repr is canonical
            key = repr((s.name, s.step, method, params, dset_in, dset_out))
            out.append(ResolvedStep(s.name, s.step, method, params, dset_in, dset_out, key))
        if data is not None and self.weights:
            wkey = (data.token, "weights", tuple(self.weights.items()))
            if wkey not in _MEMO:
                codes = data.tree.index_of
                for c in self.weights:
                    if c not in codes:
                        raise SpecError(None, f"weights.{c}", "unknown indicator/aggregate code")
                _check_sums(data.tree, _apply(data.tree, data.tree.weights, self.weights), None, "weights")
                _MEMO[wkey] = {}
        return out

    def resolved(self, data: IndexData | None = None) -> dict[str, Any]:
        """The spec with every default filled in (what is saved beside results)."""
        d: dict[str, Any] = dict(copy.deepcopy(self.meta))
        d["steps"] = [r.to_dict() for r in self.check(data)]
        d["weights"] = dict(self.weights)
        return d


def _weight_value(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise SpecError(None, where, f"must be a number, got {v!r}")
    return float(v)


# -- Spec.set: one setter per kind of path below a step (``<step>``, ``<step>.method``, …) -----


def _set_whole_step(s: Step, _rest: str, value: Any) -> None:
    if not isinstance(value, Mapping):
        raise SpecError(s.name, None, "set a step with a mapping of method/params/dset_in/dset_out")
    bad = set(value) - {"method", "params", "dset_in", "dset_out"}
    if bad:
        raise SpecError(s.name, sorted(bad)[0], "unknown field")
    if "method" in value:
        s.method = value["method"]
        s.params = {}
    if "params" in value:
        _set_params(s, "params", value["params"])
    for f in ("dset_in", "dset_out"):
        if f in value:
            setattr(s, f, value[f])


def _set_method(s: Step, _rest: str, value: Any) -> None:
    """A new method keeps the parameters it also declares."""
    m = get_method(s.step, value, s.name)
    keep = {p.name for p in m.params}
    if s.step == "aggregate":
        keep |= {p.name for p in common_params()}
    if s.step == "normalise":
        keep.add("by_indicator")
    s.method = value
    s.params = {k: v for k, v in s.params.items() if k in keep}


def _set_params(s: Step, _rest: str, value: Any) -> None:
    if not isinstance(value, Mapping):
        raise SpecError(s.name, "params", "must be a mapping")
    s.params = _clone(dict(value))


def _set_dataset(s: Step, rest: str, value: Any) -> None:
    setattr(s, rest, value)


def _set_param(s: Step, rest: str, value: Any) -> None:
    """``<param>`` or ``<param>.<key>…``: nested mappings are made as needed."""
    parts = rest.split(".")
    cur = s.params
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = _clone(value)


class _Setter(NamedTuple):
    """How ``Spec.set`` changes one kind of path below a step: ``apply(step, rest, value)``, and
    whether the change can move the data flow between steps (which data set a step reads or
    writes), so that the whole spec is checked again, not only the step."""

    apply: Callable[[Step, str, Any], None]
    moves_data: bool = False


_STEP_SETTERS: dict[str, _Setter] = {
    "": _Setter(_set_whole_step, moves_data=True),
    "method": _Setter(_set_method),
    "params": _Setter(_set_params),
    "dset_in": _Setter(_set_dataset, moves_data=True),
    "dset_out": _Setter(_set_dataset, moves_data=True),
}
_PARAM_SETTER = _Setter(_set_param)  # any other path: ``<param>`` or ``<param>.<key>…``
