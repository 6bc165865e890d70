"""The rest of the supervision cycle (issue 11): goals readable through the API, downloads for
the roles allowed, offline API docs, sub-tasks split to a department's own units, blueprint
upload. Every new route as every role and as another department's reporter."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lantu.store import assignment, users
from lantu.store.models import AuditLogRow, PlanNodeRow
from lantu.store.models_web import TaskEventRow
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


# -- downloads -----------------------------------------------------------------------------------


def _form(html: str, test_id: str) -> tuple[str, dict[str, str]]:
    """The action of the form marked ``data-test=test_id`` and the values it sends as shown
    (selected options, filled inputs; unchecked boxes send nothing)."""
    import re

    m = re.search(r'<form method="get" action="([^"]+)"[^>]*data-test="'
                  + re.escape(test_id) + r'">(.*?)</form>', html, re.S)
    assert m, f"no form {test_id}"
    action, body, values = m.group(1), m.group(2), {}
    for name, options in re.findall(r'<select name="(\w+)">(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected>', options) or re.search(
            r'<option value="([^"]+)"', options)
        values[name] = chosen.group(1)
    for name, value in re.findall(r'<input type="month" name="(\w+)" value="([^"]*)"', body):
        values[name] = value
    return action, values


@pytest.mark.parametrize("role", ROLES)
def test_downloads_page_offers_what_the_role_may_download(env, role):
    from webutil import login

    db, client = env
    login(client, role)
    page = client.get("/reports")
    assert page.status_code == 200
    assert 'href="/reports"' in client.get("/supervision").text  # linked from supervision
    assert 'href="/reports"' in client.get("/").text  # and from the overview, signed in
    has_bulletin = 'data-test="dl-bulletin"' in page.text
    assert has_bulletin == (role not in ("rep_fgw", "rep_kjj"))
    # the task table form works for every role; a reporter's holds only their department
    action, values = _form(page.text, "dl-tasks")
    r = client.get(action, params=values)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    if has_bulletin:
        action, values = _form(page.text, "dl-bulletin")
        r = client.get(action, params={**values, "fonts": "standard"})
        assert r.status_code == 200 and r.content[:2] == b"PK", r.text[:300]
    else:
        assert client.get("/reports/bulletin").status_code == 403


def test_the_monitoring_form_downloads_the_chosen_region_and_year(env):
    from webutil import login

    db, client = env
    login(client, "viewer")
    page = client.get("/reports").text
    action, values = _form(page, "dl-monitoring")
    assert action == "/reports/monitoring" and values["format"] == "docx"
    assert values["region"] and values["period"].isdigit()
    r = client.get(action, params={**values, "fonts": "standard"})
    assert r.status_code == 200, r.text[:300]
    assert r.content[:2] == b"PK"
    assert f"{values['region']}-{values['period']}.docx" in r.headers["content-disposition"]


def test_downloads_need_a_login(env):
    db, client = env
    assert client.get("/reports").status_code == 303
    assert 'href="/reports"' not in client.get("/").text  # anonymous overview: no link


# -- interactive API docs, offline ---------------------------------------------------------------

EXTERNAL = re.compile(r"""(?:src|href|url)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_api_docs_page_and_assets_are_served_here(env):
    """The page and everything it loads come from this server, under the CSP of every page;
    the page names no outside address."""
    db, client = env
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "http://" not in r.text and "https://" not in r.text and not EXTERNAL.search(r.text)
    assert "<script>" not in r.text  # no inline script: the CSP would refuse it
    loaded = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', r.text)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in loaded
    assert "/api/v1/docs/assets/swagger-ui.css" in loaded and "/static/js/apidocs.js" in loaded
    for url in loaded:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript",
                                                                "application/javascript",
                                                                "text/css")
    start = client.get("/static/js/apidocs.js").text
    assert "validatorUrl: null" in start and "http" not in start.replace("https?", "")


def test_the_schema_declares_the_bearer_scheme_where_a_user_is_needed(env):
    db, client = env
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"]}
    assert schema["paths"]["/api/v1/tasks"]["post"]["security"] == [{"bearer": []}]
    assert schema["paths"]["/api/v1/notifications"]["get"]["security"] == [{"bearer": []}]
    open_ops = [p for p, ops in schema["paths"].items() for op in ops.values()
                if op.get("security") != [{"bearer": []}]]
    assert open_ops == [], "every /api/v1 operation needs a token, and says so"
    # what the docs page sends after "Authorize": the token alone, no cookie
    r = client.get("/api/v1/notifications", headers=_bearer(db, "rep_fgw"))
    assert r.status_code == 200


