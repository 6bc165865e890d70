"""Queries and writes of the supervision workflow (督查督办): tasks with their warning colours,
progress reports, reviews, evidence files, the task history and the monthly bulletin's data.

The rules (who may do what, colours, scores) are pure functions in :mod:`lantu.supervise`; this
module applies them to the database. Visibility lives here too, in one place:
:func:`can_see_task` and :func:`can_see_report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from lantu.domain.plans import date_problem
from lantu.errors import NotFound
from lantu.security_log import security_event
from lantu.store.db import sqlite_write_lock
from lantu.store.models import (
    MilestoneRow,
    PlanNodeDepartmentRow,
    PlanNodeRow,
    utcnow,
)
from lantu.store.models_supervision import ReminderRow
from lantu.store.models_web import EvidenceFileRow, ProgressReportRow, TaskEventRow, UserRow
from lantu.store.notify import department_users, notify, task_params
from lantu.store.queries import department_names  # noqa: F401 - the one, for the pages
from lantu.store.repo import audit
from lantu.store.users import User
from lantu.supervise import (
    Action,
    Actor,
    ReportState,
    WorkflowError,
    build_bulletin,
    check,
    colour_of,
    month_end,
    next_status,
    validate_month,
)
from lantu.supervise.assign import bad_field
from lantu.supervise.bulletin import Bulletin, ReviewEvent, TaskSnapshot, under_way_on
from lantu.supervise.score import COUNTED_REMINDERS, ScoreRule
from lantu.supervise.warnings import milestone_colour, milestone_days_late, warning
from lantu.supervise.workflow import check_task_open, check_version

SUBMITTED_ONCE = ("submitted", "returned", "approved")
#: task statuses that end its warnings: done (100 % approved) and closed (销号)
FINISHED = ("done", "closed")


class NotVisible(NotFound):
    """The task or report does not exist or the user may not see it (answer 404)."""

    key = "err.no_task"


def supervised() -> ColumnElement[bool]:
    """The tasks the supervision office follows: assigned to a lead department, not the parts a
    department gave its own units (:mod:`lantu.supervise.split`) — the task table, the
    reminders, the bulletin and the assessment all ask this one clause."""
    return and_(PlanNodeRow.kind == "task", PlanNodeRow.lead_department.is_not(None),
                PlanNodeRow.unit.is_(None))


def lead_departments(session: Session) -> list[str]:
    """Codes of the departments that lead at least one task, sorted."""
    return sorted(set(session.scalars(select(PlanNodeRow.lead_department).where(supervised()))))


# -- visibility ----------------------------------------------------------------------------------


def task_departments(session: Session, node_id: int) -> frozenset[str]:
    node = session.get(PlanNodeRow, node_id)
    if node is None:
        return frozenset()
    return frozenset(({node.lead_department} if node.lead_department else set())
                     | {d.department_code for d in node.supporting})


def can_see_task(user: User, departments: frozenset[str]) -> bool:
    """Reporters see the tasks their department leads or supports; other roles see all."""
    if user.role == "reporter":
        return user.department_code is not None and user.department_code in departments
    return True


def can_see_report(user: User, report: ProgressReportRow) -> bool:
    """Reporters see their own department's reports; drafts are private to the department
    (and the admin); other roles see every report that was submitted once."""
    if user.role == "reporter":
        return report.department_code == user.department_code
    if report.status == "draft":
        return user.role == "admin"
    return True


@dataclass(frozen=True, slots=True)
class TaskRef:
    id: int
    code: str
    departments: frozenset[str]


def visible_task(session: Session, user: User, node_id: int) -> TaskRef:
    """The task if the user may see it, else :class:`NotVisible`."""
    node = session.get(PlanNodeRow, node_id)
    if node is None or node.kind != "task" or node.lead_department is None \
            or node.unit is not None:  # a unit's part shows on its task's page
        raise NotVisible(f"no task {node_id}")
    deps = task_departments(session, node_id)
    if not can_see_task(user, deps):
        raise NotVisible(f"no task {node_id}")
    return TaskRef(node.id, node.code, deps)


def visible_node(session: Session, user: User, node_id: int) -> TaskRef:
    """Any goal or task the user may read, else :class:`NotVisible`. A node without a lead
    department (a goal, or a task not assigned yet) is part of the published plan: every signed-in
    user reads it; a task with one follows :func:`can_see_task`."""
    node = session.get(PlanNodeRow, node_id)
    if node is None:
        raise NotVisible(f"no goal or task {node_id}")
    deps = task_departments(session, node_id)
    if node.lead_department is not None and not can_see_task(user, deps):
        raise NotVisible(f"no goal or task {node_id}")
    return TaskRef(node.id, node.code, deps)


def visible_report(session: Session, user: User, report_id: int) -> ProgressReportRow:
    row = session.get(ProgressReportRow, report_id)
    if row is None or not can_see_report(user, row):
        raise NotVisible(f"no report {report_id}")
    return row


# -- task table ----------------------------------------------------------------------------------


def _goal_of(nodes: dict[int, PlanNodeRow], node: PlanNodeRow) -> PlanNodeRow:
    while node.parent_id is not None and node.parent_id in nodes:
        node = nodes[node.parent_id]
    return node


def task_table(session: Session, user: User | None, *, today: date, warn_days: int,
               department: str | None = None, status: str | None = None,
               colour: str | None = None, goal: str | None = None) -> list[dict[str, Any]]:
    """Every task (a plan node of kind task with a lead department) the user may see, with its
    warning colour, top-level goal and latest report; filtered by lead or supporting department,
    task status, colour and top-level goal code (see :func:`filter_tasks`)."""
    rows = all_tasks(session, user, today=today, warn_days=warn_days)
    return filter_tasks(rows, department=department, status=status, colour=colour, goal=goal)


def filter_tasks(rows: list[dict[str, Any]], *, department: str | None = None,
                 status: str | None = None, colour: str | None = None,
                 goal: str | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`all_tasks` that match every filter given."""
    return [r for r in rows
            if (not department or department == r["lead"] or department in r["supporting"])
            and (not status or r["status"] == status) and (not colour or r["colour"] == colour)
            and (not goal or r["goal"] == goal)]


