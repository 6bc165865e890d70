"""The supervision cycle's JSON API under ``/api/v1``: tasks (立项交办), reminders (催办),
notifications, extension (延期) and closure (销号) requests, the assessment (考核).

Thin: each route checks the request's shape (pydantic), calls one store function and answers;
who may do what is decided by the rules (:mod:`lantu.supervise`) through the store, and a task
another department's reporter may not see is 404 (:mod:`lantu.web.access`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request

from lantu.store import assignment, cycle, notify, split
from lantu.store import supervision as sv
from lantu.store.models import PlanNodeRow
from lantu.store.models_web import ROLES
from lantu.supervise.assign import ASSIGNERS, bad_field, may_assign
from lantu.web import api_schemas_cycle as c
from lantu.web.access import VisibleNode, VisibleTask
from lantu.web.api_schemas import ErrorPublic, WholeNumber, Year
from lantu.web.deps import ApiUser, DbId, SessionDep, SettingsDep
from lantu.web.routes.api_v1 import ERRORS, NOT_FOUND, ApiRoute, writers

router = APIRouter(prefix="/api/v1", route_class=ApiRoute, tags=["supervision"],
                   responses={**ERRORS, **NOT_FOUND,
                              403: {"model": ErrorPublic, "description": "your role may not"},
                              409: {"model": ErrorPublic, "description": "decided or changed "
                                                                         "already"}})
COUNTS = ("tasks", "finished", "late", "owed", "reported", "approved", "returned",
          "overdue_days", "reminders")
Limit = Annotated[int, Query(ge=1, le=500), WholeNumber]
Offset = Annotated[int, Query(ge=0, le=10_000_000), WholeNumber]


def mailer(request: Request, background: BackgroundTasks) -> bool:
    """Whether notifications are e-mailed; if so, deliver them after the response (the
    transaction is committed by then)."""
    settings = request.app.state.settings
    if not settings.smtp_url:
        return False
    from lantu.mail import deliver_pending

    background.add_task(deliver_pending, request.app.state.database, settings)
    return True


# -- tasks ---------------------------------------------------------------------------------------


@router.post("/tasks", response_model=c.TaskCreated, status_code=201,
             summary="Assign a goal, task or sub-task (supervisors)",
             openapi_extra=writers(*ASSIGNERS, "reporter"))
def create_task(body: c.TaskCreate, session: SessionDep, user: ApiUser, request: Request,
                background: BackgroundTasks) -> dict[str, Any]:
    """Supervisors assign; a lead department's reporter gives a part of its own task
    (``parent``) to one of its units (``unit``, ``weight``)."""
    if user.role == "reporter" and body.unit is not None:
        node = split.split_from_api(session, user, **body.model_dump(exclude={"milestones"}),
                                    milestones=body.milestones or None)
        return {"id": node.id, "code": node.code, "version": 1}
    if body.unit is not None or body.weight is not None:
        may_assign(user.role)  # a role that may not assign at all: 403 first
        raise bad_field("unit", "only the lead department gives parts of its task to its units")
    node = assignment.create_task(
        session, user, **body.model_dump(exclude={"milestones", "unit", "weight"}),
        milestones=[m.model_dump() for m in body.milestones],
        mail=mailer(request, background))
    return {"id": node.id, "code": node.code, "version": 1}


@router.get("/tasks/{node_id}", response_model=c.TaskPublic, summary="A goal or task (goals, without a lead department, are readable by everyone)")
def get_task(task: VisibleNode, session: SessionDep) -> dict[str, Any]:
    return assignment.task_public(session, task.id)


@router.patch("/tasks/{node_id}", response_model=c.TaskPublic,
              summary="Change a task: a new version with who, when and why (supervisors)",
              responses={428: {"model": ErrorPublic, "description": "no `version`: send the "
                               "version the GET returned"}},
              openapi_extra=writers(*ASSIGNERS))
def patch_task(task: VisibleNode, body: c.TaskPatch, session: SessionDep, user: ApiUser,
               request: Request, background: BackgroundTasks) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=True, exclude={"reason", "version"})
    if "milestones" in values and values["milestones"] is not None:
        values["milestones"] = [dict(m) for m in values["milestones"]]
    assignment.update_task(session, user, task.id, values, reason=body.reason,
                           mail=mailer(request, background), expected_version=body.version)
    return assignment.task_public(session, task.id)


@router.get("/tasks/{node_id}/history", response_model=c.TaskHistoryPublic,
            summary="Versions of the assignment with their differences, and the task's events")
def task_history(task: VisibleNode, session: SessionDep, settings: SettingsDep,
                 user: ApiUser, lang: Lang = "zh") -> dict[str, Any]:
    """Each version's ``reason`` in ``lang``; ``key`` and ``params`` are what the system said
    (null for a reason a person typed, and for a version made before they were kept)."""
    from datetime import date

    detail = sv.task_detail(session, user, task.id, today=date.today(),
                            warn_days=settings.warn_days)
    return {"task": task.id, "versions": assignment.history(session, task.id, lang),
            "events": [{k: (str(v) if v is not None and k == "at" else v)
                        for k, v in e.items()} for e in detail["events"]]}


@router.post("/tasks/{node_id}/unit-progress", response_model=c.TaskPublic,
             summary="How far a part given to a unit is (the lead department's reporter)",
             openapi_extra=writers("reporter"))
def unit_progress(task: VisibleNode, body: c.UnitProgressIn, session: SessionDep,
                  user: ApiUser) -> dict[str, Any]:
    split.set_unit_progress(session, user, task.id, percent=body.percent, note=body.note)
    return assignment.task_public(session, task.id)


@router.post("/tasks/{node_id}/acknowledge", response_model=c.TaskPublic,
             summary="The lead department acknowledges receipt (签收)",
             openapi_extra=writers("reporter"))
def acknowledge(task: VisibleTask, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    assignment.acknowledge(session, user, task.id)
    return assignment.task_public(session, task.id)


#: the language notifications are said in (their key and parameters come as well)
Lang = Annotated[str, Query(pattern="^(zh|en)$", description="zh or en")]


# -- reminders and notifications -----------------------------------------------------------------


@router.post("/tasks/{node_id}/reminders", response_model=c.ReminderPublic, status_code=201,
             summary="Remind the lead department (催办; supervisors)",
             openapi_extra=writers(*ASSIGNERS))
def remind(task: VisibleTask, body: c.ReminderCreate, session: SessionDep, user: ApiUser,
           request: Request, background: BackgroundTasks) -> dict[str, Any]:
    row, n = cycle.send_reminder(session, user, task.id, message=body.message,
                                 reply_by=body.reply_by, mail=mailer(request, background))
    return {"id": row.id, "task": row.node_id, "department": row.department_code,
            "kind": row.kind, "message": row.message, "reply_by": row.reply_by,
            "sent_by": row.sent_by, "created_at": row.created_at, "notified": n}


@router.get("/notifications", response_model=c.NotificationListPublic,
            summary="The caller's notifications, newest first")
def notifications(session: SessionDep, user: ApiUser, limit: Limit = 50, offset: Offset = 0,
                  unread: bool = False, lang: Lang = "zh") -> dict[str, Any]:
    """Each notification's ``title`` and ``body`` in ``lang``; ``key`` and ``params`` are
    what it says (null for one made before they were kept), for a client that says it
    itself."""
    total, data = notify.notifications(session, user.id, limit=limit, offset=offset,
                                       unread_only=unread, lang=lang)
    return {"total": total, "unread": notify.unread_count(session, user.id), "limit": limit,
            "offset": offset, "data": data}


@router.post("/notifications/{notification_id}/read", response_model=c.NotificationListPublic,
             summary="Mark one of the caller's notifications as read",
             openapi_extra=writers(*ROLES))
def read_notification(notification_id: DbId, session: SessionDep,
                      user: ApiUser, lang: Lang = "zh") -> dict[str, Any]:
    notify.mark_read(session, user.id, notification_id)
    return notifications(session, user, limit=1, offset=0, lang=lang)


# -- extensions and closing ----------------------------------------------------------------------


def _request(session, row) -> dict[str, Any]:
    return cycle.request_public(row, session.get(PlanNodeRow, row.node_id))


@router.post("/tasks/{node_id}/extension-requests", response_model=c.RequestPublic,
             status_code=201, summary="Ask for a later deadline (延期; the lead department)",
             openapi_extra=writers("reporter"))
def ask_extension(task: VisibleTask, body: c.ExtensionCreate, session: SessionDep,
                  user: ApiUser, request: Request, background: BackgroundTasks) -> dict[str, Any]:
    row = cycle.request_extension(session, user, task.id, due=body.due, reason=body.reason,
                                  mail=mailer(request, background))
    return _request(session, row)


def _decide(decide, request_id: int, body: c.Decision, session, user, request: Request,
            background: BackgroundTasks) -> dict[str, Any]:
    """A supervisor's decision on an extension or closure request (the one answer of both)."""
    row = decide(session, user, request_id, grant=body.grant, comment=body.comment,
                 mail=mailer(request, background))
    return _request(session, row)


