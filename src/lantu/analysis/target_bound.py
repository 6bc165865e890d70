"""Figures stated as a bound ("超过5%", "突破1万户", "控制在3%以内"): whether such a figure decides a
target — the one rule the yearly judgement and the plan-period judgement ask (docs/analysis.md,
"Status rules": achieved or missed only when the bound decides it, otherwise ``pending``).

A reading built from figures stated as bounds is itself a bound: a lower bound (the truth is at
least the figure) of the figure of the year, of a sum or of an average of yearly figures that grow
with each of them; an upper bound the other way. A base figure stated as a lower bound makes a
change from it an upper bound, and the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def bound_sides(bounds: Mapping[int, str] | None, years: Iterable[int],
                base_year: int | None = None) -> tuple[list[int], list[int]]:
    """The years among ``years`` (and the base year, whose bound works the other way) that let
    the reading rise and that let it fall: ``(rise, fall)``."""
    rise: list[int] = []
    fall: list[int] = []
    marks = bounds or {}
    for y in years:
        if marks.get(y) == "lower_bound":
            rise.append(y)
        elif marks.get(y) == "upper_bound":
            fall.append(y)
    if base_year is not None and marks.get(base_year) == "lower_bound":
        fall.append(base_year)  # a larger base: a smaller change from it
    elif base_year is not None and marks.get(base_year) == "upper_bound":
        rise.append(base_year)
    return rise, fall


def bound_decides(met: bool, sense: str, current: float, lo: float, hi: float, tol: float, *,
                  can_rise: bool, can_fall: bool) -> bool:
    """Whether a reading that may lie higher (``can_rise``) or lower (``can_fall``) than
    ``current`` still meets (``met``) or misses the target whatever the truth: met at least
    (``sense`` ``min``) by a reading that can only rise, missed a ceiling by one that can only
    rise, and so on; never when it can move both ways."""
    if can_rise and can_fall:
        return False
    if not (can_rise or can_fall):
        return True
    if met:  # the truth may lie further out, past the other side
        return sense == "min" if can_rise else sense == "max"
    # missed: the truth may lie further toward the target
    if can_rise:
        return sense in ("max", "about") and current > hi + tol
    return sense in ("min", "about") and current < lo - tol


def bound_note(years: list[int], can_rise: bool, current: float | None = None,
               fmt=str) -> tuple[str, str]:
    """Why a bound does not decide, in words (zh, en): the figure ``current`` of one year stated
    as a lower (``can_rise``) or upper bound, or (no ``current``) the figures stated as bounds
    that a sum, an average or a change was built from."""
    if len(years) == 1 and current is not None:
        T = years[0]
        word_zh, word_en = ("下限", "lower") if can_rise else ("上限", "upper")
        return (f"{T}年数据仅为{word_zh}（{'超过' if can_rise else '不超过'}{fmt(current)}），不足以判断",
                f"the {T} figure is only an {word_en} bound ({fmt(current)}): it cannot decide")
    return (f"{'、'.join(str(y) for y in years)}年数据仅为界值（上限或下限），据此所得读数不足以判断",
            f"the figures of {', '.join(str(y) for y in years)} are only bounds: the reading built "
            "from them cannot decide")


#: the pace statuses of a plan-period target before its year, worst to best
PACE_ORDER = ("deteriorating", "stagnating", "moderately_improving", "on_track")


def pace_decided(status: str, sense: str, *, can_rise: bool, can_fall: bool) -> bool:
    """Whether a pace status read from figures stated as bounds holds whatever the truth: a
    reading that may lie higher (``can_rise``) of a target to reach (``sense`` ``min``) may only
    pace better, so only the best status holds (on track); one that may lie lower, only the worst
    (deteriorating); the reverse for a ceiling (``max``). A target to stay near (``about``) is
    paced neither way by a bound.

    >>> pace_decided("stagnating", "min", can_rise=True, can_fall=False)
    False
    >>> pace_decided("on_track", "min", can_rise=True, can_fall=False)
    True
    >>> pace_decided("deteriorating", "max", can_rise=True, can_fall=False)
    True
    """
    if status not in PACE_ORDER or not (can_rise or can_fall):
        return True
    if sense not in ("min", "max"):
        return False
    better = can_rise if sense == "min" else can_fall
    worse = can_fall if sense == "min" else can_rise
    return (not better or status == PACE_ORDER[-1]) and (not worse or status == PACE_ORDER[0])


def pace_note(years: list[int], status_zh: str, status_en: str) -> tuple[str, str]:
    """Why a pace read from bounds does not decide (zh, en)."""
    ys = "、".join(str(y) for y in years)
    return (f"{ys}年数据仅为界值（上限或下限），按此测算为“{status_zh}”，实际进度可能不同，不足以判断",
            f"the figures of {', '.join(str(y) for y in years)} are only bounds: the pace read "
            f"from them ({status_en}) may differ from the truth, so it cannot decide")
