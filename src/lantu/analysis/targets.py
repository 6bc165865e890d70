"""Target tracking: is a region getting to its plan targets, and at what pace?

Statuses and colours follow the SDG Index dashboards (Sachs et al., *Sustainable Development
Report*): the required linear annual change from the base to the target is compared with the
observed average annual change since the base.

=======================  =======  =====  ===============================================
status                   colour   arrow  rule
=======================  =======  =====  ===============================================
``achieved``             green    ↑      the target is met at the evaluated year
``on_track``             green    ↑      observed pace ≥ required pace
``moderately_improving`` yellow   ➚      observed pace ≥ 50 % of the required pace
``stagnating``           orange   →      observed pace ≥ 0
``deteriorating``        red      ↓      moving away from the target
``insufficient_data``    grey     ·      no figure for the year, or no base to measure from
=======================  =======  =====  ===============================================

How each kind is measured (``t`` is the evaluated year, ``B`` the base, ``T`` the target year):

* ``annual_growth`` for one year (no ``base_value``; e.g. GDP growth 7 %): the observations are
  the year's growth rates; the figure of year T is compared with the target and the pace is
  ``observed / required`` growth (both measured from zero growth).
  Over several years (``base_period`` with ``T - B > 1``): the average annual growth since B,
  compounded — from levels when ``base_value`` is given (``(x_t / x_B)^{1/(t-B)} - 1``), else
  from the yearly rates (geometric mean of ``1 + g``). Such a pace target is ``achieved`` only
  at T; before that, meeting the pace is ``on_track``.
* ``level``, ``ceiling``, ``floor``: the latest value against the bound. The base is
  ``base_value``, else the observation of ``base_period``, else the earliest observation.
* ``cumulative_change``: the change since the base, ``x_t - x_B`` (units and 百分点) or, when the
  unit is ``%``, the relative change ``100 (x_t / x_B - 1)``; with ``accumulate=True`` the yearly
  observations are flows summed over B+1 … t (e.g. new urban jobs). ``value`` is signed
  (降低14.5% is ``-14.5``); a sign against the indicator's direction is an error.

Which side of the target is good: ``ceiling`` or 以内 → stay at or under it; ``floor`` or 以上 →
at or over it; otherwise by the indicator direction (1: at least, -1: at most); direction 0 with
左右 or a range → inside it. For a range ``[value, value_high]`` an increasing goal needs the low
end, a decreasing one the high end.

左右 ("about") allows a tolerance: :data:`ABOUT_TOLERANCE_POINTS` (0.5 percentage point) for
targets in % / 百分点 and for growth rates, :data:`ABOUT_TOLERANCE_RELATIVE` (2 % of the target)
otherwise. 力争 (a stretch value) and the other qualifiers have no tolerance.

A goal's colour (:func:`goal_colour`) is the SDG dashboards' rule: average the ratings of its two
worst indicators (green 3, yellow 2, orange 1, red 0) and round down; so a goal is green only if
all its indicators are. Indicators without data are left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ABOUT_TOLERANCE_POINTS",
    "ABOUT_TOLERANCE_RELATIVE",
    "ARROWS",
    "COLOURS",
    "KINDS",
    "QUALIFIERS",
    "STATUSES",
    "TargetResult",
    "TargetSpec",
    "evaluate_target",
    "evaluate_targets",
    "goal_colour",
]

KINDS = ("level", "annual_growth", "cumulative_change", "ceiling", "floor")
QUALIFIERS = ("左右", "以上", "以内", "力争", None)
STATUSES = (
    "achieved",
    "on_track",
    "moderately_improving",
    "stagnating",
    "deteriorating",
    "insufficient_data",
)
COLOURS = {
    "achieved": "green",
    "on_track": "green",
    "moderately_improving": "yellow",
    "stagnating": "orange",
    "deteriorating": "red",
    "insufficient_data": "grey",
}
ARROWS = {
    "achieved": "↑",
    "on_track": "↑",
    "moderately_improving": "➚",
    "stagnating": "→",
    "deteriorating": "↓",
    "insufficient_data": "·",
}
STATUS_ZH = {
    "achieved": "已实现",
    "on_track": "按进度推进",
    "moderately_improving": "有所改善但慢于进度",
    "stagnating": "停滞",
    "deteriorating": "倒退",
    "insufficient_data": "数据不足",
}
STATUS_EN = {
    "achieved": "achieved",
    "on_track": "on track",
    "moderately_improving": "moderately improving",
    "stagnating": "stagnating",
    "deteriorating": "deteriorating",
    "insufficient_data": "insufficient data",
}

#: Tolerance of 左右 for targets in percent or percentage points (growth rates, shares).
ABOUT_TOLERANCE_POINTS = 0.5
#: Tolerance of 左右 for other targets, as a fraction of the target value.
ABOUT_TOLERANCE_RELATIVE = 0.02

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
    qualifier : {"左右", "以上", "以内", "力争", None}
    binding : bool
        约束性 (binding) rather than 预期性 (expected).
    unit : str or None
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
    if spec.kind == "floor" or spec.qualifier == "以上":
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
    return "—" if x is None else f"{x:.4g}"


def evaluate_target(
    target: Any,
    observations: pd.Series | Mapping[int, float],
    direction: int = 1,
    *,
    as_of: int | None = None,
    tolerance: float | None = None,
    accumulate: bool = False,
) -> TargetResult:
    """Status, colour and pace of one target from the observations of its region × indicator.

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
        Evaluate with the figures up to this year; default all.
    tolerance : float, optional
        Tolerance of 左右 in the target's units; default :data:`ABOUT_TOLERANCE_POINTS` for
        percentages and growth rates, :data:`ABOUT_TOLERANCE_RELATIVE` of the target otherwise.
    accumulate : bool, default False
        For ``cumulative_change``: the observations are yearly flows to be summed.

    Returns
    -------
    TargetResult

    Examples
    --------
    >>> spec = TargetSpec("140100", "gdp_growth", None, None, 2022, "annual_growth", 7.0)
    >>> r = evaluate_target(spec, {2021: 9.2, 2022: 3.3})
    >>> r.status, r.colour, round(r.gap, 1)
    ('stagnating', 'orange', -3.7)
    """
    spec = _read_spec(target)
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
    T = spec.target_period
    lo = spec.value
    hi = spec.value_high if spec.value_high is not None else spec.value
    if tolerance is not None:
        if not (math.isfinite(tolerance) and tolerance >= 0):
            raise _err(spec, "tolerance", f"must be a finite number ≥ 0; got {tolerance}")
        tol = float(tolerance) if spec.qualifier == "左右" else 0.0
    elif spec.qualifier == "左右":
        tol = (
            ABOUT_TOLERANCE_POINTS
            if _is_percent(spec)
            else ABOUT_TOLERANCE_RELATIVE * max(abs(lo), abs(hi))
        )
    else:
        tol = 0.0

    single_rate = spec.kind == "annual_growth" and (
        spec.base_period is None or T - spec.base_period <= 1
    )
    if single_rate:
        return _evaluate_single_rate(spec, obs, direction, lo, hi, tol)
    return _evaluate_trajectory(spec, obs, direction, lo, hi, tol, accumulate)


def _classify(ratio: float | None, met: bool, pace_only: bool, due: bool) -> str:
    if met and (not pace_only or due):
        return "achieved"
    if ratio is None:
        return "insufficient_data"
    if ratio >= 1 and not due:
        return "on_track"
    if ratio >= 0.5:
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
) -> TargetResult:
    gap = None if current is None else current - goal
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # moving away from a goal the base had already met: no finite pace
    pct = _is_percent(spec)
    unit = "" if pct else (spec.unit or "")
    gap_unit_zh = "个百分点" if pct else unit
    gap_unit_en = " points" if pct else (f" {unit}" if unit else "")
    target_txt = f"{_fmt(spec.value)}" + (
        f"–{_fmt(spec.value_high)}" if spec.value_high is not None else ""
    )
    target_txt += "%" if pct else unit
    zh = [f"{spec.target_period}年目标{target_txt}{spec.qualifier or ''}"]
    en = [
        f"target {target_txt}{' (' + spec.qualifier + ')' if spec.qualifier else ''} for {spec.target_period}"
    ]
    if current is not None and year is not None:
        cur = f"{_fmt(current)}{'%' if pct else unit}"
        zh.append(f"{year}年实际{cur}")
        en.append(f"{year} actual {cur}")
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
        zh.append(f"需年均推进{_fmt(required)}，实际年均{_fmt(observed)}（{ratio:.0%}）")
        en.append(f"required {_fmt(required)} a year, observed {_fmt(observed)} ({ratio:.0%})")
    if note_zh:
        zh.append(note_zh)
        en.append(note_en)
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
    )


def _evaluate_single_rate(
    spec: TargetSpec, obs: pd.Series, direction: int, lo: float, hi: float, tol: float
) -> TargetResult:
    T = spec.target_period
    sense = _sense(spec, direction, 0.0)
    goal = lo if sense == "min" else hi if sense == "max" else (lo + hi) / 2
    if T not in obs.index:
        return _result(
            spec, "insufficient_data", None, None, None, goal, None, None, None, tol,
            f"尚无{T}年数据", f"no figure for {T} yet",
        )  # fmt: skip
    current = float(obs[T])
    met = _meets(current, sense, lo, hi, tol)
    # a growth target is the required annual change of the level: pace measured from 0 growth
    required, observed, ratio = _pace(0.0, current, goal, 1.0, 1.0, sense)
    if sense == "about":
        ratio = None if not met else ratio
    status = _classify(ratio, met, pace_only=False, due=True)
    if sense == "about" and not met:
        status = "deteriorating"
    return _result(spec, status, met, T, current, goal, required, observed, ratio, tol)


def _evaluate_trajectory(
    spec: TargetSpec,
    obs: pd.Series,
    direction: int,
    lo: float,
    hi: float,
    tol: float,
    accumulate: bool,
) -> TargetResult:
    T = spec.target_period
    upto = obs[obs.index <= T]
    B = spec.base_period
    base_value = spec.base_value
    note_zh = note_en = ""

    def no_pace(why_zh: str, why_en: str) -> TargetResult:
        # Without a base or a later figure there is no pace; a level target can still be met.
        if spec.kind not in ("level", "ceiling", "floor") or upto.empty:
            return _result(
                spec, "insufficient_data", None, None, None, lo, None, None, None, tol,
                why_zh, why_en,
            )  # fmt: skip
        t0, x0 = int(upto.index[-1]), float(upto.iloc[-1])
        sense = _sense(spec, direction, base_value)
        met = _meets(x0, sense, lo, hi, tol)
        return _result(
            spec, "achieved" if met else "insufficient_data", met, t0, x0,
            lo if sense != "max" else hi, None, None, None, tol,
            "" if met else why_zh, "" if met else why_en,
        )  # fmt: skip

    if B is None:
        if upto.empty:
            return no_pace(f"尚无{T}年及以前的数据", f"no figure up to {T}")
        B = int(upto.index[0])
        note_zh, note_en = f"以{B}年为基期", f"base year {B} (earliest figure)"
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
    status = _classify(ratio, met, pace_only, due=t >= T)
    return _result(
        spec, status, met, t, current, goal, required, observed, ratio, tol, note_zh, note_en
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
    [[2021, 'achieved'], [2022, 'stagnating']]
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
        res = evaluate_target(spec, series, int(directions[spec.indicator_code]), as_of=as_of)
        rows.append({**asdict(spec), **asdict(res)})
    return pd.DataFrame(rows)
