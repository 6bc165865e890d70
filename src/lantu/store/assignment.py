"""Assignment (立项交办) in the database: supervisors create and change goals and tasks, each
change a new :class:`TaskVersionRow` (who, when, why, what it said); the lead department
acknowledges receipt (签收). Rules are in :mod:`lantu.supervise.assign`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lantu.domain.gate import trim
from lantu.locale import DEFAULT_LANGUAGE
from lantu.store.models import (
    DepartmentRow,
    IndicatorRow,
    MilestoneRow,
    PlanNodeDepartmentRow,
    PlanNodeIndicatorRow,
    PlanNodeRow,
    PlanRow,
    utcnow,
)
from lantu.store.models_supervision import TaskVersionRow
from lantu.store.models_web import TaskEventRow
from lantu.store.notify import department_users, notify, say, task_params
from lantu.store.repo import audit
from lantu.store.supervision import NotVisible, locked_task, visible_task
from lantu.store.users import User
from lantu.supervise import WorkflowError
from lantu.supervise.assign import bad_field, check_assignment, diff, may_assign
from lantu.supervise.workflow import check_task_open, check_version

#: the fields a PATCH may change (API names)
EDITABLE = ("title", "title_en", "text", "origin", "lead_department", "supporting_departments",
            "start", "due", "milestones", "indicators")


def snapshot(node: PlanNodeRow, parent_code: str | None = None) -> dict[str, Any]:
    """The assignment of a node as a plain, comparable dictionary."""
    return {"kind": node.kind, "code": node.code, "parent": parent_code,
            "title": node.title, "title_en": node.title_en or "", "text": node.text or "",
            "origin": node.origin, "lead": node.lead_department,
            "supporting": sorted(d.department_code for d in node.supporting),
            "start": node.start_date.isoformat() if node.start_date else None,
            "due": node.due_date.isoformat() if node.due_date else None,
            "status": node.status,
            "milestones": [{"title": m.title,
                            "due": m.due_date.isoformat() if m.due_date else None}
                           for m in node.milestones],
            "indicators": sorted(i.indicator_code for i in node.indicators)}


def _parent_code(session: Session, node: PlanNodeRow) -> str | None:
    if node.parent_id is None:
        return None
    return session.get(PlanNodeRow, node.parent_id).code


def _write_version(session: Session, node: PlanNodeRow, actor: str, reason: str = "", *,
                   key: str | None = None, params: dict[str, Any] | None = None) -> int:
    """A new version of ``node`` with why it was made: ``reason``, what a person typed (kept as
    typed), or ``key`` and ``params``, a reason the system writes (``ver.<key>`` of the locale
    files: 延期, 销号, …), said in the reader's language by :func:`version_reason` (and kept in
    ``reason`` as said in Chinese)."""
    if key:
        reason = say(DEFAULT_LANGUAGE, key, params)
    last = session.scalar(select(func.max(TaskVersionRow.version)).where(
        TaskVersionRow.node_id == node.id)) or 0
    session.add(TaskVersionRow(node_id=node.id, version=last + 1, actor=actor, reason=reason,
                               message_key=key, params=params if key else None,
                               data=snapshot(node, _parent_code(session, node)), at=utcnow()))
    return last + 1


def ensure_baseline(session: Session, node: PlanNodeRow) -> None:
    """Version 1 of a task of a loaded plan, as loaded, before its first change (an edit, a
    granted extension, a closing): without it the first change had nothing to be compared
    with. Call it before the task is changed."""
    if session.scalar(select(func.count()).select_from(TaskVersionRow).where(
            TaskVersionRow.node_id == node.id)) == 0:
        _write_version(session, node, "", key="ver.loaded")


def version_reason(lang: str, key: str | None, params: dict[str, Any] | None,
                   reason: str) -> str:
    """Why a version was made, in ``lang``: the one rule every view asks (the versions page,
    the task page, the API). A reason the system wrote is said from its key (a person's words
    in it, the reason of an extension or a closing comment, as typed); one a person typed, or
    one written before the keys were kept (migration 0014), as written.

    >>> version_reason("en", "ver.closed", {"comment": "已完成"}, "销号：已完成")
    'Closed: 已完成'
    >>> version_reason("en", None, None, "调整完成时限")
    '调整完成时限'
    """
    return say(lang, key, params) if key else reason


def _check_refs(session: Session, lead: str | None, supporting: list[str],
                indicators: list[str]) -> None:
    for field, codes in (("lead_department", [lead] if lead else []),
                         ("supporting_departments", supporting)):
        for code in codes:
            if session.get(DepartmentRow, code) is None:
                raise bad_field(field, f"unknown department {code}")
    for code in indicators:
        if session.get(IndicatorRow, code) is None:
            raise bad_field("indicators", f"unknown indicator {code}")


def _next_code(session: Session, plan: str, parent: PlanNodeRow | None, kind: str) -> str:
    if parent is not None:
        prefix, siblings = parent.code + ".", session.scalars(select(PlanNodeRow.code).where(
            PlanNodeRow.parent_id == parent.id))
    else:
        prefix = "T" if kind == "task" else "P"
        siblings = session.scalars(select(PlanNodeRow.code).where(
            PlanNodeRow.plan_code == plan, PlanNodeRow.parent_id.is_(None)))
    pat = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = [int(m.group(1)) for c in siblings if (m := pat.match(c))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _subtree_end(session: Session, node: PlanNodeRow) -> int:
    """The largest position in ``node``'s subtree (plan order is by position)."""
    end, frontier = node.position, [node.id]
    while frontier:
        rows = session.execute(select(PlanNodeRow.id, PlanNodeRow.position).where(
            PlanNodeRow.parent_id.in_(frontier))).all()
        frontier = [r.id for r in rows]
        end = max([end, *(r.position for r in rows)])
    return end


