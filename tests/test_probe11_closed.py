"""probe11 (the eighth attacker round): a closed task (销号), the supervision cycle's normal end.

- Once any task was closed, the monitoring report (DOCX and HTML), the bulletin and the task
  table XLSX answered 422 "node T1.8: unknown status 'closed'" to everyone, and so did
  ``lantu export plan``: the plan's reader knew four statuses, the cycle a fifth
  (``lantu.domain.plans.STATUSES`` is now the one list).
- A closed task still took steps that began before it was closed: a report submitted before was
  approved afterwards (the closed task's progress went from 0 to 60), an extension asked before
  was granted (a closed or finished task's deadline moved), a milestone was recorded
  (``lantu.supervise.workflow.check_task_open``, the one rule of a closed task; an extension
  asks ``assign.check_extendable`` when it is asked and when it is granted).

SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from lantu.store import users
from lantu.store.models import MilestoneRow, PlanNodeRow
from lantu.store.models_web import ProgressReportRow
from lantu.supervise import month_of
from webutil import backend_app, task_ids

PASSWORD = "Probe-eleven-long-pass-2026!"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p11closed"),
                     ("rep_fgw", "admin"), "probe11") as (client, headers, db, _home):
        with db.session() as s:
            if users.get_user(s, "sup11") is None:
                users.add_user(s, "sup11", PASSWORD, "supervisor")
            headers["sup"] = {"Authorization": f"Bearer {users.create_api_token(s, 'sup11', 'p11')}"}
        yield client, headers, db


def _node(db, node_id: int) -> PlanNodeRow:
    with db.session() as s:
        row = s.get(PlanNodeRow, node_id)
        s.expunge(row)
        return row


def _submit(client, rep, node: int, percent: int) -> tuple[int, int]:
    """A report of this month submitted by fgw's reporter: (id, version)."""
    client.cookies.clear()
    r = client.post(f"/supervision/tasks/{node}/report", headers=rep, data={
        "month": month_of(date.today()), "text": "本月进展", "percent": percent,
        "action": "submit", "version": 0})
    assert r.status_code == 303, r.text[:300]
    return _report(client, node)


def _report(client, node: int) -> tuple[int, int]:
    db = client.app.state.database
    with db.session() as s:
        row = s.scalar(select(ProgressReportRow).where(ProgressReportRow.node_id == node))
        return row.id, row.version


def _close(client, headers, node: int) -> None:
    r = client.post(f"/api/v1/tasks/{node}/closure-requests", json={"comment": "已完成"},
                    headers=headers["rep_fgw"])
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/closure-requests/{r.json()['id']}/decision",
                    json={"grant": True, "comment": "同意销号"}, headers=headers["sup"])
    assert r.status_code == 200, r.text


def _ask_extension(client, headers, node: int) -> int:
    due = _node(client.app.state.database, node).due_date
    r = client.post(f"/api/v1/tasks/{node}/extension-requests",
                    json={"due": date(due.year + 1, 6, 30).isoformat(), "reason": "需要更多时间"},
                    headers=headers["rep_fgw"])
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_every_report_and_the_plan_are_read_once_a_task_is_closed(env):
    from lantu.store import repo

    client, headers, db = env
    node = task_ids(db, "fgw")[1]
    _close(client, headers, node)
    for path in ("/reports/monitoring?region=140100&period=2023",
                 "/reports/monitoring?region=140100&period=2023&format=html",
                 "/reports/tasks.xlsx", f"/reports/bulletin?month={month_of(date.today())}"):
        r = client.get(path, headers=headers["admin"])
        assert r.status_code == 200, (path, r.text[-300:])
    r = client.get("/reports/tasks.xlsx", headers=headers["admin"])
    cells = [str(v) for ws in openpyxl.load_workbook(io.BytesIO(r.content)).worksheets
             for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert "已销号" in cells
    with db.session() as s:  # lantu export plan, lantu show plan
        plan = repo.load_plan(s)
    code = _node(db, node).code
    assert next(n for top in plan.children for _, n in top.walk()
                if n.code == code).status == "closed"


def test_a_report_submitted_before_the_task_closed_is_not_reviewed_until_it_is_reopened(env):
    client, headers, db = env
    node = task_ids(db, "fgw")[2]
    report, version = _submit(client, headers["rep_fgw"], node, 60)
    _close(client, headers, node)
    before = _node(db, node)
    client.cookies.clear()
    for data in ({"decision": "approve"}, {"decision": "return", "comment": "补充材料"}):
        r = client.post(f"/supervision/reports/{report}/review", headers=headers["sup"],
                        data={**data, "version": version})
        assert r.status_code == 409, r.text[-300:]
    after = _node(db, node)
    assert (after.status, after.progress) == (before.status, before.progress) == ("closed", 0.0)
    assert _report(client, node) == (report, version)
    page = client.get(f"/supervision/tasks/{node}", headers=headers["sup"])
    assert f'action="/supervision/reports/{report}/review"' not in page.text  # no form offered
    r = client.post(f"/api/v1/tasks/{node}/reopen", json={"reason": "复核"}, headers=headers["sup"])
    assert r.status_code == 200, r.text
    r = client.post(f"/supervision/reports/{report}/review", headers=headers["sup"],
                    data={"decision": "approve", "version": version})
    assert r.status_code == 303, r.text[-300:]
    assert _node(db, node).progress == 60


def test_an_extension_asked_before_the_task_was_closed_or_finished_is_not_granted(env):
    client, headers, db = env
    closed, done = task_ids(db, "fgw")[3:5]
    for node in (closed, done):
        asked = _ask_extension(client, headers, node)
        if node == closed:
            _close(client, headers, node)
        else:
            report, version = _submit(client, headers["rep_fgw"], node, 100)
            r = client.post(f"/supervision/reports/{report}/review", headers=headers["sup"],
                            data={"decision": "approve", "version": version})
            assert r.status_code == 303
        before = _node(db, node)
        assert before.status == ("closed" if node == closed else "done")
        r = client.post(f"/api/v1/extension-requests/{asked}/decision", json={"grant": True},
                        headers=headers["sup"])
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "conflict"
        assert _node(db, node).due_date == before.due_date
        # refusing it clears it from the supervisor's list
        r = client.post(f"/api/v1/extension-requests/{asked}/decision",
                        json={"grant": False, "comment": "任务已办结"}, headers=headers["sup"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "refused"


def test_a_closed_tasks_milestone_is_not_recorded(env):
    client, headers, db = env
    node = task_ids(db, "fgw")[5]
    with db.session() as s:
        milestone = MilestoneRow(node_id=node, title="完成验收", due_date=date(2026, 6, 30))
        s.add(milestone)
        s.flush()
        milestone_id = milestone.id
    _close(client, headers, node)
    client.cookies.clear()
    r = client.post(f"/supervision/tasks/{node}/milestones/{milestone_id}",
                    data={"done_on": "2024-03-01"}, headers=headers["sup"])
    assert r.status_code == 409, r.text[-300:]
    with db.session() as s:
        assert s.get(MilestoneRow, milestone_id).done_on is None
    page = client.get(f"/supervision/tasks/{node}", headers=headers["sup"])
    assert f"/milestones/{milestone_id}" not in page.text
