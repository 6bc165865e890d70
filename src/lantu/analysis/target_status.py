"""Judging one target: a yearly target on its year's figure, a plan-period target on its pace
from the plan's base (SDG thresholds), with the reason in words. Rules: :mod:`lantu.analysis.targets`
and docs/analysis.md."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from lantu.analysis.target_bound import (
    bound_decides,
    bound_note,
    bound_sides,
    pace_decided,
    pace_note,
)
from lantu.analysis.target_reason import (
    _is_percent,
    _Reason,
    _say_base,
    _say_current,
    _say_pace,
    _say_target,
    _Units,
)
from lantu.analysis.target_spec import (
    _DEFAULT_RULES,
    ARROWS,
    COLOURS,
    STATUS_ZH,
    TargetResult,
    TargetSpec,
    _err,
    _fmt,
    _read_spec,
    target_horizon,
)
from lantu.config import StatusRules
from lantu.domain.observations import qualifier_flag


@dataclass(frozen=True)
class _Bounds:
    """The target's range ``[lo, hi]`` (``lo == hi`` for a single value) and the tolerance of 左右,
    in the target's units."""

    lo: float
    hi: float
    tol: float


@dataclass(frozen=True)
class _Pace:
    """Required and observed average annual change toward the goal (signed so that progress is
    positive) and their ratio; all None when there is no pace (a yearly target, no base)."""

    required: float | None = None
    observed: float | None = None
    ratio: float | None = None


_NO_PACE = _Pace()


def _plain_years(observations: Mapping[Any, Any]) -> pd.Series | None:
    """The common case, fast: a mapping of whole years (int) to finite numbers, as a sorted
    float Series; ``None`` for anything else (checked, with its error, by the general path)."""
    pts = []
    for k, v in observations.items():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if (type(k) is not int or isinstance(v, bool) or not isinstance(v, int | float)
                or not math.isfinite(v)):
            return None
        pts.append((k, float(v)))
    pts.sort()
    return pd.Series([v for _, v in pts], index=pd.Index([k for k, _ in pts], dtype="int64"),
                     dtype=float)


def _observations(observations: pd.Series | Mapping[int, float], spec: TargetSpec) -> pd.Series:
    if isinstance(observations, Mapping) and (fast := _plain_years(observations)) is not None:
        return fast
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


