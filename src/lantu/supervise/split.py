"""A lead department splits its task among its own units (分解到内设处室/责任人) — the rules.

In a Chinese office the lead department (牵头单位) of an assigned task breaks it into parts and
gives each to one of its internal divisions (内设处室) or a named person (责任人), with a deadline
and a share of the work. Those parts are the department's own business: the supervision office
does not assign, remind, review or score them (they are not in the task table, the automatic
reminders, the bulletin or the assessment). They are visible to the department and to the
supervisors on the task's page, and their progress **rolls up** to the task:

    roll-up = Σ weight·progress / Σ weight      (over the task's unit parts; weight 1 unless set)

The roll-up is shown beside the task's official progress (the latest approved monthly report),
never instead of it: it is what the department has to go on when it writes that report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from lantu.supervise.assign import bad_field, check_due_in_plan
from lantu.supervise.workflow import WorkflowError, check_task_open

MAX_WEIGHT = 100.0


def _own_department(role: str, department: str | None, lead: str | None) -> None:
    if role != "reporter" or department is None or department != lead:
        raise WorkflowError("only the lead department splits its task among its units",
                            key="wf.not_lead")


def check_split(*, role: str, department: str | None, parent_kind: str, parent_lead: str | None,
                parent_unit: str | None, parent_status: str, parent_due: date | None,
                title: str, unit: str, due: date | None, weight: float | None,
                plan_start: date | None = None) -> None:
    """A reporter of the task's lead department gives a part of it to one of its units.

    >>> check_split(role="reporter", department="kjj", parent_kind="task", parent_lead="fgw",
    ...             parent_unit=None, parent_status="in_progress", parent_due=None, title="x",
    ...             unit="规划处", due=None, weight=None)
    Traceback (most recent call last):
    ...
    lantu.supervise.workflow.WorkflowError: only the lead department splits its task among its units
    """
    _own_department(role, department, parent_lead)
    if parent_kind != "task" or parent_unit is not None:
        raise bad_field("parent", "only an assigned task is split (a unit's part is not split "
                                  "again)")
    check_task_open(parent_status)
    if not title.strip():
        raise bad_field("title", "a title is needed")
    if not unit.strip():
        raise bad_field("unit", "name the unit (内设处室) or the person (责任人)")
    check_due_in_plan(due, plan_start)
    if parent_due is not None and due is not None and due > parent_due:
        raise bad_field("due", f"the part's deadline {due} is after the task's {parent_due}")
    if weight is not None and not (0 < weight <= MAX_WEIGHT):
        raise bad_field("weight", f"must be above 0 and at most {MAX_WEIGHT:g}")


def check_unit_progress(*, role: str, department: str | None, lead: str | None,
                        percent: float, task_status: str | None = None) -> None:
    """The lead department records the progress of one of its units' parts (0–100), not once
    the task is closed (``task_status``)."""
    _own_department(role, department, lead)
    check_task_open(task_status)
    if not 0 <= percent <= 100:
        raise bad_field("percent", "must be between 0 and 100")


def rollup(parts: Iterable[tuple[float, float | None]]) -> float | None:
    """The weighted mean progress of a task's unit parts (``(progress, weight)``; weight None
    counts 1); None when the task has no parts.

    >>> rollup([(100, 1), (0, 3)])
    25.0
    >>> rollup([(40, None), (60, None)])
    50.0
    >>> rollup([]) is None
    True
    """
    total = weighted = 0.0
    for progress, weight in parts:
        w = 1.0 if weight is None else float(weight)
        total += w
        weighted += w * float(progress)
    return None if total == 0 else round(weighted / total, 1)
