"""The monthly bulletin (通报) and the scoring of departments.

A bulletin for month ``M`` lists, by lead department:

- **finished**: tasks finished during ``M``: their 100 % report approved, or closed (销号);
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

from lantu.supervise import warnings
from lantu.supervise.score import DepartmentRecord, DepartmentScore, ScoreRule
from lantu.supervise.warnings import (
    RED_AFTER_DAYS,
    milestone_colour,
    milestone_days_late,
    month_end,
)


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
    #: the day the bulletin was cut when ``month`` is still under way (:func:`under_way_on`),
    #: else None: its reports are not yet all due, so its scores are provisional
    provisional_on: date | None = None

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def bulletin_month(today: date) -> str:
    """The month whose bulletin is shown and issued by default on ``today``: the last month
    that has ended. A supervision office issues November's bulletin in early December; the
    month under way is not over, its reports are not yet due (they are due in the days after
    it), so its bulletin would name every department as not having reported. The bulletin page,
    the downloads form and the download all ask this; any month can still be chosen.

    >>> bulletin_month(date(2026, 12, 6)), bulletin_month(date(2027, 1, 31))
    ('2026-11', '2026-12')
    """
    first = today.replace(day=1)
    last = date.fromordinal(first.toordinal() - 1)
    return f"{last.year:04d}-{last.month:02d}"


def under_way_on(month: str, today: date) -> date | None:
    """``today`` when ``month`` has not ended on it (its last day included: the month's reports
    are due in the days after it), else None — THE rule of a provisional bulletin. A bulletin
    of such a month counts a report owed for every open task, submitted or not yet due; the
    page and the Word bulletin say its scores are provisional (the office may still issue one
    mid-month, as some do, and the default month is the last one ended: :func:`bulletin_month`).

    >>> under_way_on("2026-12", date(2026, 12, 6)), under_way_on("2026-11", date(2026, 12, 1))
    (datetime.date(2026, 12, 6), None)
    >>> under_way_on("2026-12", date(2026, 12, 31))
    datetime.date(2026, 12, 31)
    """
    return today if today <= month_end(month) else None


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
        if r.kind == "returned":
            b.returned.append(BulletinItem(r.node_id, r.code, r.title, r.department,
                                           colours.get(r.node_id, "green"), on=r.at,
                                           comment=r.comment, title_en=r.title_en))
    first = date.fromisoformat(f"{month}-01")
    for t in tasks:
        # finished in the month: its 100 % report approved, or closed (销号) by the office —
        # the one finishing day of the store (lantu.store.supervision.finished_on)
        if t.done and t.finished_on is not None and t.finished_on >= first:
            b.finished.append(BulletinItem(t.node_id, t.code, t.title, t.department, t.colour,
                                           due=t.due, on=t.finished_on, title_en=t.title_en))
        if t.colour == "red" and not t.done:
            b.late.append(BulletinItem(t.node_id, t.code, t.title, t.department, t.colour,
                                       due=t.due, title_en=t.title_en))
    for lst in (b.finished, b.late, b.returned):
        lst.sort(key=lambda i: (i.department, i.code))
    b.departments = score_departments(month, tasks, reviews, rule)
    return b


# -- the milestones (节点) of the plan and each department's warning, beside the task view --------


@dataclass(frozen=True, slots=True)
class MilestoneItem:
    """A milestone of a task as the bulletin sees it."""

    code: str  # the task's code
    task: str  # the task's title
    department: str  # the task's lead department (code)
    item: str  # the milestone's title
    due: date | None
    done_on: date | None
    task_finished_on: date | None = None  # the task's finishing (done or closed), if any


@dataclass(frozen=True, slots=True)
class LateMilestone:
    milestone: MilestoneItem
    days_late: int
    colour: str  # lantu.supervise.warnings.milestone_colour


def milestones_of_month(items: Iterable[MilestoneItem], start: date, cut: date
                        ) -> tuple[list[LateMilestone], list[MilestoneItem]]:
    """The late milestones at ``cut`` (due before it and not done by it, of a task not finished
    by it — a task closed (销号) leaves no late milestone; most days late first)
    and those done between ``start`` and ``cut``: a milestone is late as a task is, red after
    :data:`lantu.supervise.warnings.RED_AFTER_DAYS` days, yellow before.

    Examples
    --------
    >>> m = MilestoneItem("T1.1", "x", "fgw", "开工", date(2024, 4, 1), None)
    >>> late, done = milestones_of_month([m], date(2024, 5, 1), date(2024, 5, 31))
    >>> [(x.days_late, x.colour) for x in late], done
    ([(60, 'red')], [])
    """
    late, done = [], []
    for m in items:
        if m.done_on is not None and start <= m.done_on <= cut:
            done.append(m)
        finished = m.task_finished_on is not None and m.task_finished_on <= cut
        days = milestone_days_late(m.due, m.done_on, cut, task_finished=finished)
        if days:
            late.append(LateMilestone(m, days, milestone_colour(days)))
    late.sort(key=lambda x: (-x.days_late, x.milestone.code))
    return late, done


def department_colour(d: DepartmentScore, late_milestones: int) -> str:
    """A department's warning in the bulletin: red with a late task, yellow with a late milestone
    or a returned report, else green (:data:`DEPARTMENT_COLOUR_RULE_ZH` says so in the bulletin).

    Examples
    --------
    >>> d = DepartmentScore("fgw", tasks=2, finished=0, late=0, returned=1, parts={}, score=50.0)
    >>> department_colour(d, 0), department_colour(d, 2)
    ('yellow', 'yellow')
    """
    return warnings.department_colour(late_tasks=d.late, late_milestones=late_milestones,
                                      returned=d.returned)


DEPARTMENT_COLOUR_RULE_ZH = (
    "单位有逾期任务为红色预警；有逾期节点或被退回的进展报告为黄色预警；其余为绿色。"
    f"节点逾期超过{RED_AFTER_DAYS}天标红色，{RED_AFTER_DAYS}天以内标黄色。")
