"""Every route of the supervision cycle as every role and as another department's reporter:
allowed ones succeed, the others answer 403 (role) or 404 (another department's task, as if it
did not exist) and change nothing. One table drives the API and one the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lantu.store import assignment, cycle, users
from lantu.store.models import AuditLogRow, PlanNodeRow
from lantu.store.models_supervision import (
    ClosureRequestRow,
    ExtensionRequestRow,
    NotificationRow,
    ReminderRow,
    TaskVersionRow,
)
from lantu.store.models_web import TaskEventRow
from webutil import fresh_db, login, make_client, post

ROLES = ("admin", "supervisor", "analyst", "viewer", "rep_fgw", "rep_kjj")  # fgw leads the task
SUP, REP = ("admin", "supervisor"), ("rep_fgw",)
DUE = date.today() + timedelta(days=30)


def _state(db) -> tuple:
    """Everything the cycle writes: nothing of it may change on a refused request."""
    from lantu.store.models_web import UserRow

    with db.session() as s:
        people = tuple(s.execute(select(UserRow.username, UserRow.role, UserRow.active,
                                        UserRow.email, UserRow.password_hash)
                                 .order_by(UserRow.id)).all())
        counts = tuple(s.scalar(select(func.count()).select_from(t)) for t in (
            PlanNodeRow, TaskVersionRow, ReminderRow, NotificationRow, TaskEventRow,
            AuditLogRow))
        decided = tuple(s.scalars(select(ExtensionRequestRow.status))) + tuple(
            s.scalars(select(ClosureRequestRow.status)))
        tasks = tuple(s.execute(select(PlanNodeRow.title, PlanNodeRow.due_date,
                                       PlanNodeRow.status, PlanNodeRow.acknowledged_at)
                                .where(PlanNodeRow.origin.is_not(None))).all())
        return counts, decided, tasks, people


def _fill(body: dict | None, ids: dict) -> dict | None:
    """``body`` with each ``"{name}"`` value replaced by ``ids[name]`` (the version read)."""
    if body is None:
        return None
    return {k: ids[v[1:-1]] if isinstance(v, str) and v[1:-1] in ids and v[0] == "{" else v
            for k, v in body.items()}


def _setup(db, need: str) -> dict:
    """A task of fgw (supporting: none) and what the route needs: a pending extension or
    closure request, a closed task, a notification of rep_fgw."""
    with db.session() as s:
        sup, rep = users.get_user(s, "supervisor"), users.get_user(s, "rep_fgw")
        node = assignment.create_task(s, sup, plan="taiyuan-2021-11", parent="T1",
                                      title="访问测试任务", lead_department="fgw", due=DUE,
                                      origin="blueprint")
        ids = {"task": node.id, "note": s.scalar(select(NotificationRow.id).where(
            NotificationRow.node_id == node.id)), "version": assignment.task_version(s, node.id)}
        if need == "extension":
            ids["req"] = cycle.request_extension(s, rep, node.id, due=DUE + timedelta(days=9),
                                                 reason="r").id
        if need in ("closure", "closed"):
            ids["req"] = cycle.request_closure(s, rep, node.id, comment="done").id
        if need == "closed":
            cycle.decide_closure(s, sup, ids["req"], grant=True)
    return ids


# (method, path, body, precondition, roles allowed, success status)
API = [
    ("POST", "/tasks", {"plan": "taiyuan-2021-11", "parent": "T1", "title": "新任务",
                        "lead_department": "fgw", "due": "2030-01-01"}, "", SUP, 201),
    ("GET", "/tasks/{task}", None, "", ROLES[:5], 200),
    ("PATCH", "/tasks/{task}", {"title": "改名", "reason": "调整", "version": "{version}"}, "",
     SUP, 200),
    ("GET", "/tasks/{task}/history", None, "", ROLES[:5], 200),
    ("POST", "/tasks/{task}/acknowledge", None, "", REP, 200),
    ("POST", "/tasks/{task}/reminders", {"message": "催"}, "", SUP, 201),
    ("GET", "/notifications", None, "", ROLES, 200),
    ("POST", "/notifications/{note}/read", None, "", REP, 200),
    ("POST", "/tasks/{task}/extension-requests", {"due": "2031-01-01", "reason": "r"}, "", REP,
     201),
    ("POST", "/extension-requests/{req}/decision", {"grant": True}, "extension", SUP, 200),
    ("POST", "/tasks/{task}/closure-requests", {"comment": "c"}, "", REP, 201),
    ("POST", "/closure-requests/{req}/decision", {"grant": True}, "closure", SUP, 200),
    ("POST", "/tasks/{task}/reopen", {"reason": "r"}, "closed", SUP, 200),
    ("GET", "/tasks/{task}/requests", None, "", ROLES[:5], 200),
    ("GET", "/assessment?year=2026", None, "", ROLES[:4], 200),
]

PAGES = [
    ("GET", "/supervision/tasks/new", None, "", SUP),
    ("POST", "/supervision/tasks/new", {"plan": "taiyuan-2021-11", "parent": "T1", "title": "x",
                                        "lead_department": "fgw"}, "", SUP),
    ("GET", "/supervision/tasks/{task}/edit", None, "", SUP),
    ("POST", "/supervision/tasks/{task}/edit", {"title": "y", "lead_department": "fgw",
                                                "reason": "z", "version": "{version}"}, "", SUP),
    ("GET", "/supervision/tasks/{task}/versions", None, "", ROLES[:5]),
    ("POST", "/supervision/tasks/{task}/acknowledge", None, "", REP),
    ("POST", "/supervision/tasks/{task}/remind", {"message": "m"}, "", SUP),
    ("POST", "/supervision/tasks/{task}/extension", {"due": "2031-01-01", "reason": "r"}, "",
     REP),
    ("POST", "/supervision/extension-requests/{req}/decision", {"decision": "grant"},
     "extension", SUP),
    ("POST", "/supervision/tasks/{task}/closure", {"comment": "c"}, "", REP),
    ("POST", "/supervision/closure-requests/{req}/decision", {"decision": "grant"}, "closure",
     SUP),
    ("POST", "/supervision/tasks/{task}/reopen", {"reason": "r"}, "closed", SUP),
    ("POST", "/notifications/{note}/read", None, "", REP),
    ("GET", "/supervision/assessment", None, "", ROLES[:4]),
    ("GET", "/supervision/assessment.xlsx", None, "", ROLES[:4]),
    ("GET", "/admin/users", None, "", ("admin",)),
    ("POST", "/admin/users", {"username": "new1", "password": "long-pass-phrase-one-7", "role": "viewer"},
     "", ("admin",)),
    ("POST", "/admin/users/viewer/update", {"role": "analyst"}, "", ("admin",)),
    ("POST", "/admin/users/viewer/active", {"active": "false"}, "", ("admin",)),
    ("POST", "/admin/users/viewer/password", {"password": "long-pass-phrase-two-8"}, "", ("admin",)),
]


def _refusal(role: str, path: str) -> set[int]:
    """What a refused role gets: another department's reporter 404 on anything of the task,
    a notification not theirs 404; otherwise 403. A decision on a request is for supervisors
    only: any other role is refused at the API's door (403) before the request is looked up
    or the body read, whatever request it names."""
    if "{note}" in path:
        return {404}
    if "{req}" in path:
        return {403}  # the role check (supervisors only) comes first, on pages and the API
    if role == "rep_kjj" and "{" in path:
        return {404}
    return {403}


@pytest.fixture()
def env(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as client:
        yield db, client
    db.dispose()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,body,need,allowed,ok", API,
                         ids=[f"{m} {p}" for m, p, *_ in API])
def test_api_route_as_role(env, role, method, path, body, need, allowed, ok):
    db, client = env
    ids = _setup(db, need)
    with db.session() as s:
        token = users.create_api_token(s, role, "t")
    before = _state(db)
    r = client.request(method, "/api/v1" + path.format(**ids), json=_fill(body, ids),
                       headers={"Authorization": f"Bearer {token}"})
    if role in allowed:
        assert r.status_code == ok, (role, r.text)
    else:
        assert r.status_code in _refusal(role, path), (role, r.status_code, r.text)
        assert _state(db) == before, "a refused request changed something"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,body,need,allowed", PAGES,
                         ids=[f"{m} {p}" for m, p, *_ in PAGES])
def test_page_route_as_role(env, role, method, path, body, need, allowed):
    db, client = env
    ids = _setup(db, need)
    login(client, role)
    before = _state(db)
    url = path.format(**ids)
    r = client.get(url) if method == "GET" else post(client, url, _fill(body, ids))
    if role in allowed:
        assert r.status_code in (200, 303), (role, r.status_code, r.text[:300])
    else:
        assert r.status_code in _refusal(role, path), (role, r.status_code, r.text[:300])
        assert _state(db) == before, "a refused request changed something"
