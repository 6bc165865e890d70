"""probe11: a write the JSON API refuses writes nothing, whatever raised the refusal.

The API's route class (``ApiRoute``) answers every error in the one JSON shape by catching it
inside the route — inside FastAPI's dependency stack, so the request's session (a dependency
with ``yield``) ended as if the route had returned and **committed** what was written before
the refusal: a supervisor granting an extension of a task closed since it was asked got a 409
and the request was marked granted all the same (found by the probe). Now the route marks the
request (``deps.refuse_writes``) and ``deps.get_session`` rolls back.

SQLite and PostgreSQL; the tests failed on the code before.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import APIRouter
from sqlalchemy import func, select

from lantu.store import repo, users
from lantu.store.models import AuditLogRow
from lantu.store.models_supervision import ExtensionRequestRow
from lantu.supervise import WorkflowError
from lantu.web.deps import SessionDep
from lantu.web.routes.api_v1 import ApiRoute, writers
from webutil import backend_app, task_ids

PASSWORD = "Probe-eleven-long-pass-2026!"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path):
    with backend_app(request, web_template_db, tmp_path, ("rep_fgw", "admin"),
                     "probe11") as (client, headers, db, _home):
        with db.session() as s:
            users.add_user(s, "sup11", PASSWORD, "supervisor")
            headers["sup"] = {"Authorization": f"Bearer {users.create_api_token(s, 'sup11', 'x')}"}
        yield client, headers, db


def _audits(db, action: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditLogRow)
                        .where(AuditLogRow.action == action))


def test_an_api_route_that_refuses_after_writing_leaves_nothing_written(env):
    client, headers, db = env
    router = APIRouter(route_class=ApiRoute)

    @router.post("/probe11/write-then-refuse", openapi_extra=writers("admin"))
    def write_then_refuse(session: SessionDep) -> dict:
        repo.audit(session, "admin", "probe11_half_write", "probe", "1", {})
        session.flush()
        raise WorkflowError("refused after a write", 409)

    @router.post("/probe11/write", openapi_extra=writers("admin"))
    def write(session: SessionDep) -> dict:
        repo.audit(session, "admin", "probe11_write", "probe", "1", {})
        return {"ok": True}

    client.app.include_router(router)
    r = client.post("/probe11/write-then-refuse", headers=headers["admin"])
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    assert _audits(db, "probe11_half_write") == 0
    assert client.post("/probe11/write", headers=headers["admin"]).status_code == 200
    assert _audits(db, "probe11_write") == 1  # a route that returns still commits


def test_an_extension_refused_as_the_task_is_closed_stays_pending(env):
    client, headers, db = env
    node = task_ids(db, "fgw")[2]
    r = client.post(f"/api/v1/tasks/{node}/extension-requests",
                    json={"due": date(2027, 6, 30).isoformat(), "reason": "需要更多时间"},
                    headers=headers["rep_fgw"])
    assert r.status_code == 201, r.text
    asked = r.json()["id"]
    r = client.post(f"/api/v1/tasks/{node}/closure-requests", json={"comment": "已完成"},
                    headers=headers["rep_fgw"])
    r = client.post(f"/api/v1/closure-requests/{r.json()['id']}/decision",
                    json={"grant": True}, headers=headers["sup"])
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/extension-requests/{asked}/decision", json={"grant": True},
                    headers=headers["sup"])
    assert r.status_code == 409, r.text
    with db.session() as s:
        row = s.get(ExtensionRequestRow, asked)
        assert (row.status, row.decided_by) == ("pending", None)
