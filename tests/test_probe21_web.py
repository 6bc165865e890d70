"""The thirteenth attacker round (probe21, ``benchmarks/probe21_cases.md``) went through the web
app and the JSON API again. What fell through, each held here on SQLite and PostgreSQL:

- HEAD was 405 on every page and API route (FastAPI's routes answer only the methods they
  name), though RFC 9110 makes HEAD the GET without its body: ``edge.HeadAsGet`` hands a HEAD
  to the app as its GET — the same door — and drops the body; a 405's ``Allow`` names HEAD
  beside GET (``api_v1.methods_at``);
- a lead department acknowledged receipt of a task closed before it had (API and page), and a
  supervisor edited a closed task and a part of one (its neighbours N9 and X1, PATCH and the
  edit page): the
  one rule of a closed task now holds the acknowledgement and the edit too (``acknowledge`` and
  ``update_task`` of ``store.assignment`` ask
  ``workflow.check_task_open`` on the locked task);
- a ``next`` of 10,000 characters came back whole as the sign-in's ``Location`` (10 KB: a
  proxy's header buffer is 4–8 KB): ``auth.safe_next`` bounds what it lets through.

The ``_held`` tests guard what stays as it was and passed before.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lantu.store.models import PlanNodeRow
from webutil import backend_app, csrf_of, login, post, task_with_part

PAGES = ["/", "/indicators", "/targets", "/comparison", "/login", "/healthz", "/api/v1/docs",
         "/supervision", "/account", "/audit", "/admin/users", "/import", "/notifications",
         "/plan/taiyuan-2021-11", "/static/css/lantu.css"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("probe21"),
                     ("admin", "analyst", "rep_czj"), "probe21") as app:
        yield app


def _alike(client, path: str, **kw) -> tuple[int, int, bytes]:
    get, head = client.get(path, **kw), client.head(path, **kw)
    return get.status_code, head.status_code, head.content


def test_head_answers_as_get_on_every_page_route(env):
    client, *_ = env
    client.cookies.clear()
    for path in PAGES:
        g, h, body = _alike(client, path)
        assert (h, body) == (g, b""), (path, g, h)


def test_head_answers_as_get_on_every_read_route_of_the_api(env):
    client, auth, *_ = env
    client.cookies.clear()
    doc = client.get("/api/v1/openapi.json").json()
    paths = [p + ("?year=2024" if p.endswith(("/assessment", "/index", "/evaluation")) else "")
             for p, ops in doc["paths"].items() if "get" in ops and "{" not in p]
    assert len(paths) > 10
    for path in paths:
        g, h, body = _alike(client, path, headers=auth["analyst"])
        assert (h, body) == (g, b""), (path, g, h)


def test_head_keeps_the_door(env):
    client, *_ = env
    client.cookies.clear()
    assert client.head("/api/v1/notifications").status_code == 401
    r = client.head("/supervision")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login(client, "viewer")
    assert client.head("/admin/users").status_code == 403
    assert client.head("/import").status_code == 403


def test_head_on_a_write_route_is_405_and_writes_nothing_held(env):
    client, auth, *_ = env
    login(client, "viewer")
    assert client.head("/logout").status_code == 405
    assert client.get("/account").status_code == 200  # still signed in
    r = client.head("/api/v1/tasks", headers=auth["analyst"])
    assert r.status_code == 405 and r.headers["allow"] == "POST"


def test_a_405_names_head_beside_get(env):
    client, auth, *_ = env
    r = client.options("/api/v1/regions", headers=auth["analyst"])
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"


def _closed_task_with_no_receipt(client, auth, db, title: str) -> int:
    task, _part = task_with_part(client, auth, title)
    r = client.post(f"/api/v1/tasks/{task}/closure-requests", headers=auth["rep_czj"],
                    json={"comment": "已完成"})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/closure-requests/{r.json()['id']}/decision",
                    headers=auth["admin"], json={"grant": True})
    assert r.status_code == 200 and r.json()["task_status"] == "closed", r.text
    return task


def _acknowledged(db, task: int):
    with db.session() as s:
        return s.scalar(select(PlanNodeRow.acknowledged_at).where(PlanNodeRow.id == task))


def test_a_closed_task_takes_no_acknowledgement_by_the_api(env):
    client, auth, db, _ = env
    task = _closed_task_with_no_receipt(client, auth, db, "探针21·签收API")
    r = client.post(f"/api/v1/tasks/{task}/acknowledge", headers=auth["rep_czj"])
    assert r.status_code == 409 and "closed" in r.json()["detail"], r.text
    assert _acknowledged(db, task) is None


def test_a_closed_task_takes_no_acknowledgement_by_the_page(env):
    client, auth, db, _ = env
    task = _closed_task_with_no_receipt(client, auth, db, "探针21·签收页面")
    login(client, "rep_czj")
    r = post(client, f"/supervision/tasks/{task}/acknowledge")
    assert r.status_code == 409
    assert _acknowledged(db, task) is None


def test_an_open_task_is_acknowledged_once_held(env):
    client, auth, db, _ = env
    task, _part = task_with_part(client, auth, "探针21·开着")
    for _ in range(2):
        r = client.post(f"/api/v1/tasks/{task}/acknowledge", headers=auth["rep_czj"])
        assert r.status_code == 200, r.text
    assert _acknowledged(db, task) is not None
    r = client.post(f"/api/v1/tasks/{task}/acknowledge", headers=auth["analyst"])
    assert r.status_code == 403


def _sign_in(client, next_: str):
    client.cookies.clear()
    return client.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                                       "csrf_token": csrf_of(client), "next": next_})


@pytest.mark.parametrize("next_", ["/" + "a" * 10_000, "/indicators?q=" + "太原" * 400,
                                   "/" + "%2F" * 1_000])
def test_a_long_next_is_not_sent_back(env, next_):
    client, *_ = env
    r = _sign_in(client, next_)
    assert r.status_code == 303 and r.headers["location"] == "/"
    client.cookies.clear()
    page = client.get("/login", params={"next": next_}).text
    assert next_[:3000] not in page


def test_a_next_of_ordinary_length_is_kept_held(env):
    client, *_ = env
    target = "/indicators?indicator=" + "gdp," * 400
    r = _sign_in(client, target)
    assert r.status_code == 303 and r.headers["location"] == target


def test_a_closed_task_takes_no_edit(env):
    client, auth, db, _ = env
    task = _closed_task_with_no_receipt(client, auth, db, "探针21·关后编辑")
    got = client.get(f"/api/v1/tasks/{task}", headers=auth["admin"]).json()
    r = client.patch(f"/api/v1/tasks/{task}", headers=auth["admin"],
                     json={"reason": "改名", "title": "关后改名", "version": got["version"]})
    assert r.status_code == 409 and "closed" in r.json()["detail"], r.text
    login(client, "supervisor")
    r = post(client, f"/supervision/tasks/{task}/edit", {
        "title": "页面关后改名", "reason": "改名", "lead_department": "czj",
        "version": got["version"]})
    assert r.status_code == 409
    with db.session() as s:
        assert s.get(PlanNodeRow, task).title == "探针21·关后编辑"
    r = client.post(f"/api/v1/tasks/{task}/reopen", headers=auth["admin"], json={"reason": "重开"})
    assert r.status_code == 200, r.text
    got = client.get(f"/api/v1/tasks/{task}", headers=auth["admin"]).json()
    r = client.patch(f"/api/v1/tasks/{task}", headers=auth["admin"],
                     json={"reason": "改名", "title": "重开后改名", "version": got["version"]})
    assert r.status_code == 200, r.text


def test_a_part_of_a_closed_task_takes_no_edit(env):
    client, auth, db, _ = env
    task, part = task_with_part(client, auth, "探针21·关后分项")
    r = client.post(f"/api/v1/tasks/{task}/closure-requests", headers=auth["rep_czj"],
                    json={"comment": "已完成"})
    r = client.post(f"/api/v1/closure-requests/{r.json()['id']}/decision",
                    headers=auth["admin"], json={"grant": True})
    assert r.status_code == 200, r.text
    got = client.get(f"/api/v1/tasks/{part}", headers=auth["admin"]).json()
    r = client.patch(f"/api/v1/tasks/{part}", headers=auth["admin"],
                     json={"reason": "改", "title": "关后改分项", "version": got["version"]})
    assert r.status_code == 409 and "closed" in r.json()["detail"], r.text
    client.post(f"/api/v1/tasks/{task}/reopen", headers=auth["admin"], json={"reason": "重开"})
    got = client.get(f"/api/v1/tasks/{part}", headers=auth["admin"]).json()
    r = client.patch(f"/api/v1/tasks/{part}", headers=auth["admin"],
                     json={"reason": "改", "title": "重开后改分项", "version": got["version"]})
    assert r.status_code == 200 and r.json()["title"] == "重开后改分项", r.text