def test_the_account_page_links_the_api_docs(env):
    from webutil import login

    db, client = env
    login(client, "viewer")
    assert 'href="/api/v1/docs"' in client.get("/account").text


# -- a lead department splits its task among its units -------------------------------------------

DUE = date.today() + timedelta(days=60)


def _fgw_task(db) -> tuple[int, str]:
    with db.session() as s:
        node = assignment.create_task(s, users.get_user(s, "supervisor"), plan="taiyuan-2021-11",
                                      parent="T1", title="分解测试任务", lead_department="fgw",
                                      due=DUE, origin="blueprint")
        return node.id, node.code


def _snapshot(db) -> tuple:
    with db.session() as s:
        return (tuple(s.execute(select(PlanNodeRow.id, PlanNodeRow.progress, PlanNodeRow.status,
                                       PlanNodeRow.unit)).all()),
                s.scalar(select(func.count()).select_from(TaskEventRow)),
                s.scalar(select(func.count()).select_from(AuditLogRow)))


SPLIT_STATUS = {"rep_fgw": 201, "rep_kjj": 404, "admin": 422, "supervisor": 422,
                "analyst": 403, "viewer": 403}


@pytest.mark.parametrize("role", ROLES)
def test_split_through_the_api_as_every_role(env, role):
    """Only the lead department's reporter gives a part of its own task to one of its units;
    another department's reporter does not see the task (404), the office does not split (422:
    it assigns sub-tasks instead), other roles may not (403); a refusal changes nothing."""
    db, client = env
    tid, code = _fgw_task(db)
    headers = _bearer(db, role)
    before = _snapshot(db)
    r = client.post("/api/v1/tasks", headers=headers, json={
        "plan": "taiyuan-2021-11", "parent": code, "title": "编制实施方案", "unit": "规划处",
        "weight": 2, "due": str(DUE - timedelta(days=10))})
    assert r.status_code == SPLIT_STATUS[role], r.text
    if r.status_code != 201:
        assert r.json()["error"] and _snapshot(db) == before
        return
    part = client.get(f"/api/v1/tasks/{r.json()['id']}", headers=_bearer(db, "rep_fgw")).json()
    assert part["unit"] == "规划处" and part["weight"] == 2 and part["lead_department"] == "fgw"
    assert part["parent"] == code
    task = client.get(f"/api/v1/tasks/{tid}", headers=_bearer(db, "supervisor")).json()
    assert [p["code"] for p in task["parts"]] == [part["code"]] and task["rollup"] == 0
    assert client.get(f"/api/v1/tasks/{part['id']}",
                      headers=_bearer(db, "rep_kjj")).status_code == 404


def test_split_refuses_what_only_the_office_sets_and_other_departments_tasks(env):
    db, client = env
    tid, code = _fgw_task(db)
    rep = _bearer(db, "rep_fgw")
    body = {"plan": "taiyuan-2021-11", "parent": code, "title": "x", "unit": "规划处"}
    before = _snapshot(db)
    r = client.post("/api/v1/tasks", headers=rep, json={**body, "lead_department": "kjj"})
    assert r.status_code == 422 and r.json()["detail"].startswith("lead_department:")
    r = client.post("/api/v1/tasks", headers=rep, json={**body, "due": str(DUE + timedelta(1))})
    assert r.status_code == 422 and "after the task" in r.json()["detail"]
    r = client.post("/api/v1/tasks", headers=rep, json={**body, "due": "1999-01-01"})
    assert r.status_code == 422 and "before the plan starts" in r.json()["detail"], r.text
    assert client.post("/api/v1/tasks", headers=rep,
                       json={**body, "unit": " "}).status_code == 422
    with db.session() as s:
        goal = s.scalar(select(PlanNodeRow.code).where(PlanNodeRow.kind == "goal"))
    assert client.post("/api/v1/tasks", headers=rep,  # a goal is not the department's task
                       json={**body, "parent": goal}).status_code == 403
    assert client.post("/api/v1/tasks", headers=rep,  # no unit: assigning, the office's job
                       json={k: v for k, v in body.items() if k != "unit"}).status_code == 403
    assert _snapshot(db) == before


