"""A notification is said in the reader's language (left10web).

Titles and e-mails were written in Chinese when the event happened, so an English page showed
them in Chinese. Now a notification keeps its message key and parameters (migration
``0013_left10web``) and is said when read, by one rule (``lantu.store.notify.notice_text``),
asked by the bell's page, the JSON API and the e-mail; a row made before keeps being shown as
written."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import select, text

from lantu.locale import catalogue
from lantu.store import users
from lantu.store.db import _alembic_config
from lantu.store.models import PlanNodeRow
from lantu.store.models_supervision import NotificationRow
from lantu.store.models_web import UserRow
from webutil import backend_db, fresh_db, login, make_client

PLAN = "taiyuan-2021-11"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ROLES = ("supervisor", "rep_fgw")


@pytest.fixture()
def api(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with db.session() as s:
        tokens = {name: users.create_api_token(s, name, "test") for name in ROLES}
    with make_client(db, tmp_path / "home") as client:
        def call(method, path, who="supervisor", **kw):
            return client.request(method, "/api/v1" + path, **kw,
                                  headers={"Authorization": f"Bearer {tokens[who]}"})
        yield SimpleNamespace(call=call, client=client, db=db)
    db.dispose()


def _notes(api, lang):
    r = api.call("GET", f"/notifications?lang={lang}&limit=100", who="rep_fgw")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_each_step_of_the_cycle_is_told_in_the_readers_language(api):
    due = (date.today() + timedelta(days=60)).isoformat()
    r = api.call("POST", "/tasks", json={
        "plan": PLAN, "parent": "T1", "title": "建设国家物流枢纽承载城市配套工程",
        "title_en": "Build the works of a national logistics hub", "lead_department": "fgw",
        "due": due, "origin": "instruction"})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    reply_by = (date.today() + timedelta(days=5)).isoformat()
    assert api.call("POST", f"/tasks/{tid}/reminders", json={
        "message": "请加快进度", "reply_by": reply_by}).status_code in (200, 201)
    en, zh = _notes(api, "en"), _notes(api, "zh")
    assert [n["key"] for n in en] == ["ntf.reminder_reply", "ntf.assigned"]
    code = r.json()["code"]
    assert en[1]["title"] == f"New task assigned: {code} Build the works of a national logistics hub"
    assert en[1]["body"] == f"Deadline {due}; please acknowledge it."
    assert zh[1]["title"] == f"新交办任务 {code} 建设国家物流枢纽承载城市配套工程"
    assert zh[1]["body"] == f"完成时限 {due}；请及时签收。"
    # the reminder: the words of the app in English, the supervisor's own words as written
    assert en[0]["title"] == f"Reminder: {code} Build the works of a national logistics hub"
    assert en[0]["body"] == f"请加快进度 (please reply by {reply_by})"
    assert zh[0]["body"] == f"请加快进度（请于 {reply_by} 前回复）"
    assert en[0]["params"]["code"] == code
    # the bell's page says them in the page's language
    login(api.client, "rep_fgw")
    page = api.client.get("/notifications?lang=en").text
    assert "New task assigned:" in page and "新交办任务" not in page and "催办" not in page
    assert "please reply by" in page
    page = api.client.get("/notifications?lang=zh").text
    assert "新交办任务" in page and "New task assigned" not in page


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, web_template_db, tmp_path):
    database = backend_db(request, web_template_db, tmp_path)
    yield database
    database.dispose()


def test_automatic_reminders_are_told_in_the_readers_language(demo_db):
    from lantu.store import cycle, notify

    with demo_db.session() as s:
        node = s.scalar(select(PlanNodeRow).where(PlanNodeRow.kind == "task",
                                                  PlanNodeRow.lead_department == "fgw")
                        .order_by(PlanNodeRow.id))
        node.due_date, node.title_en, node.status = date(2026, 1, 10), "An English title", \
            "in_progress"
        title = node.title
    with demo_db.session() as s:
        assert cycle.automatic_reminders(s, today=date(2026, 1, 20), remind_days=7,
                                         escalate_days=30, ack_days=3).sent
    with demo_db.session() as s:
        uid = users.get_user(s, "rep_fgw").id
        _, en = notify.notifications(s, uid, lang="en", limit=500)
        _, zh = notify.notifications(s, uid, lang="zh", limit=500)
    assert en and all(n["key"] == f"ntf.{n['kind']}" for n in en)
    mine = [n for n in en if n["kind"] == "overdue" and "An English title" in n["title"]]
    assert mine and mine[0]["title"].startswith("Overdue: ") and not CJK.search(mine[0]["title"])
    assert any(n["title"].startswith("已逾期：") and title in n["title"] for n in zh)


def test_a_notification_made_before_the_keys_is_shown_as_written():
    from lantu.store.notify import notice_text

    assert notice_text("en", None, None, "催办：T1 任务", "请尽快") == ("催办：T1 任务", "请尽快")


def test_every_notification_text_is_in_both_languages():
    zh, en = catalogue("zh"), catalogue("en")
    keys = {k for k in zh if k.startswith("ntf.")} | {k for k in en if k.startswith("ntf.")}
    assert len(keys) > 15
    for k in keys:
        assert k in zh and k in en, k
        assert CJK.search(zh[k]) and not CJK.search(en[k].replace("→", "")), k
        assert set(re.findall(r"\{\w+\}", zh[k])) == set(re.findall(r"\{\w+\}", en[k])), k


def test_the_email_says_it_in_both_languages():
    from lantu import mail
    from lantu.store.notify import notice_text

    params = {"code": "T1.9", "title": "建设工程", "title_en": "Build the works",
              "due": "2026-06-30"}
    title, body = notice_text("zh", "ntf.assigned", params)
    row = NotificationRow(title=title, body=body, message_key="ntf.assigned", params=params,
                          link="/supervision/tasks/9", email_to="a@example.gov.cn")
    msg = mail._message(row, SimpleNamespace(mail_from="lantu@localhost",
                                             base_url="http://lantu.example"))
    assert msg["Subject"] == ("[蓝图督办] 新交办任务 T1.9 建设工程 / "
                              "[Lantu] New task assigned: T1.9 Build the works")
    content = msg.get_content()
    assert content.index("完成时限 2026-06-30") < content.index("Deadline 2026-06-30")
    assert "http://lantu.example/supervision/tasks/9" in content
    # a row kept from before: as it was written, once
    old = NotificationRow(title="催办：T1 任务", body="请尽快", link="", email_to="a@b.cn")
    msg = mail._message(old, SimpleNamespace(mail_from="x@y", base_url="http://h"))
    assert msg["Subject"] == "[蓝图督办] 催办：T1 任务" and "请尽快" in msg.get_content()


def test_the_migration_keeps_old_rows_readable_and_back(db):
    from lantu.store import notify

    with db.session() as s:
        users.add_user(s, "li_note", "Correct-horse-9-battery", "analyst")
        uid = users.get_user(s, "li_note").id
        users.create_api_token(s, "li_note", "kept")
    cfg = _alembic_config(db.url)

    def tokens() -> int:  # what hangs on user_account by a cascading key stays (SQLite: a
        # batch that recreated user_account had deleted every notification and token)
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM api_token")).scalar()

    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0012_verdict10")
    with db.engine.begin() as conn:  # a row as the code before wrote it: Chinese text only
        conn.execute(text("INSERT INTO notification (user_id, kind, title, body, link, "
                          "created_at) VALUES (:u, 'reminder', '催办：T1 旧任务', '请尽快', '', "
                          "CURRENT_TIMESTAMP)"), {"u": uid})
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    with db.session() as s:
        notify.notify(s, [s.get(UserRow, uid)], kind="reopened", key="ntf.reopened",
                      params={"code": "T2", "title": "新任务", "title_en": "A new task"},
                      body="补充材料")
    with db.session() as s:
        _, en = notify.notifications(s, uid, lang="en")
    assert sorted((n["title"], n["body"]) for n in en) == [
        ("Task reopened: T2 A new task", "补充材料"), ("催办：T1 旧任务", "请尽快")]
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0012_verdict10")
    with db.engine.begin() as conn:  # back: every row keeps its Chinese title and body
        rows = sorted(conn.execute(text("SELECT title, body FROM notification WHERE user_id = :u"),
                                   {"u": uid}).all())
    assert rows == [("任务重新打开：T2 新任务", "补充材料"), ("催办：T1 旧任务", "请尽快")]
    assert tokens() == 1
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
