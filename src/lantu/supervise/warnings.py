"""Warning colour of a task (green / yellow / red).

Rules, in order:

1. a task that is done is **green**;
2. a task whose due date has passed (``today > due``) is **red**;
3. a task due within ``warn_days`` days (``due - today <= warn_days``) is **yellow**;
4. a task behind schedule is **yellow**: its percent done is below the elapsed share of its
   time, ``100 * (today - start) / (due - start)``;
5. otherwise **green** (also a task without a due date).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

COLOURS = ("green", "yellow", "red")
#: A late milestone (节点) turns red after this many days late, yellow before.
RED_AFTER_DAYS = 30


def milestone_colour(days_late: int, *, due_soon: bool = False) -> str:
    """Warning colour of a milestone: ``red`` when more than :data:`RED_AFTER_DAYS` days late,
    ``yellow`` when late by fewer or due within the warning window, else ``green``.

    Examples
    --------
    >>> milestone_colour(45), milestone_colour(3), milestone_colour(0, due_soon=True)
    ('red', 'yellow', 'yellow')
    >>> milestone_colour(0)
    'green'
    """
    if days_late > RED_AFTER_DAYS:
        return "red"
    if days_late > 0 or due_soon:
        return "yellow"
    return "green"


def milestone_days_late(due: date | None, done_on: date | None, today: date, *,
                        task_finished: bool = False) -> int:
    """Days a milestone is late at ``today``: due before it and not reached by it, of a task
    not finished (done or closed) by it; 0 when it is not late. The bulletin's late milestones
    and the task page both ask this.

    >>> milestone_days_late(date(2026, 11, 30), None, date(2026, 12, 6))
    6
    >>> milestone_days_late(date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 6))
    0
    >>> milestone_days_late(date(2026, 11, 30), None, date(2026, 12, 6), task_finished=True)
    0
    """
    if due is None or due >= today or task_finished or (done_on is not None and done_on <= today):
        return 0
    return (today - due).days


def department_colour(*, late_tasks: int, late_milestones: int, returned: int) -> str:
    """Warning colour of a department in the bulletin: ``red`` with a late task, ``yellow`` with a
    late milestone or a returned progress report, else ``green``.

    Examples
    --------
    >>> department_colour(late_tasks=1, late_milestones=0, returned=0)
    'red'
    >>> department_colour(late_tasks=0, late_milestones=0, returned=2)
    'yellow'
    >>> department_colour(late_tasks=0, late_milestones=0, returned=0)
    'green'
    """
    if late_tasks:
        return "red"
    if late_milestones or returned:
        return "yellow"
    return "green"


def elapsed_share(start: date | None, due: date | None, today: date) -> float | None:
    """Share of the time from ``start`` to ``due`` that has passed at ``today``, in [0, 1].

    Examples
    --------
    >>> elapsed_share(date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6))
    0.5
    >>> elapsed_share(None, date(2024, 1, 11), date(2024, 1, 6)) is None
    True
    """
    if start is None or due is None:
        return None
    total = (due - start).days
    if total <= 0:
        return 1.0 if today >= due else 0.0
    return min(1.0, max(0.0, (today - start).days / total))


@dataclass(frozen=True, slots=True)
class TaskWarning:
    """A task's warning: its ``colour`` and the ``reason`` for it (a locale key under ``wr.``,
    said with ``params``), so that the page says *why* a task is yellow or red — the days left
    or late, or the progress expected by now — by the very rule that coloured it."""

    colour: str
    reason: str  # done | no_due | overdue | due_today | due_soon | behind | on_track
    params: dict[str, Any] = field(default_factory=dict)


def warning(*, start: date | None, due: date | None, percent: float, done: bool,
            today: date, warn_days: int = 7) -> TaskWarning:
    """The warning of one task with its reason (the module's rules, in order).

    Examples
    --------
    >>> warning(start=date(2024, 1, 1), due=date(2024, 12, 31), percent=0, done=False,
    ...         today=date(2025, 1, 3))
    TaskWarning(colour='red', reason='overdue', params={'n': 3, 'due': '2024-12-31'})
    >>> warning(start=date(2024, 1, 1), due=date(2024, 1, 11), percent=5, done=False,
    ...         today=date(2024, 1, 2), warn_days=0).params
    {'percent': 5, 'expected': 10}
    """
    if warn_days < 0:
        raise ValueError(f"warn_days must be >= 0, got {warn_days}")
    if done:
        return TaskWarning("green", "done")
    if due is None:
        return TaskWarning("green", "no_due")
    if today > due:
        return TaskWarning("red", "overdue", {"n": (today - due).days, "due": due.isoformat()})
    if (due - today).days <= warn_days:
        left = (due - today).days
        return TaskWarning("yellow", "due_soon" if left else "due_today",
                           {"n": left, "due": due.isoformat()})
    share = elapsed_share(start, due, today)
    if share is not None and percent < 100 * share:
        return TaskWarning("yellow", "behind", {"percent": round(percent),
                                            "expected": math.ceil(100 * share)})
    return TaskWarning("green", "on_track")


def colour_of(*, start: date | None, due: date | None, percent: float, done: bool,
              today: date, warn_days: int = 7) -> str:
    """The warning colour of one task (see the module's rules).

    Parameters
    ----------
    start, due : date or None
        Start and due dates of the task.
    percent : float
        Approved progress, 0–100.
    done : bool
        Whether the task is finished.
    today : date
        The day to judge on.
    warn_days : int
        How many days before the due date a task turns yellow.

    Returns
    -------
    str
        ``"green"``, ``"yellow"`` or ``"red"``.

    Examples
    --------
    >>> colour_of(start=date(2024, 1, 1), due=date(2024, 12, 31), percent=0, done=False,
    ...           today=date(2025, 1, 1))
    'red'
    >>> colour_of(start=date(2024, 1, 1), due=date(2024, 12, 31), percent=60, done=False,
    ...           today=date(2024, 6, 1))
    'green'
    """
    return warning(start=start, due=due, percent=percent, done=done, today=today,
                   warn_days=warn_days).colour


def month_of(day: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def month_end(month: str) -> date:
    """Last day of a ``YYYY-MM`` month.

    >>> month_end("2024-02")
    datetime.date(2024, 2, 29)
    """
    year, mon = (int(x) for x in month.split("-"))
    return date(year, mon, calendar.monthrange(year, mon)[1])
