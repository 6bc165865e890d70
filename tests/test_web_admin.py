"""Data import through the browser (dry run, confirm, error report), the audit log, API tokens
and the bearer-token dependency ``ApiUser`` with the department line on a JSON route."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lantu.store.models import AuditLogRow, ObservationRow
from lantu.web.access import VisibleReport, VisibleTask
from lantu.web.deps import ApiUser
from webutil import csrf_of, login, post, report_id, task_ids

# a year the default has no figure for (it reads Taiyuan back to 2000 from the work reports)
GOOD = ("region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
        "140100,1995,gdp,1778.05,亿元,,https://example.org/b,全市地区生产总值1778.05亿元\n")
BAD = ("region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
       "999999,2021,gdp,abc,亿元,,,\n"
       "140100,2021,no_such_indicator,1,,,,\n")


def upload(client, content: str, name="data.csv"):
    return post(client, "/import", files={"file": (name, content.encode("utf-8"), "text/csv")},
                csrf_page="/import")


def n_obs(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ObservationRow))


def test_import_dry_run_then_confirm(client, web_db):
    login(client, "analyst")
    before = n_obs(web_db)
    r = upload(client, GOOD)
    assert r.status_code == 200 and "试运行" in r.text
    assert n_obs(web_db) == before  # the preview wrote nothing
    token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    # another user cannot confirm someone else's preview
    login(client, "admin")
    assert post(client, "/import/confirm", {"token": token, "file": "data.csv"},
                csrf_page="/import").status_code == 404
    login(client, "analyst")
    r = post(client, "/import/confirm", {"token": token, "file": "data.csv"}, csrf_page="/import")
    assert r.status_code == 200 and "已导入" in r.text
    assert n_obs(web_db) == before + 1
    # the staged file is gone: confirming twice is refused
    assert post(client, "/import/confirm", {"token": token, "file": "data.csv"},
                csrf_page="/import").status_code == 404
    with web_db.session() as s:
        assert s.scalar(select(AuditLogRow).where(AuditLogRow.action == "import",
                                                  AuditLogRow.actor == "analyst"))


def test_import_error_report_names_row_column_reason(client, web_db):
    login(client, "analyst")
    before = n_obs(web_db)
    r = upload(client, BAD, name="坏文件.csv")
    assert r.status_code == 422
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(\d*)</td>", r.text)
    assert ("坏文件.csv", "2") in rows and ("坏文件.csv", "3") in rows
    assert "no_such_indicator" in r.text and "999999" in r.text
    assert n_obs(web_db) == before


def test_import_refuses_other_types_and_roles(client):
    login(client, "analyst")
    r = post(client, "/import", files={"file": ("x.exe", b"MZ", "application/octet-stream")},
             csrf_page="/import")
    assert r.status_code == 415
    for who in ("viewer", "rep_fgw", "supervisor"):
        login(client, who)
        assert client.get("/import").status_code == 403, who


def test_audit_page_roles_and_filter(client):
    login(client, "viewer")
    assert client.get("/audit").status_code == 403
    login(client, "supervisor")
    r = client.get("/audit?entity=user")
    assert r.status_code == 200 and "rep_fgw" in r.text
    assert "审计日志" in r.text


def test_api_tokens_from_account_page(client, web_db):
    login(client, "analyst")
    r = post(client, "/account/tokens", {"name": "脚本", "password": "analyst-demo-2026"},
             csrf_page="/account")
    token = re.search(r'<code class="token">([^<]+)</code>', r.text).group(1)
    assert token.startswith("lt_")
    api = TestClient(client.app)
    assert api.get("/account", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    tid = re.search(r"/account/tokens/(\d+)/revoke", client.get("/account").text).group(1)
    assert post(client, f"/account/tokens/{tid}/revoke", csrf_page="/account").status_code == 303
    r = api.get("/account", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def _api_app(client):
    router = APIRouter()

    @router.get("/api/core-test/tasks/{node_id}")
    def task(task: VisibleTask, user: ApiUser):
        return {"id": task.id, "user": user.username}

    @router.get("/api/core-test/reports/{report_id}")
    def report(report: VisibleReport, user: ApiUser):
        return {"id": report.id, "status": report.status}

    @router.post("/api/core-test/echo")
    def echo(user: ApiUser):
        return {"user": user.username}

    client.app.include_router(router)
    return TestClient(client.app)


def test_api_user_bearer_and_department_line(client, web_db):
    from lantu.store import users

    with web_db.session() as s:
        fgw = users.create_api_token(s, "rep_fgw", "t")
        kjj = users.create_api_token(s, "rep_kjj", "t")
    api = _api_app(client)
    node = task_ids(web_db, "fgw")[0]
    assert api.get(f"/api/core-test/tasks/{node}").status_code == 401
    assert api.get(f"/api/core-test/tasks/{node}",
                   headers={"Authorization": "Bearer lt_nope"}).status_code == 401
    r = api.get(f"/api/core-test/tasks/{node}", headers={"Authorization": f"Bearer {fgw}"})
    assert r.json() == {"id": node, "user": "rep_fgw"}
    # bearer requests need no CSRF token
    assert api.post("/api/core-test/echo", headers={"Authorization": f"Bearer {fgw}"}).json() == {
        "user": "rep_fgw"}
    # a cookie session on the API does need it
    login(client, "rep_fgw")
    assert client.post("/api/core-test/echo").status_code == 403
    assert client.post("/api/core-test/echo",
                       headers={"X-CSRF-Token": csrf_of(client, "/supervision")}).status_code == 200
    # the department line: kjj's token sees neither fgw's task (unless kjj supports it) nor report
    month = date.today().strftime("%Y-%m")
    post(client, f"/supervision/tasks/{node}/report",
         {"month": month, "text": "x", "percent": "5", "action": "submit", "version": 0})
    rid = report_id(web_db, node, "fgw", month)
    assert api.get(f"/api/core-test/reports/{rid}",
                   headers={"Authorization": f"Bearer {fgw}"}).status_code == 200
    r = api.get(f"/api/core-test/reports/{rid}", headers={"Authorization": f"Bearer {kjj}"})
    assert r.status_code == 404 and r.json()["detail"]


def test_cli_user_commands(web_db, tmp_path):
    from typer.testing import CliRunner

    from lantu.cli import app

    runner = CliRunner()
    url = web_db.url
    r = runner.invoke(app, ["user", "add", "zhang", "--role", "reporter", "--department", "fgw",
                            "--password", "plum-kettle-orbit-7", "--db", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["user", "add", "li", "--role", "reporter", "--password",
                            "plum-kettle-orbit-7", "--db", url])
    assert r.exit_code == 1 and "department" in r.output
    r = runner.invoke(app, ["user", "add", "wang", "--role", "king", "--password",
                            "plum-kettle-orbit-7", "--db", url])
    assert r.exit_code == 1 and "role" in r.output
    r = runner.invoke(app, ["user", "passwd", "zhang", "--password", "short", "--db", url])
    assert r.exit_code == 1 and "15" in r.output
    assert runner.invoke(app, ["user", "disable", "zhang", "--db", url]).exit_code == 0
    r = runner.invoke(app, ["user", "list", "--db", url])
    assert "zhang" in r.output and "no" in r.output
    r = runner.invoke(app, ["user", "token", "analyst", "--db", url])
    assert r.exit_code == 0 and "lt_" in r.output
