"""The supervision cycle through the JSON API, as the contract of issue 11 says: assign → notify
→ acknowledge → remind → extension → close → reopen, each step in the history and the audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lantu.store import Database, users
from lantu.store.models import AuditLogRow, PlanNodeRow
from lantu.store.models_supervision import NotificationRow, ReminderRow, TaskVersionRow
from webutil import fresh_db, login, make_client

PLAN = "taiyuan-2021-11"
ROLES = ("admin", "supervisor", "analyst", "viewer", "rep_fgw", "rep_kjj")


@pytest.fixture()
def api(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with db.session() as s:
        tokens = {name: users.create_api_token(s, name, "test") for name in ROLES}
    with make_client(db, tmp_path / "home") as client:
        yield Api(client, db, tokens)
    db.dispose()


class Api:
    def __init__(self, client, db, tokens):
        self.client, self.db, self.tokens = client, db, tokens

    def __call__(self, method, path, who="supervisor", **kw):
        return self.client.request(method, "/api/v1" + path, **kw,
                                   headers={"Authorization": f"Bearer {self.tokens[who]}"})


def new_task(api, **extra):
    due = (date.today() + timedelta(days=60)).isoformat()
    body = {"plan": PLAN, "parent": "T1", "title": "建设国家物流枢纽承载城市配套工程",
            "lead_department": "fgw", "supporting_departments": ["kjj"], "due": due,
            "origin": "instruction", **extra}
    r = api("POST", "/tasks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_assign_notify_acknowledge_and_history(api):
    created = new_task(api, milestones=[{"title": "完成选址", "due": "2027-03-01"}])
    tid = created["id"]
    assert created["code"].startswith("T1.") and created["version"] == 1
    task = api("GET", f"/tasks/{tid}").json()
    assert (task["lead_department"], task["supporting_departments"], task["status"],
            task["origin"]) == ("fgw", ["kjj"], "not_started", "instruction")
    # the lead department's reporter is told; the supporting one is not (it is not asked to sign)
    notes = api("GET", "/notifications", who="rep_fgw").json()
    assert notes["unread"] == 1 and notes["data"][0]["task_id"] == tid
    assert api("GET", "/notifications", who="rep_kjj").json()["total"] == 0
    # 签收 by the lead department only
    assert api("POST", f"/tasks/{tid}/acknowledge", who="rep_kjj").status_code == 403
    r = api("POST", f"/tasks/{tid}/acknowledge", who="rep_fgw")
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "rep_fgw"
    # a change is a new version with who/when/why; a reason is required
    assert api("PATCH", f"/tasks/{tid}", json={"title": "x"}).status_code == 422
    assert api("PATCH", f"/tasks/{tid}", json={"title": "x", "reason": "r"}).status_code == 428
    r = api("PATCH", f"/tasks/{tid}", json={"title": "物流枢纽配套工程（调整）", "version": 1,
                                            "supporting_departments": [], "reason": "市长批示"})
    assert r.status_code == 200 and r.json()["version"] == 2
    hist = api("GET", f"/tasks/{tid}/history").json()
    assert [v["version"] for v in hist["versions"]] == [1, 2]
    changes = {c["field"]: (c["old"], c["new"]) for c in hist["versions"][1]["changes"]}
    assert changes == {"title": ("建设国家物流枢纽承载城市配套工程", "物流枢纽配套工程（调整）"),
                       "supporting": (["kjj"], [])}
    assert hist["versions"][1]["actor"] == "supervisor"
    assert hist["versions"][1]["reason"] == "市长批示"
    assert {"assigned", "acknowledged", "changed"} <= {e["kind"] for e in hist["events"]}
    with api.db.session() as s:
        actions = set(s.scalars(select(AuditLogRow.action).where(
            AuditLogRow.entity == "plan_node", AuditLogRow.entity_id == str(tid))))
        assert {"create", "acknowledge", "update"} <= actions


def test_bad_assignments_are_refused_naming_the_field(api):
    for body, field in (({"lead_department": "nosuch"}, "department"),
                        ({"supporting_departments": ["fgw"]}, "supporting_departments"),
                        ({"due": "2020-01-01", "start": "2021-01-01"}, "due"),
                        ({"parent": "T99"}, "parent"), ({"indicators": ["nosuch"]}, "indicators")):
        due = body.pop("due", "2030-01-01")
        r = api("POST", "/tasks", json={"plan": PLAN, "parent": "T1", "title": "t",
                                        "lead_department": "fgw", "due": due, **body})
        assert r.status_code == 422 and field in r.json()["detail"], (body, r.text)
    with api.db.session() as s:
        assert s.scalar(select(func.count()).select_from(TaskVersionRow)) == 0


def test_remind_extend_close_reopen(api):
    tid = new_task(api)["id"]
    old_due = api("GET", f"/tasks/{tid}").json()["due"]
    r = api("POST", f"/tasks/{tid}/reminders", json={"message": "请尽快报送进展",
                                                     "reply_by": "2030-01-10"})
    assert r.status_code == 201 and r.json()["notified"] == 1
    assert api("POST", f"/tasks/{tid}/reminders", who="rep_fgw",
               json={"message": "x"}).status_code == 403
    note = api("GET", "/notifications", who="rep_fgw").json()["data"][0]
    assert note["title"].startswith("催办") and not note["read"]
    assert api("POST", f"/notifications/{note['id']}/read", who="rep_kjj").status_code == 404
    assert api("POST", f"/notifications/{note['id']}/read", who="rep_fgw").status_code == 200
    assert api("GET", "/notifications", who="rep_fgw").json()["data"][0]["read"] is True
    # extension: asked by the lead department, granted by the supervisor
    new_due = (date.fromisoformat(old_due) + timedelta(days=90)).isoformat()
    assert api("POST", f"/tasks/{tid}/extension-requests", who="rep_kjj",
               json={"due": new_due, "reason": "x"}).status_code == 403
    r = api("POST", f"/tasks/{tid}/extension-requests", who="rep_fgw",
            json={"due": new_due, "reason": "征地手续未完成"})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert api("POST", f"/extension-requests/{rid}/decision", who="rep_fgw",
               json={"grant": True}).status_code == 403
    r = api("POST", f"/extension-requests/{rid}/decision", json={"grant": True, "comment": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "granted"
    assert api("GET", f"/tasks/{tid}").json()["due"] == new_due
    assert api("POST", f"/extension-requests/{rid}/decision",
               json={"grant": False, "comment": "再议"}).status_code == 409
    hist = api("GET", f"/tasks/{tid}/history").json()
    assert any(e["kind"] == "extended" and old_due in e["comment"] and new_due in e["comment"]
               for e in hist["events"])
    assert hist["versions"][-1]["changes"] == [{"field": "due", "old": old_due, "new": new_due}]
    # closing: asked with the evidence, returned once, then closed
    r = api("POST", f"/tasks/{tid}/closure-requests", who="rep_fgw", json={"comment": "已建成"})
    cid = r.json()["id"]
    assert api("POST", f"/closure-requests/{cid}/decision",
               json={"grant": False}).status_code == 422  # returning needs a comment
    assert api("POST", f"/closure-requests/{cid}/decision",
               json={"grant": False, "comment": "请附竣工验收材料"}).json()["status"] == "refused"
    cid = api("POST", f"/tasks/{tid}/closure-requests", who="rep_fgw",
              json={"comment": "已竣工验收"}).json()["id"]
    assert api("POST", f"/closure-requests/{cid}/decision",
               json={"grant": True}).json()["task_status"] == "closed"
    assert api("GET", f"/tasks/{tid}").json()["status"] == "closed"
    assert api("POST", f"/tasks/{tid}/reminders", json={"message": "x"}).status_code == 409
    assert api("POST", f"/tasks/{tid}/reopen", json={"reason": "验收发现问题"}).status_code == 200
    assert api("GET", f"/tasks/{tid}").json()["status"] == "in_progress"


def test_another_departments_reporter_sees_nothing(api):
    tid = new_task(api, supporting_departments=[])["id"]
    for method, path, body in (("GET", f"/tasks/{tid}", None), ("GET", f"/tasks/{tid}/history", None),
                               ("POST", f"/tasks/{tid}/extension-requests",
                                {"due": "2031-01-01", "reason": "x"}),
                               ("POST", f"/tasks/{tid}/closure-requests", {"comment": "x"}),
                               ("PATCH", f"/tasks/{tid}", {"title": "y", "reason": "z"})):
        assert api(method, path, who="rep_kjj", json=body).status_code == 404, path
    with api.db.session() as s:
        assert s.get(PlanNodeRow, tid).title == "建设国家物流枢纽承载城市配套工程"
        assert s.scalar(select(func.count()).select_from(ReminderRow)) == 0
        assert s.scalar(select(func.count()).select_from(NotificationRow).where(
            NotificationRow.kind.in_(("extension_request", "closure_request")))) == 0


def test_lantu_remind_is_idempotent_and_dry_run_sends_nothing(web_template_db, tmp_path):
    from typer.testing import CliRunner

    from lantu.cli import app

    db = fresh_db(web_template_db, tmp_path)
    url = db.url
    with db.session() as s:  # three tasks of fgw: due in 3 days, overdue 2 days, overdue 20 days
        ids = list(s.scalars(select(PlanNodeRow.id).where(
            PlanNodeRow.lead_department == "fgw", PlanNodeRow.kind == "task")))[:3]
        today = date(2026, 6, 15)
        for nid, due in zip(ids, (today + timedelta(days=3), today - timedelta(days=2),
                                  today - timedelta(days=20)), strict=True):
            s.get(PlanNodeRow, nid).due_date = due
        before = s.scalar(select(func.count()).select_from(ReminderRow))
    db.dispose()
    runner = CliRunner()
    args = ["remind", "--today", "2026-06-15", "--db", url]
    res = runner.invoke(app, [*args, "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "before_due" in res.output and "escalation" in res.output
    db = Database(url)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReminderRow)) == before
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    with db.session() as s:
        kinds = sorted(s.scalars(select(ReminderRow.kind).where(ReminderRow.node_id.in_(ids))))
        assert kinds == ["before_due", "escalation", "overdue", "overdue"]
        n_notes = s.scalar(select(func.count()).select_from(NotificationRow))
        total = s.scalar(select(func.count()).select_from(ReminderRow))
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "Sent 0 reminders" in res.output
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReminderRow)) == total
        assert s.scalar(select(func.count()).select_from(NotificationRow)) == n_notes
    db.dispose()


def test_assessment_ranks_the_department_that_reports_above_the_silent_ones(api, tmp_path):
    """The issue-9 case: one department reported and was approved; it must not rank below the
    departments that never reported."""
    from io import BytesIO

    import openpyxl

    from lantu.store.supervision import review_report, save_report

    year = date.today().year
    month = date.today().strftime("%Y-%m")
    with api.db.session() as s:
        node = s.scalar(select(PlanNodeRow.id).where(PlanNodeRow.lead_department == "fgw",
                                                     PlanNodeRow.kind == "task"))
        rep, chief = users.get_user(s, "rep_fgw"), users.get_user(s, "supervisor")
        row = save_report(s, rep, node, month=month, text="完成", percent=50, submit=True,
                          today=date.today(), expected_version=0)
        review_report(s, chief, row.id, approve=True, expected_version=row.version)
    r = api("GET", f"/assessment?year={year}", who="analyst")
    assert r.status_code == 200, r.text
    body = r.json()
    rows = {d["department"]: d for d in body["data"]}
    assert rows["fgw"]["silent"] is False and rows["fgw"]["parts"]["approval"] == 1.0
    silent = [d for d in body["data"] if d["silent"]]
    assert silent and all(d["score"] == 0 and d["rank"] > rows["fgw"]["rank"] for d in silent)
    assert body["formula"].startswith("100 × (0.30 × reporting")
    assert api("GET", f"/assessment?year={year}", who="rep_fgw").status_code == 403
    # the page and the workbook show the same ranking
    login(api.client, "viewer")
    page = api.client.get(f"/supervision/assessment?year={year}")
    assert page.status_code == 200 and "按时报送率" in page.text
    x = api.client.get(f"/supervision/assessment.xlsx?year={year}")
    ws = openpyxl.load_workbook(BytesIO(x.content)).active
    by_code = {row[2]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert by_code["fgw"][0] == rows["fgw"]["rank"] and by_code["fgw"][-2] == rows["fgw"]["score"]
    login(api.client, "rep_fgw")
    assert api.client.get(f"/supervision/assessment?year={year}").status_code == 403


# -- dates that cannot be: one rule (lantu.supervise.assign) for the API, the pages and the store --


def _tasks(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(PlanNodeRow))


def test_a_deadline_before_the_plan_starts_is_refused_on_every_path(api):
    from lantu.store import assignment
    from lantu.supervise import WorkflowError
    from webutil import post

    with api.db.session() as s:
        first = assignment.plan_start(s, PLAN)
    assert first is not None and first.year >= 2020
    before = _tasks(api.db)
    body = {"plan": PLAN, "parent": "T1", "title": "t", "lead_department": "fgw",
            "due": "1999-01-01"}
    r = api("POST", "/tasks", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "due", "reason": r.json()["errors"][0]["reason"]}]
    assert "plan starts" in r.json()["detail"]
    login(api.client, "supervisor")
    r = post(api.client, "/supervision/tasks/new", {**body, "kind": "task", "origin": "meeting",
                                                     "reason": "x"},
             csrf_page="/supervision/tasks/new")
    assert r.status_code == 422 and "1999-01-01" in r.text
    with api.db.session() as s:
        user = users.get_user(s, "supervisor")
        with pytest.raises(WorkflowError) as info:
            assignment.create_task(s, user, plan=PLAN, parent="T1", title="t",
                                   lead_department="fgw", due=date(1999, 1, 1))
    assert info.value.values["field"] == "due"
    assert _tasks(api.db) == before
    # a change of deadline is judged too; a day the plan has begun is fine
    tid = new_task(api)["id"]
    r = api("PATCH", f"/tasks/{tid}", json={"due": "1999-12-31", "reason": "改期", "version": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "due", r.text
    r = api("PATCH", f"/tasks/{tid}", json={"due": first.isoformat(), "reason": "改期",
                                            "version": 1})
    assert r.status_code == 200, r.text


def test_a_reminder_answer_date_that_has_passed_is_refused_on_every_path(api):
    from lantu.store import cycle
    from lantu.supervise import WorkflowError
    from webutil import post

    tid = new_task(api)["id"]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    r = api("POST", f"/tasks/{tid}/reminders", json={"message": "请报送", "reply_by": "2001-01-10"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reply_by", r.text
    r = api("POST", f"/tasks/{tid}/reminders", json={"message": "请报送", "reply_by": yesterday})
    assert r.status_code == 422, r.text
    login(api.client, "supervisor")
    r = post(api.client, f"/supervision/tasks/{tid}/remind",
             {"message": "请报送", "reply_by": "2001-01-10"})
    assert r.status_code == 422 and "2001-01-10" in r.text
    with api.db.session() as s:
        user = users.get_user(s, "supervisor")
        with pytest.raises(WorkflowError):
            cycle.send_reminder(s, user, tid, message="请报送", reply_by=date(2026, 1, 1),
                                today=date(2026, 1, 2))
        assert s.scalar(select(func.count()).select_from(ReminderRow)) == 0
    today = date.today().isoformat()
    r = api("POST", f"/tasks/{tid}/reminders", json={"message": "请报送", "reply_by": today})
    assert r.status_code == 201, r.text
