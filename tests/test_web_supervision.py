"""The supervision workflow through the web pages, and the department line (tests try to cross
it and must fail)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lantu.store.models import AuditLogRow, PlanNodeRow
from lantu.store.models_web import ProgressReportRow, TaskEventRow
from webutil import (
    foreign_task,
    form_version,
    login,
    make_client,
    post,
    report_id,
    review,
    task_ids,
)

MONTH = date.today().strftime("%Y-%m")


def submit(client, node_id, text="本月完成项目签约3个", percent=40, action="submit", files=None,
           month=MONTH):
    version = form_version(client, f"/supervision/tasks/{node_id}?month={month}")
    return post(client, f"/supervision/tasks/{node_id}/report",
                {"month": month, "text": text, "percent": str(percent), "action": action,
                 **version}, files=files)


def test_reporter_submit_return_resubmit_approve(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    r = submit(client, node)
    assert r.status_code == 303, r.text[:300]
    rid = report_id(web_db, node, "fgw", MONTH)
    login(client, "supervisor")
    page = client.get("/supervision/queue")
    assert "本月完成项目签约3个" in page.text
    # returning needs a comment
    r = post(client, f"/supervision/reports/{rid}/review", {"decision": "return", "comment": " "})
    assert r.status_code == 422 and "退回报告必须填写审核意见" in r.text
    r = review(client, web_db, rid, {"decision": "return", "comment": "请补充签约项目名称"})
    assert r.status_code == 303
    login(client, "rep_fgw")
    page = client.get(f"/supervision/tasks/{node}")
    assert "请补充签约项目名称" in page.text
    r = submit(client, node, text="签约项目：甲、乙、丙", percent=100)
    assert r.status_code == 303
    login(client, "supervisor")
    r = review(client, web_db, rid, {"decision": "approve"})
    assert r.status_code == 303
    with web_db.session() as s:
        row = s.get(ProgressReportRow, rid)
        assert (row.status, row.percent, row.text) == ("approved", 100, "签约项目：甲、乙、丙")
        task = s.get(PlanNodeRow, node)
        assert (task.status, task.progress) == ("done", 100.0)
        kinds = [e.kind for e in s.scalars(select(TaskEventRow).where(
            TaskEventRow.node_id == node).order_by(TaskEventRow.id))]
        assert kinds == ["drafted", "submitted", "returned", "edited", "resubmitted", "approved",
                         "done"]
        audited = {a.action for a in s.scalars(select(AuditLogRow).where(
            AuditLogRow.entity == "progress_report"))}
        assert {"submitted", "returned", "resubmitted", "approved"} <= audited
    page = client.get(f"/supervision/tasks/{node}")
    for text in ("请补充签约项目名称", "签约项目：甲、乙、丙", "任务完成", "重新提交"):
        assert text in page.text
    assert "已完成" in client.get("/supervision?status=done").text


def test_reporter_sees_only_own_department(client, web_db):
    own, other = task_ids(web_db, "fgw")[0], foreign_task(web_db, "fgw")
    login(client, "rep_fgw")
    table = client.get("/supervision").text
    assert f"/supervision/tasks/{own}\"" in table
    assert f"/supervision/tasks/{other}\"" not in table
    assert client.get(f"/supervision/tasks/{other}").status_code == 404
    assert submit(client, other).status_code == 404
    with web_db.session() as s:
        assert s.scalar(select(ProgressReportRow).where(ProgressReportRow.node_id == other)) is None


def test_reporter_cannot_touch_another_departments_draft(client, web_db):
    node = task_ids(web_db, "kjj")[0]
    login(client, "rep_kjj")
    assert submit(client, node, action="save").status_code == 303
    rid = report_id(web_db, node, "kjj", MONTH)
    login(client, "rep_fgw")
    assert post(client, f"/supervision/reports/{rid}/submit").status_code == 404
    assert "本月完成项目签约3个" not in client.get("/supervision/queue?status=draft").text
    # drafts are private to the department: the supervisor does not see them either
    login(client, "supervisor")
    assert post(client, f"/supervision/reports/{rid}/review",
                {"decision": "approve"}).status_code == 404
    with web_db.session() as s:
        assert s.get(ProgressReportRow, rid).status == "draft"


def test_reporter_cannot_review_and_nobody_reviews_own_report(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    submit(client, node)
    rid = report_id(web_db, node, "fgw", MONTH)
    r = post(client, f"/supervision/reports/{rid}/review", {"decision": "approve"})
    assert r.status_code == 403
    with web_db.session() as s:
        assert s.get(ProgressReportRow, rid).status == "submitted"


def test_supervisor_and_viewer_cannot_write_reports(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    for who in ("supervisor", "viewer", "analyst", "admin"):
        login(client, who)
        assert submit(client, node).status_code == 403, who


def test_forged_csrf_is_refused(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    r = client.post(f"/supervision/tasks/{node}/report",
                    data={"month": MONTH, "text": "x", "percent": "10", "action": "submit",
                          "csrf_token": "forged-token"})
    assert r.status_code == 403
    r = client.post(f"/supervision/tasks/{node}/report",
                    data={"month": MONTH, "text": "x", "percent": "10", "action": "submit"})
    assert r.status_code == 403
    with web_db.session() as s:
        assert s.scalar(select(ProgressReportRow)) is None


def test_approved_report_is_locked_and_stale_review_conflicts(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    submit(client, node, percent=30)
    rid = report_id(web_db, node, "fgw", MONTH)
    with web_db.session() as s:
        version = s.get(ProgressReportRow, rid).version
    login(client, "supervisor")
    assert post(client, f"/supervision/reports/{rid}/review",
                {"decision": "approve", "version": str(version)}).status_code == 303
    # a second review from a page shown before the first one
    r = post(client, f"/supervision/reports/{rid}/review",
             {"decision": "return", "comment": "x", "version": str(version)})
    assert r.status_code == 409
    login(client, "rep_fgw")
    assert submit(client, node, percent=50).status_code == 409
    with web_db.session() as s:
        assert s.get(PlanNodeRow, node).progress == 30.0


@pytest.mark.parametrize("month,percent", [("2999-01", 10), ("2021-12", 10), ("2024-13", 10),
                                           (MONTH, 101), (MONTH, -1)])
def test_bad_month_or_percent(client, web_db, month, percent):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    assert submit(client, node, month=month, percent=percent).status_code == 422


def test_evidence_upload_checked_by_content_and_served_as_attachment(client, web_db, tmp_path):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = submit(client, node, action="save", files=[("evidence", ("签约清单.pdf", pdf, "text/html"))])
    assert r.status_code == 303
    # an executable named .pdf is refused, and nothing is written
    r = submit(client, node, action="save",
               files=[("evidence", ("evil.pdf", b"MZ\x90\x00\x03" + bytes(200), "application/pdf"))])
    assert r.status_code == 415
    # an HTML page named .png is stored as what its bytes are: plain text …
    r = submit(client, node, action="save",
               files=[("evidence", ("x.png", b"<html><script>alert(1)</script>", "image/png"))])
    assert r.status_code == 303
    page = client.get(f"/supervision/tasks/{node}").text
    ids = re.findall(r'/supervision/evidence/(\d+)', page)
    assert ids
    r = client.get(f"/supervision/evidence/{ids[0]}")
    assert r.status_code == 200 and r.content == pdf
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in r.headers["content-security-policy"]
    # the supervisor sees the files in the review queue once the report is submitted
    assert post(client, f"/supervision/reports/{report_id(web_db, node, 'fgw', MONTH)}/submit",
                {"text": "x"}).status_code == 303
    login(client, "supervisor")
    assert f"/supervision/evidence/{ids[0]}" in client.get("/supervision/queue").text
    assert client.get(f"/supervision/evidence/{ids[0]}").status_code == 200
    login(client, "rep_fgw")
    stored = list((tmp_path / "home" / "uploads").rglob("*.pdf"))
    assert len(stored) == 1 and "签约" not in stored[0].name
    # … served as a text/plain attachment, never as a page
    assert len(ids) == 2
    r = client.get(f"/supervision/evidence/{ids[1]}")
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["content-disposition"].startswith("attachment")
    # another department cannot download it
    login(client, "rep_kjj")
    assert client.get(f"/supervision/evidence/{ids[0]}").status_code == 404


def test_upload_size_limit(web_db, tmp_path):
    node = task_ids(web_db, "fgw")[0]
    with make_client(web_db, tmp_path / "home", upload_max_bytes=1000) as c:
        login(c, "rep_fgw")
        r = submit(c, node, action="save",
                   files=[("evidence", ("big.txt", b"a" * 1001, "text/plain"))])
        assert r.status_code == 413
        with web_db.session() as s:
            assert s.scalar(select(ProgressReportRow)) is None


def test_task_filters_and_bulletin(client, web_db):
    login(client, "supervisor")
    red = client.get("/supervision?colour=red").text
    yellow = client.get("/supervision?colour=yellow").text
    assert 'class="row-red"' in red and 'class="row-yellow"' not in red
    assert 'class="row-yellow"' in yellow and 'class="row-red"' not in yellow
    page = client.get("/supervision?dept=kjj").text
    assert "市科学技术局" in page
    r = client.get("/supervision/bulletin?month=2025-12")
    assert r.status_code == 200 and "逾期事项" in r.text
    assert client.get("/supervision/bulletin?month=bad").status_code == 422
    login(client, "rep_fgw")
    assert client.get("/supervision/bulletin").status_code == 403


def test_unauthenticated_writes_are_refused(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    token = client.cookies.get("lantu_csrf") or ""
    r = client.post(f"/supervision/tasks/{node}/report",
                    data={"month": MONTH, "text": "x", "percent": "1", "csrf_token": token})
    assert r.status_code in (303, 403)
    with web_db.session() as s:
        assert s.scalar(select(ProgressReportRow)) is None


def test_bulletin_lists_returned_and_finished_of_the_month(client, web_db):
    from lantu.store import supervision as sv

    a, b = task_ids(web_db, "fgw")[:2]
    login(client, "rep_fgw")
    submit(client, a, percent=100)
    submit(client, b, percent=20)
    ra, rb = report_id(web_db, a, "fgw", MONTH), report_id(web_db, b, "fgw", MONTH)
    login(client, "supervisor")
    review(client, web_db, ra, {"decision": "approve"})
    review(client, web_db, rb, {"decision": "return", "comment": "缺数据"})
    with web_db.session() as s:
        bl = sv.bulletin(s, MONTH, today=date.today(), warn_days=7)
    assert [i.node_id for i in bl.finished] == [a]
    assert [(i.node_id, i.comment) for i in bl.returned] == [(b, "缺数据")]
    fgw = next(d for d in bl.departments if d.department == "fgw")
    assert (fgw.finished, fgw.returned, fgw.approval) == (1, 1, 0.5)
    page = client.get(f"/supervision/bulletin?month={MONTH}&lang=en").text
    assert "缺数据" in page and "Department scores" in page


def test_reviewers_see_how_many_reports_wait(client, web_db):
    a, b = task_ids(web_db, "fgw")[:2]
    login(client, "rep_fgw")
    submit(client, a)
    submit(client, b)
    assert 'class="count"' not in client.get("/supervision").text  # reporters: no counter
    login(client, "supervisor")
    assert '<span class="count">2</span>' in client.get("/supervision").text


def test_due_soon_warning_follows_warn_days(web_db, tmp_path):
    from lantu.store.models import PlanNodeRow

    node = task_ids(web_db, "fgw")[1]
    with web_db.session() as s:
        s.get(PlanNodeRow, node).due_date = date.fromordinal(date.today().toordinal() + 10)
    for days, shown in ((7, False), (12, True)):
        with make_client(web_db, tmp_path / "h", warn_days=days) as c:
            login(c, "supervisor")
            page = c.get("/supervision").text
            assert (f'class="due-soon"><span class="badge badge-yellow">即将到期</span> '
                    f'<a href="/supervision/tasks/{node}"' in page) is shown, days


def test_history_of_a_draft_stays_with_its_department(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    submit(client, node, action="save",
           files=[("evidence", ("内部草稿.txt", "草稿".encode(), "text/plain"))])
    login(client, "supervisor")
    page = client.get(f"/supervision/tasks/{node}").text
    assert "内部草稿.txt" not in page and "起草进展报告" not in page
    login(client, "rep_fgw")
    rid = report_id(web_db, node, "fgw", MONTH)
    post(client, f"/supervision/reports/{rid}/submit")
    login(client, "supervisor")
    page = client.get(f"/supervision/tasks/{node}").text
    assert "内部草稿.txt" in page and "起草进展报告" in page


def test_supervisor_records_a_milestone(client, web_db):
    from lantu.store.models import MilestoneRow

    node = task_ids(web_db, "fgw")[1]
    with web_db.session() as s:
        mid = s.scalar(select(MilestoneRow.id).where(MilestoneRow.node_id == node))
    login(client, "rep_fgw")
    assert post(client, f"/supervision/tasks/{node}/milestones/{mid}",
                {"done_on": "2024-03-01"}).status_code == 403
    login(client, "supervisor")
    assert post(client, f"/supervision/tasks/{node}/milestones/{mid}",
                {"done_on": "2999-01-01"}).status_code == 422
    other = task_ids(web_db, "kjj")[0]
    assert post(client, f"/supervision/tasks/{other}/milestones/{mid}",
                {"done_on": "2024-03-01"}).status_code == 404
    assert post(client, f"/supervision/tasks/{node}/milestones/{mid}",
                {"done_on": "2024-03-01"}).status_code == 303
    with web_db.session() as s:
        assert str(s.get(MilestoneRow, mid).done_on) == "2024-03-01"
    page = client.get(f"/supervision/tasks/{node}").text
    assert "完成节点" in page and "✓ 2024-03-01" in page


def test_progress_is_the_latest_months_approved_report_whatever_the_order(client, web_db):
    """Approving an older month after a newer one does not set the task back."""
    node = task_ids(web_db, "fgw")[0]
    this = date.today().replace(day=1)
    prev = (this - timedelta(days=1)).strftime("%Y-%m")
    with web_db.session() as s:
        s.get(PlanNodeRow, node).start_date = date(2020, 1, 1)
    login(client, "rep_fgw")
    assert submit(client, node, percent=60, month=MONTH).status_code == 303
    assert submit(client, node, percent=20, month=prev).status_code == 303
    login(client, "supervisor")
    for month in (MONTH, prev):  # the newer month first
        rid = report_id(web_db, node, "fgw", month)
        assert review(client, web_db, rid, {"decision": "approve"}).status_code == 303
    with web_db.session() as s:
        task = s.get(PlanNodeRow, node)
        assert (task.progress, task.status) == (60.0, "in_progress")


def test_bulletin_shows_the_parts_and_formula_of_the_configured_rule(web_db, tmp_path):
    weights = {"reporting": 4, "approval": 2, "on_time": 2, "overdue": 1, "reminders": 1}
    with make_client(web_db, tmp_path / "home", score_weights=weights) as c:
        login(c, "supervisor")
        page = c.get(f"/supervision/bulletin?month={MONTH}").text
    assert "得分 = 100 × (0.40 × 按时报送率 + 0.20 × 审核通过率 + 0.20 × 按期完成率 + " \
           "0.10 × 逾期天数分 + 0.10 × 被催办分)" in page
    assert "未报送" in page  # nobody reported this month: every department is silent
