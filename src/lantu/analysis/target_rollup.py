"""From targets to plan nodes: a goal's colour and a node's status from the statuses of its
targets in force (SDG-dashboard rule), and the trend arrow shown beside a status."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from lantu.analysis.target_bound import bound_sides
from lantu.analysis.target_spec import _DEFAULT_RULES, COLOURS, STATUSES, TargetResult

_RATING = {"green": 3, "yellow": 2, "orange": 1, "red": 0}
_COLOUR_OF = {v: k for k, v in _RATING.items()}


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

    ``achieved`` when every target is achieved; otherwise the SDG dashboards' goal rule
    (:func:`goal_colour`: the two worst ratings averaged and rounded down; achieved and on track
    3, moderately improving 2, stagnating 1, missed and deteriorating 0) in words. Targets
    ``pending`` or ``no_data`` are left out of the rating; with nothing judged the node is
    ``pending`` if a target awaits its figure, else ``no_data``. But they keep a node from
    ``achieved`` (verdict15): every judged target met while another awaits its figure is
    ``on_track`` (the rating of the judged ones), never 已完成 — Taiyuan's 治山 in 2018 had its
    营造林 met and its 森林覆盖率30%以上 unknown since 2016. (``qualitative`` is the evaluation's
    word for a node with no target in force at all.)

    Examples
    --------
    >>> node_status(["achieved", "achieved"]), node_status(["achieved", "on_track"])
    ('achieved', 'on_track')
    >>> node_status(["achieved", "missed", "achieved"]), node_status(["missed", "missed"])
    ('significant_challenges', 'major_challenges')
    >>> node_status(["pending"]), node_status([])
    ('pending', 'no_data')
    >>> node_status(["achieved", "pending"]), node_status(["achieved", "no_data"])
    ('on_track', 'on_track')
    """
    items = list(statuses)
    for st in items:
        if st not in STATUSES:
            raise ValueError(f"node_status: unknown status {st!r}; expected one of {STATUSES}")
    judged = [st for st in items if st not in ("pending", "no_data")]
    if not judged:
        return "pending" if "pending" in items else "no_data"
    if all(st == "achieved" for st in judged):
        return "achieved" if len(judged) == len(items) else "on_track"
    return _NODE_OF_COLOUR[goal_colour([COLOURS[st] for st in judged])]


TRENDS = ("improving", "worsening", "stable", "up", "down", "n/a")


def trend(
    series: Mapping[int, float], direction: int = 1, *, stable_band: float | None = None,
    bounds: Mapping[int, str] | None = None,
) -> tuple[str, float | None]:
    """Direction of the last step of a yearly series and its relative size — the arrow shown
    beside a status (never the status of a target that has its figure).

    A relative change under ``stable_band`` (default ``StatusRules().stable_band``, 0.5 %) is
    ``stable``; otherwise ``improving``/``worsening`` by the indicator's direction (``up`` /
    ``down`` when it is neutral); ``n/a`` with fewer than two figures.

    ``bounds``: year → ``"lower_bound"``/``"upper_bound"`` for figures the source gives only as
    a bound (:func:`lantu.domain.observations.bound_of`). A step with a bound at either end has
    a direction only when the bound decides it (a rise past the band whatever the truth
    beyond the bound); else ``n/a``: "迈上5000亿元台阶" after 5,418.87 is no fall.

    Examples
    --------
    >>> trend({2022: 40.0, 2023: 38.0}, direction=-1)
    ('improving', -0.05)
    >>> trend({2023: 1.0})
    ('n/a', None)
    >>> trend({2024: 5418.87, 2025: 5000.0}, bounds={2025: "lower_bound"})
    ('n/a', None)
    >>> trend({2024: 4000.0, 2025: 5000.0}, bounds={2025: "lower_bound"})
    ('improving', 0.25)
    """
    band = _DEFAULT_RULES.stable_band if stable_band is None else stable_band
    pts = sorted(series.items())
    if len(pts) < 2:
        return "n/a", None
    (ya, a), (yb, b) = pts[-2], pts[-1]
    rel = (b - a) / abs(a) if a else (0.0 if b == a else math.inf if b > a else -math.inf)
    # the move the bounds allow (the one rule of bounds, :func:`target_bound.bound_sides`: the
    # later figure is the reading, the earlier its base); decided only when every move they
    # allow goes the same way
    rise, fall = bound_sides(bounds, [yb], base_year=ya)
    if rise or fall:
        if not ((rel >= band and not fall) or (rel <= -band and not rise)):
            return "n/a", None
    elif abs(rel) < band:
        return "stable", rel
    if direction == 0:
        return ("up" if rel > 0 else "down"), rel
    return ("improving" if (rel > 0) == (direction > 0) else "worsening"), rel
