"""Target tracking: did a region meet the target in force, and is it on pace for its plan?

Every rule is documented in docs/analysis.md ("Target status rules"); thresholds are settings
(:class:`lantu.config.StatusRules`, passed as ``rules``).

=======================  =======  ====  =================================================
status                   colour   mark  rule
=======================  =======  ====  =================================================
``achieved``             green    ✓     met, judged on the target year's own figure
``missed``               red      ✗     not met on the target year's figure (gap in units)
``on_track``             green    ↑     interim year of a plan target: pace ≥ required
``moderately_improving`` yellow   ➚     interim: pace ≥ 50 % of the required pace
``stagnating``           orange   →     interim: pace ≥ 0
``deteriorating``        red      ↓     interim: moving away from the target
``pending``              grey     …     no figure for the year needed yet (latest is named)
``no_data``              grey     ·     no figure at all
=======================  =======  ====  =================================================

* a **yearly** target (no ``base_period`` and no plan period starting before it, e.g. "GDP
  growth 6.5 %左右" for 2023) is judged **only** on the figure of its year T: ``achieved`` or
  ``missed``, never a pace word. Without that figure: ``pending`` (or ``no_data``).
* a **plan-period** target (a base year or a plan start before T, or a ``cumulative_change``)
  is judged like a yearly one once the evaluated year (``as_of``) reaches T; in an interim year
  it gets the SDG pace status from the plan's base B to the latest figure t ≤ as_of. B is
  ``base_period``, else the plan's base year S - 1 if it has a figure, else the first figure
  on or after the plan start S — never a figure from before the plan.
* which targets count for a year: :func:`in_force`; a node's status: :func:`node_status`.

How each kind is measured over several years (``t`` the evaluated year, ``B`` the base):

* ``annual_growth``: the average annual growth since B, compounded — from levels when
  ``base_value`` is given (``(x_t / x_B)^{1/(t-B)} - 1``), else from the yearly rates (geometric
  mean of ``1 + g``). Such a pace target is ``achieved`` only at T; before that meeting the
  pace is ``on_track``.
* ``level``, ``ceiling``, ``floor``: x_t against the bound, pace from x_B.
* ``cumulative_change``: the change since the base, ``x_t - x_B`` (units and 百分点) or, when the
  unit is ``%``, the relative change ``100 (x_t / x_B - 1)``; with ``accumulate=True`` the yearly
  observations are flows summed over B+1 … t (e.g. new urban jobs), paced on the average of the
  years with a figure (missing years are named in the explanation). ``value`` is signed
  (降低14.5% is ``-14.5``); a sign against the indicator's direction is an error.

Which side of the target is good: ``ceiling`` or 以内 → stay at or under it; ``floor``, 以上 or 突破 →
at or over it; otherwise by the indicator direction (1: at least, -1: at most); direction 0 with
左右 or a range → inside it. For a range ``[value, value_high]`` an increasing goal needs the low
end, a decreasing one the high end.

左右 ("about") allows a tolerance: ``about_tolerance_points`` (0.5 percentage point) for
targets in % / 百分点 and for growth rates, ``about_tolerance_relative`` (2 % of the target)
otherwise. 力争 (a stretch value) and the other qualifiers have no tolerance.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from lantu.config import StatusRules
from lantu.i18n import unit_label
from lantu.locale import translate

__all__ = [
    "ABOUT_TOLERANCE_POINTS",
    "ABOUT_TOLERANCE_RELATIVE",
    "ARROWS",
    "COLOURS",
    "KINDS",
    "NODE_COLOURS",
    "NODE_STATUSES",
    "QUALIFIERS",
    "STATUSES",
    "TargetResult",
    "TargetSpec",
    "evaluate_target",
    "evaluate_targets",
    "goal_colour",
    "in_force",
    "node_status",
    "plan_start_year",
    "target_horizon",
    "trend",
    "unit_en",
]

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

_DEFAULT_RULES = StatusRules()
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


def _observations(observations: pd.Series | Mapping[int, float], spec: TargetSpec) -> pd.Series:
    obs = (
        pd.Series(observations, dtype=object) if isinstance(observations, Mapping) else observations
    )
    if not isinstance(obs, pd.Series):
        raise _err(
            spec, "observations", f"must be a Series indexed by year; got {type(obs).__name__}"
        )
    try:
        vals = pd.to_numeric(obs, errors="raise").astype(float)
    except (TypeError, ValueError) as exc:
        raise _err(spec, "observations", f"values must be numeric; {exc}") from None
    vals = vals.dropna()
    years = []
    for label in vals.index:
        if isinstance(label, bool) or not isinstance(label, int | float | np.integer | np.floating):
            raise _err(spec, "observations", f"index must be years (int); got {label!r}")
        if label != int(label):
            raise _err(spec, "observations", f"index must be whole years; got {label!r}")
        years.append(int(label))
    if len(set(years)) != len(years):
        raise _err(spec, "observations", "index has a year twice")
    inf = vals[~np.isfinite(vals)]
    if len(inf):
        raise _err(spec, "observations", f"year {inf.index[0]} is {inf.iloc[0]}")
    vals.index = years
    return vals.sort_index()


def _is_percent(spec: TargetSpec) -> bool:
    return spec.kind == "annual_growth" or (spec.unit or "").strip() in _PERCENT_UNITS


def _sense(spec: TargetSpec, direction: int, base: float | None) -> str:
    """'min' (at least), 'max' (at most) or 'about' (inside)."""
    if spec.kind == "ceiling" or spec.qualifier == "以内":
        return "max"
    if spec.kind == "floor" or spec.qualifier in ("以上", "突破"):
        return "min"
    if spec.kind == "cumulative_change":
        return "min" if spec.value >= 0 else "max"
    if direction > 0:
        return "min"
    if direction < 0:
        return "max"
    if spec.qualifier == "左右" or spec.value_high is not None or base is None:
        return "about"
    return "min" if spec.value >= base else "max"


def _meets(x: float, sense: str, lo: float, hi: float, tol: float) -> bool:
    eps = 1e-9 * max(1.0, abs(lo), abs(hi))
    if sense == "min":
        return x >= lo - tol - eps
    if sense == "max":
        return x <= hi + tol + eps
    return lo - tol - eps <= x <= hi + tol + eps


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


def evaluate_target(
    target: Any,
    observations: pd.Series | Mapping[int, float],
    direction: int = 1,
    *,
    as_of: int | None = None,
    tolerance: float | None = None,
    accumulate: bool = False,
    data_year: int | None = None,
    rules: StatusRules | None = None,
    bounds: Mapping[int, str] | None = None,
) -> TargetResult:
    """Status of one target from the observations of its region × indicator (docs/analysis.md).

    Parameters
    ----------
    target : TargetSpec or any object with the same attributes
        The target (see :class:`TargetSpec`).
    observations : pandas.Series or mapping
        Values indexed by year (int). Growth targets without ``base_value``: the yearly growth
        rates in percent; otherwise the indicator's values (flows with ``accumulate=True``).
    direction : {1, -1, 0}, default 1
        Indicator direction: 1 more is better, -1 less is better, 0 neither.
    as_of : int, optional
        The evaluated year: only figures up to it count, and a plan-period target is judged
        (achieved or missed) once it is the target year or later, paced before. Default: the
        latest figure.
    tolerance : float, optional
        Tolerance of 左右 in the target's units; default ``rules.about_tolerance_points`` for
        percentages and growth rates, ``rules.about_tolerance_relative`` of the target otherwise.
    accumulate : bool, default False
        For ``cumulative_change``: the observations are yearly flows to be summed.
    data_year : int, optional
        Latest year of the data set as a whole; used as the evaluated year when ``as_of`` is
        not given.
    rules : lantu.config.StatusRules, optional
        Thresholds (tolerances, pace ratios); default the documented defaults. The application
        passes ``get_settings().status``.
    bounds : mapping, optional
        Year → ``"lower_bound"`` or ``"upper_bound"`` for figures the source states as a bound
        ("超过5%": at least 5; "控制在3%以内": at most 3). A yearly target judged on such a figure
        is achieved or missed only when the bound decides it, else ``pending``.

    Returns
    -------
    TargetResult

    Examples
    --------
    >>> spec = TargetSpec("140100", "gdp_growth", None, None, 2022, "annual_growth", 7.0)
    >>> r = evaluate_target(spec, {2021: 9.2, 2022: 3.3})
    >>> r.status, r.colour, round(r.gap, 1)
    ('missed', 'red', -3.7)
    """
    spec = _read_spec(target)
    rules = rules or _DEFAULT_RULES
    if direction not in (1, -1, 0):
        raise _err(spec, "direction", f"must be 1, -1 or 0; got {direction!r}")
    if spec.kind == "cumulative_change" and direction != 0 and np.sign(spec.value) == -direction:
        raise _err(
            spec,
            "value",
            f"{spec.value} moves the indicator against its direction {direction}; give reductions "
            "as negative values (降低14.5% → -14.5)",
        )
    if accumulate and spec.kind != "cumulative_change":
        raise _err(spec, "kind", "accumulate=True applies to cumulative_change targets only")
    obs = _observations(observations, spec)
    if as_of is not None:
        obs = obs[obs.index <= as_of]
    lo = spec.value
    hi = spec.value_high if spec.value_high is not None else spec.value
    if tolerance is not None:
        if not (math.isfinite(tolerance) and tolerance >= 0):
            raise _err(spec, "tolerance", f"must be a finite number ≥ 0; got {tolerance}")
        tol = float(tolerance) if spec.qualifier == "左右" else 0.0
    elif spec.qualifier == "左右":
        tol = (
            rules.about_tolerance_points
            if _is_percent(spec)
            else rules.about_tolerance_relative * max(abs(lo), abs(hi))
        )
    else:
        tol = 0.0

    horizon, start = target_horizon(spec)
    if data_year is not None and (isinstance(data_year, bool) or not isinstance(data_year, int)):
        raise _err(spec, "data_year", f"must be a year (int); got {data_year!r}")
    latest = int(obs.index[-1]) if len(obs) else None
    year = as_of if as_of is not None else data_year if data_year is not None else latest
    if horizon == "yearly":
        bound = (bounds or {}).get(spec.target_period)
        return _evaluate_yearly(spec, obs, direction, lo, hi, tol, latest, bound)
    return _evaluate_trajectory(
        spec, obs, direction, lo, hi, tol, accumulate, start, year, latest, rules
    )


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


def _classify(
    ratio: float | None, met: bool, pace_only: bool, due: bool, early: bool, rules: StatusRules
) -> str:
    """Status of a plan-period target: judged once due, paced before (SDG thresholds)."""
    if due:
        return "achieved" if met else "missed"
    if met:
        return "achieved" if early and not pace_only else "on_track"
    if ratio is None:
        return "pending"
    if ratio >= rules.on_track_ratio:
        return "on_track"
    if ratio >= rules.moderate_ratio:
        return "moderately_improving"
    if ratio >= 0:
        return "stagnating"
    return "deteriorating"


def _pace(
    base: float, current: float, goal: float, elapsed: float, total: float, sense: str
) -> tuple[float | None, float | None, float | None]:
    """Required and observed annual change toward ``goal`` (signed so that progress is > 0)."""
    s = 1.0 if sense == "min" else -1.0 if sense == "max" else float(np.sign(goal - base))
    required = s * (goal - base) / total
    observed = s * (current - base) / elapsed if elapsed > 0 else None
    if observed is None:
        return required, None, None
    if required <= 0:  # the base already met the goal, so any miss now is a step back
        return required, observed, -math.inf if observed <= 0 else None
    return required, observed, observed / required


def _result(
    spec: TargetSpec,
    status: str,
    met: bool | None,
    year: int | None,
    current: float | None,
    goal: float,
    required: float | None,
    observed: float | None,
    ratio: float | None,
    tol: float,
    note_zh: str = "",
    note_en: str = "",
    *,
    horizon: str = "yearly",
    base_year: int | None = None,
    points: tuple[tuple[int, float], ...] = (),
    in_progress: bool = False,
    latest: int | None = None,
) -> TargetResult:
    gap = None if current is None else current - goal
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # moving away from a goal the base had already met: no finite pace
    pct = _is_percent(spec)
    unit = "" if pct else (spec.unit or "")
    u_en = f" {unit_en(unit)}" if unit else ""
    gap_unit_zh = "个百分点" if pct else unit
    gap_unit_en = " points" if pct else u_en
    span = f"{_fmt(spec.value)}" + (
        f"–{_fmt(spec.value_high)}" if spec.value_high is not None else ""
    )
    target_txt = span + ("%" if pct else unit)
    target_en = span + ("%" if pct else u_en)
    q_en = {"左右": "about", "以上": "at least", "以内": "at most", "力争": "stretch",
            "突破": "more than"}
    zh = [f"{spec.target_period}年目标{target_txt}{spec.qualifier or ''}"]
    en = [
        f"target {target_en}{' (' + q_en[spec.qualifier] + ')' if spec.qualifier else ''}"
        f" for {spec.target_period}"
    ]
    if horizon == "multi_year" and base_year is not None and points:
        x_b = dict(points).get(base_year)
        if x_b is not None and spec.kind != "annual_growth":
            b_txt = f"{_fmt(x_b)}{'%' if pct else unit}"
            zh.append(f"基期{base_year}年{b_txt}")
            en.append(f"base {base_year}: {_fmt(x_b)}{'%' if pct else u_en}")
    if current is not None and year is not None:
        cur = f"{_fmt(current)}{'%' if pct else unit}"
        cur_en = f"{_fmt(current)}{'%' if pct else u_en}"
        if spec.kind == "cumulative_change":
            zh.append(f"截至{year}年累计{cur}")
            en.append(f"change by {year} {cur_en}")
        else:
            zh.append(f"{year}年实际{cur}")
            en.append(f"{year} actual {cur_en}")
        if gap is not None and not met:
            zh.append(f"差{_fmt(abs(gap))}{gap_unit_zh}")
            en.append(f"short by {_fmt(abs(gap))}{gap_unit_en}")
        elif gap is not None and gap != 0:
            word_zh, word_en = ("超出", "above") if gap > 0 else ("低于", "below")
            zh.append(f"{word_zh}{_fmt(abs(gap))}{gap_unit_zh}")
            en.append(f"{_fmt(abs(gap))}{gap_unit_en} {word_en}")
    if tol:
        zh.append(f"“左右”容差±{_fmt(tol)}{gap_unit_zh}")
        en.append(f"'about' tolerance ±{_fmt(tol)}{gap_unit_en}")
    if ratio is not None and math.isfinite(ratio) and required is not None:
        per_zh, per_en = ("", "") if pct else (unit, u_en)
        zh.append(
            f"需年均推进{_fmt(required)}{per_zh}，实际年均{_fmt(observed)}{per_zh}（{ratio:.0%}）"
        )
        en.append(
            f"required {_fmt(required)}{per_en} a year, observed {_fmt(observed)}{per_en}"
            f" ({ratio:.0%})"
        )
    if note_zh:
        zh.append(note_zh)
        en.append(note_en)
    if in_progress and status not in ("pending", "no_data"):
        zh.append(f"目标年{spec.target_period}年未到，进行中")
        en.append(f"in progress, target year {spec.target_period} not reached")
    if spec.binding and met is False and status != "on_track":
        zh.append("约束性指标")
        en.append("binding target")
    explanation_zh = "，".join(zh) + f"：{STATUS_ZH[status]}。"
    explanation_en = "; ".join(en) + f": {STATUS_EN[status]}."
    return TargetResult(
        status=status,
        colour=COLOURS[status],
        arrow=ARROWS[status],
        met=met,
        year=year,
        current=current,
        target=goal,
        required_change=required,
        observed_change=observed,
        ratio=ratio,
        gap=gap,
        tolerance=tol,
        explanation_zh=explanation_zh,
        explanation_en=explanation_en,
        horizon=horizon,
        base_year=base_year,
        points=tuple((int(y), float(v)) for y, v in points),
        in_progress=in_progress,
        latest_year=latest,
    )


def _no_figure(spec: TargetSpec, tol: float, goal: float, latest: int | None, why_zh: str,
               why_en: str, **kw: Any) -> TargetResult:
    """``pending`` (there are figures, not the one needed; the latest is named) or ``no_data``."""
    if latest is None:
        return _result(
            spec, "no_data", None, None, None, goal, None, None, None, tol,
            "没有任何年份的数据", "no figure for any year", **kw,
        )  # fmt: skip
    return _result(
        spec, "pending", None, None, None, goal, None, None, None, tol,
        f"{why_zh}（最新数据为{latest}年）", f"{why_en} (latest figure: {latest})",
        latest=latest, **kw,
    )  # fmt: skip


def _evaluate_yearly(
    spec: TargetSpec,
    obs: pd.Series,
    direction: int,
    lo: float,
    hi: float,
    tol: float,
    latest: int | None,
    bound: str | None = None,
) -> TargetResult:
    """A one-year target: the figure of its own year against the bound, nothing else."""
    T = spec.target_period
    sense = _sense(spec, direction, 0.0 if spec.kind == "annual_growth" else None)
    goal = lo if sense == "min" else hi if sense == "max" else (lo + hi) / 2
    if T not in obs.index:
        return _no_figure(spec, tol, goal, latest, f"尚无{T}年数据", f"no figure for {T} yet")
    current = float(obs[T])
    met = _meets(current, sense, lo, hi, tol)
    if sense == "about" and not met:  # outside a range or 左右: the gap to the nearer end
        goal = lo if current < lo else hi
    status = "achieved" if met else "missed"
    if bound in ("lower_bound", "upper_bound"):  # the true value is at least / at most x
        can_rise = bound == "lower_bound"
        if met:  # met by the bound; the truth may lie further out, past the other side
            decided = sense == "min" if can_rise else sense == "max"
        else:  # missed by the bound; the truth may lie further toward the target
            decided = (sense == "max" and current > hi + tol) if can_rise else \
                (sense == "min" and current < lo - tol)
            decided = decided or (sense == "about" and (
                current > hi + tol if can_rise else current < lo - tol))
        if not decided:
            word_zh, word_en = ("下限", "lower") if can_rise else ("上限", "upper")
            return _result(
                spec, "pending", None, T, current, goal, None, None, None, tol,
                f"{T}年数据仅为{word_zh}（{'超过' if can_rise else '不超过'}{_fmt(current)}），"
                "不足以判断", f"the {T} figure is only an {word_en} bound ({_fmt(current)}): "
                "it cannot decide", points=((T, current),), latest=latest,
            )  # fmt: skip
    growth = spec.kind == "annual_growth" and sense == "min"
    return _result(
        spec, status, met, T, current, goal, goal if growth else None,
        current if growth else None, None, tol, points=((T, current),), latest=latest,
    )  # fmt: skip


def _evaluate_trajectory(
    spec: TargetSpec,
    obs: pd.Series,
    direction: int,
    lo: float,
    hi: float,
    tol: float,
    accumulate: bool,
    start: int | None,
    year: int | None,
    latest: int | None,
    rules: StatusRules,
) -> TargetResult:
    T = spec.target_period
    upto = obs[obs.index <= T]
    B = spec.base_period
    base_value = spec.base_value
    note_zh = note_en = ""
    due = year is not None and year >= T
    multi = {"horizon": "multi_year", "in_progress": not due}

    def no_pace(why_zh: str, why_en: str) -> TargetResult:
        # Without a base or a later figure there is no pace; a level target can still be met.
        if spec.kind in ("level", "ceiling", "floor") and not upto.empty:
            t0, x0 = int(upto.index[-1]), float(upto.iloc[-1])
            sense = _sense(spec, direction, base_value)
            if _meets(x0, sense, lo, hi, tol) or t0 == T:
                met = _meets(x0, sense, lo, hi, tol)
                status = _classify(None, met, False, t0 == T, sense == "min", rules)
                return _result(
                    spec, status, met, t0, x0, lo if sense != "max" else hi, None, None, None,
                    tol, points=((t0, x0),), latest=latest, **multi,
                )  # fmt: skip
        return _no_figure(spec, tol, lo, latest, why_zh, why_en, **multi)

    if B is None:
        if start is None:
            return no_pace(
                "无基期或规划起始年，无法计算累计变化",
                "no base year or plan start to measure the change from",
            )
        if accumulate or spec.kind == "annual_growth":  # flows or rates: years start … t
            B = start - 1
            note_zh, note_en = f"累计自{start}年", f"summed from {start}"
        else:  # the plan's base year (start - 1), else its first figure
            cands = upto[upto.index >= start - 1]
            if cands.empty:
                return no_pace(
                    f"规划起始{start}年后尚无数据", f"no figure since the plan start {start}"
                )
            B = int(cands.index[0])
            note_zh = f"规划自{start}年起，以{B}年为基期"
            note_en = f"plan from {start}, base year {B}"
    if base_value is None and not accumulate and spec.kind != "annual_growth":
        if B not in obs.index:
            return no_pace(f"缺少基期{B}年数据", f"no figure for the base year {B}")
        base_value = float(obs[B])
    later = upto[upto.index > B]
    if later.empty:
        return no_pace(f"基期{B}年后尚无数据", f"no figure after the base year {B}")
    t = int(later.index[-1])
    elapsed, total = float(t - B), float(T - B)
    pace_only = False

    if spec.kind == "annual_growth":
        pace_only = True
        if base_value is not None:  # levels: compound average growth since the base
            if base_value <= 0 or later.iloc[-1] <= 0:
                raise _err(spec, "base_value", "growth from levels needs positive values")
            current = 100.0 * ((float(later.iloc[-1]) / base_value) ** (1.0 / elapsed) - 1.0)
        else:  # yearly rates: geometric mean of (1 + g)
            rates = later / 100.0 + 1.0
            if (rates <= 0).any():
                raise _err(spec, "observations", "a growth rate of -100 % or less")
            current = 100.0 * (float(np.prod(rates)) ** (1.0 / len(rates)) - 1.0)
            elapsed = float(len(rates))
        sense = _sense(spec, direction, 0.0)
        goal = lo if sense != "max" else hi
        met = _meets(current, sense, lo, hi, tol)
        required, observed, ratio = _pace(0.0, current, goal, 1.0, 1.0, sense)
    elif spec.kind == "cumulative_change":
        if accumulate:
            current = float(later.sum())
            gaps = [y for y in range(B + 1, t + 1) if y not in later.index]
            if gaps:  # the pace is the average of the yearly flows there are, not sum / years
                elapsed = float(len(later))
                missing = "、".join(map(str, gaps))
                gap_zh = f"缺少{missing}年数据，累计数不完整，进度按已有{len(later)}年的年均值"
                gap_en = (
                    f"no figure for {', '.join(map(str, gaps))}: the sum is incomplete, the pace "
                    f"is the average of the {len(later)} years with figures"
                )
                note_zh = f"{note_zh}，{gap_zh}" if note_zh else gap_zh
                note_en = f"{note_en}; {gap_en}" if note_en else gap_en
        elif (spec.unit or "").strip() in ("%", "％"):
            if base_value == 0:
                raise _err(spec, "base_value", "a relative (%) change needs a non-zero base")
            current = 100.0 * (float(later.iloc[-1]) / base_value - 1.0)
        else:
            current = float(later.iloc[-1]) - base_value
        sense = _sense(spec, direction, 0.0)
        goal = lo if sense == "min" else hi
        met = _meets(current, sense, lo, hi, tol)
        required, observed, ratio = _pace(0.0, current, goal, elapsed, total, sense)
    else:  # level, ceiling, floor
        current = float(later.iloc[-1])
        sense = _sense(spec, direction, base_value)
        if sense == "about":
            goal = lo if base_value < lo else hi if base_value > hi else (lo + hi) / 2
        else:
            goal = lo if sense == "min" else hi
        met = _meets(current, sense, lo, hi, tol)
        required, observed, ratio = _pace(base_value, current, goal, elapsed, total, sense)
    final = t >= T  # the target year's own figure: judged, not paced
    status = _classify(ratio, met, pace_only, final, sense == "min", rules)
    if due and not final:  # the target year has come, its figure has not
        note_zh = f"{note_zh}，" if note_zh else ""
        note_en = f"{note_en}; " if note_en else ""
        note_zh += f"尚无目标年{T}年数据，以上为截至{t}年的进度"
        note_en += f"no figure for the target year {T} yet; the pace above is up to {t}"
        status = "pending"
    if accumulate:
        used = tuple(later.items())
    elif spec.kind == "annual_growth" and spec.base_value is None:
        used = tuple(later.items())
    else:
        used = ((B, float(base_value)), (t, float(later.iloc[-1])))
    return _result(
        spec, status, met, t, current, goal, required, observed, ratio, tol, note_zh, note_en,
        base_year=B, points=used, latest=latest, **multi,
    )


def goal_colour(items: Iterable[TargetResult | str]) -> str:
    """Colour of a goal from its indicators' results (or colours), SDG-dashboard style.

    The ratings of the two worst indicators (green 3, yellow 2, orange 1, red 0) are averaged
    and rounded down; grey (no data) is left out; no rated indicator gives grey.

    Parameters
    ----------
    items : iterable of TargetResult or colour names

    Returns
    -------
    str

    Examples
    --------
    >>> goal_colour(["green", "red", "green"]), goal_colour(["green", "yellow", "green"])
    ('orange', 'yellow')
    """
    ratings = []
    for item in items:
        colour = item.colour if isinstance(item, TargetResult) else item
        if colour == "grey":
            continue
        if colour not in _RATING:
            raise ValueError(
                f"goal_colour: unknown colour {colour!r}; expected one of {tuple(_RATING)} or grey"
            )
        ratings.append(_RATING[colour])
    if not ratings:
        return "grey"
    worst = sorted(ratings)[:2]
    return _COLOUR_OF[math.floor(sum(worst) / len(worst))]


#: Statuses of a plan node (goal, task) from the targets in force: the SDG dashboards' words for
#: a goal, plus ``achieved`` (every target in force met), ``pending``, ``no_data`` and
#: ``qualitative`` (nothing measurable in force: judged from milestones and trends).
NODE_STATUSES = (
    "achieved",
    "on_track",
    "challenges_remain",
    "significant_challenges",
    "major_challenges",
    "pending",
    "no_data",
    "qualitative",
)
_NODE_OF_COLOUR = {
    "green": "on_track",
    "yellow": "challenges_remain",
    "orange": "significant_challenges",
    "red": "major_challenges",
}
NODE_COLOURS = {
    "achieved": "green",
    **{v: k for k, v in _NODE_OF_COLOUR.items()},
    "pending": "grey",
    "no_data": "grey",
    "qualitative": "grey",
}


def node_status(statuses: Iterable[str]) -> str:
    """Status of a goal or task from the statuses of its targets in force (see :func:`in_force`).

    ``achieved`` when every judged target is achieved; otherwise the SDG dashboards' goal rule
    (:func:`goal_colour`: the two worst ratings averaged and rounded down; achieved and on track
    3, moderately improving 2, stagnating 1, missed and deteriorating 0) in words. Targets
    ``pending`` or ``no_data`` are left out; with nothing judged the node is ``pending`` if a
    target awaits its figure, else ``no_data``. (``qualitative`` is the evaluation's word for a
    node with no target in force at all.)

    Examples
    --------
    >>> node_status(["achieved", "achieved"]), node_status(["achieved", "on_track"])
    ('achieved', 'on_track')
    >>> node_status(["achieved", "missed", "achieved"]), node_status(["missed", "missed"])
    ('significant_challenges', 'major_challenges')
    >>> node_status(["pending"]), node_status([])
    ('pending', 'no_data')
    """
    items = list(statuses)
    for st in items:
        if st not in STATUSES:
            raise ValueError(f"node_status: unknown status {st!r}; expected one of {STATUSES}")
    judged = [st for st in items if st not in ("pending", "no_data")]
    if not judged:
        return "pending" if "pending" in items else "no_data"
    if all(st == "achieved" for st in judged):
        return "achieved"
    return _NODE_OF_COLOUR[goal_colour([COLOURS[st] for st in judged])]


TRENDS = ("improving", "worsening", "stable", "up", "down", "n/a")


def trend(
    series: Mapping[int, float], direction: int = 1, *, stable_band: float | None = None
) -> tuple[str, float | None]:
    """Direction of the last step of a yearly series and its relative size — the arrow shown
    beside a status (never the status of a target that has its figure).

    A relative change under ``stable_band`` (default ``StatusRules().stable_band``, 0.5 %) is
    ``stable``; otherwise ``improving``/``worsening`` by the indicator's direction (``up`` /
    ``down`` when it is neutral); ``n/a`` with fewer than two figures.

    Examples
    --------
    >>> trend({2022: 40.0, 2023: 38.0}, direction=-1)
    ('improving', -0.05)
    >>> trend({2023: 1.0})
    ('n/a', None)
    """
    band = _DEFAULT_RULES.stable_band if stable_band is None else stable_band
    pts = sorted(series.items())
    if len(pts) < 2:
        return "n/a", None
    (_, a), (_, b) = pts[-2], pts[-1]
    rel = (b - a) / abs(a) if a else (0.0 if b == a else math.inf if b > a else -math.inf)
    if abs(rel) < band:
        return "stable", rel
    if direction == 0:
        return ("up" if rel > 0 else "down"), rel
    return ("improving" if (rel > 0) == (direction > 0) else "worsening"), rel


_OBS_COLUMNS = ("region_code", "indicator_code", "value")


def evaluate_targets(
    targets: Iterable[Any],
    observations: pd.DataFrame,
    directions: Mapping[str, int],
    *,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Evaluate many targets against a long table of observations; one row per target.

    Parameters
    ----------
    targets : iterable of TargetSpec or objects with the same attributes
    observations : pandas.DataFrame
        Long table with columns ``region_code``, ``indicator_code``, ``period`` (or ``year``) and
        ``value``.
    directions : mapping
        Indicator code → direction (1, -1, 0); every target's indicator must be present.
    as_of : int, optional
        Passed to :func:`evaluate_target`.

    Returns
    -------
    pandas.DataFrame
        The target's fields followed by the fields of its :class:`TargetResult`.

    Examples
    --------
    >>> obs = pd.DataFrame({"region_code": ["140100"] * 2, "indicator_code": ["gdp_growth"] * 2,
    ...                     "period": [2021, 2022], "value": [9.2, 3.3]})
    >>> specs = [TargetSpec("140100", "gdp_growth", None, None, y, "annual_growth", v)
    ...          for y, v in [(2021, 8.0), (2022, 7.0)]]
    >>> evaluate_targets(specs, obs, {"gdp_growth": 1})[["target_period", "status"]].values.tolist()
    [[2021, 'achieved'], [2022, 'missed']]
    """
    func = "evaluate_targets"
    if not isinstance(observations, pd.DataFrame):
        raise ValueError(f"{func}: argument observations must be a DataFrame")
    period = "period" if "period" in observations.columns else "year"
    missing = [c for c in (*_OBS_COLUMNS, period) if c not in observations.columns]
    if missing:
        raise ValueError(
            f"{func}: argument observations lacks column(s) {', '.join(missing)} "
            f"(needs region_code, indicator_code, period or year, value)"
        )
    years = pd.to_numeric(observations[period], errors="coerce").dropna()
    data_year = int(years.max()) if len(years) else None  # pending: after the newest figure
    groups = {
        key: frame.set_index(period)["value"]
        for key, frame in observations.groupby(["region_code", "indicator_code"], sort=False)
    }
    rows = []
    for target in targets:
        spec = _read_spec(target)
        if spec.indicator_code not in directions:
            raise ValueError(
                f"{func}: no direction for indicator {spec.indicator_code!r} "
                f"(target {spec.region_code}/{spec.indicator_code}); add it to directions"
            )
        series = groups.get((spec.region_code, spec.indicator_code), pd.Series(dtype=float))
        if series.index.has_duplicates:
            dup = series.index[series.index.duplicated()][0]
            raise ValueError(
                f"{func}: observations hold two values for {spec.region_code}/"
                f"{spec.indicator_code} in {dup}"
            )
        res = evaluate_target(
            spec, series, int(directions[spec.indicator_code]), as_of=as_of, data_year=data_year
        )
        rows.append({**asdict(spec), **asdict(res)})
    return pd.DataFrame(rows)
