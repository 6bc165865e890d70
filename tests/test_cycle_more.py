"""The rest of the supervision cycle (issue 11): goals readable through the API, downloads for
the roles allowed, offline API docs, sub-tasks split to a department's own units, blueprint
upload. Every new route as every role and as another department's reporter."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lantu.store import users
from lantu.store.models import PlanNodeRow
from webutil import fresh_db, make_client

ROLES = ("admin", "supervisor", "analyst", "viewer", "rep_fgw", "rep_kjj")


@pytest.fixture()
def env(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as client:
        yield db, client
    db.dispose()


def _bearer(db, username: str) -> dict[str, str]:
    with db.session() as s:
        return {"Authorization": f"Bearer {users.create_api_token(s, username, 't')}"}


@pytest.mark.parametrize("role", ROLES)
def test_a_goal_is_readable_through_the_api(env, role):
    """A goal has no lead department: it is part of the published plan, every role reads it
    (it was a 404), with its children's codes absent and its status and due like a task's."""
    db, client = env
    with db.session() as s:
        goal = s.scalar(select(PlanNodeRow).where(PlanNodeRow.lead_department.is_(None))
                        .order_by(PlanNodeRow.id))
        goal_id, code = goal.id, goal.code
    r = client.get(f"/api/v1/tasks/{goal_id}", headers=_bearer(db, role))
    assert r.status_code == 200, r.text
    assert r.json()["code"] == code and r.json()["lead_department"] is None
    h = client.get(f"/api/v1/tasks/{goal_id}/history", headers=_bearer(db, role))
    assert h.status_code == 200 and h.json()["task"] == goal_id


def test_a_missing_node_is_404_in_the_json_error_shape(env):
    db, client = env
    r = client.get("/api/v1/tasks/99999999", headers=_bearer(db, "viewer"))
    assert r.status_code == 404
    assert r.json()["error"] == "not_found" and "99999999" in r.json()["detail"]