@router.post("/extension-requests/{request_id}/decision", response_model=c.RequestPublic,
             summary="Grant or refuse an extension (supervisors)",
             openapi_extra=writers(*ASSIGNERS))
def decide_extension(request_id: DbId, body: c.Decision, session: SessionDep, user: ApiUser,
                     request: Request, background: BackgroundTasks) -> dict[str, Any]:
    return _decide(cycle.decide_extension, request_id, body, session, user, request, background)


@router.post("/tasks/{node_id}/closure-requests", response_model=c.RequestPublic,
             status_code=201, summary="Ask to close the task (销号; the lead department)",
             openapi_extra=writers("reporter"))
def ask_closure(task: VisibleTask, body: c.ClosureCreate, session: SessionDep, user: ApiUser,
                request: Request, background: BackgroundTasks) -> dict[str, Any]:
    row = cycle.request_closure(session, user, task.id, comment=body.comment,
                                mail=mailer(request, background))
    return _request(session, row)


@router.post("/closure-requests/{request_id}/decision", response_model=c.RequestPublic,
             summary="Close the task or return the request (supervisors)",
             openapi_extra=writers(*ASSIGNERS))
def decide_closure(request_id: DbId, body: c.Decision, session: SessionDep, user: ApiUser,
                   request: Request, background: BackgroundTasks) -> dict[str, Any]:
    return _decide(cycle.decide_closure, request_id, body, session, user, request, background)


