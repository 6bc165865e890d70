"""Supervision pages (督查督办): the task table, a task with its history, the reporter's progress
form, the review queue, the monthly bulletin and evidence downloads. Thin: queries and writes are
in :mod:`lantu.store.supervision`, rules in :mod:`lantu.supervise`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from lantu.domain.errors import ValidationError
from lantu.domain.plans import STATUSES
from lantu.reasons import reason_text
from lantu.store import files
from lantu.store import supervision as sv
from lantu.store.models_web import REPORT_STATUSES
from lantu.store.users import User
from lantu.supervise import month_of
from lantu.supervise.bulletin import bulletin_month
from lantu.supervise.workflow import task_is_open
from lantu.web.access import VisibleReport, VisibleTask
from lantu.web.api_schemas import Day, FormNumber, OptionalMonth
from lantu.web.deps import (
    MAX_FILES_PER_REQUEST,
    MAX_ID,
    BulletinReader,
    CurrentUser,
    DbId,
    QueueUser,
    Reporter,
    Reviewer,
    SessionDep,
    SettingsDep,
    UserError,
)
from lantu.web.routes.api_cycle import mailer
from lantu.web.routes.cycle_pages import task_context
from lantu.web.templating import render, request_language

router = APIRouter(prefix="/supervision", include_in_schema=False)
TASK_STATUSES = STATUSES  # the one list of a task's statuses (lantu.domain.plans)


def today() -> date:
    return date.today()


def _empty(v: str | None) -> str | None:
    return v or None


def _page(request: Request, session: Session, user: User, template: str,
          context: dict[str, Any]) -> Response:
    """Render a supervision page; reviewers see how many reports wait for them in the tabs."""
    pending = sv.awaiting_review(session) if user.role in ("supervisor", "admin") else 0
    return render(request, template, {**context, "awaiting": pending}, active="supervision")


@router.get("")
def task_table(request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser,
               dept: str | None = None, status: str | None = None, colour: str | None = None,
               goal: str | None = None) -> Response:
    rows_all = sv.all_tasks(session, user, today=today(), warn_days=settings.warn_days)
    rows = sv.filter_tasks(rows_all, department=_empty(dept), status=_empty(status),
                           colour=_empty(colour), goal=_empty(goal))
    depts = sv.department_names(session)
    visible_depts = sorted({d for r in rows_all for d in [r["lead"], *r["supporting"]]})
    goals = [g for g in sv.top_goals(session) if any(r["goal"] == g.code for r in rows_all)]
    by_dept: dict[str, list[dict]] = {}
    for r in rows:
        by_dept.setdefault(r["lead"], []).append(r)
    return _page(request, session, user, "supervision/index.html", {
        "rows": rows, "by_dept": by_dept, "depts": depts, "visible_depts": visible_depts,
        "goals": goals, "counts": sv.colour_counts(rows), "counts_all": sv.colour_counts(rows_all),
        "filters": {"dept": dept or "", "status": status or "", "colour": colour or "",
                    "goal": goal or ""},
        "task_statuses": TASK_STATUSES, "warn_days": settings.warn_days,
        "warnings": [r for r in rows_all if r["colour"] == "red"][:8],
        "due_soon": sv.due_soon(rows_all, today=today(), warn_days=settings.warn_days),
    })


@router.get("/tasks/{node_id}")
def task_page(request: Request, task: VisibleTask, session: SessionDep, settings: SettingsDep,
              user: CurrentUser, month: OptionalMonth = None) -> Response:
    detail = sv.task_detail(session, user, task.id, today=today(), warn_days=settings.warn_days)
    current_month = month_of(today())
    form_month = month or current_month
    own = None
    if user.role == "reporter":
        own = next((r for r in detail["reports"] if r["month"] == form_month
                    and r["department"] == user.department_code), None)
    return _page(request, session, user, "supervision/task.html", {
        "task": detail, "depts": sv.department_names(session), "form_month": form_month,
        "current_month": current_month, "own": own,
        "can_report": user.role == "reporter" and user.department_code in task.departments,
        # a closed task takes no review and no milestone until it is reopened (one rule)
        "can_review": user.role in ("supervisor", "admin") and task_is_open(detail["status"]),
        "max_mb": settings.upload_max_bytes // (1024 * 1024),
        "saved": request.query_params.get("saved"), "today": today().isoformat(),
        **task_context(session, user, task.id, settings),
    })


@router.post("/tasks/{node_id}/report")
def save_report(request: Request, task: VisibleTask, session: SessionDep,
                      settings: SettingsDep, user: Reporter,
                      month: Annotated[str, Form(max_length=7)],
                      text: Annotated[str, Form(max_length=20000)] = "",
                      percent: Annotated[int, Form(ge=0, le=100), FormNumber] = 0,
                      action: Annotated[str, Form()] = "save",
                      version: Annotated[int | None, Form(ge=0, le=MAX_ID), FormNumber] = None,
                      evidence: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    if action not in ("save", "submit"):
        raise HTTPException(422, "action must be save or submit")
    uploads = [f for f in (evidence or []) if f.filename]
    if len(uploads) > MAX_FILES_PER_REQUEST:
        raise UserError(413, f"at most {MAX_FILES_PER_REQUEST} files at once", "err.too_many_files",
                        limit=MAX_FILES_PER_REQUEST)
    stored: list[tuple[str, files.StoredFile]] = []
    try:
        for up in uploads:
            data = up.file.read(settings.upload_max_bytes + 1)
            stored.append((up.filename or "file", files.store_upload(
                settings.home, data, max_bytes=settings.upload_max_bytes,
                original_name=up.filename or "")))
        # evidence is attached before submitting, so a submitted report is complete
        report = sv.save_report(session, user, task.id, month=month, text=text, percent=percent,
                                submit=False, today=today(), expected_version=version)
        for name, st in stored:
            sv.add_evidence(session, user, report, original_name=name,
                            stored_name=st.stored_name, content_type=st.content_type,
                            size=st.size, sha256=st.sha256)
        if action == "submit":
            sv.submit_report(session, user, report)
        session.flush()  # what the store refuses at the write is refused here: files discarded
    except files.UploadRefused as exc:
        _discard(settings, stored)
        raise UserError(exc.status, str(exc), exc.key or ("err.upload_type" if exc.status == 415
                        else "err.too_large"), limit=settings.upload_max_bytes,
                        reason=reason_text(request_language(request), exc.reason)) from None
    except BaseException:  # a refused rule (WorkflowError) too: the one error handler answers
        _discard(settings, stored)
        raise
    return RedirectResponse(f"/supervision/tasks/{task.id}?month={report.month}&saved={action}",
                            status_code=303)


def _discard(settings, stored) -> None:
    for _, st in stored:
        files.stored_path(settings.home, st.stored_name).unlink(missing_ok=True)


@router.post("/tasks/{node_id}/milestones/{milestone_id}")
def milestone_done(task: VisibleTask, session: SessionDep, user: Reviewer, milestone_id: DbId,
                   done_on: Annotated[Day, Form()]) -> Response:
    sv.complete_milestone(session, user, task.id, milestone_id, done_on=done_on, today=today())
    return RedirectResponse(f"/supervision/tasks/{task.id}?saved=milestone", status_code=303)


@router.post("/reports/{report_id}/submit")
def submit(report: VisibleReport, session: SessionDep, user: Reporter) -> Response:
    sv.submit_report(session, user, report)
    return RedirectResponse(f"/supervision/tasks/{report.node_id}?month={report.month}"
                            "&saved=submit", status_code=303)


@router.post("/reports/{report_id}/review")
def review(request: Request, background: BackgroundTasks, report: VisibleReport,
           session: SessionDep, user: Reviewer, decision: Annotated[str, Form()],
           comment: Annotated[str, Form(max_length=5000)] = "",
           version: Annotated[int | None, Form(ge=0, le=MAX_ID), FormNumber] = None,
           back: Annotated[str, Form()] = "task") -> Response:
    if decision not in ("approve", "return"):
        raise HTTPException(422, "decision must be approve or return")
    sv.review_report(session, user, report.id, approve=decision == "approve",
                     comment=comment, expected_version=version,
                     mail=mailer(request, background))
    if back == "queue":
        return RedirectResponse("/supervision/queue?saved=" + decision, status_code=303)
    return RedirectResponse(f"/supervision/tasks/{report.node_id}?saved={decision}",
                            status_code=303)


@router.get("/queue")
def queue(request: Request, session: SessionDep, user: QueueUser,
          status: str | None = None, dept: str | None = None) -> Response:
    """Supervisors: reports waiting for review. Reporters: their department's reports."""
    if status and status not in REPORT_STATUSES:
        raise HTTPException(422, f"status must be one of {', '.join(REPORT_STATUSES)}")
    default = "submitted" if user.role != "reporter" else None
    st = status if status is not None else default
    reports = sv.report_list(session, user, status=st or None, department=_empty(dept))
    return _page(request, session, user, "supervision/queue.html", {
        "reports": reports, "status": st or "", "dept": dept or "",
        "depts": sv.department_names(session), "statuses": REPORT_STATUSES,
        "saved": request.query_params.get("saved"),
    })


