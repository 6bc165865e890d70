"""Reminders (催办), extensions (延期), closing (销号) and reopening in the database. Rules are in
:mod:`lantu.supervise.assign` and :mod:`lantu.supervise.remind`.

Concurrency: a request is decided under a row lock (``SELECT … FOR UPDATE`` on PostgreSQL) and
its ``version`` (optimistic lock everywhere), so of two supervisors deciding at once one wins and
the other is told it was decided; a task has at most one pending request of each kind (its row is
locked while asking). Automatic reminders are inserted under their unique ``key`` (ON CONFLICT DO
NOTHING): of two runs at once, one inserts and the other skips it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lantu import actors
from lantu.domain.plans import OPEN_STATUSES
from lantu.store.assignment import _write_version, ensure_baseline
from lantu.store.models import PlanNodeRow, utcnow
from lantu.store.models_supervision import (
    ClosureRequestRow,
    ExtensionRequestRow,
    NotificationRow,
    ReminderRow,
)
from lantu.store.models_web import TaskEventRow
from lantu.store.notify import (
    department_users,
    notice_text,
    notify,
    supervisors,
    task_params,
)
from lantu.store.queries import department_names
from lantu.store.repo import audit
from lantu.store.supervision import NotVisible, locked_task, supervised, visible_task
from lantu.store.users import User
from lantu.supervise import WorkflowError
from lantu.supervise.assign import (
    check_closure_request,
    check_decision,
    check_extendable,
    check_extension,
    check_reopen,
    check_reply_by,
    may_assign,
)
from lantu.supervise.remind import TO_SUPERVISORS, DueReminder, due_reminders
from lantu.supervise.workflow import check_task_open


def _event(session: Session, node: PlanNodeRow, actor: str, kind: str, comment: str = "",
           department: str | None = None) -> None:
    session.add(TaskEventRow(node_id=node.id, actor=actor, kind=kind, comment=comment,
                             department_code=department or node.lead_department,
                             to_status=node.status, at=utcnow()))


# -- reminders -----------------------------------------------------------------------------------


def send_reminder(session: Session, user: User, node_id: int, *, message: str,
                  reply_by: date | None = None, mail: bool = False,
                  today: date | None = None) -> tuple[ReminderRow, int]:
    """A supervisor reminds the task's lead department (催办); its reporters are notified.
    ``reply_by`` may not have passed (:func:`lantu.supervise.assign.check_reply_by`; ``today``
    defaults to the machine's date). Returns the reminder and how many users were notified."""
    visible_task(session, user, node_id)
    may_assign(user.role)
    node = locked_task(session, node_id)
    check_task_open(node.status)
    if not message.strip():
        raise WorkflowError("a reminder needs a message", 422, key="wf.reason_required")
    check_reply_by(reply_by, today or date.today())
    row = ReminderRow(node_id=node.id, department_code=node.lead_department, kind="manual",
                      message=message.strip(), reply_by=reply_by, due=node.due_date,
                      sent_by=user.username, created_at=utcnow())
    session.add(row)
    session.flush()
    sent = notify(session, department_users(session, node.lead_department), kind="reminder",
                  key="ntf.reminder_reply" if reply_by else "ntf.reminder",
                  params=task_params(node, message=message.strip(), reply_by=reply_by),
                  body=message.strip(), link=f"/supervision/tasks/{node.id}", node_id=node.id, reminder_id=row.id,
                  mail=mail)
    # the supervisor's words as written; the reply-by date is the reminder's (shown beside it
    # in the page's language), not a Chinese sentence added to the words
    _event(session, node, user.username, "reminded", message.strip())
    audit(session, user.username, "remind", "plan_node", str(node.id),
          {"code": node.code, "message": message.strip(), "reply_by": str(reply_by or "")})
    session.flush()
    return row, len(sent)


@dataclass(frozen=True, slots=True)
class ReminderRun:
    planned: list[DueReminder]
    sent: list[DueReminder]
    skipped: int  # sent already (by an earlier or a parallel run)
    # what a person reads of each planned reminder's task: its code, title, lead department's
    # name and deadline (``lantu remind --dry-run`` lists them, not bare ids)
    tasks: dict[int, TaskBrief] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskBrief:
    code: str
    title: str
    department: str
    due: date | None


def _briefs(session: Session, nodes: list[PlanNodeRow], due: list[DueReminder]
            ) -> dict[int, TaskBrief]:
    names = department_names(session)
    wanted = {r.node_id for r in due}
    return {n.id: TaskBrief(n.code or "", n.title or "",
                            names.get(n.lead_department or "", {}).get("zh")
                            or (n.lead_department or ""), n.due_date)
            for n in nodes if n.id in wanted}


def automatic_reminders(session: Session, *, today: date, remind_days: int, escalate_days: int,
                        ack_days: int, dry_run: bool = False, mail: bool = False) -> ReminderRun:
    """Send every automatic reminder due today that was not sent before (see
    :mod:`lantu.supervise.remind`). Each is inserted under its unique key with ON CONFLICT DO
    NOTHING, all in one executemany (RETURNING says which were new): a reminder another run sent
    meanwhile is skipped, not sent twice."""
    nodes = list(session.scalars(select(PlanNodeRow).where(
        supervised(), PlanNodeRow.status.in_(OPEN_STATUSES)).order_by(PlanNodeRow.id)))
    planned = [r for n in nodes for r in due_reminders(
        node_id=n.id, status=n.status, due=n.due_date, today=today, assigned_at=n.assigned_at,
        acknowledged_at=n.acknowledged_at, remind_days=remind_days,
        escalate_days=escalate_days, ack_days=ack_days)]
    keys = [r.key for r in planned]
    done: set[str] = set()
    for i in range(0, len(keys), 500):
        done |= set(session.scalars(select(ReminderRow.key).where(
            ReminderRow.key.in_(keys[i:i + 500]))))
    todo = [r for r in planned if r.key not in done]
    if dry_run:
        return ReminderRun(todo, [], len(planned) - len(todo), _briefs(session, nodes, todo))
    by_id = {n.id: n for n in nodes}
    chiefs = supervisors(session)
    dept_users: dict[str, list] = {}
    now = utcnow()
    # what each says (ntf.<kind>), kept as its key and parameters; the Chinese text as well
    params = {r.key: task_params(by_id[r.node_id], due=r.due,
                                 lead=by_id[r.node_id].lead_department) for r in todo}
    departments = department_names(session)
    titles = {r.key: notice_text("zh", f"ntf.{r.kind}", params[r.key],
                                 departments=departments)[0] for r in todo}
    # an automatic reminder has no words of a person: its kind says it (rm.kind.<kind>, in the
    # page's language), in the reminder list and the task's history alike
    session.flush()
    # one executemany in key order (so kind by kind; SQLAlchemy sends it as multi-row INSERTs):
    # two runs at once insert in the same order, the second waits for the first's rows and
    # skips them (no deadlock); RETURNING names the rows this run inserted
    rows = [{"key": r.key, "node_id": r.node_id, "kind": r.kind, "due": r.due,
             "message": "", "department_code": by_id[r.node_id].lead_department,
             "sent_by": actors.REMIND, "created_at": now, "reply_by": None}
            for r in sorted(todo, key=lambda r: r.key)]
    table = ReminderRow.__table__
    inserted: dict[str, int] = dict(session.execute(
        _insert_new(session).returning(table.c.key, table.c.id), rows).all()) if rows else {}
    sent, notes, events = [], [], []
    for r in todo:
        rid = inserted.get(r.key)
        if rid is None:
            continue  # another run sent it (its row holds the key)
        node = by_id[r.node_id]
        if r.kind in TO_SUPERVISORS:
            to = chiefs
        else:
            if node.lead_department not in dept_users:
                dept_users[node.lead_department] = department_users(session, node.lead_department)
            to = dept_users[node.lead_department]
        title = titles[r.key]
        notes += [{"user_id": u.id, "kind": r.kind, "title": title, "body": "",
                   "message_key": f"ntf.{r.kind}", "params": params[r.key],
                   "link": f"/supervision/tasks/{node.id}", "node_id": node.id,
                   "reminder_id": rid, "created_at": now,
                   "email_to": u.email if mail and u.email else None} for u in to]
        events.append({"node_id": node.id, "actor": actors.REMIND, "kind": "reminded",
                       "comment": "", "department_code": node.lead_department, "at": now})
        sent.append(r)
    # Core executemany: no ORM bookkeeping for rows nobody reads here
    for table, values in ((NotificationRow.__table__, notes), (TaskEventRow.__table__, events)):
        if values:
            session.execute(insert(table), values)
    return ReminderRun(todo, sent, len(planned) - len(sent))


def _insert_new(session: Session):
    """``INSERT … ON CONFLICT (key) DO NOTHING`` for reminders: of two runs inserting the same
    key at once, PostgreSQL makes the second wait for the first and then insert nothing."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(ReminderRow.__table__).on_conflict_do_nothing(index_elements=["key"])


def reminders_of(session: Session, node_id: int) -> list[dict[str, Any]]:
    return [{"id": r.id, "kind": r.kind, "message": r.message, "reply_by": r.reply_by,
             "sent_by": r.sent_by, "created_at": r.created_at, "due": r.due}
            for r in session.scalars(select(ReminderRow).where(
                ReminderRow.node_id == node_id).order_by(ReminderRow.created_at.desc()))]


# -- extensions and closing ----------------------------------------------------------------------


def _pending(session: Session, cls: type, node_id: int) -> Any:
    return session.scalar(select(cls).where(cls.node_id == node_id, cls.status == "pending"))


def request_extension(session: Session, user: User, node_id: int, *, due: date, reason: str,
                      mail: bool = False) -> ExtensionRequestRow:
    """The lead department asks for a later deadline; the supervisors are told."""
    visible_task(session, user, node_id)
    node = locked_task(session, node_id)
    check_extension(role=user.role, department=user.department_code, lead=node.lead_department,
                    status=node.status, old_due=node.due_date, new_due=due, reason=reason)
    if _pending(session, ExtensionRequestRow, node_id) is not None:
        raise WorkflowError("an extension request of this task waits for a decision", 409,
                            key="wf.pending_request")
    row = ExtensionRequestRow(node_id=node.id, department_code=user.department_code,
                              old_due=node.due_date, new_due=due, reason=reason.strip(),
                              requested_by=user.username, requested_at=utcnow())
    session.add(row)
    session.flush()
    # the dates, then the person's words: joined by a mark of no language (a Chinese colon
    # stood in the English page's history)
    _event(session, node, user.username, "extension_requested",
           f"{node.due_date} → {due} · {reason.strip()}")
    audit(session, user.username, "request_extension", "plan_node", str(node.id),
          {"code": node.code, "old_due": str(node.due_date), "new_due": str(due)})
    notify(session, supervisors(session), kind="extension_request",
           key="ntf.extension_request",
           params=task_params(node, old_due=node.due_date, new_due=due), body=reason.strip(), link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    return row


def _decided(session: Session, cls: type, request_id: int, user: User, grant: bool,
             comment: str) -> Any:
    # the task is locked first, as by every step (locked_task), and the request read under
    # that lock: on SQLite the request's own FOR UPDATE held nothing, and the same request
    # granted and refused at once was both (probe17)
    node_id = session.scalar(select(cls.node_id).where(cls.id == request_id))
    if node_id is None:
        raise NotVisible(f"no request {request_id}")
    locked_task(session, node_id)
    row = session.scalar(select(cls).where(cls.id == request_id).with_for_update()
                         .execution_options(populate_existing=True))
    if row is None:
        raise NotVisible(f"no request {request_id}")
    visible_task(session, user, row.node_id)
    check_decision(role=user.role, status=row.status, grant=grant, comment=comment)
    row.status = "granted" if grant else "refused"
    row.decided_by, row.decided_at, row.decision_comment = user.username, utcnow(), comment.strip()
    return row


def decide_extension(session: Session, user: User, request_id: int, *, grant: bool,
                     comment: str = "", mail: bool = False) -> ExtensionRequestRow:
    """Grant (the new deadline is in force; old and new stay in the history) or refuse."""
    row = _decided(session, ExtensionRequestRow, request_id, user, grant, comment)
    node = locked_task(session, row.node_id)
    if grant:
        check_extendable(node.status)  # the task was closed or finished since it was asked
        ensure_baseline(session, node)
        old = node.due_date
        node.due_date = row.new_due
        _write_version(session, node, user.username, key="ver.extended",
                       params={"old_due": str(old or ""), "new_due": str(row.new_due),
                               "reason": row.reason})
        _event(session, node, user.username, "extended", f"{old} → {row.new_due}")
    else:
        _event(session, node, user.username, "extension_refused", comment.strip())
    audit(session, user.username, "grant_extension" if grant else "refuse_extension",
          "extension_request", str(row.id), {"code": node.code, "comment": comment.strip()})
    notify(session, department_users(session, row.department_code), kind="extension_decision",
           key="ntf.extension_granted" if grant else "ntf.extension_refused",
           params=task_params(node, due=node.due_date), body=comment.strip(), link=f"/supervision/tasks/{node.id}", node_id=node.id,
           mail=mail)
    session.flush()
    return row


def request_closure(session: Session, user: User, node_id: int, *, comment: str,
                    mail: bool = False) -> ClosureRequestRow:
    """The lead department asks to close (销号) the task, describing the completion evidence."""
    visible_task(session, user, node_id)
    node = locked_task(session, node_id)
    check_closure_request(role=user.role, department=user.department_code,
                          lead=node.lead_department, status=node.status, comment=comment)
    if _pending(session, ClosureRequestRow, node_id) is not None:
        raise WorkflowError("a closing request of this task waits for a decision", 409,
                            key="wf.pending_request")
    row = ClosureRequestRow(node_id=node.id, department_code=user.department_code,
                            comment=comment.strip(), requested_by=user.username,
                            requested_at=utcnow())
    session.add(row)
    session.flush()
    _event(session, node, user.username, "closure_requested", comment.strip())
    audit(session, user.username, "request_closure", "plan_node", str(node.id),
          {"code": node.code})
    notify(session, supervisors(session), kind="closure_request",
           key="ntf.closure_request", params=task_params(node), body=comment.strip(),
           link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    return row


def decide_closure(session: Session, user: User, request_id: int, *, grant: bool,
                   comment: str = "", mail: bool = False) -> ClosureRequestRow:
    """Close the task (销号) or return the request with a comment."""
    row = _decided(session, ClosureRequestRow, request_id, user, grant, comment)
    node = locked_task(session, row.node_id)
    node_from = node.status
    if grant:
        ensure_baseline(session, node)
        node.status = "closed"
        _write_version(session, node, user.username, key="ver.closed",
                       params={"comment": comment.strip() or row.comment})
        _event(session, node, user.username, "closed", comment.strip())
    else:
        _event(session, node, user.username, "closure_returned", comment.strip())
    audit(session, user.username, "close" if grant else "return_closure", "plan_node",
          str(node.id), {"code": node.code, "from": node_from, "comment": comment.strip()})
    notify(session, department_users(session, row.department_code), kind="closure_decision",
           key="ntf.closure_granted" if grant else "ntf.closure_returned",
           params=task_params(node), body=comment.strip(),
           link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    session.flush()
    return row


def reopen(session: Session, user: User, node_id: int, *, reason: str,
           mail: bool = False) -> PlanNodeRow:
    """A supervisor reopens a closed task, with a reason."""
    visible_task(session, user, node_id)
    node = locked_task(session, node_id)
    check_reopen(role=user.role, status=node.status, reason=reason)
    node.status = "done" if node.progress >= 100 else "in_progress"
    _write_version(session, node, user.username, key="ver.reopened",
                   params={"reason": reason.strip()})
    _event(session, node, user.username, "reopened", reason.strip())
    audit(session, user.username, "reopen", "plan_node", str(node.id),
          {"code": node.code, "reason": reason.strip()})
    notify(session, department_users(session, node.lead_department), kind="reopened",
           key="ntf.reopened", params=task_params(node), body=reason.strip(),
           link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    session.flush()
    return node


def request_public(row: ExtensionRequestRow | ClosureRequestRow,
                   node: PlanNodeRow) -> dict[str, Any]:
    ext = isinstance(row, ExtensionRequestRow)
    return {"id": row.id, "task": row.node_id, "kind": "extension" if ext else "closure",
            "department": row.department_code, "status": row.status,
            "requested_by": row.requested_by, "requested_at": row.requested_at,
            "decided_by": row.decided_by, "decided_at": row.decided_at,
            "decision_comment": row.decision_comment,
            "old_due": row.old_due if ext else None, "new_due": row.new_due if ext else None,
            "reason": row.reason if ext else row.comment, "task_status": node.status,
            "task_due": node.due_date}


def requests_of(session: Session, node_id: int) -> list[dict[str, Any]]:
    node = session.get(PlanNodeRow, node_id)
    rows: list[Any] = [*session.scalars(select(ExtensionRequestRow).where(
        ExtensionRequestRow.node_id == node_id)), *session.scalars(select(ClosureRequestRow).where(
            ClosureRequestRow.node_id == node_id))]
    rows.sort(key=lambda r: r.requested_at, reverse=True)
    return [request_public(r, node) for r in rows]