def _sync(rows: list, codes: list[str] | None, attr: str, cls: type) -> None:
    """Make the link rows ``rows`` hold exactly ``codes`` (keeping the rows that stay)."""
    wanted = list(dict.fromkeys(codes or []))
    for row in [r for r in rows if getattr(r, attr) not in wanted]:
        rows.remove(row)
    have = {getattr(r, attr) for r in rows}
    rows.extend(cls(**{attr: c}) for c in wanted if c not in have)

#: what a unit's part takes from its task, never set on the part itself (its department,
#: the office's choices): the part moves when its task moves
PART_FOLLOWS = ("lead_department", "supporting_departments", "origin", "milestones",
                "indicators")


def _apply(session: Session, node: PlanNodeRow, values: dict[str, Any]) -> None:
    if "title" in values:
        node.title = trim(values["title"])  # the gate refuses a U+2028 at its end (left12)
    for key, attr in (("title_en", "title_en"), ("text", "text")):
        if key in values:
            setattr(node, attr, (values[key] or "").strip())
    if "origin" in values:
        node.origin = values["origin"] or None
    if "lead_department" in values:
        node.lead_department = values["lead_department"] or None
        # a unit's part is its task's department's business: it moves with the task
        session.execute(update(PlanNodeRow).where(
            PlanNodeRow.parent_id == node.id, PlanNodeRow.unit.is_not(None))
            .values(lead_department=node.lead_department))
    if "start" in values:
        node.start_date = values["start"]
    if "due" in values:
        node.due_date = values["due"]
    if "supporting_departments" in values:
        _sync(node.supporting, values["supporting_departments"], "department_code",
              PlanNodeDepartmentRow)
    if "indicators" in values:
        _sync(node.indicators, values["indicators"], "indicator_code", PlanNodeIndicatorRow)
    if "milestones" in values:
        node.milestones = [MilestoneRow(title=trim(m["title"]), due_date=m.get("due"),
                                        position=i)
                           for i, m in enumerate(values["milestones"] or [])]


