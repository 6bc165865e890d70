"""Pages of the supervision cycle: assign and edit a task (立项交办), its version history with
the difference between two versions, receipt (签收), reminders (催办), extension (延期) and
closure (销号) requests and decisions, reopening, and the notification list with the bell.

Thin: every form calls the same store function as the JSON API (:mod:`lantu.store.assignment`,
:mod:`lantu.store.cycle`, :mod:`lantu.store.notify`) and redirects to the task.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.domain.gate import trim
from lantu.domain.periods import read_day
from lantu.store import assignment, auditlog, cycle, notify, split
from lantu.store import supervision as sv
from lantu.store.models import IndicatorRow, PlanNodeRow, PlanRow
from lantu.store.queries import display_names
from lantu.store.users import User
from lantu.supervise.assign import ORIGINS, ack_overdue
from lantu.web.access import VisibleTask
from lantu.web.api_schemas import MAX_ID, Day, FormNumber, OptionalYear, WholeNumber
from lantu.web.deps import BulletinReader as Assessor  # the roles that read scores
from lantu.web.deps import CurrentUser, DbId, Reporter, SessionDep, SettingsDep
from lantu.web.deps import Reviewer as Assigner  # supervisors and admins assign
from lantu.web.routes.api_cycle import mailer
from lantu.web.routes.auth import safe_next
from lantu.web.templating import render, request_language

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=5000)]


def _to_task(node_id: int, saved: str) -> RedirectResponse:
    return RedirectResponse(f"/supervision/tasks/{node_id}?saved={saved}", status_code=303)


def task_context(session: Session, user: User, node_id: int, settings) -> dict[str, Any]:
    """What the task page shows of the cycle: assignment, receipt, reminders, requests."""
    from lantu.store.models import utcnow

    node = session.get(PlanNodeRow, node_id)
    lead = user.role == "reporter" and user.department_code == node.lead_department
    versions = assignment.history(session, node_id)
    return {"cycle": {
        "origin": node.origin, "assigned_at": node.assigned_at,
        "acknowledged_at": node.acknowledged_at, "acknowledged_by": node.acknowledged_by,
        "ack_overdue": ack_overdue(node.assigned_at, node.acknowledged_at, utcnow(),
                                   settings.ack_days),
        "versions": len(versions), "reminders": cycle.reminders_of(session, node_id)[:20],
        "requests": cycle.requests_of(session, node_id),
        "can_assign": user.role in ("supervisor", "admin"), "is_lead": lead,
        "closed": node.status == "closed",
    }, "parts": split.unit_parts(session, node_id),
        # people named by their display names (receipt, requests, reminders, history)
        "people": display_names(session)}


# -- assign and edit -----------------------------------------------------------------------------


def _form_context(session: Session) -> dict[str, Any]:
    plans = list(session.scalars(select(PlanRow).order_by(PlanRow.code)))
    parents = list(session.scalars(select(PlanNodeRow).order_by(PlanNodeRow.plan_code,
                                                                 PlanNodeRow.position)))
    indicators = list(session.scalars(select(IndicatorRow).order_by(IndicatorRow.code)))
    return {"plans": plans, "parents": parents, "indicators": indicators, "origins": ORIGINS,
            "depts": sv.department_names(session)}


def _milestones(text: str) -> list[dict[str, Any]]:
    """Milestones typed one a line as ``title`` or ``title | YYYY-MM-DD`` (the date read by the
    one reader of a typed day, :func:`lantu.domain.periods.read_day`: a date that is none is a
    422 naming its line — ``date.fromisoformat`` raised a 500 on ``banana`` and on full-width
    digits, and read ``2026-W52-1`` as 21 December)."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        title, _, due = line.partition("|")
        if title.strip():
            try:
                day = read_day(due) if due.strip() else None
            except ValueError as exc:
                raise ValidationError(f"{exc}, on line {number} of the milestones",
                                      field="milestones") from None
            out.append({"title": trim(title), "due": day})
    return out


@router.get("/supervision/tasks/new")
def new_task_page(request: Request, session: SessionDep, user: Assigner,
                  parent: str | None = None) -> Response:
    return render(request, "supervision/task_form.html", {
        **_form_context(session), "node": None, "parent": parent or ""}, active="supervision")


