"""An edit of a row others edit too must say which version it was made from (one rule,
``lantu.supervise.workflow.check_version``): ``PATCH /api/v1/tasks/{id}`` without ``version`` wrote
(only a stale one was refused), and so did the task's edit form, a report's review form and a
report's own form posted without it — a client that never read the row silently undid a change
made since. Now 428 Precondition Required in the API's JSON error shape, naming ``version``;
a stale one 409. SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

from datetime import date

import pytest

from lantu.store import users
from lantu.store.models import PlanNodeRow
from lantu.store.models_web import ProgressReportRow
from lantu.supervise import month_of
from webutil import backend_app, csrf_of, login, report_id, task_ids

PASSWORD = "Correct-horse-9-battery"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams8v"),
                     ("rep_fgw",), "seams8v") as app:
        client, auth, db, home = app
        with db.session() as s:
            users.add_user(s, "sup8", PASSWORD, "supervisor")
            auth["sup8"] = {"Authorization": f"Bearer {users.create_api_token(s, 'sup8', 'v')}"}
            users.add_user(s, "rep8b", PASSWORD, "reporter", department_code="fgw")
            auth["rep8b"] = {
                "Authorization": f"Bearer {users.create_api_token(s, 'rep8b', 'v')}"}
        yield client, auth, db, home


def _due(db, node: int) -> date | None:
    with db.session() as s:
        return s.get(PlanNodeRow, node).due_date


def test_a_patch_without_the_version_read_is_428_naming_the_field(env):
    client, auth, db, _home = env
    sup = auth["sup8"]
    node = task_ids(db, "fgw")[1]
    before = _due(db, node)
    read = client.get(f"/api/v1/tasks/{node}", headers=sup).json()
    assert isinstance(read["version"], int)  # the GET tells the client what to send back
    r = client.patch(f"/api/v1/tasks/{node}", json={"reason": "盲改", "due": "2029-06-30"},
                     headers=sup)
    assert r.status_code == 428, r.text
    body = r.json()
    assert body["error"] == "precondition_required"
    assert body["errors"] == [{"field": "version", "reason": "required: the version you read"}]
    assert "version" in body["detail"]
    assert _due(db, node) == before
    for empty in ({"reason": "x", "version": None},):  # null is no version either
        assert client.patch(f"/api/v1/tasks/{node}", json=empty, headers=sup).status_code == 428
    ok = client.patch(f"/api/v1/tasks/{node}", headers=sup,
                      json={"reason": "按读到的版本改", "due": "2029-06-30",
                            "version": read["version"]})
    assert ok.status_code == 200 and ok.json()["version"] > read["version"]
    assert _due(db, node) == date(2029, 6, 30)


def test_the_api_document_says_the_version_is_required(env):
    client, _auth, _db, _home = env
    doc = client.get("/api/v1/openapi.json").json()
    patch = doc["paths"]["/api/v1/tasks/{node_id}"]["patch"]
    assert "428" in patch["responses"]
    schema = doc["components"]["schemas"]["TaskPatch"]["properties"]["version"]
    assert "required" in schema["description"] and "428" in schema["description"]


def test_the_edit_form_posted_without_its_version_is_428(env):
    client, _auth, db, _home = env
    node = task_ids(db, "fgw")[2]
    login(client, "sup8", PASSWORD)
    try:
        before = _due(db, node)
        token = csrf_of(client, f"/supervision/tasks/{node}/edit")
        r = client.post(f"/supervision/tasks/{node}/edit",
                        data={"csrf_token": token, "reason": "无版本", "title": "盲改标题",
                              "due": "2031-01-31"})
        assert r.status_code == 428
        assert _due(db, node) == before
    finally:
        client.cookies.clear()


def _report_form(client, node: int, auth: dict, data: dict):
    return client.post(f"/supervision/tasks/{node}/report", data=data, headers=auth)


def test_a_colleagues_draft_saved_since_is_not_overwritten(env):
    client, auth, db, _home = env
    node = task_ids(db, "fgw")[4]
    month = month_of(date.today())
    a, b = auth["rep_fgw"], auth["rep8b"]
    base = {"month": month, "percent": 20, "action": "save"}
    assert _report_form(client, node, a, {**base, "text": "甲的初稿"}).status_code == 428
    # both opened the empty form (version 0); the first save wins, the second is stale
    assert _report_form(client, node, a, {**base, "text": "甲的初稿", "version": 0}
                        ).status_code == 303
    r = _report_form(client, node, b, {**base, "text": "乙的初稿", "version": 0})
    assert r.status_code == 409
    rid = report_id(db, node, "fgw", month)
    with db.session() as s:
        row = s.get(ProgressReportRow, rid)
        assert row.text == "甲的初稿"
        version = row.version
    # an edit without the version is refused; with the one read it saves
    assert _report_form(client, node, b, {**base, "text": "乙改"}).status_code == 428
    assert _report_form(client, node, b, {**base, "text": "乙在甲之后改", "version": version}
                        ).status_code == 303
    with db.session() as s:
        assert s.get(ProgressReportRow, rid).text == "乙在甲之后改"


def test_the_report_form_carries_the_version_shown(env):
    client, auth, db, _home = env
    node, empty = task_ids(db, "fgw")[6:8]
    month = month_of(date.today())
    assert _report_form(client, node, auth["rep_fgw"], {
        "month": month, "percent": 5, "text": "草稿", "action": "save", "version": 0,
    }).status_code == 303
    login(client, "rep8b", PASSWORD)
    try:
        page = client.get(f"/supervision/tasks/{node}").text
        with db.session() as s:
            version = s.get(ProgressReportRow, report_id(db, node, "fgw", month)).version
        assert f'name="version" value="{version}"' in page
        assert 'name="version" value="0"' in client.get(f"/supervision/tasks/{empty}").text
    finally:
        client.cookies.clear()


def test_a_review_posted_without_the_version_is_428(env):
    client, auth, db, _home = env
    node = task_ids(db, "fgw")[5]
    month = month_of(date.today())
    assert _report_form(client, node, auth["rep_fgw"],
                        {"month": month, "percent": 30, "text": "待审", "action": "submit",
                         "version": 0}).status_code == 303
    rid = report_id(db, node, "fgw", month)
    r = client.post(f"/supervision/reports/{rid}/review", headers=auth["sup8"],
                    data={"decision": "approve"})
    assert r.status_code == 428
    with db.session() as s:
        assert s.get(ProgressReportRow, rid).status == "submitted"
        version = s.get(ProgressReportRow, rid).version
    r = client.post(f"/supervision/reports/{rid}/review", headers=auth["sup8"],
                    data={"decision": "approve", "version": version})
    assert r.status_code == 303