def _proposed(node: PlanNodeRow, values: dict[str, Any]) -> dict[str, Any]:
    """The assignment as it would be after ``values``, for the rules to check."""
    def pick(key: str, current: Any) -> Any:
        return values[key] if key in values else current

    return {"kind": node.kind, "title": pick("title", node.title),
            "origin": pick("origin", node.origin),
            "lead": pick("lead_department", node.lead_department),
            "supporting": pick("supporting_departments",
                               [d.department_code for d in node.supporting]) or [],
            "start": pick("start", node.start_date), "due": pick("due", node.due_date),
            "milestones": pick("milestones", [])}


def plan_start(session: Session, plan: str) -> date | None:
    """The plan's first day: the earliest start of its goals and tasks (as the verdict takes
    it), else 1 January of the earliest year they span; None when nothing says."""
    first = session.scalar(select(func.min(PlanNodeRow.start_date)).where(
        PlanNodeRow.plan_code == plan))
    if first is not None:
        return first
    year = session.scalar(select(func.min(PlanNodeRow.span_start)).where(
        PlanNodeRow.plan_code == plan))
    return date(year, 1, 1) if year else None


def find_node(session: Session, plan: str, ref: str | int) -> PlanNodeRow | None:
    """The goal or task of ``plan`` with id ``ref`` (an int) or code ``ref`` (a string)."""
    q = select(PlanNodeRow).where(PlanNodeRow.plan_code == plan)
    return session.scalar(q.where(PlanNodeRow.id == ref) if isinstance(ref, int)
                          else q.where(PlanNodeRow.code == str(ref)))


