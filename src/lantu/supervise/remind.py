"""Automatic reminders (催办) as a rule: which reminders a task is due on a given day.

For an open task (neither done nor closed) of a lead department, with ``due`` the deadline in
force (after granted extensions):

- ``before_due``: ``0 <= due - today <= remind_days`` — a notice to the department;
- ``overdue``: ``today > due`` — the deadline passed, to the department;
- ``escalation``: ``today > due + escalate_days`` — to the supervisors;
- ``unacknowledged``: assigned more than ``ack_days`` days ago and not acknowledged (签收) — to
  the supervisors.

Each has a key naming the task, the kind and the deadline (or assignment) it is about: a
reminder is sent once per key, so running the reminders twice sends nothing twice, and a new
deadline (an extension) starts its reminders afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lantu.supervise.assign import ack_overdue

TO_SUPERVISORS = ("escalation", "unacknowledged")


@dataclass(frozen=True, slots=True)
class DueReminder:
    node_id: int
    kind: str
    key: str
    due: date | None


def due_reminders(*, node_id: int, status: str, due: date | None, today: date,
                  assigned_at: datetime | None = None, acknowledged_at: datetime | None = None,
                  remind_days: int = 7, escalate_days: int = 7,
                  ack_days: int = 3) -> list[DueReminder]:
    """The reminders a task is due today (see the module's rule).

    Examples
    --------
    >>> [r.key for r in due_reminders(node_id=5, status="in_progress", due=date(2025, 3, 1),
    ...                               today=date(2025, 3, 10))]
    ['overdue:5:2025-03-01', 'escalation:5:2025-03-01']
    >>> due_reminders(node_id=5, status="closed", due=date(2025, 3, 1), today=date(2025, 3, 10))
    []
    """
    if status in ("done", "closed"):
        return []
    out = []
    if due is not None:
        days = (due - today).days
        if 0 <= days <= remind_days:
            out.append(DueReminder(node_id, "before_due", f"before_due:{node_id}:{due}", due))
        if today > due:
            out.append(DueReminder(node_id, "overdue", f"overdue:{node_id}:{due}", due))
        if today > due + timedelta(days=escalate_days):
            out.append(DueReminder(node_id, "escalation", f"escalation:{node_id}:{due}", due))
    now = datetime.combine(today, datetime.max.time())
    if ack_overdue(assigned_at, acknowledged_at, now, ack_days):
        out.append(DueReminder(node_id, "unacknowledged",
                               f"unacknowledged:{node_id}:{assigned_at:%Y%m%d%H%M%S}", due))
    return out
