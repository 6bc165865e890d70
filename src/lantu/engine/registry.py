"""Explicit registry of methods per step family, with declared parameters.

A method is found only by ``(family, name)`` in :data:`REGISTRY` — never by looking a name up in
a module namespace. Each method declares its parameters (:class:`Param`: kind, default, range,
choices); :func:`check_params` is the one place where a step's parameters are checked, before any
computation, with errors naming the step and the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lantu.engine.errors import SpecError

__all__ = ["FAMILIES", "Param", "Method", "REGISTRY", "register", "get_method", "check_params"]

FAMILIES = ("denominate", "screen", "impute", "treat", "normalise", "weight", "aggregate")

_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    """Declaration of one method parameter.

    Parameters
    ----------
    name : str
    kind : str
        ``float``, ``int``, ``bool``, ``str``, ``choice``, ``pair`` (two numbers),
        ``mapping`` (code -> number), ``number_or_mapping``, ``level_mapping`` (level -> number
        or a number for all levels), ``matrices`` (parent code -> square matrix), ``codes``
        (list of codes), ``dict`` (free mapping, checked by the method), ``str_mapping``.
    default : object
        Omit for a required parameter.
    low, high : float, optional
        Inclusive bounds for numbers (``low_open``/``high_open`` make them strict).
    choices : tuple, optional
        Allowed values for ``choice``.
    doc : str
    """

    name: str
    kind: str
    default: Any = _REQUIRED
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple = ()
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def _check_number(self, v: Any, step: str, where: str, integer: bool = False) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise SpecError(step, where, f"must be a number, got {v!r}")
        if integer and (not float(v).is_integer()):
            raise SpecError(step, where, f"must be an integer, got {v!r}")
        if isinstance(v, float) and not math.isfinite(v):
            raise SpecError(step, where, f"must be finite, got {v!r}")
        if self.low is not None and (v < self.low or (self.low_open and v == self.low)):
            op = ">" if self.low_open else ">="
            raise SpecError(step, where, f"must be {op} {self.low}, got {v!r}")
        if self.high is not None and (v > self.high or (self.high_open and v == self.high)):
            op = "<" if self.high_open else "<="
            raise SpecError(step, where, f"must be {op} {self.high}, got {v!r}")
        return int(v) if integer else float(v)

    def check(self, v: Any, step: str) -> Any:
        """Return the value converted to its kind, or raise :class:`SpecError` (one checker per
        kind, in :data:`_CHECKERS`)."""
        checker = _CHECKERS.get(self.kind)
        if checker is None:  # pragma: no cover - a declaration error, caught by the tests
            raise AssertionError(f"unknown parameter kind {self.kind}")
        return checker(self, v, step, f"params.{self.name}")


# -- one checker per parameter kind: (param, value, step, field) -> converted value ------------


def _number(p: Param, v: Any, step: str, where: str) -> float:
    return p._check_number(v, step, where)


def _integer(p: Param, v: Any, step: str, where: str) -> float:
    return p._check_number(v, step, where, integer=True)


def _bool(p: Param, v: Any, step: str, where: str) -> bool:
    if not isinstance(v, bool):
        raise SpecError(step, where, f"must be true or false, got {v!r}")
    return v


def _str(p: Param, v: Any, step: str, where: str) -> str:
    if not isinstance(v, str) or not v:
        raise SpecError(step, where, f"must be a non-empty string, got {v!r}")
    return v


def _choice(p: Param, v: Any, step: str, where: str) -> Any:
    if v not in p.choices:
        raise SpecError(step, where, f"must be one of {list(p.choices)}, got {v!r}")
    return v


def _pair(p: Param, v: Any, step: str, where: str) -> list[float]:
    if not isinstance(v, list | tuple) or len(v) != 2:
        raise SpecError(step, where, f"must be a list of two numbers, got {v!r}")
    return [p._check_number(x, step, where) for x in v]


def _mapping(p: Param, v: Any, step: str, where: str) -> dict:
    if not isinstance(v, Mapping):
        raise SpecError(step, where, f"must be a mapping of code to number, got {v!r}")
    return {str(key): p._check_number(x, step, f"{where}.{key}") for key, x in v.items()}


def _number_or_mapping(p: Param, v: Any, step: str, where: str) -> Any:
    return _mapping(p, v, step, where) if isinstance(v, Mapping) else _number(p, v, step, where)


def _level_mapping(p: Param, v: Any, step: str, where: str) -> Any:
    if not isinstance(v, Mapping):
        return _number(p, v, step, where)
    out: dict = {}
    for key, x in v.items():
        try:
            level = int(key)
        except (TypeError, ValueError):
            raise SpecError(step, f"{where}.{key}", "keys must be levels (integers)") from None
        out[level] = p._check_number(x, step, f"{where}.{level}")
    return out


def _str_mapping(p: Param, v: Any, step: str, where: str) -> dict:
    if not isinstance(v, Mapping) or not all(isinstance(x, str) for x in v.values()):
        raise SpecError(step, where, f"must be a mapping of code to name, got {v!r}")
    return {str(a): b for a, b in v.items()}


def _codes(p: Param, v: Any, step: str, where: str) -> list:
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        raise SpecError(step, where, f"must be a list of codes, got {v!r}")
    return list(v)


def _matrices(p: Param, v: Any, step: str, where: str) -> dict:
    if not isinstance(v, Mapping):
        raise SpecError(step, where, f"must map a parent code to a square matrix, got {v!r}")
    out = {}
    for key, m in v.items():
        w = f"{where}.{key}"
        if not isinstance(m, list | tuple) or not m:
            raise SpecError(step, w, "must be a square matrix (list of rows)")
        nr = len(m)
        rows = []
        for i, row in enumerate(m):
            if not isinstance(row, list | tuple) or len(row) != nr:
                raise SpecError(step, f"{w}[{i}]", f"row must have {nr} entries")
            rows.append([p._check_number(x, step, f"{w}[{i}]") for x in row])
        out[str(key)] = rows
    return out


def _dict(p: Param, v: Any, step: str, where: str) -> dict:
    if not isinstance(v, Mapping):
        raise SpecError(step, where, f"must be a mapping, got {v!r}")
    return dict(v)


#: The parameter kinds of :class:`Param` and their checkers.
_CHECKERS: dict[str, Callable[[Param, Any, str, str], Any]] = {
    "float": _number, "int": _integer, "bool": _bool, "str": _str, "choice": _choice,
    "pair": _pair, "mapping": _mapping, "number_or_mapping": _number_or_mapping,
    "level_mapping": _level_mapping, "str_mapping": _str_mapping, "codes": _codes,
    "matrices": _matrices, "dict": _dict,
}


@dataclass(frozen=True)
class Method:
    """A registered method: family, name, function, declared parameters, aliases."""

    family: str
    name: str
    fn: Callable[..., Any]
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    doc: str = ""
    extra: dict = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


REGISTRY: dict[str, dict[str, Method]] = {f: {} for f in FAMILIES}
_ALIASES: dict[str, dict[str, str]] = {f: {} for f in FAMILIES}


def register(
    family: str,
    name: str,
    params: tuple[Param, ...] = (),
    aliases: tuple[str, ...] = (),
    **extra: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a function to :data:`REGISTRY` under ``family``/``name``."""
    if family not in REGISTRY:
        raise ValueError(f"unknown step family {family!r}")

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in REGISTRY[family]:
            raise ValueError(f"{family} method {name!r} registered twice")
        doc = (fn.__doc__ or "").strip().split("\n")[0]
        REGISTRY[family][name] = Method(family, name, fn, params, aliases, doc, dict(extra))
        for a in aliases:
            _ALIASES[family][a] = name
        return fn

    return deco