def create_task(session: Session, user: User, *, plan: str, parent: str | int | None,
                title: str, lead_department: str | None = None,
                supporting_departments: list[str] | None = None, due: date | None = None,
                start: date | None = None, origin: str | None = None, kind: str = "task",
                text: str = "", title_en: str = "", milestones: list[dict] | None = None,
                indicators: list[str] | None = None, reason: str = "",
                mail: bool = False) -> PlanNodeRow:
    """Create a goal or task (a sub-task when ``parent`` is a task) as version 1 and tell the
    lead department's reporters."""
    may_assign(user.role)
    if session.get(PlanRow, plan) is None:
        raise bad_field("plan", f"unknown plan {plan}")
    parent_row = None
    if parent not in (None, ""):
        parent_row = find_node(session, plan, parent)
        if parent_row is None:
            raise bad_field("parent", f"no goal or task {parent} in plan {plan}")
    values = {"title": title, "title_en": title_en, "text": text, "origin": origin,
              "lead_department": lead_department,
              "supporting_departments": supporting_departments or [], "start": start,
              "due": due, "milestones": milestones or [], "indicators": indicators or []}
    check_assignment({"kind": kind, "title": title, "origin": origin, "lead": lead_department,
                      "supporting": supporting_departments or [], "start": start, "due": due,
                      "milestones": milestones or [], "plan_start": plan_start(session, plan)})
    _check_refs(session, lead_department, supporting_departments or [], indicators or [])
    if parent_row is not None:
        at = _subtree_end(session, parent_row)
    else:
        at = session.scalar(select(func.max(PlanNodeRow.position)).where(
            PlanNodeRow.plan_code == plan)) or 0
    session.execute(update(PlanNodeRow).where(PlanNodeRow.plan_code == plan,
                                              PlanNodeRow.position > at).values(
        position=PlanNodeRow.position + 1))
    node = PlanNodeRow(plan_code=plan, parent_id=parent_row.id if parent_row else None,
                       code=_next_code(session, plan, parent_row, kind), kind=kind, title="",
                       position=at + 1, depth=(parent_row.depth + 1) if parent_row else 0,
                       status="not_started", progress=0.0,
                       assigned_at=utcnow() if kind == "task" else None)
    session.add(node)
    _apply(session, node, values)
    session.flush()
    _write_version(session, node, user.username, reason.strip(),
                   key=None if reason.strip() else "ver.assigned")
    session.add(TaskEventRow(node_id=node.id, actor=user.username, kind="assigned",
                             to_status=node.status, department_code=node.lead_department,
                             comment=reason.strip()))
    audit(session, user.username, "create", "plan_node", str(node.id),
          {"code": node.code, "plan": plan, "lead": node.lead_department, "due": str(due)})
    if node.lead_department:
        notify(session, department_users(session, node.lead_department), kind="assigned",
               key="ntf.assigned", params=task_params(node, due=due),
               link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    session.flush()
    return node


def task_version(session: Session, node_id: int) -> int:
    """The task's version: the number of its newest version (0 before its first change)."""
    return session.scalar(select(func.max(TaskVersionRow.version)).where(
        TaskVersionRow.node_id == node_id)) or 0


def update_task(session: Session, user: User, node_id: int, values: dict[str, Any], *,
                reason: str, mail: bool = False,
                expected_version: int | None = None) -> PlanNodeRow:
    """Change a goal or task: a new version with who, when and why (a reason is required).
    A new lead department must acknowledge again and is told. ``expected_version`` (what the
    edit form or the client read, :func:`task_version`) is required (428 without it) and
    guards against undoing a change made since — another supervisor's edit, a granted
    extension, a closing (409, :func:`~lantu.supervise.workflow.check_version`); the task's
    row is locked while it is compared and changed (:func:`~lantu.store.supervision.locked_task`,
    the one lock of a task: its own ``FOR UPDATE`` here held on PostgreSQL only, and two edits
    with the same version were both taken on SQLite, probe17)."""
    may_assign(user.role)
    seen = session.get(PlanNodeRow, node_id)
    # a unit's part is as open as the task it is part of, locked first (the one order of locks)
    task = (locked_task(session, seen.parent_id)
            if seen is not None and seen.unit is not None and seen.parent_id else None)
    node = locked_task(session, node_id)
    check_version(task_version(session, node_id), expected_version, stale=WorkflowError(
        "the task changed since you opened it; reload and edit again", 409,
        key="probe8.task_stale"))
    # a closed task's deadline, lead or title is what it was closed with (the assessment reads
    # them), and so are its parts': reopened first, then changed (probe21: a PATCH of a closed
    # task, and of a part of one, was taken)
    check_task_open((task or node).status)
    if not reason.strip():
        raise WorkflowError("a change needs a reason", 422, key="wf.reason_required")
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise bad_field(sorted(unknown)[0], "cannot be changed here")
    if node.unit is not None and (office := sorted(set(values) & set(PART_FOLLOWS))):
        raise bad_field(office[0], "a unit's part follows its task (change the task)")
    proposed = _proposed(node, values)
    if "due" in values:  # a new deadline must fall in the plan (a loaded one is not judged)
        proposed["plan_start"] = plan_start(session, node.plan_code)
    check_assignment(proposed)
    _check_refs(session, values.get("lead_department"),
                values.get("supporting_departments") or [], values.get("indicators") or [])
    ensure_baseline(session, node)
    before = snapshot(node, _parent_code(session, node))
    old_lead = node.lead_department
    _apply(session, node, values)
    session.flush()
    changes = diff(before, snapshot(node, _parent_code(session, node)))
    if not changes:
        return node
    _write_version(session, node, user.username, reason.strip())
    # the person's reason as typed: the fields it changed (named in code, English) are the
    # version's differences, said in the page's language on the versions page
    session.add(TaskEventRow(node_id=node.id, actor=user.username, kind="changed",
                             comment=reason.strip(), department_code=node.lead_department))
    audit(session, user.username, "update", "plan_node", str(node.id),
          {"code": node.code, "reason": reason.strip(),
           "changes": {c.field: [c.old, c.new] for c in changes}})
    if node.lead_department and node.lead_department != old_lead:
        node.assigned_at, node.acknowledged_at, node.acknowledged_by = utcnow(), None, None
        notify(session, department_users(session, node.lead_department), kind="assigned",
               key="ntf.reassigned", params=task_params(node), body=reason.strip(),
               link=f"/supervision/tasks/{node.id}", node_id=node.id, mail=mail)
    session.flush()
    return node


def baseline(session: Session, plan_code: str, actor: str, *, source: str = "") -> int:
    """Version 1 of every goal and task of a plan that has none yet (a plan saved from an
    uploaded blueprint, the file ``source``, starts its history here). Returns how many were
    written."""
    versioned = set(session.scalars(select(TaskVersionRow.node_id).join(
        PlanNodeRow, PlanNodeRow.id == TaskVersionRow.node_id).where(
        PlanNodeRow.plan_code == plan_code)))
    rows = [n for n in session.scalars(select(PlanNodeRow).where(
        PlanNodeRow.plan_code == plan_code).order_by(PlanNodeRow.position))
        if n.id not in versioned]
    for node in rows:
        _write_version(session, node, actor, key="ver.uploaded", params={"source": source})
    session.flush()
    return len(rows)


def acknowledge(session: Session, user: User, node_id: int) -> PlanNodeRow:
    """The lead department's reporter acknowledges receipt (签收) of an assignment."""
    visible_task(session, user, node_id)
    node = locked_task(session, node_id)
    if user.role != "reporter" or user.department_code != node.lead_department:
        raise WorkflowError("only the lead department acknowledges receipt", key="wf.not_lead")
    # a task closed before its lead acknowledged it is not acknowledged after (probe21: the
    # receipt was written to a closed task, by the API and the page alike)
    check_task_open(node.status)
    if node.acknowledged_at is None:
        node.acknowledged_at, node.acknowledged_by = utcnow(), user.username
        session.add(TaskEventRow(node_id=node.id, actor=user.username, kind="acknowledged",
                                 department_code=user.department_code))
        audit(session, user.username, "acknowledge", "plan_node", str(node.id),
              {"code": node.code})
        session.flush()
    return node


def history(session: Session, node_id: int,
            lang: str = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
    """The versions of an assignment, oldest first, each with what changed from the one before
    and why, said in ``lang`` (:func:`version_reason`; ``key`` and ``params``: what the system
    said, null for a person's reason or a row made before the keys were kept)."""
    rows = list(session.scalars(select(TaskVersionRow).where(
        TaskVersionRow.node_id == node_id).order_by(TaskVersionRow.version)))
    out, prev = [], None
    for r in rows:
        out.append({"version": r.version, "at": r.at, "actor": r.actor,
                    "reason": version_reason(lang, r.message_key, r.params, r.reason),
                    "key": r.message_key, "params": r.params, "data": r.data,
                    "changes": [{"field": c.field, "old": c.old, "new": c.new}
                                for c in diff(prev, r.data)] if prev is not None else []})
        prev = r.data
    return out


def version_diff(session: Session, node_id: int, a: int, b: int) -> list[dict[str, Any]]:
    """The difference between versions ``a`` and ``b`` of an assignment."""
    rows = {r.version: r.data for r in session.scalars(select(TaskVersionRow).where(
        TaskVersionRow.node_id == node_id, TaskVersionRow.version.in_((a, b))))}
    if a not in rows or b not in rows:
        raise NotVisible(f"no version {a if a not in rows else b} of task {node_id}")
    return [{"field": c.field, "old": c.old, "new": c.new} for c in diff(rows[a], rows[b])]


def task_public(session: Session, node_id: int) -> dict[str, Any]:
    """A task for the API: its assignment, status, progress, receipt and version."""
    node = session.get(PlanNodeRow, node_id)
    version = task_version(session, node_id)
    s = snapshot(node, _parent_code(session, node))
    return {"id": node.id, "plan": node.plan_code, "code": node.code, "kind": node.kind,
            "parent": s["parent"], "title": node.title, "title_en": node.title_en or "",
            "text": node.text or "", "origin": node.origin,
            "lead_department": node.lead_department, "supporting_departments": s["supporting"],
            "start": node.start_date, "due": node.due_date, "status": node.status,
            "progress": node.progress, "milestones": s["milestones"],
            "indicators": s["indicators"], "assigned_at": node.assigned_at,
            "acknowledged_at": node.acknowledged_at, "acknowledged_by": node.acknowledged_by,
            "version": version, "unit": node.unit, "weight": node.weight,
            **_parts(session, node.id)}


def _parts(session: Session, node_id: int) -> dict[str, Any]:
    from lantu.store.split import unit_parts  # split builds on this module

    return unit_parts(session, node_id)