@router.post("/supervision/tasks/new")
def create_task(request: Request, session: SessionDep, user: Assigner,
                background: BackgroundTasks,
                plan: Annotated[str, Form(max_length=64)],
                title: Annotated[str, Form(max_length=2000)],
                parent: Annotated[str, Form(max_length=64)] = "",
                kind: Annotated[str, Form(pattern="^(goal|task)$")] = "task",
                origin: Annotated[str, Form(max_length=20)] = "",
                lead_department: Annotated[str, Form(max_length=64)] = "",
                supporting_departments: Annotated[list[str] | None, Form()] = None,
                indicators: Annotated[list[str] | None, Form()] = None,
                start: Annotated[Day | None, Form()] = None,
                due: Annotated[Day | None, Form()] = None,
                text: Annotated[str, Form(max_length=20000)] = "",
                milestones: Text = "", reason: Text = "") -> Response:
    node = assignment.create_task(
        session, user, plan=plan, parent=parent or None, title=title, kind=kind,
        origin=origin or None, lead_department=lead_department or None,
        supporting_departments=supporting_departments or [], indicators=indicators or [],
        start=start, due=due, text=text, milestones=_milestones(milestones), reason=reason,
        mail=mailer(request, background))
    return _to_task(node.id, "assigned") if node.kind == "task" and node.lead_department \
        else RedirectResponse("/supervision", status_code=303)


@router.get("/supervision/tasks/{node_id}/edit")
def edit_task_page(request: Request, task: VisibleTask, session: SessionDep,
                   user: Assigner) -> Response:
    return render(request, "supervision/task_form.html", {
        **_form_context(session), "node": assignment.task_public(session, task.id)},
        active="supervision")


@router.post("/supervision/tasks/{node_id}/edit")
def edit_task(request: Request, task: VisibleTask, session: SessionDep, user: Assigner,
              background: BackgroundTasks,
              title: Annotated[str, Form(max_length=2000)],
              reason: Text,
              origin: Annotated[str, Form(max_length=20)] = "",
              lead_department: Annotated[str, Form(max_length=64)] = "",
              supporting_departments: Annotated[list[str] | None, Form()] = None,
              indicators: Annotated[list[str] | None, Form()] = None,
              start: Annotated[Day | None, Form()] = None,
              due: Annotated[Day | None, Form()] = None,
              text: Annotated[str, Form(max_length=20000)] = "",
              milestones: Text = "",
              version: Annotated[int | None, Form(ge=0, le=MAX_ID), FormNumber] = None) -> Response:
    values = {"title": title, "origin": origin or None, "lead_department": lead_department,
              "supporting_departments": supporting_departments or [],
              "indicators": indicators or [], "start": start, "due": due, "text": text,
              "milestones": _milestones(milestones)}
    assignment.update_task(session, user, task.id, values, reason=reason,
                           mail=mailer(request, background), expected_version=version)
    return _to_task(task.id, "changed")


@router.get("/supervision/tasks/{node_id}/versions")
def versions_page(request: Request, task: VisibleTask, session: SessionDep, user: CurrentUser,
                  a: Annotated[int | None, Query(), WholeNumber] = None,
                  b: Annotated[int | None, Query(), WholeNumber] = None) -> Response:
    lang = request_language(request)
    versions = assignment.history(session, task.id, lang)
    numbers = [v["version"] for v in versions]
    if numbers:
        b = b if b in numbers else numbers[-1]
        a = a if a in numbers else (numbers[-2] if len(numbers) > 1 else b)
    # each changed field said by the audit log's one rule (auditlog.change_items)
    changes = auditlog.change_items(assignment.version_diff(session, task.id, a, b), lang,
                                    departments=sv.department_names(session)) if numbers else []
    node = session.get(PlanNodeRow, task.id)
    return render(request, "supervision/versions.html", {
        "task": node, "versions": versions, "a": a, "b": b, "changes": changes,
        "people": display_names(session)},
        active="supervision")


# -- receipt, reminders, extensions, closing -----------------------------------------------------


@router.post("/supervision/tasks/{node_id}/acknowledge")
def acknowledge(task: VisibleTask, session: SessionDep, user: Reporter) -> Response:
    assignment.acknowledge(session, user, task.id)
    return _to_task(task.id, "acknowledged")


@router.post("/supervision/tasks/{node_id}/remind")
def remind(request: Request, task: VisibleTask, session: SessionDep, user: Assigner,
           background: BackgroundTasks, message: Text,
           reply_by: Annotated[Day | None, Form()] = None) -> Response:
    cycle.send_reminder(session, user, task.id, message=message, reply_by=reply_by,
                        mail=mailer(request, background))
    return _to_task(task.id, "reminded")


