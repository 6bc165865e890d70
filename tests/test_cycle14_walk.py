"""What walking the supervision office's whole cycle found (benchmarks/cycle14_walk.md): a
reporter is told when the office returns (or approves) their report, and a task closed (销号)
is finished — in the month's bulletin (page and DOCX), its late items, its milestones and the
assessment — instead of staying "overdue" and owed a report for ever."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from docx import Document
from sqlalchemy import select, update

from lantu.store import supervision as sv
from lantu.store.assessment import department_records
from lantu.store.models import MilestoneRow, PlanNodeRow
from lantu.store.models_supervision import ClosureRequestRow
from lantu.supervise.bulletin import MilestoneItem, milestones_of_month
from test_web_supervision import MONTH, submit
from webutil import login, post, report_id, review, task_ids

TODAY = date.today()


def _reported_and_returned(client, db, comment: str) -> tuple[int, int]:
    """fgw's first task reported (40 %) by rep_fgw and returned by the supervisor (signed in
    after it) with ``comment``: (task, report)."""
    node = task_ids(db, "fgw")[0]
    login(client, "rep_fgw")
    assert submit(client, node, percent=40).status_code == 303
    rid = report_id(db, node, "fgw", MONTH)
    login(client, "supervisor")
    assert review(client, db, rid, {"decision": "return", "comment": comment}).status_code == 303
    return node, rid


def test_a_returned_report_tells_its_department_why(client, web_db):
    node, rid = _reported_and_returned(client, web_db, "请补充用地批复文件")
    login(client, "rep_fgw")
    notes = client.get("/notifications").text
    assert "进展报告被退回" in notes and "请补充用地批复文件" in notes
    assert f"/supervision/tasks/{node}?month={MONTH}" in notes
    en = client.get("/notifications?lang=en").text
    assert "Progress report returned" in en and "report reviewed" in en
    # another department's reporter hears nothing of it
    login(client, "rep_kjj")
    assert "请补充用地批复文件" not in client.get("/notifications").text
    # resubmitted and approved: told too
    login(client, "rep_fgw")
    assert submit(client, node, percent=50).status_code == 303
    login(client, "supervisor")
    assert review(client, web_db, rid, {"decision": "approve"}).status_code == 303
    login(client, "rep_fgw")
    assert "进展报告已通过" in client.get("/notifications").text


def _close(client, db, node: int) -> None:
    login(client, "rep_fgw")
    assert post(client, f"/supervision/tasks/{node}/closure",
                {"comment": "已建成投运，附验收报告"}).status_code == 303
    with db.session() as s:
        cid = s.scalar(select(ClosureRequestRow.id).where(ClosureRequestRow.node_id == node))
    login(client, "supervisor")
    assert post(client, f"/supervision/closure-requests/{cid}/decision",
                {"decision": "grant"}).status_code == 303


def _overdue_fgw_task(db) -> tuple[int, str]:
    """An fgw task past its deadline (so red), with a milestone past due and not reached."""
    with db.session() as s:
        with_milestones = set(s.scalars(select(MilestoneRow.node_id)))
        node = next(i for i in task_ids(db, "fgw") if i in with_milestones)
        n = s.get(PlanNodeRow, node)
        n.due_date = TODAY - timedelta(days=3)
        n.start_date = date(TODAY.year - 1, 1, 1)
        s.execute(update(MilestoneRow).where(MilestoneRow.node_id == node)
                  .values(due_date=TODAY - timedelta(days=40), done_on=None))
        return node, n.code


def test_a_closed_task_is_finished_in_the_bulletin_not_overdue(client, web_db):
    node, code = _overdue_fgw_task(web_db)
    with web_db.session() as s:
        before = sv.bulletin(s, MONTH, today=TODAY, warn_days=7)
        assert code in [i.code for i in before.late]
    _close(client, web_db, node)
    with web_db.session() as s:
        b = sv.bulletin(s, MONTH, today=TODAY, warn_days=7)
    assert code in [i.code for i in b.finished]
    assert code not in [i.code for i in b.late]
    fgw = next(d for d in b.departments if d.department == "fgw")
    assert fgw.finished == 1
    # the page and the DOCX say so too
    page = client.get(f"/supervision/bulletin?month={MONTH}").text
    done_part = page[page.index("完成事项 ("):]
    assert "完成事项 (1)" in page and code in done_part[:2000]
    r = client.get(f"/reports/bulletin?month={MONTH}")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "本月完成任务1项" in text
    assert code not in _late_tasks(r.content, milestones=False)
    assert code not in _late_milestone_tasks(r.content)


def test_a_closed_task_is_not_late_next_month_and_not_owed_reports(client, web_db):
    node, code = _overdue_fgw_task(web_db)
    _close(client, web_db, node)
    # a month later: the task is neither late nor in the bulletin any more
    later = TODAY + timedelta(days=40)
    month = later.strftime("%Y-%m")
    with web_db.session() as s:
        b = sv.bulletin(s, month, today=later, warn_days=7)
        assert code not in [i.code for i in b.late + b.finished]
        # this year's assessment counts it finished, once
        recs = {r.department: r for r in department_records(s, TODAY.year, today=TODAY)}
        assert recs["fgw"].finished == 1


def test_a_finished_tasks_milestones_are_not_late():
    m = MilestoneItem("T1", "x", "fgw", "开工", date(2026, 4, 1), None, date(2026, 5, 2))
    late, _ = milestones_of_month([m], date(2026, 5, 1), date(2026, 5, 31))
    assert late == []
    m2 = MilestoneItem("T1", "x", "fgw", "开工", date(2026, 4, 1), None, None)
    late, _ = milestones_of_month([m2], date(2026, 5, 1), date(2026, 5, 31))
    assert [x.days_late for x in late] == [60]


def test_reopening_undoes_the_finishing(client, web_db):
    node, code = _overdue_fgw_task(web_db)
    _close(client, web_db, node)
    end = datetime.combine(TODAY, datetime.max.time())
    with web_db.session() as s:
        assert sv.finished_on(s, end)[node] == TODAY
    assert post(client, f"/supervision/tasks/{node}/reopen",
                {"reason": "验收发现问题"}).status_code == 303
    with web_db.session() as s:
        assert node not in sv.finished_on(s, end)
        b = sv.bulletin(s, MONTH, today=TODAY, warn_days=7)
    assert code in [i.code for i in b.late] and code not in [i.code for i in b.finished]


def test_the_closed_tasks_milestones_leave_the_bulletins_late_list(client, web_db):
    node, code = _overdue_fgw_task(web_db)
    login(client, "supervisor")
    r = client.get(f"/reports/bulletin?month={MONTH}")
    before = _late_milestone_tasks(r.content)
    assert code in before
    _close(client, web_db, node)
    r = client.get(f"/reports/bulletin?month={MONTH}")
    assert code not in _late_milestone_tasks(r.content)


def _late_tasks(content: bytes, *, milestones: bool) -> set[str]:
    """The codes of the tasks in the DOCX's late list of tasks (表3) or of milestones (表4, the
    one with a 节点 column)."""
    out = set()
    for t in Document(io.BytesIO(content)).tables:
        head = [c.text for c in t.rows[0].cells]
        if "逾期天数" in head and ("节点" in head) == milestones:
            out |= {row.cells[1].text.split(" ")[0] for row in t.rows[1:]}
    return out


def _late_milestone_tasks(content: bytes) -> set[str]:
    return _late_tasks(content, milestones=True)


def test_the_bulletin_is_of_the_last_month_ended_by_default(client, web_db):
    """On 6 December the office issues November's bulletin: December is under way and its
    reports are not due yet (the walk found the page and the download defaulting to it, every
    department "not reported")."""
    last = TODAY.replace(day=1) - timedelta(days=1)
    prev = last.strftime("%Y-%m")
    login(client, "supervisor")
    assert f"{prev} 督查督办通报" in client.get("/supervision/bulletin").text
    assert f'name="month" value="{prev}"' in client.get("/reports").text
    r = client.get("/reports/bulletin")
    assert r.status_code == 200 and f"{prev}.docx" in r.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert f"{last.year}年{last.month}月重点任务" in text
    # any month can still be chosen, the current one too
    assert f"{MONTH} 督查督办通报" in client.get(f"/supervision/bulletin?month={MONTH}").text


def test_a_resubmitted_report_shows_the_earlier_return_as_earlier(client, web_db):
    """The walk: a report returned and submitted again showed "审核意见：…" and "督查室 于 … 审核"
    while it waited for review, as if the office had decided on it."""
    node, _ = _reported_and_returned(client, web_db, "请补充批复文件")
    page = client.get(f"/supervision/tasks/{node}").text
    assert "审核意见：请补充批复文件" in page  # returned: the decision on it
    login(client, "rep_fgw")
    assert submit(client, node, percent=50).status_code == 303
    login(client, "supervisor")
    for path in (f"/supervision/tasks/{node}", "/supervision/queue"):
        page = client.get(path).text
        assert "上次退回意见：请补充批复文件" in page and "审核意见：请补充批复文件" not in page
    assert "Returned earlier with the comment: 请补充批复文件" in client.get(
        f"/supervision/tasks/{node}?lang=en").text
    assert " 审核</p>" not in client.get(f"/supervision/tasks/{node}").text
