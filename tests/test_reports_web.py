"""Report downloads in the web app: signed-in users only, the bulletin not for reporters, a
reporter's task table limited to their department — checked against the database."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from lantu.store import repo
from webutil import login


def _filename(r) -> str:
    cd = r.headers["content-disposition"]
    return unquote(cd.split("filename*=UTF-8''", 1)[1])


def test_anonymous_is_sent_to_login(client):
    for path in ("/reports/monitoring?period=2023", "/reports/bulletin?month=2023-06",
                 "/reports/tasks.xlsx"):
        r = client.get(path)
        assert r.status_code in (303, 307) and "/login" in r.headers["location"], path


@pytest.mark.slow
def test_viewer_downloads_the_monitoring_report_and_bulletin(client):
    login(client, "viewer")
    r = client.get("/reports/monitoring?region=140100&period=2023")
    assert r.status_code == 200, r.text[:300]
    assert _filename(r) == "监测报告-140100-2023.docx"
    doc = Document(io.BytesIO(r.content))
    assert doc.paragraphs[0].text.startswith("关于太原市2023年")
    r = client.get("/reports/monitoring?region=140100&period=2023&format=html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "inline" in r.headers["content-disposition"] and "一、总体情况" in r.text
    r = client.get("/reports/bulletin?month=2023-06")
    assert r.status_code == 200 and _filename(r) == "督办通报-2023-06.docx"
    assert "推进情况的通报" in "".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)


def test_bad_input_is_a_clear_422(client):
    login(client, "analyst")
    r = client.get("/reports/monitoring?region=999999&period=2023")
    assert r.status_code == 422 and "无法识别的地区" in r.text  # the page's language
    assert client.get("/reports/monitoring?period=2023&format=odt").status_code == 422
    r = client.get("/reports/bulletin?month=2023-13")
    assert r.status_code == 422 and "month" in r.text


def test_reporter_gets_only_their_department_and_no_bulletin(client, web_db):
    login(client, "rep_kjj")
    assert client.get("/reports/bulletin?month=2023-06").status_code == 403
    r = client.get("/reports/tasks.xlsx")
    assert r.status_code == 200 and _filename(r) == "任务分解表-kjj.xlsx"
    ws = load_workbook(io.BytesIO(r.content))["任务分解表"]
    with web_db.session() as s:
        plan = repo.load_plan(s)
        name = next(d.name_zh for d in repo.departments(s) if d.code == "kjj")
    mine = [n for _, n in plan.walk() if n.kind == "task" and
            (n.lead == "kjj" or "kjj" in n.supporting)]
    titles = [ws.cell(i, 2).value.strip("　") for i in range(3, ws.max_row + 1)]
    assert titles == [n.title for n in mine]
    assert all(name in ws.cell(i, 4).value + ws.cell(i, 5).value
               for i in range(3, ws.max_row + 1))


def test_supervisor_gets_every_task(client, web_db):
    login(client, "supervisor")
    r = client.get("/reports/tasks.xlsx")
    assert r.status_code == 200 and _filename(r) == "任务分解表.xlsx"
    ws = load_workbook(io.BytesIO(r.content))["任务分解表"]
    with web_db.session() as s:
        n_tasks = sum(1 for _, n in repo.load_plan(s).walk() if n.kind == "task")
    assert ws.max_row - 2 == n_tasks
    # deadlines passed on tasks not done are shaded red (the download is made today)
    today = date.today().isoformat()
    n_late = 0
    for i in range(3, ws.max_row + 1):
        late = ws.cell(i, 6).value < today and ws.cell(i, 8).value != "已完成"
        n_late += late
        assert (ws.cell(i, 6).fill.fgColor.rgb == "00FFC7CE") == late, ws.cell(i, 2).value
    assert n_late > 0


def test_bulletin_lists_what_the_workflow_returned_and_finished(client, web_db):
    """A report returned and another task approved at 100 % this month show in the bulletin."""
    from webutil import post, report_id, review, task_ids

    month = date.today().strftime("%Y-%m")
    node_a, node_b = task_ids(web_db, "fgw")[:2]
    login(client, "rep_fgw")
    for node, percent in ((node_a, 40), (node_b, 100)):
        r = post(client, f"/supervision/tasks/{node}/report",
                 {"month": month, "text": "本月进展", "percent": str(percent), "action": "submit",
                  "version": 0})
        assert r.status_code == 303, r.text[:300]
    login(client, "supervisor")
    rid_a, rid_b = (report_id(web_db, n, "fgw", month) for n in (node_a, node_b))
    assert review(client, web_db, rid_a,
                  {"decision": "return", "comment": "请补充项目清单"}).status_code == 303
    assert review(client, web_db, rid_b, {"decision": "approve"}).status_code == 303
    r = client.get(f"/reports/bulletin?month={month}")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    with web_db.session() as s:
        from lantu.store.models import PlanNodeRow

        code_a, code_b = (s.get(PlanNodeRow, n).code for n in (node_a, node_b))
    tables = {}
    for t in doc.tables:
        tables.setdefault(tuple(c.text for c in t.rows[0].cells), t)
    returned = tables[("序号", "任务", "报送单位", "退回日期", "退回意见")]
    assert [(row.cells[1].text.split()[0], row.cells[4].text) for row in returned.rows[1:]] == \
        [(code_a, "请补充项目清单")]
    finished = tables[("序号", "任务", "事项", "牵头单位", "完成日期")]
    assert code_b in {row.cells[1].text.split()[0] for row in finished.rows[1:]}
    dept = tables[("序号", "牵头单位", "任务数", "本月完成", "逾期任务", "逾期节点", "退回", "得分",
                   "预警", "位次")]
    fgw = next(row for row in dept.rows[1:] if row.cells[1].text == "市发展和改革委员会")
    assert (fgw.cells[3].text, fgw.cells[6].text) == ("1", "1")