def all_tasks(session: Session, user: User | None, *, today: date,
              warn_days: int) -> list[dict[str, Any]]:
    """Every task the user may see (``user`` None: all), in plan order."""
    nodes = {n.id: n for n in session.scalars(select(PlanNodeRow).order_by(PlanNodeRow.plan_code,
                                                                           PlanNodeRow.position))}
    supporting: dict[int, set[str]] = {}
    for nd in session.execute(select(PlanNodeDepartmentRow.node_id,
                                     PlanNodeDepartmentRow.department_code)):
        supporting.setdefault(nd.node_id, set()).add(nd.department_code)
    latest: dict[int, ProgressReportRow] = {}
    pending: dict[int, int] = {}
    for r in session.scalars(select(ProgressReportRow).order_by(ProgressReportRow.month,
                                                                ProgressReportRow.updated_at)):
        if user is not None and not can_see_report(user, r):
            continue
        latest[r.node_id] = r
        if r.status == "submitted":
            pending[r.node_id] = pending.get(r.node_id, 0) + 1
    out = []
    for n in nodes.values():
        if n.kind != "task" or n.lead_department is None or n.unit is not None:
            continue  # the rows of supervised(): the table lists what the office follows
        deps = frozenset({n.lead_department} | supporting.get(n.id, set()))
        if user is not None and not can_see_task(user, deps):
            continue
        top = _goal_of(nodes, n)
        warned = warning(start=n.start_date, due=n.due_date, percent=n.progress,
                         done=n.status in FINISHED, today=today, warn_days=warn_days)
        c = warned.colour
        rep = latest.get(n.id)
        out.append({"id": n.id, "code": n.code, "title": n.title, "title_en": n.title_en,
                    "lead": n.lead_department, "supporting": sorted(supporting.get(n.id, set())),
                    "start": n.start_date, "due": n.due_date, "status": n.status,
                    "progress": n.progress, "colour": c, "warning": warned, "goal": top.code,
                    "goal_title": top.title, "goal_title_en": top.title_en, "depth": n.depth,
                    "last_month": rep.month if rep else None,
                    "last_status": rep.status if rep else None,
                    "pending": pending.get(n.id, 0)})
    return out


def due_soon(rows: list[dict[str, Any]], *, today: date, warn_days: int) -> list[dict[str, Any]]:
    """Open tasks whose due date falls within ``warn_days`` days from ``today``, soonest first."""
    soon = [r for r in rows if r["status"] not in FINISHED and r["due"] is not None
            and 0 <= (r["due"] - today).days <= warn_days]
    return sorted(soon, key=lambda r: (r["due"], r["code"]))