def _sense(spec: TargetSpec, direction: int, base: float | None) -> str:
    """'min' (at least), 'max' (at most) or 'about' (inside)."""
    if spec.kind == "ceiling":
        return "max"
    if spec.kind == "floor":
        return "min"
    # the qualifier bounds the number as the text wrote it: a fall by its size (下降30%以上 is a
    # change of −30 or less), the one rule of lantu.domain.observations.qualifier_flag
    bound = qualifier_flag(spec.qualifier, spec.value)
    if bound == "upper_bound":
        return "max"
    if bound == "lower_bound":
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
    rate: str | None = None,
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
    rate : {None, "growth", "reduction"}
        With ``accumulate``: the yearly figures are rates of change in % of the year before
        (the indicator's catalogue property ``rate``), compounded, never summed: ``growth``
        ``100 (Π(1 + r/100) − 1)``, ``reduction`` ``100 (1 − Π(1 − r/100))`` (单位GDP能耗
        比2020年下降14.5%: yearly reductions 3.2, … compound to the five-year reduction).
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
    _check_arguments(spec, direction=direction, accumulate=accumulate)
    if rate is not None and (rate not in _RATE_SENSES or not accumulate):
        raise _err(spec, "rate", f"must be one of {', '.join(_RATE_SENSES)} with accumulate=True; "
                   f"got {rate!r}")
    obs = _observations(observations, spec)
    # figures of the indicator only after the evaluated year: the one needed is missing (pending),
    # never "no figure at all" (no_data) — the targets page, judging as of the latest figure, sees them
    later = int(obs.index[0]) if len(obs) else None
    if as_of is not None:
        obs = obs[obs.index <= as_of]
    if len(obs):
        later = None
    limits = _limits(spec, tolerance=tolerance, rules=rules)
    horizon, start = target_horizon(spec)
    year, latest = _evaluated_year(spec, obs, as_of=as_of, data_year=data_year)
    if horizon == "yearly":
        bound = (bounds or {}).get(spec.target_period)
        return _evaluate_yearly(
            spec, obs, direction=direction, limits=limits, latest=latest, bound=bound, later=later
        )
    plan = _Plan(spec=spec, limits=limits, direction=direction, rules=rules, latest=latest,
                 in_progress=not (year is not None and year >= spec.target_period), rate=rate,
                 later=later, bounds=bounds)
    return _evaluate_trajectory(plan, obs, accumulate=accumulate, start=start)


# -- the steps of evaluate_target -------------------------------------------------------------


def _check_arguments(spec: TargetSpec, *, direction: int, accumulate: bool) -> None:
    """Refuse a direction that is not 1, -1 or 0, a change against the indicator's direction,
    and ``accumulate`` on anything but a cumulative change."""
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


def _limits(spec: TargetSpec, *, tolerance: float | None, rules: StatusRules) -> _Bounds:
    """The target's range and the tolerance of 左右 (none for any other qualifier): the one
    given, else the rules' points for percentages, the rules' share of the target otherwise."""
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
    return _Bounds(lo, hi, tol)


def _evaluated_year(
    spec: TargetSpec, obs: pd.Series, *, as_of: int | None, data_year: int | None
) -> tuple[int | None, int | None]:
    """``(year, latest)``: the evaluated year (``as_of``, else ``data_year``, else the latest
    figure) and the latest year with a figure."""
    if data_year is not None and (isinstance(data_year, bool) or not isinstance(data_year, int)):
        raise _err(spec, "data_year", f"must be a year (int); got {data_year!r}")
    latest = int(obs.index[-1]) if len(obs) else None
    year = as_of if as_of is not None else data_year if data_year is not None else latest
    return year, latest


def _classify(
    ratio: float | None, *, met: bool, pace_only: bool, due: bool, early: bool, rules: StatusRules
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
    *, base: float, current: float, goal: float, elapsed: float, total: float, sense: str
) -> _Pace:
    """Required and observed annual change toward ``goal`` (signed so that progress is > 0)."""
    s = 1.0 if sense == "min" else -1.0 if sense == "max" else float(np.sign(goal - base))
    required = s * (goal - base) / total
    observed = s * (current - base) / elapsed if elapsed > 0 else None
    if observed is None:
        return _Pace(required)
    if required <= 0:  # the base already met the goal, so any miss now is a step back
        return _Pace(required, observed, -math.inf if observed <= 0 else None)
    return _Pace(required, observed, observed / required)


def _result(
    spec: TargetSpec,
    status: str,
    *,
    goal: float,
    tol: float,
    met: bool | None = None,
    year: int | None = None,
    current: float | None = None,
    pace: _Pace = _NO_PACE,
    note: tuple[str, str] = ("", ""),
    horizon: str = "yearly",
    base_year: int | None = None,
    points: tuple[tuple[int, float], ...] = (),
    in_progress: bool = False,
    latest: int | None = None,
) -> TargetResult:
    """Every path ends here: the result of one target with its reason in words (zh, en).

    ``goal`` is the bound ``current`` (the figure of ``year``) is compared with, ``tol`` the
    tolerance of 左右, ``pace`` the required and observed change of a plan-period target, ``note``
    a closing remark (zh, en); ``points`` are the observations used, ``latest`` the latest year
    with a figure.
    """
    required, observed, ratio = pace.required, pace.observed, pace.ratio
    gap = None if current is None else current - goal
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # moving away from a goal the base had already met: no finite pace
    u = _Units.of(spec)
    reason = _Reason()
    _say_target(reason, spec, u)
    if horizon == "multi_year" and base_year is not None and points:
        _say_base(reason, spec, u, base_year=base_year, points=points)
    since = (base_year + 1 if horizon == "multi_year" and base_year is not None
             and current is not None and spec.kind in ("annual_growth", "cumulative_change")
             else None)  # the span an average or a sum is computed over
    if current is not None and year is not None and gap is not None:
        _say_current(reason, spec, u, year=year, current=current, gap=gap, met=met, since=since)
    if tol:
        reason.add(f"“左右”容差±{_fmt(tol)}{u.gap_zh}", f"'about' tolerance ±{_fmt(tol)}{u.gap_en}")
    if ratio is not None and required is not None:
        _say_pace(reason, u, required=required, observed=observed, ratio=ratio)
    if note[0]:
        reason.add(*note)
    if in_progress and status not in ("pending", "no_data"):
        reason.add(f"目标年{spec.target_period}年未到，进行中",
                   f"in progress, target year {spec.target_period} not reached")
    if spec.binding and met is False and status != "on_track":
        reason.add("约束性指标", "binding target")
    explanation_zh, explanation_en = reason.close(status)
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
        since=since,
    )


