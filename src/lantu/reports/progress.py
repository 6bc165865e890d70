"""Where an indicator stands against its target, and which way it moves.

Plain functions on numbers and :class:`~lantu.domain.Target` objects (no database): the monitoring
report calls them for each indicator row.

Rules
-----
- **Which target**: the one whose target period is the report's period; else the nearest later
  one (a medium-term goal); targets of earlier periods are history and not assessed.
- **Annual target** (target period = report period): ``achieved`` when the value meets it in the
  indicator's direction (``以内``/ceiling or a lower-is-better indicator: at most; otherwise at
  least; ``左右`` "about" accepts 5 % of the target's size short of it), else ``not_achieved``.
- **Medium-term target**: the value is already there → ``achieved``; otherwise the share of the way
  from the base (the target's base, else the earliest observation) covered is compared with the
  share of time elapsed: at least 95 % of it → ``on_track``, less → ``behind``. A growth-rate
  target is compared with the latest rate. No base to measure from → ``unassessed``.
- **Trend**: the latest value up to the period against the one before it; a relative change
  under 0.5 % is ``stable``; otherwise ``improving``/``worsening`` by the indicator's direction
  (``up``/``down`` when the direction is neutral).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lantu.domain import Period, Target

#: status → (label, cell fill) — green, yellow and red as offices use them.
STATUS = {
    "achieved": ("已实现", "C6EFCE"),
    "on_track": ("符合进度", "C6EFCE"),
    "behind": ("进度滞后", "FFEB9C"),
    "not_achieved": ("未实现", "FFC7CE"),
    "unassessed": ("待评估", None),
    "no_data": ("无数据", None),
    "no_target": ("—", None),
}
TREND = {"improving": "向好", "worsening": "趋弱", "stable": "持平", "up": "上升", "down": "下降",
         "n/a": "—"}
ABOUT_TOLERANCE = 0.05
STABLE_BAND = 0.005
ON_TRACK_SHARE = 0.95


@dataclass(frozen=True)
class Assessment:
    status: str
    target: Target | None = None
    progress: float | None = None  # share of the way covered (medium-term targets)
    expected: float | None = None  # share of time elapsed

    @property
    def label(self) -> str:
        return STATUS[self.status][0]

    @property
    def fill(self) -> str | None:
        return STATUS[self.status][1]


def _year(p: object) -> float:
    per = Period.parse(p)
    return per.year + (per.start.timetuple().tm_yday - 1) / 365.0 if per.kind != "year" else per.year


def pick_target(targets: Sequence[Target], period: str) -> Target | None:
    """The target assessed in ``period``: same period first, else the nearest later one.

    Among several for the same period the main value is preferred over a stretch (力争) one.

    Examples
    --------
    >>> t = [Target("140100", "gdp_growth", "2023", "annual_growth", 6.5),
    ...      Target("140100", "gdp_growth", "2025", "annual_growth", 5.0)]
    >>> pick_target(t, "2024").target_period
    Period('2025')
    """
    p = Period.parse(period)
    same = [t for t in targets if t.target_period == p]
    later = sorted((t for t in targets if t.target_period > p), key=lambda t: t.target_period)
    pool = same or ([t for t in later if t.target_period == later[0].target_period] if later else [])
    if not pool:
        return None
    return sorted(pool, key=lambda t: (t.qualifier == "力争", t.kind == "cumulative_change"))[0]


def meets(value: float, target: Target, direction: int) -> bool:
    """Whether ``value`` satisfies the target's value (see the module rules)."""
    lower_is_better = target.kind == "ceiling" or target.qualifier == "以内" or (
        direction < 0 and target.kind != "floor")
    if lower_is_better:
        return value <= (target.value_high if target.value_high is not None else target.value)
    slack = abs(target.value) * ABOUT_TOLERANCE if target.qualifier == "左右" else 0.0
    return value >= target.value - slack


def assess(target: Target | None, series: Mapping[str, float], period: str,
           direction: int = 1) -> Assessment:
    """Assess the indicator's ``series`` (period → value) against ``target`` as of ``period``.

    Examples
    --------
    >>> t = Target("140100", "gdp_growth", "2023", "annual_growth", 6.5)
    >>> assess(t, {"2023": 5.2}, "2023").status
    'not_achieved'
    >>> t = Target("140100", "income_urban", "2025", "level", 60000, base_period="2020",
    ...            base_value=40000)
    >>> a = assess(t, {"2023": 52000}, "2023")
    >>> a.status, round(a.progress, 2), round(a.expected, 2)
    ('on_track', 0.6, 0.6)
    """
    if target is None:
        return Assessment("no_target")
    p = Period.parse(period)
    upto = {k: v for k, v in series.items() if Period.parse(k) <= p}
    if target.target_period == p:
        if str(p) not in {str(Period.parse(k)) for k in upto}:
            return Assessment("no_data", target)
        value = next(v for k, v in upto.items() if Period.parse(k) == p)
        return Assessment("achieved" if meets(value, target, direction) else "not_achieved", target)
    if not upto:
        return Assessment("no_data", target)
    ordered = sorted(upto.items(), key=lambda kv: Period.parse(kv[0]))
    last_p, last_v = ordered[-1]
    if target.kind == "annual_growth":
        return Assessment("on_track" if meets(last_v, target, direction) else "behind", target)
    if target.kind != "cumulative_change" and meets(last_v, target, direction):
        return Assessment("achieved", target)
    if target.base_value is not None and target.base_period is not None:
        base_p, base_v = str(target.base_period), target.base_value
    elif len(ordered) >= 2:
        base_p, base_v = ordered[0]
    else:
        return Assessment("unassessed", target)
    span = _year(target.target_period) - _year(base_p)
    elapsed = _year(last_p) - _year(base_p)
    if span <= 0:
        return Assessment("unassessed", target)
    if target.kind == "cumulative_change":
        gap = target.value
        covered = (last_v - base_v) if direction >= 0 else (base_v - last_v)
    else:
        gap = target.value - base_v
        covered = last_v - base_v
    if gap == 0:
        return Assessment("achieved", target)
    progress = covered / gap
    expected = elapsed / span
    if progress >= 1:
        return Assessment("achieved", target, progress, expected)
    status = "on_track" if progress >= ON_TRACK_SHARE * expected else "behind"
    return Assessment(status, target, progress, expected)


def trend(series: Mapping[str, float], period: str, direction: int = 1) -> tuple[str, float | None]:
    """Direction of the last move up to ``period`` and its relative size.

    Returns
    -------
    (str, float | None)
        A key of :data:`TREND` and the relative change (``None`` with fewer than two values).

    Examples
    --------
    >>> trend({"2022": 40.0, "2023": 38.0}, "2023", direction=-1)
    ('improving', -0.05)
    """
    p = Period.parse(period)
    pts = sorted(((Period.parse(k), v) for k, v in series.items() if Period.parse(k) <= p))
    if len(pts) < 2:
        return "n/a", None
    (_, a), (_, b) = pts[-2], pts[-1]
    rel = (b - a) / abs(a) if a else (0.0 if b == a else float("inf") if b > a else float("-inf"))
    if abs(rel) < STABLE_BAND:
        return "stable", rel
    if direction == 0:
        return ("up" if rel > 0 else "down"), rel
    return ("improving" if (rel > 0) == (direction > 0) else "worsening"), rel
