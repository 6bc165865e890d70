"""Assignment (立项交办) as rules: who may assign, what a task must say, its versions and their
difference, receipt (签收) deadlines, extensions (延期) and closing (销号) decisions.

A task's assignment is a plain dictionary (:func:`snapshot` of the store's row): every change
makes a new version of it, and :func:`diff` says what changed between two versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from lantu.domain.plans import date_problem
from lantu.supervise.workflow import WorkflowError

ORIGINS = ("blueprint", "annual", "meeting", "instruction")
ASSIGNERS = ("supervisor", "admin")
KINDS = ("goal", "task")
#: the fields of an assignment, in the order the history shows them
FIELDS = ("kind", "code", "parent", "title", "title_en", "text", "origin", "lead",
          "supporting", "start", "due", "status", "milestones", "indicators")


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: Any
    new: Any


def bad_field(field: str, why: str) -> WorkflowError:
    """The error of an invalid field of an assignment: ``field: why`` (422)."""
    return WorkflowError(f"{field}: {why}", 422, key="wf.bad_field", field=field, why=why)


def may_assign(role: str) -> None:
    """Only supervisors and admins create and edit goals and tasks."""
    if role not in ASSIGNERS:
        raise WorkflowError("only a supervisor may assign or change tasks", key="wf.not_assigner")


def check_assignment(a: Mapping[str, Any]) -> None:
    """Refuse an assignment that cannot be carried out; the message names the field.

    >>> check_assignment({"kind": "task", "title": "x", "lead": "fgw", "supporting": ["fgw"],
    ...                   "origin": "blueprint"})
    Traceback (most recent call last):
    ...
    lantu.supervise.workflow.WorkflowError: supporting_departments: the lead department fgw cannot also support
    """
    if a.get("kind", "task") not in KINDS:
        raise bad_field("kind", f"must be one of {', '.join(KINDS)}")
    if not str(a.get("title") or "").strip():
        raise bad_field("title", "a title is needed")
    if a.get("origin") and a["origin"] not in ORIGINS:
        raise bad_field("origin", f"must be one of {', '.join(ORIGINS)}")
    if a.get("kind", "task") == "task" and not a.get("lead"):
        raise bad_field("lead_department", "a task needs a lead department")
    if a.get("lead") and a["lead"] in (a.get("supporting") or []):
        raise bad_field("supporting_departments",
                  f"the lead department {a['lead']} cannot also support")
    start, due = a.get("start"), a.get("due")
    for name, value in (("start", start), ("due", due),
                        *(("milestones", m.get("due")) for m in a.get("milestones") or [])):
        if isinstance(value, date) and (why := date_problem(value)):
            raise bad_field(name, why)
    if start and due and str(due) < str(start):
        raise bad_field("due", f"the deadline {due} is before the start {start}")
    check_due_in_plan(due, a.get("plan_start"))
    for m in a.get("milestones") or []:
        if not str(m.get("title") or "").strip():
            raise bad_field("milestones", "a milestone needs a title")


def check_due_in_plan(due: date | str | None, plan_start: date | str | None) -> None:
    """A deadline may not fall before the plan starts (``plan_start``: its first day, the
    earliest start of its goals and tasks; None when unknown)."""
    if plan_start and due and str(due) < str(plan_start):
        raise bad_field("due", f"the deadline {due} is before the plan starts ({plan_start})")


def check_reply_by(reply_by: date | None, today: date) -> None:
    """A reminder's answer-by date (回复时限) may not have passed already.

    >>> check_reply_by(date(2001, 1, 10), date(2026, 12, 5))
    Traceback (most recent call last):
    ...
    lantu.supervise.workflow.WorkflowError: reply_by: the date 2001-01-10 has passed (today is 2026-12-05)
    """
    if reply_by is not None and reply_by < today:
        raise bad_field("reply_by", f"the date {reply_by} has passed (today is {today})")
    if reply_by is not None and (why := date_problem(reply_by)):
        raise bad_field("reply_by", why)


def diff(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[Change]:
    """What changed from ``old`` to ``new`` (everything, when ``old`` is None).

    >>> [(c.field, c.old, c.new) for c in diff({"title": "a", "due": "2025-12-31"},
    ...                                         {"title": "a", "due": "2026-06-30"})]
    [('due', '2025-12-31', '2026-06-30')]
    """
    old = old or {}
    keys = [k for k in FIELDS if k in old or k in new]
    keys += sorted((set(old) | set(new)) - set(FIELDS))
    return [Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def ack_overdue(assigned_at: datetime | None, acknowledged_at: datetime | None, now: datetime,
                ack_days: int) -> bool:
    """Whether an assignment waits for its receipt (签收) longer than ``ack_days`` days.

    >>> ack_overdue(datetime(2025, 3, 1), None, datetime(2025, 3, 5), 3)
    True
    """
    return (assigned_at is not None and acknowledged_at is None
            and now - assigned_at > timedelta(days=ack_days))


def check_extension(*, role: str, department: str | None, lead: str | None, status: str,
                    old_due: date | None, new_due: date, reason: str) -> None:
    """A lead department's reporter asks for a later deadline, with a reason, for an open task."""
    if role != "reporter" or department is None or department != lead:
        raise WorkflowError("only the lead department may ask for an extension",
                            key="wf.not_lead")
    check_extendable(status)
    if not reason.strip():
        raise WorkflowError("an extension needs a reason", 422, key="wf.reason_required")
    if old_due is not None and new_due <= old_due:
        raise WorkflowError(f"the new deadline {new_due} is not after the one in force "
                            f"{old_due}", 422, key="wf.not_later", due=str(old_due))
    if why := date_problem(new_due):
        raise bad_field("due", why)


def check_extendable(status: str) -> None:
    """A later deadline is for a task still being worked on: asked for, and granted, only while
    the task is neither done nor closed (a request asked before the task was closed or finished
    is refused when a supervisor would grant it; refusing it stays possible)."""
    if status in ("closed", "done"):
        raise WorkflowError(f"a {status} task needs no extension", 409, key="wf.task_closed")


def check_closure_request(*, role: str, department: str | None, lead: str | None, status: str,
                          comment: str) -> None:
    """A lead department's reporter asks to close (销号) a task, saying what was done."""
    if role != "reporter" or department is None or department != lead:
        raise WorkflowError("only the lead department may ask to close a task",
                            key="wf.not_lead")
    if status == "closed":
        raise WorkflowError("the task is closed already", 409, key="wf.task_closed")
    if not comment.strip():
        raise WorkflowError("a closing request needs the completion evidence described", 422,
                            key="wf.closure_comment")


def check_decision(*, role: str, status: str, grant: bool, comment: str) -> None:
    """A supervisor grants or refuses a pending request; refusing needs a comment."""
    may_assign(role)
    if status != "pending":
        raise WorkflowError(f"the request was {status} already", 409, key="wf.decided")
    if not grant and not comment.strip():
        raise WorkflowError("refusing needs a comment", 422, key="wf.refuse_comment")


def check_reopen(*, role: str, status: str, reason: str) -> None:
    may_assign(role)
    if status != "closed":
        raise WorkflowError("only a closed task can be reopened", 409, key="wf.not_closed")
    if not reason.strip():
        raise WorkflowError("reopening needs a reason", 422, key="wf.reason_required")