def _no_figure(
    spec: TargetSpec, *, goal: float, tol: float, latest: int | None, why: tuple[str, str],
    later: int | None = None, **kw: Any,
) -> TargetResult:
    """``pending`` (there are figures, not the one needed; the latest is named, or the first
    one after the evaluated year when there is none before: ``later``) or ``no_data`` (none at
    all)."""
    why_zh, why_en = why
    if latest is None and later is not None:
        return _result(spec, "pending", goal=goal, tol=tol,
                       note=(f"{why_zh}（{later}年起才有数据）", f"{why_en} (figures only from {later})"),
                       **kw)
    if latest is None:
        return _result(spec, "no_data", goal=goal, tol=tol,
                       note=("没有任何年份的数据", "no figure for any year"), **kw)
    return _result(
        spec, "pending", goal=goal, tol=tol, latest=latest,
        note=(f"{why_zh}（最新数据为{latest}年）", f"{why_en} (latest figure: {latest})"), **kw,
    )  # fmt: skip


def _evaluate_yearly(
    spec: TargetSpec,
    obs: pd.Series,
    *,
    direction: int,
    limits: _Bounds,
    latest: int | None,
    bound: str | None = None,
    later: int | None = None,
) -> TargetResult:
    """A one-year target: the figure of its own year against the bound, nothing else."""
    lo, hi, tol = limits.lo, limits.hi, limits.tol
    T = spec.target_period
    sense = _sense(spec, direction, 0.0 if spec.kind == "annual_growth" else None)
    goal = lo if sense == "min" else hi if sense == "max" else (lo + hi) / 2
    if T not in obs.index:
        return _no_figure(spec, goal=goal, tol=tol, latest=latest, later=later,
                          why=(f"尚无{T}年数据", f"no figure for {T} yet"))
    current = float(obs[T])
    met = _meets(current, sense, lo, hi, tol)
    if sense == "about" and not met:  # outside a range or 左右: the gap to the nearer end
        goal = lo if current < lo else hi
    status = "achieved" if met else "missed"
    if bound in ("lower_bound", "upper_bound"):  # the true value is at least / at most x
        can_rise = bound == "lower_bound"
        if not bound_decides(met, sense, current, lo, hi, tol, can_rise=can_rise,
                             can_fall=not can_rise):
            return _result(spec, "pending", goal=goal, tol=tol, year=T, current=current,
                           note=bound_note([T], can_rise, current, _fmt),
                           points=((T, current),), latest=latest)
    growth = spec.kind == "annual_growth" and sense == "min"
    return _result(
        spec, status, goal=goal, tol=tol, met=met, year=T, current=current,
        pace=_Pace(goal, current) if growth else _NO_PACE, points=((T, current),), latest=latest,
    )


