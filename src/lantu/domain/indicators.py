"""Indicators: code, names, unit, direction, pillar and an optional formula.

A derived indicator (``tertiary_share = va_tertiary / gdp * 100``) is computed on demand from
the observations of the indicators its formula names; its values are never stored.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from lantu.domain.digits import marker_problem
from lantu.domain.errors import ValidationError

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


#: the smallest positive normal double (2.2250738585072014e-308): a number nearer 0 than this,
#: but not 0, is held as a subnormal — with fewer significant digits, one at ``5e-324`` — or,
#: below ``5e-324``, as 0. No statistic is that small, and no catalogue range can tell it from
#: 0, so it is refused wherever a number is read (:func:`number_problem`) and again where a
#: value is judged (:func:`outside_bounds`)
SMALLEST = sys.float_info.min
#: the reason given for such a number, naming what to do
TOO_SMALL = (f"too small to store exactly (nearer 0 than {SMALLEST!r}); write 0, or the "
             "figure in a larger unit")
_NONZERO_MANTISSA = re.compile(r"[^eE]*[1-9]")


def number_problem(text: str, value: float) -> str | None:
    """THE rule of reading a number written as text (a table's cell, a JSON number, a form
    field): why ``value``, what ``text`` was read as, does not hold the number written —
    :data:`TOO_SMALL` when it is a subnormal or when a number that is not 0 (a digit 1–9
    before its exponent) was read as 0 — or None.

    >>> number_problem("1e-400", 0.0) == number_problem("5e-324", 5e-324) == TOO_SMALL
    True
    >>> number_problem("0.0e-400", 0.0), number_problem("2.5e-300", 2.5e-300)
    (None, None)
    """
    if value == 0:
        return TOO_SMALL if _NONZERO_MANTISSA.match(text) else None
    return TOO_SMALL if abs(value) < SMALLEST else None


#: a number as a person types it into a field: one optional sign, digits with at most one
#: point, an optional exponent (``1e-5``, as a sheet or the JSON API writes one) — ASCII only
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_typed_number(text: str) -> float:
    """THE rule of a number a person types into a field (a page's number fields, a text
    review's edited value): a plain decimal (:data:`_TYPED_NUMBER`) after full-width digits,
    point and sign are made ASCII (NFKC, as the rest of Lantu reads numbers; ``−`` is a minus)
    — not ``1_0`` (which ``float`` reads as 10), ``0x1A``, ``nan``, ``inf``, ``1,000`` or
    ``+-5``, nor the digits of another script; one too small to store exactly refused
    (:func:`number_problem`); ``-0`` read as 0 (a part's history never shows ``-0%``).

    Raises ValueError naming what is wrong.

    >>> read_typed_number("１２.５"), read_typed_number("-0"), read_typed_number(" 1e2 ")
    (12.5, 0.0, 100.0)
    """
    if why := marker_problem(text):  # 5¹ is no 51
        raise ValueError(why)
    typed = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    if not _TYPED_NUMBER.fullmatch(typed):
        raise ValueError(f"not a number as one is typed (digits 0-9, at most one point, an "
                         f"optional sign): {text[:20]!r}")
    value = float(typed)
    if why := number_problem(typed, value):
        raise ValueError(why)
    return value + 0.0


def outside_bounds(values: Any, low: Any, high: Any) -> np.ndarray:
    """THE admissible-range rule on numbers: which of ``values`` fall outside the closed
    interval ``[low, high]`` (numbers, or arrays of one bound per value; ``-inf``/``inf`` for an
    open side). A value that is not finite is never inside, nor is a subnormal, which is not
    the number written (:data:`SMALLEST`). :meth:`Indicator.outside` asks it for one
    indicator, the gate for a column of many (one bound per row)."""
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        tiny = (v != 0) & (np.abs(v) < SMALLEST)
    return ~np.isfinite(v) | (v < low) | (v > high) | tiny


def _negative(node: ast.AST) -> bool:
    """A formula's constant below zero (written ``-2`` it is a minus before a constant)."""
    if isinstance(node, ast.UnaryOp):
        return _number(node.operand) > 0
    return _number(node) < 0


def _number(node: ast.AST) -> float:
    """A formula's constant as a number (0 for anything else: checked when the formula is built)."""
    value = node.value if isinstance(node, ast.Constant) else 0
    return float(value) if isinstance(value, (int, float)) else 0.0


@dataclass(frozen=True, slots=True)
class Formula:
    """An arithmetic expression over indicator codes: ``+ - * /``, numbers and brackets."""

    expression: str

    def __post_init__(self) -> None:
        try:
            tree = ast.parse(self.expression, mode="eval")
        except SyntaxError as exc:
            raise ValidationError(f"cannot read formula {self.expression!r}: {exc.msg}",
                                  field="formula") from None
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Name,
                                     ast.Load, ast.Constant, *_OPS)):
                raise ValidationError(
                    f"formula {self.expression!r} may only use indicator codes, numbers and + - * /",
                    field="formula")
            if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
                raise ValidationError(f"formula {self.expression!r} has a non-number constant",
                                      field="formula")

    @property
    def inputs(self) -> tuple[str, ...]:
        tree = ast.parse(self.expression, mode="eval")
        return tuple(sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}))

    def evaluate(self, values: dict[str, Any]) -> Any:
        """Evaluate with numbers, numpy arrays or pandas Series (aligned) as inputs."""

        def ev(node: ast.AST) -> Any:
            if isinstance(node, ast.Expression):
                return ev(node.body)
            if isinstance(node, ast.BinOp):
                return _OPS[type(node.op)](ev(node.left), ev(node.right))
            if isinstance(node, ast.UnaryOp):
                return -ev(node.operand)
            if isinstance(node, ast.Name):
                if node.id not in values:
                    raise ValidationError(f"formula needs {node.id!r}", field="formula")
                return values[node.id]
            return node.value  # type: ignore[attr-defined]  # a Constant (checked when built)

        return ev(ast.parse(self.expression, mode="eval"))

    def bound(self, bounds: Mapping[str, str | None]) -> str | None:
        """What the formula's value is when some inputs are only bounds (``bounds``: input →
        ``"lower_bound"``/``"upper_bound"``/None, :func:`lantu.domain.observations.bound_of`):
        ``"exact"``, ``"lower_bound"``, ``"upper_bound"``, or None when the bounds leave it open.
        The inputs are taken as positive (levels, the figures a catalogue formula divides): a sum
        and a product keep each input's side, a divisor and a subtrahend turn it, a negative
        constant factor turns the whole.

        >>> f = Formula("va_tertiary / gdp * 100")
        >>> f.bound({"gdp": "lower_bound"}), f.bound({"va_tertiary": "lower_bound"})
        ('upper_bound', 'lower_bound')
        >>> f.bound({"gdp": "lower_bound", "va_tertiary": "lower_bound"}) is None
        True
        """
        def side(node: ast.AST) -> int | None:  # +1 may be larger, -1 smaller, 0 exact
            if isinstance(node, ast.Expression):
                return side(node.body)
            if isinstance(node, ast.Name):
                return {"lower_bound": 1, "upper_bound": -1}.get(str(bounds.get(node.id)), 0)
            if isinstance(node, ast.Constant):
                return 0
            if isinstance(node, ast.UnaryOp):
                inner = side(node.operand)
                return None if inner is None else -inner
            assert isinstance(node, ast.BinOp)
            left, right = side(node.left), side(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, (ast.Sub, ast.Div)):
                right = -right
            if isinstance(node.op, ast.Mult):  # a negative constant factor turns the product
                if _negative(node.right):
                    left = -left
                if _negative(node.left):
                    right = -right
            if left and right and left != right:
                return None
            return left or right

        got = side(ast.parse(self.expression, mode="eval"))
        return None if got is None else {1: "lower_bound", -1: "upper_bound", 0: "exact"}[got]


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str = ""
    unit: str = ""
    direction: int = 1  # 1 higher is better, -1 lower is better, 0 context
    pillar: str | None = None
    formula: Formula | None = None
    note: str = ""
    #: admissible range of a figure (catalogue data, ``indicator_ranges.csv``); None: open
    minimum: float | None = None
    maximum: float | None = None
    #: the yearly figures are flows (new jobs, new firms): a cumulative target sums them
    flow: bool = False
    #: the yearly figures are rates of change in % of the year before (``growth``: positive
    #: for a rise; ``reduction``: positive for a fall, e.g. 单位GDP能耗降低率): a cumulative
    #: target compounds them, never sums them; a rate is a flow (``flow`` is set with it)
    rate: str | None = None
    #: the indicator is the region's share of its province's figure of this indicator (code),
    #: in %: without a published figure the verdict takes the share computed by primacy
    share_of_province: str | None = None

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code or ""):
            raise ValidationError(
                f"{self.code!r} is not an indicator code (lower-case letters, digits, _)", field="code")
        if self.direction not in (-1, 0, 1):
            raise ValidationError(f"direction must be 1, -1 or 0, got {self.direction!r}",
                                  field="direction")
        if self.rate is not None:
            if self.rate not in RATES:
                raise ValidationError(f"rate must be one of {', '.join(RATES)} or empty, got "
                                      f"{self.rate!r}", field="rate")
            object.__setattr__(self, "flow", True)
        if self.share_of_province is not None and not _CODE.fullmatch(self.share_of_province):
            raise ValidationError(f"{self.share_of_province!r} is not an indicator code",
                                  field="share_of_province")
        if isinstance(self.formula, str):
            object.__setattr__(self, "formula", Formula(self.formula))
        for name in ("minimum", "maximum"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or math.isnan(v)):
                raise ValidationError(f"must be a number or empty, got {v!r}", field=name)
        if (self.minimum is not None and self.maximum is not None
                and self.minimum > self.maximum):
            raise ValidationError(f"minimum {self.minimum} is above maximum {self.maximum}",
                                  field="minimum")

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The admissible range of a figure: the catalogue's, else 0–100 for a share."""
        if self.minimum is None and self.maximum is None and self.is_share:
            return 0.0, 100.0
        return self.minimum, self.maximum

    def outside(self, values: Any) -> np.ndarray:
        """THE admissible-range rule, column-wise: which of ``values`` fall outside
        :attr:`bounds` (the catalogue's range; a closed interval, an open side is unbounded).
        A value that is not finite (NaN, ±inf) is never admissible, whatever the bounds."""
        low, high = self.bounds
        return outside_bounds(values, -np.inf if low is None else low,
                              np.inf if high is None else high)

    def admissible(self, value: float) -> str | None:
        """Why ``value`` cannot be a figure of this indicator, or None when it can
        (:meth:`outside`, worded).

        Examples
        --------
        >>> Indicator("population", "常住人口", unit="万人", minimum=0).admissible(-500)
        'population must be at least 0 万人, got -500'
        """
        if not self.outside([value])[0]:
            return None
        low, high = self.bounds
        unit = f" {self.unit}" if self.unit else ""
        if not math.isfinite(value):
            return f"{self.code} must be a finite number, got {value!r}"
        if value != 0 and abs(value) < SMALLEST:
            return f"{self.code}: {value!r} is {TOO_SMALL}"
        if low is not None and value < low:
            return f"{self.code} must be at least {low:g}{unit}, got {value:g}"
        return f"{self.code} must be at most {high:g}{unit}, got {value:g}"

    @property
    def is_derived(self) -> bool:
        return self.formula is not None

    @property
    def is_share(self) -> bool:
        """A percentage share (bounded 0–100): ratios, shares, rates of a whole."""
        if self.unit != "%":
            return False
        text = self.code
        return any(k in text for k in ("share", "ratio", "rate", "intensity")) and not any(
            k in text for k in ("growth", "change"))

    @classmethod
    def from_catalogue_row(cls, row: dict[str, Any]) -> Indicator:
        """Build from a row of ``indicators.csv``; a note ``derived: a / b * 100`` is the formula;
        ``flow`` (1 or empty; ``growth`` or ``reduction`` for yearly rates of change, see
        ``rate``) and ``share_of_province`` (an indicator code or empty) as above."""
        note = str(row.get("note") or "").strip()
        formula = row.get("formula") or None
        if not formula and note.startswith("derived:"):
            formula = note.split(":", 1)[1].strip()
        return cls(
            minimum=_bound(row.get("min")), maximum=_bound(row.get("max")),
            code=str(row["code"]).strip(), name_zh=str(row["name_zh"]).strip(),
            name_en=str(row.get("name_en") or "").strip(), unit=str(row.get("unit") or "").strip(),
            direction=int(row.get("direction") or 0), pillar=(str(row.get("pillar")).strip() or None)
            if row.get("pillar") else None, formula=Formula(formula) if formula else None, note=note,
            flow=_flag_or_rate(row.get("flow"))[0], rate=_flag_or_rate(row.get("flow"))[1],
            share_of_province=str(row.get("share_of_province") or "").strip() or None,
        )


#: the senses of a rate indicator's yearly figures (:attr:`Indicator.rate`)
RATES = ("growth", "reduction")


def _flag_or_rate(text: object) -> tuple[bool, str | None]:
    """The catalogue's ``flow`` cell: 1 or empty (a flow or not), or a rate's sense."""
    word = str(text or "").strip().lower()
    if word in RATES:
        return True, word
    return _flag(text, "flow"), None


def _flag(text: object, field: str) -> bool:
    word = str(text or "").strip().lower()
    if word in ("", "0", "false", "no"):
        return False
    if word in ("1", "true", "yes"):
        return True
    raise ValidationError(f"not a yes/no flag (1 or empty): {text!r}", field=field)


def _bound(text: object) -> float | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        return float(str(text).strip())
    except ValueError:
        raise ValidationError(f"not a number: {text!r}", field="min/max") from None
