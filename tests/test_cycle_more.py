"""The rest of the supervision cycle (issue 11): goals readable through the API, downloads for
the roles allowed, offline API docs, sub-tasks split to a department's own units, blueprint
upload. Every new route as every role and as another department's reporter."""

from __future__ import annotations

import re

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