def canonical_name(family: str, name: str) -> str | None:
    """The registered name of ``name`` (itself or an alias) in ``family``, or None."""
    if name in REGISTRY[family]:
        return name
    return _ALIASES[family].get(name)


def get_method(family: str, name: Any, step: str) -> Method:
    """Look up a method, raising :class:`SpecError` naming the step when unknown."""
    if family not in REGISTRY:
        raise SpecError(step, "step", f"unknown step family {family!r}; one of {list(FAMILIES)}")
    if not isinstance(name, str):
        raise SpecError(step, "method", f"must be a method name, got {name!r}")
    c = canonical_name(family, name)
    if c is None:
        raise SpecError(
            step, "method", f"unknown {family} method {name!r}; one of {sorted(REGISTRY[family])}"
        )
    return REGISTRY[family][c]


def check_params(
    method: Method, params: Mapping[str, Any] | None, step: str, data: Any = None
) -> dict[str, Any]:
    """Check ``params`` against the method's declarations; return them with defaults filled.

    Besides each declared :class:`Param`, runs the method's cross-field rule (``check=`` at
    registration: ``f(params, step)``) and, given ``data``, its data rule (``validate=``:
    ``f(params, data, step)``: codes, columns, units the parameters name).

    Raises
    ------
    SpecError
        Unknown parameter, missing required parameter, wrong type or out of range.
    """
    params = dict(params or {})
    if not isinstance(params, dict):
        raise SpecError(step, "params", "must be a mapping")
    known = {p.name for p in method.params}
    for k in params:
        if k not in known:
            raise SpecError(
                step,
                f"params.{k}",
                f"unknown parameter of {method.family} method '{method.name}'; "
                f"known: {sorted(known) or 'none'}",
            )
    out: dict[str, Any] = {}
    for p in method.params:
        if p.name in params and params[p.name] is not None:
            out[p.name] = p.check(params[p.name], step)
        elif p.required:
            raise SpecError(step, f"params.{p.name}", f"missing (required by method '{method.name}')")
        else:
            out[p.name] = p.default
    if "check" in method.extra:
        method.extra["check"](out, step)
    if data is not None and "validate" in method.extra:
        method.extra["validate"](out, data, step)
    return out


def check_override(family: str, entry: Any, step: str, field: str, data: Any = None) -> dict[str, Any]:
    """Check one ``{method, params}`` override (or a bare method name) of ``family``.

    Returns ``{"method": registered name, "params": resolved params}``.
    """
    if isinstance(entry, str):
        entry = {"method": entry}
    if not isinstance(entry, Mapping) or "method" not in entry:
        raise SpecError(step, field, "must be a method name or {method, params}")
    extra = set(entry) - {"method", "params"}
    if extra:
        raise SpecError(step, f"{field}.{sorted(extra)[0]}", "unknown field (method, params)")
    try:
        m = get_method(family, entry["method"], step)
        return {"method": m.name, "params": check_params(m, entry.get("params") or {}, step, data)}
    except SpecError as e:
        raise SpecError(step, f"{field}.{e.field}", e.reason) from None


def check_overrides(
    family: str,
    mapping: Any,
    step: str,
    field: str,
    key: Callable[[Any, str], Any],
    data: Any = None,
) -> dict[Any, dict[str, Any]] | None:
    """Check a mapping of overrides ``key -> {method, params}`` (None stays None).

    ``key(k, field_of_k)`` converts and checks each key (raising :class:`SpecError`); each entry
    is checked with :func:`check_override`.
    """
    if mapping is None:
        return None
    if not isinstance(mapping, Mapping):
        raise SpecError(step, field, "must be a mapping to {method, params}")
    out = {}
    for k, entry in mapping.items():
        f = f"{field}.{k}"
        out[key(k, f)] = check_override(family, entry, step, f, data)
    return out
