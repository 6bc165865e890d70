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
                                   "--dry-run"])
    assert res.exit_code == 0, res.output
    out = res.output
    for code, title, due in expect:
        line = next((ln for ln in out.splitlines() if f" {code} " in ln), "")
        assert title[:10] in line and f"due {due}" in line, out
        assert "发展和改革委员会" in line or "发改委" in line, out
    assert "before_due:" not in out  # the idempotency key is not what a person reads