# -- a plan-period target ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What every step of judging a plan-period target reads: the target, its range, the
    indicator's direction, the rules, the latest year with a figure and whether the target year
    is still ahead of the evaluated year."""

    spec: TargetSpec
    limits: _Bounds
    direction: int
    rules: StatusRules
    latest: int | None
    in_progress: bool
    rate: str | None = None  # yearly rates of change, compounded (``growth`` | ``reduction``)
    later: int | None = None  # the first figure after the evaluated year, when none is before it
    bounds: Mapping[int, str] | None = None  # year → figure stated as a lower / upper bound


#: the senses of yearly rates of change a cumulative target compounds (lantu.domain.indicators.RATES)
_RATE_SENSES = ("growth", "reduction")


@dataclass(frozen=True)
class _Base:
    """Where the pace is measured from: the base year, its figure (None for flows and growth
    rates, which are summed or compounded from it) and how the base was chosen, in words."""

    year: int
    value: float | None
    note: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class _Reading:
    """A plan-period target read at its latest figure: the figure compared with the goal
    (a level, a cumulative change or an average growth rate), which side counts (``sense``),
    whether it meets the goal, the pace, and a note on how it was read."""

    current: float
    sense: str
    goal: float
    met: bool
    pace: _Pace
    pace_only: bool = False  # growth rates: meeting the goal early is on track, not achieved
    note: tuple[str, str] = ("", "")


def _joined(first: tuple[str, str], then: tuple[str, str]) -> tuple[str, str]:
    """Two notes (zh, en) as one."""
    return (f"{first[0]}，{then[0]}" if first[0] else then[0],
            f"{first[1]}; {then[1]}" if first[1] else then[1])


def _evaluate_trajectory(
    plan: _Plan, obs: pd.Series, *, accumulate: bool, start: int | None
) -> TargetResult:
    """A plan-period target: judged on the target year's figure once the evaluated year reaches
    it, else paced from the plan's base to the latest figure ``t`` (never from before the plan).
    The base comes from :func:`_plan_base`, the reading from the reader of the target's kind
    (:data:`_READERS`)."""
    spec = plan.spec
    T = spec.target_period
    upto = obs[obs.index <= T]
    base = _plan_base(spec, obs, upto, accumulate=accumulate, start=start)
    if not isinstance(base, _Base):  # why there is no base
        return _without_pace(plan, upto, base_value=spec.base_value, why=base)
    later = upto[upto.index > base.year]
    if later.empty:
        return _without_pace(plan, upto, base_value=base.value,
                             why=(f"基期{base.year}年后尚无数据",
                                  f"no figure after the base year {base.year}"))
    read = _READERS.get(spec.kind, _read_level)
    reading = read(plan, later, base, accumulate=accumulate)
    t = int(later.index[-1])
    final = t >= T  # the target year's own figure: judged, not paced
    status = _classify(reading.pace.ratio, met=reading.met, pace_only=reading.pace_only,
                       due=final, early=reading.sense == "min", rules=plan.rules)
    note = _joined(base.note, reading.note) if reading.note[0] else base.note
    summed = accumulate or (spec.kind == "annual_growth" and base.value is None)
    rise, fall = bound_sides(plan.bounds, later.index if summed else [t],
                             None if summed or spec.kind in ("level", "ceiling", "floor")
                             else base.year)
    if status in ("achieved", "missed") and not bound_decides(
            reading.met, reading.sense, reading.current, plan.limits.lo, plan.limits.hi,
            plan.limits.tol, can_rise=bool(rise), can_fall=bool(fall)):
        own = sorted(rise + fall) == [t] and not summed  # the figure of t itself, or a build
        note, status = _joined(note, bound_note(sorted(rise + fall), bool(rise),
                                                reading.current if own else None, _fmt)), "pending"
    # a pace status from bounds: met already, as the reading's bound decides; else paced,
    # from the base too (a base that may lie higher may make the progress smaller)
    pace_rise, pace_fall = (rise, fall) if reading.met else bound_sides(
        plan.bounds, later.index if summed else [t], None if summed else base.year)
    if not final and not (bound_decides(True, reading.sense, reading.current, plan.limits.lo,
                                        plan.limits.hi, plan.limits.tol, can_rise=bool(rise),
                                        can_fall=bool(fall)) if reading.met else pace_decided(
            status, reading.sense, can_rise=bool(pace_rise), can_fall=bool(pace_fall))):
        note, status = _joined(note, pace_note(sorted(pace_rise + pace_fall), STATUS_ZH[status],
                                               status.replace("_", " "))), "pending"
    if not plan.in_progress and not final:  # the target year has come, its figure has not
        note = _joined(note, (f"尚无目标年{T}年数据，以上为截至{t}年的进度",
                              f"no figure for the target year {T} yet; the pace above is up to {t}"))
        status = "pending"
    return _result(
        spec, status, goal=reading.goal, tol=plan.limits.tol, met=reading.met, year=t,
        current=reading.current, pace=reading.pace, note=note, base_year=base.year,
        points=_points_used(spec, later, base, accumulate=accumulate), latest=plan.latest,
        horizon="multi_year", in_progress=plan.in_progress,
    )


def _plan_base(
    spec: TargetSpec, obs: pd.Series, upto: pd.Series, *, accumulate: bool, start: int | None
) -> _Base | tuple[str, str]:
    """The base to pace from, or why there is none (zh, en).

    The target's own base year, else the year before the plan starts for flows and growth rates
    (summed or compounded from the start), else the plan's first figure from the year before
    its start on. The base figure is the target's, else the observation of the base year."""
    B = spec.base_period
    note = ("", "")
    if B is None:
        if start is None:
            return ("无基期或规划起始年，无法计算累计变化",
                    "no base year or plan start to measure the change from")
        if accumulate or spec.kind == "annual_growth":  # flows or rates: years start … t
            B = start - 1
            note = (f"累计自{start}年", f"summed from {start}")
        else:  # the plan's base year (start - 1), else its first figure
            cands = upto[upto.index >= start - 1]
            if cands.empty:
                return (f"规划起始{start}年后尚无数据", f"no figure since the plan start {start}")
            B = int(cands.index[0])
            note = (f"规划自{start}年起，以{B}年为基期", f"plan from {start}, base year {B}")
    value = spec.base_value
    if value is None and not accumulate and spec.kind != "annual_growth":
        if B not in obs.index:
            return (f"缺少基期{B}年数据", f"no figure for the base year {B}")
        value = float(obs[B])
    return _Base(B, value, note)


