"""probe13 (the ninth attacker round): a step of the supervision cycle and the closing (销号) of
the same task at the same instant — two supervisors, or one in two tabs.

probe11 made every step ask whether the task is open (``workflow.check_task_open``). The probe
found the steps asking it of a status read *before* the closing committed: a report approved
while the task was being closed set the closed task's progress (0 → 60), and a milestone, a
unit's progress, a report's submission were recorded on it (8 trials each over HTTP: 2–6 of 8
on both databases). On SQLite, where ``SELECT … FOR UPDATE`` is nothing, even the closing's
own lock was none: two closure requests of one task at once were both filed, two reopenings
both done. Now every step reads the task through ``lantu.store.supervision.locked_task`` (the
row held until the transaction ends; on SQLite the database's write lock taken before the
read), so a step and the closing come one after the other.

Each test holds a closing open in one transaction, runs the step in another thread meanwhile,
then commits: the step must find the task closed (409 ``wf.task_closed``) and change nothing.
SQLite and PostgreSQL; each test failed on the code before (the step wrote).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from lantu.store import cycle, split, users
from lantu.store import supervision as sv
from lantu.store.models import MilestoneRow, PlanNodeRow
from lantu.store.models_supervision import ClosureRequestRow, ReminderRow
from lantu.store.models_web import ProgressReportRow
from lantu.supervise import WorkflowError, month_of
from webutil import backend_app

PASSWORD = "Probe-thirteen-long-pass-2026!"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p13races"),
                     ("rep_fgw",), "probe13") as (client, headers, db, _home):
        with db.session() as s:
            if users.get_user(s, "sup13") is None:
                users.add_user(s, "sup13", PASSWORD, "supervisor")
            headers["sup"] = {"Authorization": f"Bearer {users.create_api_token(s, 'sup13', 'p13')}"}
        yield client, headers, db


def _user(db, name: str):
    with db.session() as s:
        return users.get_user(s, name)


def _task(client, headers) -> int:
    r = client.post("/api/v1/tasks", headers=headers["sup"], json={
        "plan": "taiyuan-2021-11", "parent": "P0", "title": "probe13 并发", "lead_department": "fgw",
        "start": "2024-01-01", "due": "2026-12-31",
        "milestones": [{"title": "阶段成果", "due": "2026-06-30"}]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _closure_asked(client, headers, node: int) -> int:
    r = client.post(f"/api/v1/tasks/{node}/closure-requests", json={"comment": "已完成"},
                    headers=headers["rep_fgw"])
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _report(client, headers, node: int, action: str) -> tuple[int, int]:
    month = month_of(date.today())
    r = client.post(f"/supervision/tasks/{node}/report", headers=headers["rep_fgw"], data={
        "month": month, "text": "本月进展", "percent": 60, "action": action, "version": 0})
    assert r.status_code == 303, r.text[:300]
    with client.app.state.database.session() as s:
        row = s.scalar(select(ProgressReportRow).where(ProgressReportRow.node_id == node))
        return row.id, row.version


def _while_closing(db, request_id: int, step: Callable) -> BaseException | None:
    """Grant the closing in a transaction held open, run ``step(session)`` in another thread
    meanwhile, commit the closing; the step's exception (None: it wrote)."""
    sup = _user(db, "sup13")
    out: dict[str, BaseException] = {}

    def run() -> None:
        try:
            with db.session() as s:
                step(s)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["exc"] = exc

    with db.session() as s:
        cycle.decide_closure(s, sup, request_id, grant=True, comment="同意销号")
        s.flush()
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(1.0)  # the step waits for the closing (or, before, wrote meanwhile)
    thread.join(60)
    assert not thread.is_alive()
    with db.session() as s:
        assert s.scalar(select(ClosureRequestRow.status).where(
            ClosureRequestRow.id == request_id)) == "granted"
    return out.get("exc")


def _refused_as_closed(exc: BaseException | None) -> None:
    assert isinstance(exc, WorkflowError), f"the step wrote to a task being closed ({exc!r})"
    assert exc.status == 409 and exc.key == "wf.task_closed", exc


def _node(db, node_id: int) -> PlanNodeRow:
    with db.session() as s:
        row = s.get(PlanNodeRow, node_id)
        s.expunge(row)
        return row


def test_a_report_approved_while_the_task_is_closed_waits_and_is_refused(env):
    client, headers, db = env
    node = _task(client, headers)
    report, version = _report(client, headers, node, "submit")
    asked = _closure_asked(client, headers, node)
    sup = _user(db, "sup13")
    exc = _while_closing(db, asked, lambda s: sv.review_report(
        s, sup, report, approve=True, comment="", expected_version=version))
    _refused_as_closed(exc)
    after = _node(db, node)
    assert (after.status, after.progress) == ("closed", 0.0)