def top_goals(session: Session) -> list[PlanNodeRow]:
    return list(session.scalars(select(PlanNodeRow).where(PlanNodeRow.parent_id.is_(None))
                                .order_by(PlanNodeRow.plan_code, PlanNodeRow.position)))


def colour_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    out = {"green": 0, "yellow": 0, "red": 0, "done": 0}
    for r in rows:
        out[r["colour"]] += 1
        out["done"] += r["status"] in FINISHED
    return out


# -- task detail and history ---------------------------------------------------------------------


def _usernames(session: Session, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name or u.username
            for u in session.scalars(select(UserRow).where(UserRow.id.in_(ids)))}


def report_dict(r: ProgressReportRow, names: dict[int, str],
                evidence: list[EvidenceFileRow] | None = None) -> dict[str, Any]:
    """A report for the pages. ``earlier_review``: its review is of an earlier submission (a
    returned report saved or submitted again keeps the return's reviewer and comment, which
    the pages then show as the earlier return, not as a decision on what waits for review)."""
    return {"earlier_review": r.reviewed_by is not None
            and r.status not in ("approved", "returned"),"id": r.id, "node_id": r.node_id, "department": r.department_code, "month": r.month,
            "text": r.text, "percent": r.percent, "status": r.status,
            "created_at": r.created_at, "updated_at": r.updated_at,
            "submitted_by": names.get(r.submitted_by), "submitted_at": r.submitted_at,
            "reviewed_by": names.get(r.reviewed_by), "reviewed_at": r.reviewed_at,
            "review_comment": r.review_comment, "version": r.version,
            "evidence": [{"id": e.id, "name": e.original_name, "size": e.size,
                          "content_type": e.content_type, "sha256": e.sha256,
                          "uploaded_at": e.uploaded_at} for e in (evidence or [])]}


def task_detail(session: Session, user: User, node_id: int, *, today: date,
                warn_days: int) -> dict[str, Any]:
    """Everything about one task the user may see: facts, colour, milestones, reports with their
    evidence, and the whole history of events."""
    ref = visible_node(session, user, node_id)
    n = session.get(PlanNodeRow, node_id)
    parent = session.get(PlanNodeRow, n.parent_id) if n.parent_id else None
    reports = [r for r in session.scalars(select(ProgressReportRow).where(
        ProgressReportRow.node_id == node_id).order_by(ProgressReportRow.month.desc(),
                                                       ProgressReportRow.department_code))
        if can_see_report(user, r)]
    ev_by_report = _evidence_of(session, [r.id for r in reports])
    names = _usernames(session, {x for r in reports for x in (r.submitted_by, r.reviewed_by)})
    visible_ids = {r.id for r in reports}
    events = [e for e in session.scalars(select(TaskEventRow).where(
        TaskEventRow.node_id == node_id).order_by(TaskEventRow.at, TaskEventRow.id))
        if e.report_id is None or e.report_id in visible_ids]  # history follows visibility
    milestones = list(session.scalars(select(MilestoneRow).where(MilestoneRow.node_id == node_id)
                                      .order_by(MilestoneRow.position)))
    warned = warning(start=n.start_date, due=n.due_date, percent=n.progress,
                     done=n.status in FINISHED, today=today, warn_days=warn_days)
    return {
        "id": n.id, "code": n.code, "title": n.title, "title_en": n.title_en, "text": n.text,
        "lead": n.lead_department, "supporting": sorted(ref.departments - {n.lead_department}),
        "departments": ref.departments, "start": n.start_date, "due": n.due_date,
        "status": n.status, "progress": n.progress, "note": n.note,
        "parent": {"id": parent.id, "code": parent.code, "title": parent.title,
                   "title_en": parent.title_en} if parent else None,
        "colour": warned.colour, "warning": warned,
        "milestones": [_milestone(m, today, warn_days, finished=n.status in FINISHED)
                       for m in milestones],
        "reports": [report_dict(r, names, ev_by_report.get(r.id)) for r in reports],
        "events": [{"at": e.at, "actor": e.actor, "kind": e.kind, "from": e.from_status,
                    "to": e.to_status, "percent": e.percent, "comment": e.comment,
                    "department": e.department_code, "month": e.month,
                    "report_id": e.report_id} for e in events],
    }