def _without_pace(
    plan: _Plan, upto: pd.Series, *, base_value: float | None, why: tuple[str, str]
) -> TargetResult:
    """Without a base or a later figure there is no pace; a level target can still be met (or,
    on the target year's figure, missed). Otherwise ``pending`` or ``no_data``, saying why."""
    spec, lo, hi, tol = plan.spec, plan.limits.lo, plan.limits.hi, plan.limits.tol
    if spec.kind in ("level", "ceiling", "floor") and not upto.empty:
        t0, x0 = int(upto.index[-1]), float(upto.iloc[-1])
        sense = _sense(spec, plan.direction, base_value)
        met = _meets(x0, sense, lo, hi, tol)
        rise, fall = bound_sides(plan.bounds, [t0])
        # judged on the target year's figure, or met before it; once the target year has come
        # without its figure, pending (as in _evaluate_trajectory); a bound only when it decides
        T = spec.target_period
        if t0 == T or (met and plan.in_progress):
            if bound_decides(met, sense, x0, lo, hi, tol, can_rise=bool(rise), can_fall=bool(fall)):
                status = _classify(None, met=met, pace_only=False, due=t0 == T,
                                   early=sense == "min", rules=plan.rules)
                return _result(
                    spec, status, goal=lo if sense != "max" else hi, tol=tol, met=met, year=t0,
                    current=x0, points=((t0, x0),), latest=plan.latest, horizon="multi_year",
                    in_progress=plan.in_progress,
                )
            why = _joined(why, bound_note([t0], bool(rise), x0, _fmt))
        elif met:
            why = _joined(why, (f"尚无目标年{T}年数据", f"no figure for the target year {T} yet"))
    return _no_figure(spec, goal=lo, tol=tol, latest=plan.latest, why=why, later=plan.later,
                      horizon="multi_year", in_progress=plan.in_progress)


def _read_growth(plan: _Plan, later: pd.Series, base: _Base, *, accumulate: bool) -> _Reading:
    """``annual_growth``: the average growth since the base, compounded from levels (a base
    figure) or the geometric mean of the yearly rates; judged against the target rate."""
    spec, lim = plan.spec, plan.limits
    if base.value is not None:  # levels: compound average growth since the base
        if base.value <= 0 or later.iloc[-1] <= 0:
            raise _err(spec, "base_value", "growth from levels needs positive values")
        elapsed = float(int(later.index[-1]) - base.year)
        current = 100.0 * ((float(later.iloc[-1]) / base.value) ** (1.0 / elapsed) - 1.0)
    else:  # yearly rates: geometric mean of (1 + g)
        rates = later / 100.0 + 1.0
        if (rates <= 0).any():
            raise _err(spec, "observations", "a growth rate of -100 % or less")
        current = 100.0 * (float(np.prod(rates)) ** (1.0 / len(rates)) - 1.0)
    sense = _sense(spec, plan.direction, 0.0)
    goal = lim.lo if sense != "max" else lim.hi
    pace = _pace(base=0.0, current=current, goal=goal, elapsed=1.0, total=1.0, sense=sense)
    return _Reading(current, sense, goal, _meets(current, sense, lim.lo, lim.hi, lim.tol), pace,
                    pace_only=True)