@router.post("/tasks/{node_id}/reopen", response_model=c.TaskPublic,
             summary="Reopen a closed task with a reason (supervisors)",
             openapi_extra=writers(*ASSIGNERS))
def reopen(task: VisibleTask, body: c.ReopenIn, session: SessionDep, user: ApiUser,
           request: Request, background: BackgroundTasks) -> dict[str, Any]:
    cycle.reopen(session, user, task.id, reason=body.reason,
                 mail=mailer(request, background))
    return assignment.task_public(session, task.id)


@router.get("/tasks/{node_id}/requests", response_model=list[c.RequestPublic],
            summary="The extension and closure requests of a task")
def task_requests(task: VisibleTask, session: SessionDep) -> list[dict[str, Any]]:
    return cycle.requests_of(session, task.id)


@router.get("/assessment", response_model=c.AssessmentPublic,
            summary="Annual assessment (考核) of the lead departments, with every part of the score")
def get_assessment(session: SessionDep, settings: SettingsDep, user: ApiUser,
                   year: Annotated[Year, Query(description="assessed year")]) -> dict[str, Any]:
    from lantu.web.routes.cycle_pages import assessment_of

    if user.role == "reporter":
        raise HTTPException(403, "the assessment is for supervisors, analysts and viewers")
    year, scores, rule = assessment_of(session, settings, year)
    return {"year": year, "formula": rule.formula(str),
            "weights": {p.key: p.weight for p in rule.parts},
            "overdue_cap_days": rule.overdue_cap_days, "reminder_cap": rule.reminder_cap,
            "data": [{"rank": d.rank, "department": d.department, "score": d.score,
                      "silent": d.silent, "parts": d.parts,
                      "counts": {k: getattr(d.record, k) for k in COUNTS}} for d in scores]}
