"""The department line, in one dependency per object: a reporter sees and edits only the tasks
their department leads or supports and only their own department's reports; anything else is
answered 404 (as if it did not exist). Pages and the JSON API use the same dependencies.

    @router.get("/supervision/tasks/{node_id}")
    def task(task: VisibleTask, ...): ...

    @router.get("/api/v1/reports/{report_id}")
    def report(report: VisibleReport, ...): ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Path

from lantu.store import supervision as sv
from lantu.store.models_web import ProgressReportRow
from lantu.web.deps import CurrentUser, SessionDep, UserError


def visible_task(node_id: Annotated[int, Path(ge=1, le=2**62)], session: SessionDep, user: CurrentUser) -> sv.TaskRef:
    try:
        return sv.visible_task(session, user, node_id)
    except sv.NotVisible as exc:
        raise UserError(404, str(exc), "err.no_task") from None


def visible_report(report_id: int, session: SessionDep, user: CurrentUser) -> ProgressReportRow:
    try:
        return sv.visible_report(session, user, report_id)
    except sv.NotVisible as exc:
        raise UserError(404, str(exc), "err.no_report") from None


VisibleTask = Annotated[sv.TaskRef, Depends(visible_task)]
VisibleReport = Annotated[ProgressReportRow, Depends(visible_report)]


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the store's and the rules' refusals into HTTP answers with a translated message:
    not visible → 404, a rule refused → its status (403/409/422)."""
    from lantu.store.notify import NoNotification
    from lantu.supervise import WorkflowError

    try:
        yield
    except sv.NotVisible as exc:
        raise UserError(404, str(exc), "err.no_task") from None
    except NoNotification as exc:
        raise UserError(404, str(exc), "err.no_notification") from None
    except WorkflowError as exc:
        raise UserError(exc.status, str(exc), exc.key, **exc.values) from None