def _read_cumulative(
    plan: _Plan, later: pd.Series, base: _Base, *, accumulate: bool
) -> _Reading:
    """``cumulative_change``: the sum of the yearly flows since the base (paced on the years
    with a figure when some are missing), else the change of the level from the base figure
    (relative for a target in %)."""
    spec, lim = plan.spec, plan.limits
    t = int(later.index[-1])
    elapsed, total = float(t - base.year), float(spec.target_period - base.year)
    note = ("", "")
    if accumulate:
        current = _compounded(spec, later, plan.rate) if plan.rate else float(later.sum())
        if plan.rate:
            note = ("逐年变化率复合计算", "the yearly rates compounded")
        gaps = [y for y in range(base.year + 1, t + 1) if y not in later.index]
        if gaps:  # the pace is the average of the yearly flows there are, not sum / years
            elapsed = float(len(later))
            missing = "、".join(map(str, gaps))
            note = _joined(note, (
                f"缺少{missing}年数据，累计数不完整，进度按已有{len(later)}年的年均值",
                f"no figure for {', '.join(map(str, gaps))}: the sum is incomplete, the pace "
                f"is the average of the {len(later)} years with figures",
            ))
    elif (spec.unit or "").strip() in ("%", "％"):
        assert base.value is not None  # read for every kind but flows and rates
        if base.value == 0:
            raise _err(spec, "base_value", "a relative (%) change needs a non-zero base")
        current = 100.0 * (float(later.iloc[-1]) / base.value - 1.0)
    else:
        assert base.value is not None
        current = float(later.iloc[-1]) - base.value
    sense = _sense(spec, plan.direction, 0.0)
    goal = lim.lo if sense == "min" else lim.hi
    pace = _pace(base=0.0, current=current, goal=goal, elapsed=elapsed, total=total, sense=sense)
    return _Reading(current, sense, goal, _meets(current, sense, lim.lo, lim.hi, lim.tol), pace,
                    note=note)


def _compounded(spec: TargetSpec, later: pd.Series, rate: str) -> float:
    """Yearly rates of change in % compounded over the years there are: a rise ``growth``
    ``100 (Π(1 + r/100) − 1)``, a fall ``reduction`` ``100 (1 − Π(1 − r/100))``."""
    r = later.to_numpy(dtype=float) / 100.0
    factors = 1.0 + r if rate == "growth" else 1.0 - r
    if (factors <= 0).any():
        raise _err(spec, "observations", "a yearly rate of change of 100 % or more")
    whole = float(np.prod(factors))
    return 100.0 * (whole - 1.0) if rate == "growth" else 100.0 * (1.0 - whole)


def _read_level(plan: _Plan, later: pd.Series, base: _Base, *, accumulate: bool) -> _Reading:
    """``level``, ``ceiling``, ``floor``: the latest figure, paced from the base figure toward
    the goal (for a range or 左右, the nearer end seen from the base)."""
    spec, lo, hi, tol = plan.spec, plan.limits.lo, plan.limits.hi, plan.limits.tol
    assert base.value is not None
    t = int(later.index[-1])
    current = float(later.iloc[-1])
    sense = _sense(spec, plan.direction, base.value)
    if sense == "about":
        goal = lo if base.value < lo else hi if base.value > hi else (lo + hi) / 2
    else:
        goal = lo if sense == "min" else hi
    pace = _pace(base=base.value, current=current, goal=goal, elapsed=float(t - base.year),
                 total=float(spec.target_period - base.year), sense=sense)
    return _Reading(current, sense, goal, _meets(current, sense, lo, hi, tol), pace)


class _Reader(Protocol):
    def __call__(
        self, plan: _Plan, later: pd.Series, base: _Base, *, accumulate: bool
    ) -> _Reading: ...


_READERS: dict[str, _Reader] = {
    "annual_growth": _read_growth,
    "cumulative_change": _read_cumulative,
}  # every other kind (level, ceiling, floor): _read_level


def _points_used(
    spec: TargetSpec, later: pd.Series, base: _Base, *, accumulate: bool
) -> tuple[tuple[int, float], ...]:
    """The observations a plan-period judgement used: every yearly flow or rate summed or
    compounded, else the base and the latest figure."""
    if accumulate or (spec.kind == "annual_growth" and spec.base_value is None):
        return tuple(later.items())
    assert base.value is not None
    return ((base.year, float(base.value)), (int(later.index[-1]), float(later.iloc[-1])))


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
