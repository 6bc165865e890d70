"""The monthly bulletin (通报) and the scoring of departments.

A bulletin for month ``M`` lists, by lead department:

- **finished**: tasks whose 100 % report was approved during ``M``;
- **late**: tasks not done and past their due date at the end of ``M`` (red);
- **returned**: reports returned for rework during ``M``, with the supervisor's comment.

Each lead department is scored by the one department-score rule of
:mod:`lantu.supervise.score` over the month (tasks open at its end or finished during it; one
report owed per open task).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from lantu.supervise.score import DepartmentRecord, DepartmentScore, ScoreRule
from lantu.supervise.warnings import month_end


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
    reminders: int = 0  # counted reminders (see lantu.supervise.score) received in the month


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
class Bulletin:
    month: str
    finished: list[BulletinItem] = field(default_factory=list)
    late: list[BulletinItem] = field(default_factory=list)
    returned: list[BulletinItem] = field(default_factory=list)
    departments: list[DepartmentScore] = field(default_factory=list)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def department_records(month: str, tasks: Sequence[TaskSnapshot],
                       reviews: Iterable[ReviewEvent]) -> list[DepartmentRecord]:
    """What the score rule needs of each lead department in ``month``."""
    reviews = list(reviews)
    end = month_end(month)
    out = []
    for dept in sorted({t.department for t in tasks}):
        mine = [t for t in tasks if t.department == dept]
        open_ = [t for t in mine if not t.done]
        late = overdue = 0
        for t in mine:
            stop = t.finished_on if t.done and t.finished_on else end
            if t.due is not None and stop > t.due:
                late += 1
                overdue += (stop - t.due).days
        revs = [r for r in reviews if r.department == dept]
        out.append(DepartmentRecord(
            dept, tasks=len(mine), finished=sum(1 for t in mine if t.done), late=late,
            owed=len(open_), reported=sum(1 for t in open_ if t.reported),
            approved=sum(1 for r in revs if r.kind == "approved"),
            returned=sum(1 for r in revs if r.kind == "returned"), overdue_days=overdue,
            reminders=sum(t.reminders for t in mine)))
    return out


def score_departments(month: str, tasks: Sequence[TaskSnapshot],
                      reviews: Iterable[ReviewEvent],
                      rule: ScoreRule | None = None) -> list[DepartmentScore]:
    """Score and rank each lead department for ``month`` by ``rule`` (default weights).

    Examples
    --------
    >>> t = [TaskSnapshot(1, "T1.1", "x", "fgw", date(2030, 1, 1), "green", False, reported=True),
    ...      TaskSnapshot(2, "T1.2", "y", "fgw", date(2024, 5, 1), "red", False)]
    >>> [(d.score, d.parts["reporting"]) for d in score_departments("2024-05", t, [])]
    [(48.3, 0.5)]
    """
    return (rule or ScoreRule()).rank(department_records(month, tasks, reviews))


def build_bulletin(month: str, tasks: Sequence[TaskSnapshot],
                   reviews: Iterable[ReviewEvent], rule: ScoreRule | None = None) -> Bulletin:
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
    b.departments = score_departments(month, tasks, reviews, rule)
    return b
