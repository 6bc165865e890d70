"""What a target is and when it counts: the target's fields and their checks, the result object,
the statuses with their colours and marks, a plan's period, a target's horizon and whether it is in
force in a year. The rules themselves are described in :mod:`lantu.analysis.targets`."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from lantu.config import StatusRules
from lantu.i18n import unit_label
from lantu.locale import translate

KINDS = ("level", "annual_growth", "cumulative_change", "ceiling", "floor")
QUALIFIERS = ("左右", "以上", "以内", "力争", "突破", None)
STATUSES = (
    "achieved",
    "missed",
    "on_track",
    "moderately_improving",
    "stagnating",
    "deteriorating",
    "pending",
    "no_data",
)
COLOURS = {
    "achieved": "green",
    "missed": "red",
    "on_track": "green",
    "moderately_improving": "yellow",
    "stagnating": "orange",
    "deteriorating": "red",
    "pending": "grey",
    "no_data": "grey",
}
#: A mark per status: a tick or cross for a judged target (no trend word on a yearly target
#: that has its figure), the SDG pace arrows for a plan-period target in an interim year.
ARROWS = {
    "achieved": "✓",
    "missed": "✗",
    "on_track": "↑",
    "moderately_improving": "➚",
    "stagnating": "→",
    "deteriorating": "↓",
    "pending": "…",
    "no_data": "·",
}
#: Labels of the statuses, from the locale files (``verdict.status.*``): one wording everywhere.
STATUS_ZH = {s: translate("zh", f"verdict.status.{s}") for s in STATUSES}
STATUS_EN = {s: translate("en", f"verdict.status.{s}") for s in STATUSES}

_DEFAULT_RULES = StatusRules.model_validate({})  # the documented defaults
#: Tolerance of 左右 for targets in percent or percentage points (growth rates, shares).
ABOUT_TOLERANCE_POINTS = _DEFAULT_RULES.about_tolerance_points
#: Tolerance of 左右 for other targets, as a fraction of the target value.
ABOUT_TOLERANCE_RELATIVE = _DEFAULT_RULES.about_tolerance_relative

_PERCENT_UNITS = {"%", "％", "百分点", "个百分点", "percent", "percentage points", "pp"}
_RATING = {"green": 3, "yellow": 2, "orange": 1, "red": 0}
_COLOUR_OF = {v: k for k, v in _RATING.items()}
_SPEC_FIELDS = (
    "region_code",
    "indicator_code",
    "base_period",
    "base_value",
    "target_period",
    "kind",
    "value",
    "value_high",
    "qualifier",
    "binding",
    "unit",
)
#: Attributes read when present (the domain's Target has ``plan``).
_OPTIONAL_FIELDS = ("plan", "plan_start")


@dataclass(frozen=True)
class TargetSpec:
    """A target as the analysis needs it (the domain's target object has the same attributes).

    Attributes
    ----------
    region_code, indicator_code : str
    base_period : int or None
    base_value : float or None
    target_period : int
    kind : {"level", "annual_growth", "cumulative_change", "ceiling", "floor"}
    value : float
        Target value (the low end of a range; signed for ``cumulative_change``).
    value_high : float or None
        High end of a range (e.g. GDP growth 8–8.5 %).
    qualifier : {"左右", "以上", "以内", "力争", "突破", None}
    binding : bool
        约束性 (binding) rather than 预期性 (expected).
    unit : str or None
    plan : str or None
        Name of the plan or report that set the target; its period is read by
        :func:`plan_start_year` (十四五 → 2021, 今后五年 of the 2022 report → 2022, 年度 → none).
    plan_start : int or None
        First year of a multi-year plan period; overrides what ``plan`` says. A target with
        neither ``base_period`` nor a plan start before ``target_period`` is a yearly target.
    """

    region_code: str
    indicator_code: str
    base_period: int | None
    base_value: float | None
    target_period: int
    kind: str
    value: float
    value_high: float | None = None
    qualifier: str | None = None
    binding: bool = False
    unit: str | None = None
    plan: str | None = None
    plan_start: int | None = None

    def __post_init__(self) -> None:
        _check_spec(self)


def _err(spec: Any, field: str, reason: str) -> ValueError:
    who = f"{getattr(spec, 'region_code', '?')}/{getattr(spec, 'indicator_code', '?')}"
    return ValueError(f"evaluate_target: target {who}, field {field}: {reason}")


def _plain(value: Any) -> Any:
    """Enum members (the domain may use them) to their value; empty strings and NaN to None."""
    value = getattr(value, "value", value)
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _check_spec(spec: Any) -> None:
    kind = _plain(spec.kind)
    if kind not in KINDS:
        raise _err(spec, "kind", f"must be one of {KINDS}; got {kind!r}")
    if _plain(spec.qualifier) not in QUALIFIERS:
        raise _err(spec, "qualifier", f"must be one of {QUALIFIERS}; got {spec.qualifier!r}")
    for field in ("value", "value_high", "base_value"):
        v = _plain(getattr(spec, field))
        if v is None:
            if field == "value":
                raise _err(spec, field, "is required")
            continue
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float | np.number)
            or not math.isfinite(v)
        ):
            raise _err(spec, field, f"must be a finite number; got {v!r}")
    for field in ("base_period", "target_period"):
        v = _plain(getattr(spec, field))
        if v is None:
            if field == "target_period":
                raise _err(spec, field, "is required")
            continue
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise _err(spec, field, f"must be a year (int); got {v!r}")
    start = _plain(getattr(spec, "plan_start", None))
    if start is not None and (
        isinstance(start, bool)
        or not isinstance(start, int | np.integer)
        or start > spec.target_period
    ):
        raise _err(
            spec, "plan_start", f"must be a year (int) not after target_period; got {start!r}"
        )
    hi, lo = _plain(spec.value_high), _plain(spec.value)
    if hi is not None and hi < lo:
        raise _err(spec, "value_high", f"{hi} is below value {lo}")
    base = _plain(spec.base_period)
    if base is None and _plain(spec.base_value) is not None:
        raise _err(
            spec, "base_period", "is needed when base_value is given (the year it belongs to)"
        )
    if base is not None and base >= spec.target_period:
        raise _err(spec, "base_period", f"{base} is not before target_period {spec.target_period}")


def _read_spec(target: Any) -> TargetSpec:
    if isinstance(target, TargetSpec):
        return target
    missing = [f for f in _SPEC_FIELDS if not hasattr(target, f)]
    if missing:
        raise ValueError(
            f"evaluate_target: argument target lacks attribute(s) {', '.join(missing)} "
            f"(a target needs {', '.join(_SPEC_FIELDS)})"
        )
    values = {f: _plain(getattr(target, f)) for f in _SPEC_FIELDS}
    values["binding"] = bool(values["binding"])
    for f in _OPTIONAL_FIELDS:
        values[f] = _plain(getattr(target, f, None))
    if isinstance(values["plan_start"], np.integer):
        values["plan_start"] = int(values["plan_start"])
    for f in ("base_period", "target_period"):
        if isinstance(values[f], np.integer):
            values[f] = int(values[f])
    return TargetSpec(**values)


@dataclass(frozen=True)
class TargetResult:
    """Where a region stands on one target.

    Attributes
    ----------
    status : str
        One of :data:`STATUSES`.
    colour : str
        green / yellow / orange / red / grey.
    arrow : str
        Trend arrow (↑ ➚ → ↓ ·).
    met : bool or None
        Whether the target is met at ``year`` (``None`` without a figure).
    year : int or None
        Evaluated year.
    current : float or None
        The measured quantity at ``year`` (the value, the growth rate, or the change so far).
    target : float
        The bound the current figure is compared with.
    required_change, observed_change : float or None
        Required and observed average annual change (in the direction of the target), in the
        units of ``current`` per year (growth targets: percent per year).
    ratio : float or None
        ``observed_change / required_change``.
    gap : float or None
        ``current - target`` (negative: below the target).
    tolerance : float
        Tolerance used (non-zero only with 左右).
    explanation_zh, explanation_en : str
    horizon : {"yearly", "multi_year"}
        A yearly target is judged on the figure of its own year only; a multi-year one by the
        pace from its base (see :func:`target_horizon`).
    base_year : int or None
        Year the pace is measured from (multi-year targets).
    points : tuple of (year, value)
        The observations the status is computed from: ``((T, x_T),)`` for a yearly target;
        the base and the latest figure (or every summed flow) for a multi-year one.
    in_progress : bool
        A plan-period target evaluated before its target year (its status is a pace).
    latest_year : int or None
        Year of the latest figure used (up to the evaluated year); a ``pending`` status names it.
    since : int or None
        First year of the span ``current`` is computed over — an ``annual_growth`` averaged or a
        ``cumulative_change`` summed over a plan's years, ``base_year + 1`` to ``year`` —; None
        for one year's figure.
    """

    status: str
    colour: str
    arrow: str
    met: bool | None
    year: int | None
    current: float | None
    target: float
    required_change: float | None
    observed_change: float | None
    ratio: float | None
    gap: float | None
    tolerance: float
    explanation_zh: str
    explanation_en: str
    horizon: str = "yearly"
    base_year: int | None = None
    points: tuple[tuple[int, float], ...] = ()
    in_progress: bool = False
    latest_year: int | None = None
    since: int | None = None


def _fmt(x: float | None) -> str:
    """A number for people: ``10,000``, ``4.5``, ``0.28`` (never ``1e+04``)."""
    if x is None:
        return "—"
    ax = abs(x)
    if ax >= 100:
        text = f"{x:,.1f}"
    elif ax >= 1:
        text = f"{x:.2f}"
    elif ax >= 1e-4:
        text = f"{x:.4f}"
    else:
        return "0"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def unit_en(unit: str | None) -> str:
    """English rendering of a unit: ``亿元`` → ``100 million yuan``; unknown units unchanged.

    Examples
    --------
    >>> unit_en("万人"), unit_en("%"), unit_en("公顷")
    ('10,000 persons', '%', '公顷')
    """
    return unit_label(unit, "en")  # the one rendering of units: lantu.i18n


_PLAN_STARTS = {"十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}


def plan_start_year(plan: str | None) -> int | None:
    """First year of the period of a multi-year plan named in ``plan``; None for a yearly one.

    Rules, in order: a yearly marker (年度) → None; a five-year plan (十四五 → 2021, 十五五 →
    2026, …); an explicit span ``（2025—2029年）`` → its first year; the five-year goals of a work
    report (``2022年政府工作报告·今后五年``) → the report's year; otherwise None.

    Examples
    --------
    >>> plan_start_year("太原市“十四五”主要目标"), plan_start_year("太原市2022年政府工作报告·年度主要预期指标")
    (2021, None)
    >>> plan_start_year("实施方案（2025—2029年）"), plan_start_year("太原市2022年政府工作报告·今后五年工作目标")
    (2025, 2022)
    """
    text = (plan or "").strip()
    if not text or "年度" in text:
        return None
    for name, start in _PLAN_STARTS.items():
        if name in text:
            return start
    span = re.search(r"(\d{4})\s*年?\s*[—–\-~至到]+\s*(\d{4})\s*年", text)
    if span and int(span.group(1)) < int(span.group(2)):
        return int(span.group(1))
    report = re.search(r"(\d{4})年政府工作报告.*(今后五年|五年)", text)
    if report:
        return int(report.group(1))
    return None


def target_horizon(target: Any) -> tuple[str, int | None]:
    """``("yearly", None)`` or ``("multi_year", start)`` of a target.

    Multi-year: a ``base_period`` before the target year (for ``annual_growth``, more than one
    year before), or a plan start (``plan_start``, else read from ``plan``) before the target
    year; ``start`` is then ``base_period + 1`` or the plan start. A ``cumulative_change`` is
    always multi-year (with ``start`` None when nothing says from when). Anything else is a
    yearly target, judged on the figure of its own year only.

    Examples
    --------
    >>> target_horizon(TargetSpec("140100", "gdp", None, None, 2025, "level", 1e4, plan="十四五"))
    ('multi_year', 2021)
    >>> target_horizon(TargetSpec("140100", "cpi", None, None, 2026, "ceiling", 3.0))
    ('yearly', None)
    """
    spec = _read_spec(target)
    T, B = spec.target_period, spec.base_period
    if B is not None:
        if spec.kind == "annual_growth" and T - B <= 1:
            return "yearly", None
        return "multi_year", B + 1
    start = spec.plan_start if spec.plan_start is not None else plan_start_year(spec.plan)
    if start is not None and start < T:
        return "multi_year", start
    if spec.kind == "cumulative_change":
        return "multi_year", start
    return "yearly", None


def in_force(target: Any, year: int) -> bool:
    """Whether a target is in force in ``year``: a yearly target in its own year, a plan-period
    target from its plan start (or base year + 1) to its target year.

    A target from before the plan, or of another year, is context and never part of the verdict
    of ``year``.

    Examples
    --------
    >>> y = TargetSpec("140100", "gdp_growth", None, None, 2023, "annual_growth", 6.5)
    >>> in_force(y, 2023), in_force(y, 2024)
    (True, False)
    >>> p = TargetSpec("140100", "gdp", None, None, 2025, "level", 1e4, plan="十四五")
    >>> in_force(p, 2020), in_force(p, 2021), in_force(p, 2025), in_force(p, 2026)
    (False, True, True, False)
    """
    spec = _read_spec(target)
    T = spec.target_period
    horizon, start = target_horizon(spec)
    if horizon == "yearly" or start is None:
        return year == T
    return start <= year <= T
