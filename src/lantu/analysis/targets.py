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

from lantu.analysis.target_rollup import (
    NODE_COLOURS,
    NODE_STATUSES,
    TRENDS,
    goal_colour,
    node_status,
    trend,
)
from lantu.analysis.target_spec import (
    ABOUT_TOLERANCE_POINTS,
    ABOUT_TOLERANCE_RELATIVE,
    ARROWS,
    COLOURS,
    KINDS,
    QUALIFIERS,
    STATUS_EN,
    STATUS_ZH,
    STATUSES,
    TargetResult,
    TargetSpec,
    in_force,
    plan_start_year,
    target_horizon,
    unit_en,
)
from lantu.analysis.target_spec import (
    _fmt as _fmt,  # the number format, for the tests and the verdict's words
)
from lantu.analysis.target_status import evaluate_target, evaluate_targets

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
    "STATUS_EN",
    "STATUS_ZH",
    "TRENDS",
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
