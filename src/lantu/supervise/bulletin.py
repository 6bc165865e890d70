"""The monthly bulletin (通报) and the scoring of departments.

A bulletin for month ``M`` lists, by lead department:

- **finished**: tasks whose 100 % report was approved during ``M``;
- **late**: tasks not done and past their due date at the end of ``M`` (red);
- **returned**: reports returned for rework during ``M``, with the supervisor's comment.

Score of a department (0–100), over the tasks it leads that are open at the end of ``M`` or
finished during ``M``:

- ``on_time`` — share of those tasks that are not late (a finished task counts as on time if
  it was finished by its due date);
- ``reporting`` — share of its open tasks with a report for ``M`` that was submitted (submitted,
  returned and resubmitted, or approved);
- ``approval`` — approved reviews / all reviews (approved + returned) of its reports during ``M``.

``score = 100 * (0.5 * on_time + 0.3 * reporting + 0.2 * approval)``; a part that cannot be
computed (no open task, no review) is left out and the weights of the others are scaled up to
sum to 1. Departments are ranked by score, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

WEIGHTS = {"on_time": 0.5, "reporting": 0.3, "approval": 0.2}


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """A task as the bulletin sees it at the end of the month."""

    node_id: int
    code: str
    title: str
    department: str
    due: date | None
    colour: str
    done: bool
    finished_on: date | None = None
    reported: bool = False  # a report for the month was submitted
    title_en: str = ""


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    node_id: int
    code: str
    title: str
    department: str
    kind: str  # "approved" | "returned"
    at: date
    percent: int | None = None
    comment: str = ""
    title_en: str = ""


@dataclass(frozen=True, slots=True)
class BulletinItem:
    node_id: int
    code: str
    title: str
    department: str
    colour: str
    due: date | None = None
    on: date | None = None
    comment: str = ""
    title_en: str = ""


@dataclass(slots=True)
class DepartmentScore:
    department: str
    tasks: int
    finished: int
    late: int
    returned: int
    on_time: float | None
    reporting: float | None
    approval: float | None
    score: float | None
    rank: int = 0


@dataclass(slots=True)
class Bulletin:
    month: str
    finished: list[BulletinItem] = field(default_factory=list)
    late: list[BulletinItem] = field(default_factory=list)
    returned: list[BulletinItem] = field(default_factory=list)
    departments: list[DepartmentScore] = field(default_factory=list)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def _weighted(parts: dict[str, float | None]) -> float | None:
    have = {k: v for k, v in parts.items() if v is not None}
    if not have:
        return None
    total = sum(WEIGHTS[k] for k in have)
    return round(100 * sum(WEIGHTS[k] * v for k, v in have.items()) / total, 1)


def score_departments(month: str, tasks: Sequence[TaskSnapshot],
                      reviews: Iterable[ReviewEvent]) -> list[DepartmentScore]:
    """Score each lead department for ``month`` (see the module's rule) and rank them.

    Examples
    --------
    >>> t = [TaskSnapshot(1, "T1.1", "x", "fgw", date(2030, 1, 1), "green", False, reported=True),
    ...      TaskSnapshot(2, "T1.2", "y", "fgw", date(2020, 1, 1), "red", False)]
    >>> [d.score for d in score_departments("2024-05", t, [])]
    [50.0]
    """
    reviews = list(reviews)
    out = []
    for dept in sorted({t.department for t in tasks}):
        mine = [t for t in tasks if t.department == dept]
        open_ = [t for t in mine if not t.done]
        late = [t for t in mine if t.colour == "red" and not t.done]
        finished = [t for t in mine if t.done]
        on_time_n = sum(1 for t in mine if not (t.colour == "red" and not t.done)
                        and not (t.done and t.due and t.finished_on and t.finished_on > t.due))
        revs = [r for r in reviews if r.department == dept]
        approved = sum(1 for r in revs if r.kind == "approved")
        returned = sum(1 for r in revs if r.kind == "returned")
        parts = {
            "on_time": on_time_n / len(mine) if mine else None,
            "reporting": (sum(1 for t in open_ if t.reported) / len(open_)) if open_ else None,
            "approval": approved / (approved + returned) if (approved + returned) else None,
        }
        out.append(DepartmentScore(dept, len(mine), len(finished), len(late), returned,
                                   parts["on_time"], parts["reporting"], parts["approval"],
                                   _weighted(parts)))
    out.sort(key=lambda d: (-(d.score if d.score is not None else -1), d.department))
    for i, d in enumerate(out, start=1):
        d.rank = i
    return out


def build_bulletin(month: str, tasks: Sequence[TaskSnapshot],
                   reviews: Iterable[ReviewEvent]) -> Bulletin:
    """Assemble the bulletin of ``month`` from task snapshots and the reviews of the month."""
    reviews = list(reviews)
    b = Bulletin(month)
    colours = {t.node_id: t.colour for t in tasks}
    for r in reviews:
        item = BulletinItem(r.node_id, r.code, r.title, r.department,
                            colours.get(r.node_id, "green"), on=r.at, comment=r.comment,
                            title_en=r.title_en)
        if r.kind == "approved" and r.percent == 100:
            b.finished.append(item)
        elif r.kind == "returned":
            b.returned.append(item)
    for t in tasks:
        if t.colour == "red" and not t.done:
            b.late.append(BulletinItem(t.node_id, t.code, t.title, t.department, t.colour,
                                       due=t.due, title_en=t.title_en))
    for lst in (b.finished, b.late, b.returned):
        lst.sort(key=lambda i: (i.department, i.code))
    b.departments = score_departments(month, tasks, reviews)
    return b
