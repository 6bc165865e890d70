"""The progress-report workflow: who may do what to a report in which state.

States: ``draft`` → (submit) → ``submitted`` → (approve) → ``approved``
                                             → (return, comment required) → ``returned``
``returned`` → (edit, submit again) → ``submitted``.

- A **reporter** creates, edits and submits reports for tasks their own department leads or
  supports, and only reports of their own department; only ``draft`` or ``returned`` reports
  can be edited or submitted.
- A **supervisor** (or admin) approves or returns a ``submitted`` report; returning needs a
  comment; nobody reviews a report they submitted themselves.
- An approved report at 100 % finishes the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lantu.domain.periods import read_month
from lantu.errors import LantuError

EDITABLE = ("draft", "returned")
REVIEWERS = ("supervisor", "admin")


class Action(StrEnum):
    create = "create"
    edit = "edit"
    submit = "submit"
    approve = "approve"
    return_ = "return"


class WorkflowError(LantuError):
    """An action not allowed; ``status`` is the HTTP status a web layer should answer, ``key``
    and ``values`` name a translated message (``wf.*`` in the locale files)."""

    def __init__(self, message: str, status: int = 403, key: str | None = None,
                 **values: object) -> None:
        super().__init__(message)
        self.status = self.http_status = status
        self.key = key
        self.values = values


def check_version(current: int, expected: int | None, *, stale: WorkflowError) -> None:
    """The one rule of every edit of a row others edit too (a task, a report): the client says
    which version it read (``version``, what the GET and the edit form carry; 0 for a row not
    there yet). Without it the edit is refused — 428 Precondition Required (RFC 6585), naming
    the field, so a client that never read the row cannot silently undo a change made since —
    and with an older one it is refused as ``stale`` (409)."""
    if expected is None:
        raise WorkflowError("version: required — send the version you read (GET returns it); "
                            "an edit without it could undo a change made since", 428,
                            key="seams8.version_required", field="version",
                            why="required: the version you read")
    if current != expected:
        raise stale


def task_is_open(task_status: str | None) -> bool:
    """Whether a task of this status takes steps (:func:`check_task_open`; pages ask it to
    offer a step's form)."""
    return task_status != "closed"


def check_task_open(task_status: str | None) -> None:
    """The one rule of a closed task (销号): it takes no more steps — no report written,
    submitted or reviewed, no unit's progress, no split, no reminder, no extension granted, no
    milestone recorded, no receipt acknowledged, no edit — until a supervisor reopens it (the only step
    it takes).

    >>> check_task_open("in_progress")
    >>> check_task_open("closed")
    Traceback (most recent call last):
    ...
    lantu.supervise.workflow.WorkflowError: the task is closed; a supervisor reopens it first
    """
    if not task_is_open(task_status):
        raise WorkflowError("the task is closed; a supervisor reopens it first", 409,
                            key="wf.task_closed")


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    role: str
    department_code: str | None = None


@dataclass(frozen=True, slots=True)
class ReportState:
    """What the rules need to know about a report (``status`` None: not created yet)."""

    status: str | None
    department_code: str
    task_departments: frozenset[str]
    submitted_by: int | None = None
    #: the task's status: a closed task (销号) takes no more reports until it is reopened
    task_status: str | None = None


def _may_report(actor: Actor, state: ReportState) -> bool:
    return (actor.role == "reporter" and actor.department_code is not None
            and actor.department_code == state.department_code
            and state.department_code in state.task_departments)


def check(actor: Actor, action: Action, state: ReportState, *, comment: str = "") -> None:
    """Raise :class:`WorkflowError` unless ``actor`` may do ``action`` on a report in ``state``.

    Examples
    --------
    >>> s = ReportState("submitted", "fgw", frozenset({"fgw"}), submitted_by=7)
    >>> check(Actor(1, "supervisor"), Action.approve, s)
    >>> check(Actor(1, "supervisor"), Action.return_, s)
    Traceback (most recent call last):
    ...
    lantu.supervise.workflow.WorkflowError: returning a report needs a comment
    """
    if action in (Action.create, Action.edit, Action.submit):
        if not _may_report(actor, state):
            raise WorkflowError("only a reporter of the report's department may write it",
                                key="wf.not_reporter")
        check_task_open(state.task_status)
        if action is Action.create:
            if state.status is not None:
                raise WorkflowError("a report for this task and month exists already", 409,
                                    key="wf.exists")
            return
        if state.status not in EDITABLE:
            raise WorkflowError(f"a {state.status} report cannot be changed", 409,
                                key="wf.locked", report_status=state.status)
        return
    if actor.role not in REVIEWERS:
        raise WorkflowError("only a supervisor may review reports", key="wf.not_reviewer")
    # a report submitted before the task was closed waits until it is reopened: approving it
    # would set a closed task's progress
    check_task_open(state.task_status)
    if state.submitted_by is not None and state.submitted_by == actor.user_id:
        raise WorkflowError("nobody reviews a report they submitted", key="wf.own_report")
    if state.status != "submitted":
        raise WorkflowError(f"only a submitted report can be reviewed (this one is {state.status})",
                            409, key="wf.not_submitted", report_status=state.status or "draft")
    if action is Action.return_ and not comment.strip():
        raise WorkflowError("returning a report needs a comment", 422,
                            key="wf.comment_required")


def next_status(action: Action, current: str | None) -> str:
    """The status after ``action`` (editing keeps a returned report returned until submitted)."""
    return {Action.create: "draft", Action.submit: "submitted", Action.approve: "approved",
            Action.return_: "returned", Action.edit: current or "draft"}[action]


def allowed_actions(actor: Actor, state: ReportState) -> list[Action]:
    """The actions ``actor`` may take now (a return's comment is assumed given)."""
    out = []
    for action in Action:
        try:
            check(actor, action, state, comment="-")
        except WorkflowError:
            continue
        out.append(action)
    return out


def validate_month(month: str, *, start: date | None, today: date) -> str:
    """A report month: ``YYYY-MM`` of a year Lantu handles, not after the current month, not
    before the task's start.

    >>> validate_month("2024-03", start=date(2022, 1, 1), today=date(2024, 5, 2))
    '2024-03'
    """
    try:  # the one reader of a typed month: YYYY-MM, digits 0-9, the one year rule
        month = read_month(month)
    except ValueError as exc:
        raise WorkflowError(str(exc), 422, key="wf.bad_month", month=month) from None
    if month > f"{today.year:04d}-{today.month:02d}":
        raise WorkflowError(f"month {month} is in the future", 422, key="wf.future_month",
                            month=month)
    if start is not None and month < f"{start.year:04d}-{start.month:02d}":
        raise WorkflowError(f"month {month} is before the task starts ({start})", 422,
                            key="wf.before_start", month=month, start=str(start))
    return month