def _milestone(m: MilestoneRow, today: date, warn_days: int, *, finished: bool
               ) -> dict[str, Any]:
    """A milestone on the task page, with its lateness and colour by the bulletin's rules
    (:func:`~lantu.supervise.warnings.milestone_days_late`, ``milestone_colour``)."""
    late = milestone_days_late(m.due_date, m.done_on, today, task_finished=finished)
    soon = (not finished and m.done_on is None and m.due_date is not None
            and 0 <= (m.due_date - today).days <= warn_days)
    return {"id": m.id, "title": m.title, "due": m.due_date, "done_on": m.done_on,
            "days_late": late, "colour": milestone_colour(late, due_soon=soon)}


def _event(session: Session, node_id: int, actor: User, kind: str, *,
           report: ProgressReportRow | None = None, from_status: str | None = None,
           to_status: str | None = None, comment: str = "") -> None:
    session.add(TaskEventRow(node_id=node_id, report_id=report.id if report else None,
                             actor=actor.username, kind=kind, from_status=from_status,
                             to_status=to_status, percent=report.percent if report else None,
                             comment=comment, department_code=report.department_code if report else None,
                             month=report.month if report else None))


def _actor(user: User) -> Actor:
    return Actor(user.id, user.role, user.department_code)


# -- writing reports -----------------------------------------------------------------------------


