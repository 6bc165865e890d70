"""The annual assessment (考核) of lead departments: what happened to their tasks in a year,
scored by the one department-score rule (:mod:`lantu.supervise.score`) that the monthly bulletin
uses too.

For year ``Y`` judged on ``end = min(31 December Y, today)``, a department's tasks are those it
leads that started by ``end`` and were not finished (done or closed) before 1 January ``Y``:

- reports owed: one per task and month of ``Y`` up to ``end``'s month while the task was open
  (from its start month, until the month it finished); reported on time: the lead department's
  report of that month submitted within ``report_grace_days`` after the month;
- approval: approvals and returns of the lead department's reports during ``Y``;
- late / days overdue: tasks past their deadline in force unfinished at ``end``, or finished
  after it, with the days from the deadline to the finishing (or ``end``);
- reminders: counted reminders (:data:`~lantu.supervise.score.COUNTED_REMINDERS`) during ``Y``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantu.store.models import PlanNodeRow
from lantu.store.models_supervision import ReminderRow
from lantu.store.models_web import ProgressReportRow, TaskEventRow
from lantu.store.supervision import finished_on, supervised
from lantu.supervise.score import COUNTED_REMINDERS, DepartmentRecord, DepartmentScore, ScoreRule
from lantu.supervise.warnings import month_end


def _months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def department_records(session: Session, year: int, *, today: date,
                       grace_days: int = 5) -> list[DepartmentRecord]:
    """What the score rule needs of each lead department in ``year`` (see the module)."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    start_dt, end_dt = datetime.combine(start, datetime.min.time()), datetime.combine(
        end, datetime.max.time())
    finished = finished_on(session, end_dt)
    nodes = [n for n in session.scalars(select(PlanNodeRow).where(supervised()))
        if (n.start_date is None or n.start_date <= end)
        and not (n.id in finished and finished[n.id] < start)]
    submitted: dict[tuple[int, str], datetime | None] = {}
    for r in session.execute(select(ProgressReportRow.node_id, ProgressReportRow.month,
                                    ProgressReportRow.department_code,
                                    ProgressReportRow.submitted_at).where(
            ProgressReportRow.month.like(f"{year:04d}-%"))):
        submitted[(r.node_id, r.month, r.department_code)] = r.submitted_at
    reviews: dict[tuple[int, str], int] = {}
    for e in session.execute(select(TaskEventRow.node_id, TaskEventRow.kind,
                                    TaskEventRow.department_code).where(
            TaskEventRow.at >= start_dt, TaskEventRow.at <= end_dt,
            TaskEventRow.kind.in_(("approved", "returned")))):
        reviews[(e.node_id, e.kind, e.department_code)] = reviews.get(
            (e.node_id, e.kind, e.department_code), 0) + 1
    reminders = dict(session.execute(select(ReminderRow.node_id, func.count()).where(
        ReminderRow.created_at >= start_dt, ReminderRow.created_at <= end_dt,
        ReminderRow.kind.in_(COUNTED_REMINDERS)).group_by(ReminderRow.node_id)).all())
    acc: dict[str, dict[str, int]] = {}
    for n in nodes:
        a = acc.setdefault(n.lead_department, dict.fromkeys(
            ("tasks", "finished", "late", "owed", "reported", "approved", "returned",
             "overdue_days", "reminders"), 0))
        done_on = finished.get(n.id)
        done_in_year = done_on is not None and start <= done_on <= end
        a["tasks"] += 1
        a["finished"] += done_in_year
        first = max(start, n.start_date or start)
        last = min(end, done_on) if done_in_year else end
        for month in _months(first, last):
            a["owed"] += 1
            at = submitted.get((n.id, month, n.lead_department))
            if at is not None and at.date() <= month_end(month) + timedelta(days=grace_days):
                a["reported"] += 1
        stop = done_on if done_in_year else end
        if n.due_date is not None and stop > n.due_date:
            a["late"] += 1
            a["overdue_days"] += (stop - n.due_date).days
        a["approved"] += reviews.get((n.id, "approved", n.lead_department), 0)
        a["returned"] += reviews.get((n.id, "returned", n.lead_department), 0)
        a["reminders"] += reminders.get(n.id, 0)
    return [DepartmentRecord(dept, **vals) for dept, vals in sorted(acc.items())]


def assessment(session: Session, year: int, *, today: date, rule: ScoreRule,
               grace_days: int = 5) -> list[DepartmentScore]:
    """Every lead department of ``year`` scored by ``rule`` and ranked."""
    return rule.rank(department_records(session, year, today=today, grace_days=grace_days))
