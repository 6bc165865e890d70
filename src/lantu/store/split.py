"""A lead department's parts of its task, given to its own units (分解到内设处室/责任人), in the
database. Rules (who may, what a part needs, the roll-up) are in :mod:`lantu.supervise.split`.

A part is a plan node under its task: kind ``task``, the task's lead department, ``unit`` naming
the unit or person, ``weight`` its share; version 1 in the task versions as any assignment, an
event in the task's history and a row of the audit log. It is left out of everything the office
follows (:func:`lantu.store.supervision.supervised`) and out of the plan's tree (the dashboard,
the evaluation, the plan export).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantu.domain.gate import trim
from lantu.store.assignment import _next_code, _write_version, find_node, plan_start
from lantu.store.models import PlanNodeRow, utcnow
from lantu.store.models_web import TaskEventRow
from lantu.store.repo import audit
from lantu.store.supervision import NotVisible, locked_task, visible_node
from lantu.store.users import User
from lantu.supervise.assign import bad_field
from lantu.supervise.split import check_split, check_unit_progress, rollup


def split_task(session: Session, user: User, parent_id: int, *, title: str, unit: str,
               due: date | None = None, weight: float | None = None, reason: str = "",
               office_fields: tuple[str, ...] = ()) -> PlanNodeRow:
    """Give a part of task ``parent_id`` to one of its lead department's units.
    ``office_fields``: fields the caller sent that only the office sets (refused, 422)."""
    if session.get(PlanNodeRow, parent_id) is None:
        raise NotVisible(f"no task {parent_id}")
    visible_node(session, user, parent_id)  # another department's task (or part): 404
    parent = locked_task(session, parent_id)  # its status read as the closing leaves it
    check_split(role=user.role, department=user.department_code, parent_kind=parent.kind,
                parent_lead=parent.lead_department, parent_unit=parent.unit,
                parent_status=parent.status, parent_due=parent.due_date, title=title, unit=unit,
                due=due, weight=weight, plan_start=plan_start(session, parent.plan_code))
    if office_fields:
        raise bad_field(office_fields[0], "set by the supervision office, not when splitting a "
                                          "task")
    node = PlanNodeRow(plan_code=parent.plan_code, parent_id=parent.id,
                       code=_next_code(session, parent.plan_code, parent, "task"), kind="task",
                       title=trim(title), lead_department=parent.lead_department,
                       unit=unit.strip(), weight=weight, due_date=due, start_date=None,
                       status="not_started", progress=0.0, position=parent.position,
                       depth=parent.depth + 1)
    session.add(node)
    session.flush()
    _write_version(session, node, user.username, reason.strip(),
                   key=None if reason.strip() else "ver.split")
    comment = f"{node.code} {node.title} → {node.unit}"
    session.add(TaskEventRow(node_id=parent.id, actor=user.username, kind="split",
                             comment=comment, department_code=parent.lead_department,
                             to_status=parent.status, at=utcnow()))
    audit(session, user.username, "split", "plan_node", str(node.id),
          {"code": node.code, "parent": parent.code, "unit": node.unit, "due": str(due or ""),
           "weight": weight})
    session.flush()
    return node


def split_from_api(session: Session, user: User, *, plan: str, parent: str | int | None,
                   title: str, unit: str | None, due: date | None, weight: float | None,
                   reason: str = "", **others: Any) -> PlanNodeRow:
    """``POST /api/v1/tasks`` by a reporter: a part of their department's task ``parent`` (code or
    id in ``plan``) for one of its units. What only the office sets (lead and supporting
    departments, milestones, indicators, origin) must not be sent."""
    sent = tuple(sorted(k for k, v in others.items()
                        if v not in (None, "", []) and not (k == "kind" and v == "task")))
    if parent in (None, ""):
        raise bad_field("parent", "name the task to split")
    row = find_node(session, plan, parent)
    if row is None:
        raise bad_field("parent", f"no goal or task {parent} in plan {plan}")
    if others.get("lead_department") == row.lead_department:  # said again: no change
        sent = tuple(k for k in sent if k != "lead_department")
    return split_task(session, user, row.id, title=title, unit=unit or "", due=due,
                      weight=weight, reason=reason, office_fields=sent)


def set_unit_progress(session: Session, user: User, node_id: int, *, percent: float,
                      note: str = "") -> PlanNodeRow:
    """The lead department records how far one of its units' parts is (its status follows:
    0 not started, 100 done, else in progress)."""
    visible_node(session, user, node_id)
    node = session.get(PlanNodeRow, node_id)
    if node.unit is None:
        raise NotVisible(f"no part of a task given to a unit with id {node_id}")
    check_unit_progress(role=user.role, department=user.department_code,
                        lead=node.lead_department, percent=percent,
                        task_status=locked_task(session, node.parent_id).status)
    before = node.progress
    node.progress = float(percent)
    node.status = "done" if percent >= 100 else "in_progress" if percent > 0 else "not_started"
    comment = f"{node.code} {node.unit}: {before:g}% → {percent:g}%" + (
        f" ({note.strip()})" if note.strip() else "")
    session.add(TaskEventRow(node_id=node.parent_id, actor=user.username, kind="unit_progress",
                             comment=comment, percent=round(percent),
                             department_code=node.lead_department, to_status=node.status,
                             at=utcnow()))
    audit(session, user.username, "unit_progress", "plan_node", str(node.id),
          {"code": node.code, "from": before, "to": percent, "note": note.strip()})
    session.flush()
    return node


def unit_parts(session: Session, parent_id: int) -> dict[str, Any]:
    """The parts of a task given to units, in code order, and their roll-up (None: no parts)."""
    rows = list(session.scalars(select(PlanNodeRow).where(
        PlanNodeRow.parent_id == parent_id, PlanNodeRow.unit.is_not(None))
        .order_by(PlanNodeRow.id)))
    return {"parts": [{"id": n.id, "code": n.code, "title": n.title, "unit": n.unit,
                       "weight": n.weight if n.weight is not None else 1.0, "due": n.due_date,
                       "progress": n.progress, "status": n.status} for n in rows],
            "rollup": rollup((n.progress, n.weight) for n in rows)}
