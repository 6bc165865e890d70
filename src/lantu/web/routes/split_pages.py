"""Pages of a lead department splitting its task among its own units (分解到内设处室/责任人):
add a part, record a part's progress. Rules in :mod:`lantu.supervise.split`, storage in
:mod:`lantu.store.split`; refusals are answered by the app's one error handler."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from lantu.store import split
from lantu.web.access import VisibleNode, VisibleTask
from lantu.web.api_schemas import Day, FormNumber
from lantu.web.deps import Reporter, SessionDep

router = APIRouter(prefix="/supervision", include_in_schema=False)


@router.post("/tasks/{node_id}/parts")
def add_part(task: VisibleTask, session: SessionDep, user: Reporter,
             title: Annotated[str, Form(max_length=2000)],
             unit: Annotated[str, Form(max_length=200)],
             due: Annotated[Day | None, Form()] = None,
             weight: Annotated[float | None, Form(gt=0, le=100), FormNumber] = None) -> Response:
    split.split_task(session, user, task.id, title=title, unit=unit, due=due, weight=weight)
    return RedirectResponse(f"/supervision/tasks/{task.id}?saved=split#parts", status_code=303)


@router.post("/parts/{node_id}/progress")
def part_progress(part: VisibleNode, session: SessionDep, user: Reporter,
                  percent: Annotated[float, Form(ge=0, le=100), FormNumber],
                  note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    node = split.set_unit_progress(session, user, part.id, percent=percent, note=note)
    return RedirectResponse(f"/supervision/tasks/{node.parent_id}?saved=unit_progress#parts",
                            status_code=303)
