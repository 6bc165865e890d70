"""Series breaks: where a series changes its basis (a census revision of the population, a new
definition of good-air days), values before and after are not comparable. Trends, growth and
target progress must stay on one side; these pure functions say where the sides are.

>>> comparable("2019", "2021", ["2020"])
False
>>> comparable("2020", "2023", ["2020"])
True
>>> last_segment(["2018", "2019", "2021", "2022"], ["2020"])
['2021', '2022']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _year(p: object) -> str:
    return str(p)


def comparable(a: object, b: object, breaks: Iterable[object]) -> bool:
    """Whether values of periods ``a`` and ``b`` (either order) lie on the same side of every
    break (a break at period P starts the new series at P)."""
    lo, hi = sorted((_year(a), _year(b)))
    return not any(lo < _year(p) <= hi for p in breaks)


def segment_of(period: object, breaks: Iterable[object]) -> int:
    """How many breaks come at or before ``period``: periods with the same number are
    comparable."""
    return sum(1 for p in breaks if _year(p) <= _year(period))


def last_segment(periods: Sequence[object], breaks: Iterable[object]) -> list:
    """The periods (in the order given) after the last break among them: what a trend may use."""
    brk = list(breaks)
    if not periods:
        return []
    last = max(segment_of(p, brk) for p in periods)
    return [p for p in periods if segment_of(p, brk) == last]
