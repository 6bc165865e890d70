"""The department line, in one dependency per object: a reporter sees and edits only the tasks
their department leads or supports and only their own department's reports; anything else is
answered 404 (as if it did not exist). Pages and the JSON API use the same dependencies.

    @router.get("/supervision/tasks/{node_id}")
    def task(task: VisibleTask, ...): ...

    @router.get("/api/v1/reports/{report_id}")
    def report(report: VisibleReport, ...): ...
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from lantu.security_log import security_event
from lantu.store import supervision as sv
from lantu.store.models_web import ProgressReportRow
from lantu.web.deps import CurrentUser, DbId, SessionDep, UserError


def visible_task(node_id: DbId, session: SessionDep, user: CurrentUser) -> sv.TaskRef:
    try:
        return sv.visible_task(session, user, node_id)
    except sv.NotVisible as exc:
        security_event("permission_refused", user=user.username, task=node_id)
        raise UserError(404, str(exc), "err.no_task") from None


def visible_node(node_id: DbId, session: SessionDep, user: CurrentUser) -> sv.TaskRef:
    try:
        return sv.visible_node(session, user, node_id)
    except sv.NotVisible as exc:
        security_event("permission_refused", user=user.username, task=node_id)
        raise UserError(404, str(exc), "err.no_task") from None


def visible_report(report_id: DbId, session: SessionDep, user: CurrentUser) -> ProgressReportRow:
    try:
        return sv.visible_report(session, user, report_id)
    except sv.NotVisible as exc:
        security_event("permission_refused", user=user.username, report=report_id)
        raise UserError(404, str(exc), "err.no_report") from None


VisibleTask = Annotated[sv.TaskRef, Depends(visible_task)]
#: a goal or a task (reading, and the supervisor's changes): goals are readable by everyone
VisibleNode = Annotated[sv.TaskRef, Depends(visible_node)]
VisibleReport = Annotated[ProgressReportRow, Depends(visible_report)]