def test_a_milestone_recorded_while_the_task_is_closed_is_refused(env):
    client, headers, db = env
    node = _task(client, headers)
    with db.session() as s:
        milestone = s.scalar(select(MilestoneRow.id).where(MilestoneRow.node_id == node))
    asked = _closure_asked(client, headers, node)
    sup = _user(db, "sup13")
    exc = _while_closing(db, asked, lambda s: sv.complete_milestone(
        s, sup, node, milestone, done_on=date(2025, 1, 1), today=date.today()))
    _refused_as_closed(exc)
    with db.session() as s:
        assert s.get(MilestoneRow, milestone).done_on is None


def test_a_report_submitted_or_written_while_the_task_is_closed_is_refused(env):
    client, headers, db = env
    node = _task(client, headers)
    report, _ = _report(client, headers, node, "save")
    rep = _user(db, "rep_fgw")
    asked = _closure_asked(client, headers, node)
    exc = _while_closing(db, asked, lambda s: sv.submit_report(
        s, rep, s.get(ProgressReportRow, report)))
    _refused_as_closed(exc)
    with db.session() as s:
        assert s.get(ProgressReportRow, report).status == "draft"
    # a new month's report written at the instant of the closing
    node = _task(client, headers)
    asked = _closure_asked(client, headers, node)
    exc = _while_closing(db, asked, lambda s: sv.save_report(
        s, rep, node, month=month_of(date.today()), text="本月进展", percent=10, submit=False,
        today=date.today(), expected_version=0))
    _refused_as_closed(exc)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgressReportRow).where(
            ProgressReportRow.node_id == node)) == 0


def test_a_units_progress_or_a_new_part_while_the_task_is_closed_is_refused(env):
    client, headers, db = env
    node = _task(client, headers)
    r = client.post("/api/v1/tasks", headers=headers["rep_fgw"], json={
        "plan": "taiyuan-2021-11", "parent": node, "title": "处室部分", "unit": "综合处",
        "weight": 50})
    assert r.status_code == 201, r.text
    part = r.json()["id"]
    rep = _user(db, "rep_fgw")
    asked = _closure_asked(client, headers, node)
    exc = _while_closing(db, asked, lambda s: split.set_unit_progress(s, rep, part, percent=40))
    _refused_as_closed(exc)
    assert _node(db, part).progress == 0.0
    node = _task(client, headers)
    asked = _closure_asked(client, headers, node)
    exc = _while_closing(db, asked, lambda s: split.split_task(
        s, rep, node, title="处室部分", unit="综合处", weight=50))
    _refused_as_closed(exc)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlanNodeRow).where(
            PlanNodeRow.parent_id == node)) == 0


def test_a_reminder_sent_while_the_task_is_closed_is_refused(env):
    client, headers, db = env
    node = _task(client, headers)
    sup = _user(db, "sup13")
    asked = _closure_asked(client, headers, node)
    exc = _while_closing(db, asked, lambda s: cycle.send_reminder(s, sup, node, message="请报送"))
    _refused_as_closed(exc)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReminderRow).where(
            ReminderRow.node_id == node, ReminderRow.kind == "manual")) == 0


def test_two_closure_requests_or_two_reopenings_at_once_are_one(env):
    """SQLite had no lock at all: both requests were filed, both reopenings done."""
    client, headers, db = env
    rep, sup = _user(db, "rep_fgw"), _user(db, "sup13")
    node = _task(client, headers)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def twice(fn) -> list[object]:
        results.clear()

        def run() -> None:
            barrier.wait()
            try:
                with db.session() as s:
                    results.append(fn(s))
            except WorkflowError as exc:
                results.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return list(results)

    out = twice(lambda s: cycle.request_closure(s, rep, node, comment="已完成").id)
    assert sorted(isinstance(x, WorkflowError) for x in out) == [False, True], out
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ClosureRequestRow).where(
            ClosureRequestRow.node_id == node)) == 1
        request_id = s.scalar(select(ClosureRequestRow.id).where(
            ClosureRequestRow.node_id == node))
        cycle.decide_closure(s, sup, request_id, grant=True)
    out = twice(lambda s: cycle.reopen(s, sup, node, reason="复核").status)
    assert sorted(isinstance(x, WorkflowError) for x in out) == [False, True], out
