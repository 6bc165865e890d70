"""Demonstration honesty: the default's assignments (departments, deadlines, milestones) are a
demonstration, and every view that rests on them says so — a banner on the pages, a line at the
head of each document and sheet, 演示 beside the scores; a user's own plan carries no such mark."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from lantu.defaults import load_plan
from lantu.evaluation.demo import DEMO_LINE_ZH, DEMO_MARK, is_demo
from lantu.reports.fonts import FontSet
from lantu.store import repo
from webutil import login, make_client

MONTH = "2023-06"


def _own(node):
    """The same node as a user's own assignment: no demonstration note."""
    return replace(node, note="", children=[_own(c) for c in node.children])


def make_own_plan(database) -> None:
    plan = load_plan()
    own = replace(plan, children=[_own(c) for c in plan.children])
    with database.session() as s:
        repo.save_plan(s, own)


def _documents(database):
    from lantu.reports.bulletin import build_bulletin_docx
    from lantu.reports.data import bulletin_data, task_rows
    from lantu.reports.tasks import build_task_workbook

    fonts = FontSet.standard()
    with database.session() as s:
        b = bulletin_data(s, MONTH, today=date(2024, 3, 1))
        t = task_rows(s)
    bulletin = Document(io.BytesIO(build_bulletin_docx(b, fonts).to_bytes()))
    wb = load_workbook(io.BytesIO(_save(build_task_workbook(t, fonts))))
    return b, bulletin, wb.active


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _head(doc, n=4) -> list[str]:
    return [p.text for p in doc.paragraphs[:n]]


def test_the_default_is_a_demonstration_and_a_users_own_plan_is_not(default_db):
    with default_db.session() as s:
        assert is_demo(s)
        notes = [n.note for n in repo.plan_node_rows(s, "taiyuan-2021-11") if n.lead_department]
    assert notes and all(n.startswith(DEMO_MARK) for n in notes)
    make_own_plan(default_db)
    with default_db.session() as s:
        assert not is_demo(s)


def test_documents_and_sheets_say_demonstration_only_for_the_default(default_db):
    b, bulletin, reread = _documents(default_db)
    assert DEMO_LINE_ZH in _head(bulletin)
    scored = [d for d in b["departments"] if d["score"] is not None]
    assert scored
    table = next(t for t in bulletin.tables if t.rows[0].cells[1].text == "牵头单位")
    scores = [r.cells[7].text for r in table.rows[1:]]
    assert scores and all(x.endswith("（演示）") for x in scores if x != "—")
    assert "演示" in reread["A1"].value and reread.oddHeader.center.text == "演示"

    make_own_plan(default_db)
    b, bulletin, reread = _documents(default_db)
    assert all("演示" not in p.text for p in bulletin.paragraphs)
    table = next(t for t in bulletin.tables if t.rows[0].cells[1].text == "牵头单位")
    assert all("演示" not in r.cells[7].text for r in table.rows[1:])
    assert "演示" not in reread["A1"].value and not reread.oddHeader.center.text


@pytest.mark.slow
def test_monitoring_report_head_line_follows_the_plan(default_db):
    from lantu.reports.data import monitoring_data
    from lantu.reports.monitoring import build_monitoring_docx

    fonts = FontSet.standard()

    def head():
        with default_db.session() as s:
            d = monitoring_data(s, "140100", "2023")
        d["series"], d["map"], d["peers"] = {}, None, None  # no pictures: not what is tested
        return _head(Document(io.BytesIO(build_monitoring_docx(d, fonts).to_bytes())), 3)

    assert DEMO_LINE_ZH in head()
    make_own_plan(default_db)
    assert DEMO_LINE_ZH not in head()


def test_pages_carry_the_banner_and_scores_the_word(web_db, tmp_path):
    with make_client(web_db, tmp_path / "home") as client:
        login(client, "admin")
        assert 'class="demo-banner"' in client.get("/").text
        html = client.get(f"/supervision/bulletin?month={MONTH}").text
        assert 'class="demo-word"' in html
        make_own_plan(web_db)
        import time

        time.sleep(1.1)  # the state version is re-read after its time-to-live (1 s)
        assert 'class="demo-banner"' not in client.get("/").text
        assert 'class="demo-word"' not in client.get(f"/supervision/bulletin?month={MONTH}").text