def save_report(session: Session, user: User, node_id: int, *, month: str, text: str,
                percent: int, submit: bool, today: date,
                expected_version: int | None = None) -> ProgressReportRow:
    """Create or edit the user's department's report on a task for a month, and optionally
    submit it. ``expected_version`` is the report's version the form was shown (0: none yet),
    required: a colleague's draft saved since is not overwritten (409, 428 without it;
    :func:`~lantu.supervise.workflow.check_version`). Raises :class:`NotVisible` or
    :class:`~lantu.supervise.WorkflowError`."""
    ref = visible_task(session, user, node_id)
    node = locked_task(session, node_id)
    month = validate_month(month, start=node.start_date, today=today)
    if not 0 <= percent <= 100:
        raise WorkflowError(f"percent must be between 0 and 100, got {percent}", 422,
                            key="wf.bad_percent")
    text = text.strip()
    if submit and not text:
        raise WorkflowError("a submitted report needs a text", 422, key="wf.text_required")
    dept = user.department_code or ""
    row = session.scalar(select(ProgressReportRow).where(
        ProgressReportRow.node_id == node_id, ProgressReportRow.department_code == dept,
        ProgressReportRow.month == month).with_for_update())
    state = ReportState(row.status if row else None, dept, ref.departments,
                        row.submitted_by if row else None, node.status)
    check(_actor(user), Action.edit if row else Action.create, state)
    check_version(row.version if row else 0, expected_version, stale=WorkflowError(
        "the report was saved by someone else since you opened it; reload and edit again", 409,
        key="seams8.report_stale"))
    now = utcnow()
    if row is None:
        row = ProgressReportRow(node_id=node_id, department_code=dept, month=month, text=text,
                                percent=percent, status="draft", created_by=user.id,
                                created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        _event(session, node_id, user, "drafted", report=row, to_status="draft")
    else:
        row.text, row.percent, row.updated_at = text, percent, now
        _event(session, node_id, user, "edited", report=row, from_status=row.status,
               to_status=row.status)
    if submit:
        submit_report(session, user, row)
    session.flush()
    return row


def submit_report(session: Session, user: User, row: ProgressReportRow) -> None:
    task_status = locked_task(session, row.node_id).status
    deps = task_departments(session, row.node_id)
    check(_actor(user), Action.submit,
          ReportState(row.status, row.department_code, deps, row.submitted_by, task_status))
    if not row.text.strip():
        raise WorkflowError("a submitted report needs a text", 422, key="wf.text_required")
    before = row.status
    row.status = next_status(Action.submit, before)
    row.submitted_by, row.submitted_at, row.updated_at = user.id, utcnow(), utcnow()
    kind = "resubmitted" if before == "returned" else "submitted"
    _event(session, row.node_id, user, kind, report=row, from_status=before, to_status=row.status)
    node = session.get(PlanNodeRow, row.node_id)
    if node.status == "not_started":
        node.status = "in_progress"
    audit(session, user.username, kind, "progress_report", str(row.id),
          {"task": node.code, "month": row.month, "percent": row.percent})


def latest_approved(session: Session, node: PlanNodeRow) -> ProgressReportRow | None:
    """The lead department's approved report of the latest month: the task's progress is its
    percent, whatever order the approvals came in (approving March after May keeps May's)."""
    return session.scalar(select(ProgressReportRow).where(
        ProgressReportRow.node_id == node.id,
        ProgressReportRow.department_code == node.lead_department,
        ProgressReportRow.status == "approved").order_by(ProgressReportRow.month.desc()).limit(1))


def locked_task(session: Session, node_id: int) -> PlanNodeRow:
    """THE read of a task that a step of the supervision cycle decides on (is it open, who
    leads it): the task's row, read fresh and held until the transaction ends, so that a step
    and the closing (销号) of the same task — two supervisors, two tabs — come one after the
    other, never both on what each read before the other wrote. Without it a report approved,
    a milestone recorded, a unit's progress or a report submitted at the instant the task was
    closed each passed :func:`~lantu.supervise.workflow.check_task_open` on the status read
    before the closing committed, and wrote to a closed task (probe13).

    On PostgreSQL ``SELECT … FOR UPDATE``; on SQLite, which has no row locks and reads outside
    a transaction until its first write, the database's one write lock is taken before the row
    is read (:func:`lantu.store.db.sqlite_write_lock`).
    Every step locks the task before any other row of it, so two steps never wait for each
    other crosswise."""
    sqlite_write_lock(session)
    node = session.scalar(select(PlanNodeRow).where(PlanNodeRow.id == node_id)
                          .with_for_update().execution_options(populate_existing=True))
    if node is None:
        raise NotVisible(f"no task {node_id}")
    return node


def review_report(session: Session, user: User, report_id: int, *, approve: bool,
                  comment: str = "", expected_version: int | None = None,
                  mail: bool = False) -> ProgressReportRow:
    """Approve or return a submitted report. ``expected_version`` (from the form) is required
    and guards against deciding a report that changed since the page was shown (409, 428
    without it). The reporting department's users are told (notification; e-mail with
    ``mail``), with the review comment — a returned report is theirs to rework, as a refused
    extension or a returned closing is."""
    row = visible_report(session, user, report_id)
    action = Action.approve if approve else Action.return_
    task_status = locked_task(session, row.node_id).status
    deps = task_departments(session, row.node_id)
    check(_actor(user), action, ReportState(row.status, row.department_code, deps,
                                            row.submitted_by, task_status),
          comment=comment)
    check_version(row.version, expected_version, stale=WorkflowError(
        "the report changed since you opened it; reload and review again", 409, key="wf.stale"))
    before = row.status
    row.status = next_status(action, before)
    row.reviewed_by, row.reviewed_at, row.updated_at = user.id, utcnow(), utcnow()
    row.review_comment = comment.strip()
    kind = "approved" if approve else "returned"
    _event(session, row.node_id, user, kind, report=row, from_status=before, to_status=row.status,
           comment=row.review_comment)
    node = session.get(PlanNodeRow, row.node_id)
    if approve and row.department_code == node.lead_department:
        session.flush()
        latest = latest_approved(session, node)
        node.progress = float(latest.percent)
        if latest.percent >= 100 and node.status not in ("done", "closed"):
            node.status = "done"
            _event(session, node.id, user, "done", report=latest, to_status="done")
        elif node.status == "not_started":
            node.status = "in_progress"
    audit(session, user.username, kind, "progress_report", str(row.id),
          {"task": node.code, "month": row.month, "percent": row.percent,
           "comment": row.review_comment})
    notify(session, department_users(session, row.department_code), kind="report_review",
           key="ntf.report_approved" if approve else "ntf.report_returned",
           params=task_params(node, month=row.month, percent=row.percent),
           body=row.review_comment, link=f"/supervision/tasks/{node.id}?month={row.month}",
           node_id=node.id, mail=mail)
    session.flush()
    security_event("review", user=user.username, report=report_id,
                   decision="approve" if approve else "return")
    return row


def complete_milestone(session: Session, user: User, node_id: int, milestone_id: int, *,
                       done_on: date, today: date) -> MilestoneRow:
    """A supervisor records that a milestone of a task was reached on ``done_on`` (not in the
    future, in the years of a plan: :func:`lantu.domain.plans.date_problem`); the task's history and the audit log say so."""
    visible_task(session, user, node_id)
    if user.role not in ("supervisor", "admin"):
        raise WorkflowError("only a supervisor may record milestones", key="wf.not_reviewer")
    row = session.get(MilestoneRow, milestone_id)
    if row is None or row.node_id != node_id:
        raise NotVisible(f"no milestone {milestone_id} of task {node_id}")
    check_task_open(locked_task(session, node_id).status)
    if done_on > today:
        raise WorkflowError(f"{done_on} is in the future", 422, key="wf.future_day",
                            day=str(done_on))
    if why := date_problem(done_on):  # the one rule of a plan's dates (year 1 is no day)
        raise bad_field("done_on", why)
    row.done_on = done_on
    session.add(TaskEventRow(node_id=node_id, actor=user.username, kind="milestone",
                             comment=f"{row.title} ({done_on})"))
    audit(session, user.username, "milestone", "plan_node", str(node_id),
          {"milestone": row.title, "done_on": str(done_on)})
    session.flush()
    return row


def add_evidence(session: Session, user: User, report: ProgressReportRow, *, original_name: str,
                 stored_name: str, content_type: str, size: int, sha256: str) -> EvidenceFileRow:
    task_status = locked_task(session, report.node_id).status
    deps = task_departments(session, report.node_id)
    check(_actor(user), Action.edit, ReportState(report.status, report.department_code, deps,
                                                 report.submitted_by, task_status))
    row = EvidenceFileRow(report_id=report.id, original_name=original_name[:255],
                          stored_name=stored_name, content_type=content_type, size=size,
                          sha256=sha256, uploaded_by=user.id)
    session.add(row)
    _event(session, report.node_id, user, "evidence", report=report, comment=original_name[:255])
    audit(session, user.username, "upload", "evidence_file", stored_name,
          {"report": report.id, "name": original_name, "size": size, "sha256": sha256})
    session.flush()
    return row


def visible_evidence(session: Session, user: User, evidence_id: int) -> EvidenceFileRow:
    row = session.get(EvidenceFileRow, evidence_id)
    if row is None:
        raise NotVisible(f"no file {evidence_id}")
    visible_report(session, user, row.report_id)
    return row


# -- queues --------------------------------------------------------------------------------------


def _visible_reports(user: User, *, status: str | None, department: str | None,
                     month: str | None):
    """The reports ``user`` may see, as SQL: :func:`can_see_report` in a WHERE clause (so a
    page is cut and counted by the database, not in Python)."""
    q = select(ProgressReportRow, PlanNodeRow).join(PlanNodeRow,
                                                    PlanNodeRow.id == ProgressReportRow.node_id)
    if status:
        q = q.where(ProgressReportRow.status == status)
    if department:
        q = q.where(ProgressReportRow.department_code == department)
    if user.role == "reporter":
        q = q.where(ProgressReportRow.department_code == (user.department_code or ""))
    elif user.role != "admin":
        q = q.where(ProgressReportRow.status != "draft")
    if month:
        q = q.where(ProgressReportRow.month == month)
    return q


def count_visible_reports(session: Session, user: User, *, status: str | None = None,
                          department: str | None = None, month: str | None = None) -> int:
    """How many reports :func:`report_list` would list without a limit."""
    q = _visible_reports(user, status=status, department=department, month=month)
    return session.scalar(select(func.count()).select_from(q.subquery())) or 0


def report_list(session: Session, user: User, *, status: str | None = None,
                department: str | None = None, month: str | None = None,
                limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Reports the user may see (newest first) with their task's code and title."""
    q = _visible_reports(user, status=status, department=department, month=month)
    q = q.order_by(ProgressReportRow.updated_at.desc(), ProgressReportRow.id.desc())
    rows = [(r, n) for r, n in session.execute(q.limit(limit).offset(offset))]
    names = _usernames(session, {x for r, _ in rows for x in (r.submitted_by, r.reviewed_by)})
    evidence = _evidence_of(session, [r.id for r, _ in rows])
    return [{**report_dict(r, names, evidence.get(r.id)), "task_code": n.code,
             "task_title": n.title, "task_title_en": n.title_en} for r, n in rows]


def _evidence_of(session: Session, report_ids: list[int]) -> dict[int, list[EvidenceFileRow]]:
    out: dict[int, list[EvidenceFileRow]] = {}
    if report_ids:
        for e in session.scalars(select(EvidenceFileRow).where(
                EvidenceFileRow.report_id.in_(report_ids)).order_by(EvidenceFileRow.id)):
            out.setdefault(e.report_id, []).append(e)
    return out


def awaiting_review(session: Session) -> int:
    """How many reports wait for a supervisor's review."""
    return session.scalar(select(func.count()).select_from(ProgressReportRow).where(
        ProgressReportRow.status == "submitted")) or 0


# -- bulletin ------------------------------------------------------------------------------------


def bulletin(session: Session, month: str, *, today: date, warn_days: int,
             rule: ScoreRule | None = None) -> Bulletin:
    """The monthly bulletin (通报) of ``month`` as of its last day (or today, if earlier); the
    departments are scored by ``rule`` (default: the settings' :class:`ScoreRule`)."""
    if rule is None:
        from lantu.config import get_settings

        rule = get_settings().score_rule()
    validate_month(month, start=None, today=today)
    end = min(month_end(month), today)
    start_dt = datetime.fromisoformat(f"{month}-01")
    end_dt = datetime.combine(month_end(month), datetime.max.time())
    nodes = {n.id: n for n in session.scalars(select(PlanNodeRow).where(supervised()))}
    events = list(session.scalars(select(TaskEventRow).where(
        TaskEventRow.at >= start_dt, TaskEventRow.at <= end_dt,
        TaskEventRow.kind.in_(("approved", "returned")))))
    done_events = finished_on(session, end_dt)
    reported = set(session.execute(select(ProgressReportRow.node_id).where(
        ProgressReportRow.month == month,
        ProgressReportRow.status.in_(SUBMITTED_ONCE),
        ProgressReportRow.department_code == PlanNodeRow.lead_department,
        PlanNodeRow.id == ProgressReportRow.node_id)).scalars())
    reminders = counted_reminders(session, start_dt, end_dt)
    tasks = []
    for n in nodes.values():
        finished = done_events.get(n.id)
        done = finished is not None and finished <= end
        if finished is not None and finished < start_dt.date():
            continue  # finished before this month: not in this bulletin
        if n.start_date and n.start_date > end:
            continue  # not started yet
        colour = colour_of(start=n.start_date, due=n.due_date, percent=n.progress,
                           done=done, today=end, warn_days=warn_days)
        tasks.append(TaskSnapshot(n.id, n.code, n.title, n.lead_department, n.due_date, colour,
                                  done, finished, n.id in reported, n.title_en,
                                  reminders.get(n.id, 0)))
    reviews = [ReviewEvent(e.node_id, nodes[e.node_id].code, nodes[e.node_id].title,
                           nodes[e.node_id].lead_department,
                           e.kind, e.at.date(), e.percent, e.comment, nodes[e.node_id].title_en)
               for e in events if e.node_id in nodes and e.kind in ("approved", "returned")
               and e.department_code == nodes[e.node_id].lead_department]
    out = build_bulletin(month, tasks, reviews, rule)
    out.provisional_on = under_way_on(month, today)
    return out


def finished_on(session: Session, until: datetime) -> dict[int, date]:
    """THE day each task finished as of ``until``, by task id: the first finishing — its 100 %
    report approved (event ``done``) or closed by the office (销号, event ``closed``) — since it
    was last reopened; a task reopened and not finished again is not in it. The bulletin, the
    assessment and the bulletin's late milestones all ask this (a closed task is finished: it
    is neither late nor owed a report afterwards)."""
    out: dict[int, date] = {}
    for node_id, kind, at in session.execute(
            select(TaskEventRow.node_id, TaskEventRow.kind, TaskEventRow.at).where(
                TaskEventRow.kind.in_(("done", "closed", "reopened")), TaskEventRow.at <= until)
            .order_by(TaskEventRow.at, TaskEventRow.id)):
        if kind == "reopened":
            out.pop(node_id, None)
        else:
            out.setdefault(node_id, at.date())
    return out


def counted_reminders(session: Session, start: datetime, end: datetime) -> dict[int, int]:
    """Reminders that count against a department (:data:`COUNTED_REMINDERS`) sent between
    ``start`` and ``end``, by task."""
    return dict(session.execute(select(ReminderRow.node_id, func.count()).where(
        ReminderRow.created_at >= start, ReminderRow.created_at <= end,
        ReminderRow.kind.in_(COUNTED_REMINDERS)).group_by(ReminderRow.node_id)).all())
