"""Where an indicator stands against its target, and which way it moved last.

The status comes from :mod:`lantu.analysis.targets` (the SDG dashboards' pace rule: achieved,
on track, moderately improving, stagnating, deteriorating, insufficient data); this module picks
which target a report row shows, adapts the domain's targets and period-keyed series to that
analysis, and gives the simple last-move trend the tables show beside it.

Rules
-----
- **Which target**: the one whose target period is the report's period; else the nearest later
  one (a medium-term goal); targets of earlier periods are history and not assessed. Among
  several for the same period the main value comes before a stretch (力争) one.
- **Status**: :func:`lantu.analysis.targets.evaluate_target` with the figures up to the report's
  year (``as_of``). A target the analysis refuses (e.g. a reduction given as a positive number)
  is shown as ``unassessed`` with the reason, never silently.
- **Trend**: the latest value up to the period against the one before it; a relative change
  under 0.5 % is ``stable``; otherwise ``improving``/``worsening`` by the indicator's direction
  (``up``/``down`` when the direction is neutral).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lantu.analysis import targets as tg
from lantu.domain import Period, Target
from lantu.reports.colours import FILLS as _FILLS

#: colour of the analysis → cell fill (the light fills offices print well)
FILLS = {c: _FILLS[c] for c in ("green", "yellow", "orange", "red", "grey")}
#: statuses of this module beside the analysis's own
EXTRA = {"no_target": ("—", None), "unassessed": ("待评估", None)}
TREND = {"improving": "向好", "worsening": "趋弱", "stable": "持平", "up": "上升", "down": "下降",
         "n/a": "—"}


@dataclass(frozen=True)
class Assessment:
    status: str
    target: Target | None = None
    result: tg.TargetResult | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return EXTRA[self.status][0] if self.status in EXTRA else tg.STATUS_ZH[self.status]

    @property
    def fill(self) -> str | None:
        return EXTRA[self.status][1] if self.status in EXTRA else \
            FILLS[tg.COLOURS[self.status]]


def fill(status: str | None) -> str | None:
    """Cell fill of a target status (none without a target)."""
    return FILLS[tg.COLOURS[status]] if status in tg.COLOURS else None


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


def spec_of(target: Target) -> tg.TargetSpec:
    """The analysis's view of a domain target (years as integers)."""
    def year(p):
        return None if p is None else Period.parse(p).year

    return tg.TargetSpec(target.region_code, target.indicator_code, year(target.base_period),
                         target.base_value, year(target.target_period), target.kind,
                         target.value, target.value_high, target.qualifier, target.binding,
                         target.unit or None, plan=target.plan or None)


def assess(target: Target | None, series: Mapping[str, float], period: str,
           direction: int = 1) -> Assessment:
    """Status of the indicator's ``series`` (period → value) against ``target`` as of ``period``.

    Examples
    --------
    >>> t = Target("140100", "gdp_growth", "2023", "annual_growth", 6.5)
    >>> a = assess(t, {"2022": 3.3, "2023": 5.2, "2024": 9.0}, "2023")
    >>> a.status, a.result.current
    ('missed', 5.2)
    >>> assess(None, {}, "2023").label
    '—'
    """
    if target is None:
        return Assessment("no_target")
    as_of = Period.parse(period).year
    years = {Period.parse(k).year: v for k, v in series.items()
             if Period.parse(k).kind == "year"}
    try:
        result = tg.evaluate_target(spec_of(target), years, direction, as_of=as_of)
    except ValueError as exc:
        return Assessment("unassessed", target, reason=str(exc))
    return Assessment(result.status, target, result)


def trend(series: Mapping[str, float], period: str, direction: int = 1) -> tuple[str, float | None]:
    """Direction of the last move up to ``period`` and its relative size
    (:func:`lantu.analysis.targets.trend` on the yearly figures).

    Examples
    --------
    >>> trend({"2022": 40.0, "2023": 38.0}, "2023", direction=-1)
    ('improving', -0.05)
    """
    p = Period.parse(period)
    pts = {Period.parse(k).year: v for k, v in series.items()
           if Period.parse(k) <= p and Period.parse(k).kind == "year"}
    return tg.trend(pts, direction)
