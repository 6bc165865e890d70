"""Session 14's left list, supervision part (left15): a reminder's reply-by sentence never doubles
the supervisor's own punctuation, and ``lantu remind --dry-run`` lists what a person reads of
each task (code, title, lead department, deadline), not bare ids."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lantu.store.models import PlanNodeRow
from lantu.store.notify import notice_text
from webutil import fresh_db


def test_reply_by_sentence_after_a_message_ending_in_a_full_stop():
    p = {"code": "T1", "title": "任务", "title_en": "A task", "message": "请报送选址进展。",
         "reply_by": "2026-12-11"}
    _, zh = notice_text("zh", "ntf.reminder_reply", p)
    _, en = notice_text("en", "ntf.reminder_reply", p)
    assert zh == "请报送选址进展。（请于 2026-12-11 前回复）"
    assert "。；" not in zh and "。;" not in en
    assert en == "请报送选址进展。 (please reply by 2026-12-11)"


def test_reply_by_sentence_after_a_message_without_punctuation():
    p = {"code": "T1", "title": "任务", "title_en": "A task", "message": "请加快进度",
         "reply_by": "2026-12-11"}
    assert notice_text("zh", "ntf.reminder_reply", p)[1] == "请加快进度（请于 2026-12-11 前回复）"


def test_remind_dry_run_lists_titles_departments_and_deadlines(web_template_db, tmp_path):
    from typer.testing import CliRunner

    from lantu.cli import app

    db = fresh_db(web_template_db, tmp_path)
    today = date(2026, 6, 15)
    with db.session() as s:
        nodes = list(s.scalars(select(PlanNodeRow).where(
            PlanNodeRow.lead_department == "fgw", PlanNodeRow.kind == "task")))[:2]
        for n, due in zip(nodes, (today + timedelta(days=3), today - timedelta(days=2)),
                          strict=True):
            n.due_date = due
        expect = [(n.code, n.title, n.due_date.isoformat()) for n in nodes]
    url = db.url
    db.dispose()
    res = CliRunner().invoke(app, ["remind", "--today", today.isoformat(), "--db", url,
                                   "--dry-run"], env={"COLUMNS": "50"})  # a line each, unwrapped
    assert res.exit_code == 0, res.output
    out = res.output
    for code, title, due in expect:
        line = next((ln for ln in out.splitlines() if f" {code} " in ln), "")
        assert title[:10] in line and f"due {due}" in line, out
        assert "发展和改革委员会" in line or "发改委" in line, out
    assert "before_due:" not in out  # the idempotency key is not what a person reads


# -- the receipt names people by their display names ---------------------------------------------


def _api(client, db):
    from lantu.store import users

    with db.session() as s:
        tokens = {n: users.create_api_token(s, n, "test") for n in ("supervisor", "rep_fgw")}

    def call(method, path, who="supervisor", **kw):
        return client.request(method, "/api/v1" + path, **kw,
                              headers={"Authorization": f"Bearer {tokens[who]}"})
    return call


def test_receipt_and_history_name_the_display_name(web_template_db, tmp_path):
    from webutil import login, make_client

    db = fresh_db(web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as client:
        api = _api(client, db)
        due = (date.today() + timedelta(days=60)).isoformat()
        r = api("POST", "/tasks", json={
            "plan": "taiyuan-2021-11", "parent": "T1", "title": "建设国家物流枢纽承载城市配套工程",
            "lead_department": "fgw", "due": due, "origin": "instruction"})
        assert r.status_code == 201, r.text
        tid = r.json()["id"]
        assert api("POST", f"/tasks/{tid}/acknowledge", who="rep_fgw").status_code == 200
        login(client, "supervisor")
        for lang, said in (("zh", "rep_fgw 于"), ("en", "by rep_fgw")):
            page = client.get(f"/supervision/tasks/{tid}?lang={lang}").text
            assert "发展和改革委员会填报员" in page or "发改委填报员" in page, lang
            assert said not in page, lang
            assert "· rep_fgw<" not in page and ">rep_fgw<" not in page, lang
    db.dispose()


# -- the task table shows the warning's colour and reason (supervise.warnings.warning) -----------


def _overdue_fgw_task(db):
    with db.session() as s:
        node = s.scalars(select(PlanNodeRow).where(PlanNodeRow.lead_department == "fgw",
                                                   PlanNodeRow.kind == "task",
                                                   PlanNodeRow.unit.is_(None))).first()
        node.status = "in_progress"
        node.due_date = date.today() - timedelta(days=3)
        return node.code, node.due_date.isoformat()


def test_task_table_page_says_why_a_task_is_red(web_template_db, tmp_path):
    from webutil import login, make_client

    db = fresh_db(web_template_db, tmp_path)
    code, due = _overdue_fgw_task(db)
    with make_client(db, tmp_path / "home") as client:
        login(client, "supervisor")
        zh = client.get("/supervision?dept=fgw&lang=zh").text
        en = client.get("/supervision?dept=fgw&lang=en").text
    assert f"已超过完成时限（{due}）3 天仍未完成" in zh
    assert due in en and "data-test=\"warning-reason\"" in en
    db.dispose()


def test_task_table_workbook_has_a_warning_column(web_template_db, tmp_path):
    import io

    from openpyxl import load_workbook

    from lantu.reports.tasks import COLUMNS, export_tasks

    db = fresh_db(web_template_db, tmp_path)
    code, due = _overdue_fgw_task(db)
    with db.session() as s:
        wb = load_workbook(io.BytesIO(export_tasks(s, "xlsx")))
        text = export_tasks(s, "csv")
    ws = wb.active
    heads = [c.value for c in ws[2]]
    assert heads[-1] == "预警" and len(heads) == len(COLUMNS)
    cells = [ws.cell(row=i, column=len(heads)) for i in range(3, ws.max_row + 1)]
    red = [c for c in cells if str(c.value).startswith(f"逾期：已超过完成时限（{due}）3 天")]
    assert red, [c.value for c in cells][:10]
    assert red[0].fill.fgColor.rgb.endswith("FFC7CE")
    assert any(c.value == "正常" for c in cells) or any(str(c.value).startswith("预警")
                                                       for c in cells)
    assert "预警" in text.splitlines()[0]
    db.dispose()