@router.get("/bulletin")
def bulletin_page(request: Request, session: SessionDep, settings: SettingsDep,
                  user: BulletinReader, month: OptionalMonth = None) -> Response:
    month = month or bulletin_month(today())
    rule = settings.score_rule()
    b = sv.bulletin(session, month, today=today(), warn_days=settings.warn_days, rule=rule)
    return _page(request, session, user, "supervision/bulletin.html", {
        "b": b, "month": month, "depts": sv.department_names(session), "rule": rule,
        "current_month": month_of(today()),
    })


@router.get("/evidence/{evidence_id}")
def evidence(evidence_id: DbId, session: SessionDep, settings: SettingsDep,
             user: CurrentUser) -> Response:
    try:
        row = sv.visible_evidence(session, user, evidence_id)
        path = files.stored_path(settings.home, row.stored_name)
    except (sv.NotVisible, ValidationError):
        raise UserError(404, "no such file", "err.no_file") from None
    if not path.is_file():
        raise UserError(404, "the stored file is missing", "err.no_file")
    if why := files.withheld(path, row.content_type):
        raise UserError(403, f"withheld: {why}", "err.evidence_withheld")
    safe = files.download_name(row.original_name, row.content_type, f"evidence-{row.id}")
    return FileResponse(path, media_type=files.served_type(path, row.content_type), headers={
        "Content-Disposition": f"attachment; filename=\"evidence-{row.id}"
                               f"{files.ALLOWED.get(row.content_type, '.bin')}\"; "
                               f"filename*=UTF-8''{quote(safe)}",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store"})