@router.post("/supervision/tasks/{node_id}/extension")
def ask_extension(request: Request, task: VisibleTask, session: SessionDep, user: Reporter,
                  background: BackgroundTasks, due: Annotated[Day, Form()],
                  reason: Text) -> Response:
    cycle.request_extension(session, user, task.id, due=due, reason=reason,
                            mail=mailer(request, background))
    return _to_task(task.id, "extension_requested")


@router.post("/supervision/tasks/{node_id}/closure")
def ask_closure(request: Request, task: VisibleTask, session: SessionDep, user: Reporter,
                background: BackgroundTasks, comment: Text) -> Response:
    cycle.request_closure(session, user, task.id, comment=comment,
                          mail=mailer(request, background))
    return _to_task(task.id, "closure_requested")


@router.post("/supervision/{kind}-requests/{request_id}/decision")
def decide(request: Request, kind: str, request_id: DbId, session: SessionDep, user: Assigner,
           background: BackgroundTasks, decision: Annotated[str, Form(pattern="^(grant|refuse)$")],
           comment: Text = "") -> Response:
    fn = {"extension": cycle.decide_extension, "closure": cycle.decide_closure}.get(kind)
    if fn is None:
        raise sv.NotVisible(f"no {kind} requests")
    row = fn(session, user, request_id, grant=decision == "grant", comment=comment,
             mail=mailer(request, background))
    return _to_task(row.node_id, f"{kind}_{decision}")


@router.post("/supervision/tasks/{node_id}/reopen")
def reopen(request: Request, task: VisibleTask, session: SessionDep, user: Assigner,
           background: BackgroundTasks, reason: Text) -> Response:
    cycle.reopen(session, user, task.id, reason=reason, mail=mailer(request, background))
    return _to_task(task.id, "reopened")


# -- notifications -------------------------------------------------------------------------------


@router.get("/notifications")
def notifications_page(request: Request, session: SessionDep, user: CurrentUser,
                       page: Annotated[int, Query(), WholeNumber] = 1,
                       unread: bool = False) -> Response:
    page = max(1, min(page, 100_000))
    size = 50
    total, rows = notify.notifications(session, user.id, limit=size, offset=(page - 1) * size,
                                       unread_only=unread, lang=request_language(request))
    return render(request, "notifications.html", {
        "rows": rows, "total": total, "page": page, "pages": max(1, -(-total // size)),
        "unread_only": unread}, active="notifications")


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: DbId, session: SessionDep, user: CurrentUser,
             go: Annotated[str, Form(max_length=300)] = "") -> Response:
    notify.mark_read(session, user.id, notification_id)
    return RedirectResponse(safe_next(go, "/notifications"), status_code=303)


@router.post("/notifications/read-all")
def read_all(session: SessionDep, user: CurrentUser) -> Response:
    notify.mark_all_read(session, user.id)
    return RedirectResponse("/notifications", status_code=303)



# -- assessment (考核) ---------------------------------------------------------------------------

YearQ = Annotated[OptionalYear, Query()]


def assessment_of(session: Session, settings, year: int | None) -> tuple[int, list, Any]:
    """(year, ranked scores, rule) of the annual assessment: the one score rule of the settings."""
    from lantu.store.assessment import assessment

    year = year or date.today().year
    rule = settings.score_rule()
    return year, assessment(session, year, today=date.today(), rule=rule,
                            grace_days=settings.report_grace_days), rule


@router.get("/supervision/assessment")
def assessment_page(request: Request, session: SessionDep, settings: SettingsDep,
                    user: Assessor, year: YearQ = None) -> Response:
    year, scores, rule = assessment_of(session, settings, year)
    return render(request, "supervision/assessment.html", {
        "year": year, "scores": scores, "rule": rule, "depts": sv.department_names(session),
        "years": list(range(date.today().year, date.today().year - 6, -1)), "sub": "assessment",
        "awaiting": 0}, active="supervision")


@router.get("/supervision/assessment.xlsx")
def assessment_xlsx(request: Request, session: SessionDep, settings: SettingsDep,
                    user: Assessor, year: YearQ = None) -> Response:
    from lantu.reports.assessment import assessment_xlsx as build
    from lantu.web.i18n import translator
    from lantu.web.templating import request_language

    year, scores, rule = assessment_of(session, settings, year)
    lang = request_language(request)
    names = {c: d[lang] for c, d in sv.department_names(session).items()}  # en falls back to zh
    data = build(year, scores, rule, names, translator(lang))
    return Response(data, media_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="assessment-{year}.xlsx"'})