def test_parts_roll_up_by_weight_and_stay_out_of_what_the_office_follows(env):
    from lantu.store import cycle
    from lantu.store import supervision as sv

    db, client = env
    tid, code = _fgw_task(db)
    rep = _bearer(db, "rep_fgw")
    ids = []
    for unit, weight in (("规划处", 1), ("综合处 王某", 3)):
        r = client.post("/api/v1/tasks", headers=rep, json={
            "plan": "taiyuan-2021-11", "parent": code, "title": f"{unit}的部分", "unit": unit,
            "weight": weight, "due": str(date.today() - timedelta(days=30))})  # overdue
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = client.post(f"/api/v1/tasks/{ids[0]}/unit-progress", headers=rep,
                    json={"percent": 100, "note": "完成"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    task = client.get(f"/api/v1/tasks/{tid}", headers=rep).json()
    assert task["rollup"] == 25.0  # (100·1 + 0·3) / 4
    assert task["progress"] == 0  # the official progress is still the approved report's
    for role, status in (("rep_kjj", 404), ("supervisor", 403), ("viewer", 403)):
        headers = _bearer(db, role)
        before = _snapshot(db)
        assert client.post(f"/api/v1/tasks/{ids[1]}/unit-progress", headers=headers,
                           json={"percent": 50}).status_code == status, role
        assert _snapshot(db) == before
    with db.session() as s:
        sup = users.get_user(s, "supervisor")
        table = {row["id"] for row in sv.all_tasks(s, sup, today=date.today(), warn_days=30)}
        assert tid in table and not set(ids) & table
        run = cycle.automatic_reminders(s, today=date.today(), remind_days=7, escalate_days=7,
                                        ack_days=3, dry_run=True)
        assert not {r.node_id for r in run.planned} & set(ids)  # overdue, yet not reminded
        events = [e.kind for e in s.scalars(select(TaskEventRow).where(
            TaskEventRow.node_id == tid))]
        assert events.count("split") == 2 and "unit_progress" in events


@pytest.mark.parametrize("role", ROLES)
def test_split_pages_as_every_role(env, role):
    from webutil import login, post

    db, client = env
    tid, code = _fgw_task(db)
    login(client, role)
    page = client.get(f"/supervision/tasks/{tid}")
    if role == "rep_kjj":
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        assert ('data-test="split-form"' in page.text) == (role == "rep_fgw")
    before = _snapshot(db)
    r = post(client, f"/supervision/tasks/{tid}/parts",
             {"title": "编制方案", "unit": "规划处", "weight": "2"})
    expected = {"rep_fgw": 303, "rep_kjj": 404}.get(role, 403)
    assert r.status_code == expected, (role, r.status_code, r.text[:300])
    if expected != 303:
        assert _snapshot(db) == before
        return
    page = client.get(f"/supervision/tasks/{tid}").text
    assert "规划处" in page and 'data-test="rollup"' in page
    with db.session() as s:
        part = s.scalar(select(PlanNodeRow.id).where(PlanNodeRow.unit == "规划处"))
    assert post(client, f"/supervision/parts/{part}/progress",
                {"percent": "40"}).status_code == 303
    assert "40.0%" in client.get(f"/supervision/tasks/{tid}").text
    assert client.get(f"/supervision/tasks/{part}").status_code == 404  # shown on its task


# -- blueprint upload, outline editing, a new plan ----------------------------------------------

BLUEPRINT = """# 某市推动高质量发展三年行动方案

一、推动产业转型升级
（一）建设先进制造业集群。到2025年，规模以上工业增加值年均增长6%。
（二）培育数字经济。加快建设数据中心。
二、深化重点领域改革
（一）优化营商环境。全面推行一网通办。
（二）深化国资国企改革。
"""


def _hidden(html: str, name: str) -> str:
    import html as h

    m = re.search(r'<input type="hidden" name="' + re.escape(name) + r'" value="([^"]*)">', html)
    assert m, f"no hidden {name}"
    return h.unescape(m.group(1))


def _outline(html: str) -> str:
    import html as h

    m = re.search(r'<textarea name="outline"[^>]*>(.*?)</textarea>', html, re.S)
    assert m, "no outline"
    return h.unescape(m.group(1))


def _upload(client, name: str, data: bytes, code: str = "") -> str:
    from webutil import CSRF_RE

    token = CSRF_RE.search(client.get("/supervision/plans/new").text).group(1)
    r = client.post("/supervision/plans/new", data={"csrf_token": token, "code": code},
                    files={"file": (name, data)})
    assert r.status_code == 200, r.text[:500]
    return r.text


@pytest.mark.parametrize("role", ROLES)
def test_blueprint_upload_is_for_supervisors_and_admins(env, role):
    from webutil import login, post

    db, client = env
    login(client, role)
    allowed = role in ("admin", "supervisor")
    assert client.get("/supervision/plans/new").status_code == (200 if allowed else 403)
    before = _snapshot(db)
    r = post(client, "/supervision/plans/new/save", {
        "outline": "- [任务] 甲", "kept": "{}", "code": f"p-{role.replace('_', '-')}",
        "title": "甲", "action": "save"})
    assert r.status_code == (303 if allowed else 403), r.text[:300]
    if not allowed:
        assert _snapshot(db) == before


def test_upload_edit_the_outline_and_save_a_new_versioned_plan(env):
    from lantu.store.models_supervision import TaskVersionRow
    from webutil import login, post

    db, client = env
    login(client, "supervisor")
    page = _upload(client, "行动方案.md", BLUEPRINT.encode("gbk"), code="xd-2025")
    outline = _outline(page)
    assert "- [任务] 推动产业转型升级 {1}" in outline
    assert "  - [任务] 培育数字经济 {1.2}" in outline
    kept = _hidden(page, "kept")
    assert "到2025年" in kept  # the clause of 1.1 travels with the form
    # rename 1, remove 1.2.1, add a goal on top, move 2 before 1, indent 2.2 under 2.1
    lines = outline.splitlines()
    edited = "\n".join([
        "- [目标] 三年行动总目标",
        *[x for x in lines if "{2}" in x or "{2.1}" in x],
        "    - [任务] 深化国资国企改革 {2.2}",
        lines[0].replace("推动产业转型升级", "推动产业转型"),
        *[x for x in lines if "{1.1}" in x or "{1.2}" in x],
        "  - [任务] 新增：培育未来产业",
    ])
    form = {"outline": edited, "kept": kept, "code": "xd-2025", "title": "三年行动方案",
            "source": "行动方案.md"}
    r = post(client, "/supervision/plans/new/save", {**form, "action": "preview"})
    assert r.status_code == 200 and 'data-test="bp-preview"' in r.text
    r = post(client, "/supervision/plans/new/save", {**form, "action": "save"})
    assert r.status_code == 303 and r.headers["location"].startswith("/?plan=xd-2025")
    with db.session() as s:
        rows = s.execute(select(PlanNodeRow.code, PlanNodeRow.kind, PlanNodeRow.title,
                                PlanNodeRow.text, PlanNodeRow.id).where(
            PlanNodeRow.plan_code == "xd-2025").order_by(PlanNodeRow.position)).all()
        versions = s.scalar(select(func.count()).select_from(TaskVersionRow).join(
            PlanNodeRow, PlanNodeRow.id == TaskVersionRow.node_id).where(
            PlanNodeRow.plan_code == "xd-2025"))
    assert [(c, k, t) for c, k, t, _, _ in rows] == [
        ("1", "goal", "三年行动总目标"), ("2", "task", "深化重点领域改革"),
        ("2.1", "task", "优化营商环境"), ("2.1.1", "task", "深化国资国企改革"),
        ("3", "task", "推动产业转型"), ("3.1", "task", "建设先进制造业集群"),
        ("3.2", "task", "培育数字经济"), ("3.3", "task", "新增：培育未来产业")]
    assert "到2025年" in rows[5][3]  # the kept clause
    assert versions == len(rows)  # version 1 of every node
    # a second save under the same code is refused, the edits stay on the page
    r = post(client, "/supervision/plans/new/save", {**form, "action": "save"})
    assert r.status_code == 422 and "exists already" in r.text and "新增：培育未来产业" in r.text


def test_a_bad_outline_names_its_line_and_saves_nothing(env):
    from webutil import login, post

    db, client = env
    login(client, "admin")
    before = _snapshot(db)
    r = post(client, "/supervision/plans/new/save", {
        "outline": "- [任务] 甲\n      - [任务] 乙", "kept": "{}", "code": "bad-1",
        "title": "x", "action": "save"})
    assert r.status_code == 422 and "line 2" in r.text
    assert _snapshot(db) == before


def test_a_docx_blueprint_is_read(env, tmp_path):
    import docx

    from webutil import login

    db, client = env
    login(client, "supervisor")
    d = docx.Document()
    for line in BLUEPRINT.splitlines()[2:]:
        d.add_paragraph(line)
    path = tmp_path / "方案.docx"
    d.save(path)
    page = _upload(client, "方案.docx", path.read_bytes())
    assert "优化营商环境" in _outline(page)
    from webutil import CSRF_RE

    token = CSRF_RE.search(page).group(1)
    r = client.post("/supervision/plans/new", data={"csrf_token": token},
                    files={"file": ("x.exe", b"MZ")})
    assert r.status_code == 422


def test_a_task_route_without_a_token_is_401_not_422(env):
    """The routes that look a task up (VisibleTask, VisibleNode) need a user through
    CurrentUser: without a token the API says 401 with the bearer challenge (it said 422)."""
    db, client = env
    for path in ("/api/v1/tasks/1", "/api/v1/tasks/1/history", "/api/v1/tasks/1/requests"):
        r = client.get(path)  # (an unsafe method without a token meets the CSRF check: 403)
        assert r.status_code == 401, (path, r.text)
        assert r.headers["www-authenticate"] == "Bearer" and r.json()["error"] == "unauthorized"
