"""The supervision cycle in Debian's Chromium against PostgreSQL, with a local SMTP sink started
by the test (a real SMTP conversation): the supervisor assigns a task to fgw → fgw's reporter sees
the notification under the bell and receives the e-mail → the supervisor reminds → the reporter
asks for an extension → granted → the reporter reports and asks to close → closed.
Screenshots of each step go to ``artifacts/cycle/``.

The admin adding a user and the analyst's text review: `test_review_browser.py`."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from browserutil import need_chromium
from lantu.store.models_web import UserRow
from smtp_sink import SmtpSink
from test_web_browser import _login, browser_server

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "cycle"
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture()
def pg_server(postgres_demo_db_factory, tmp_path):
    need_chromium()
    db = postgres_demo_db_factory()
    with db.session() as s:
        s.execute(update(UserRow).where(UserRow.username == "rep_fgw")
                  .values(email="wang@fgw.taiyuan.example"))
    with SmtpSink() as sink, browser_server(db, tmp_path / "home", smtp_url=sink.url,
                                            base_url="http://lantu.example") as base:
        yield base, db, sink
    db.dispose()


def _wait_mail(sink, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(sink.messages) < n and time.monotonic() < deadline:
        time.sleep(0.1)


def test_assign_remind_extend_report_close_in_chromium(pg_server, chromium):
    base, db, sink = pg_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    due = (date.today() + timedelta(days=20)).isoformat()
    later = (date.today() + timedelta(days=80)).isoformat()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    # 1. the supervisor assigns a task to fgw
    _login(page, base, "supervisor")
    page.goto(f"{base}/supervision/tasks/new")
    page.select_option("select[name=parent]", "T1")
    page.fill("input[name=title]", "建成国家物流枢纽多式联运中心")
    page.select_option("select[name=origin]", "instruction")
    page.select_option("select[name=lead_department]", "fgw")
    page.fill("input[name=due]", due)
    page.fill("textarea[name=milestones]", "完成选址 | " + due)
    page.fill("input[name=reason]", "市委主要领导批示")
    page.screenshot(path=str(SHOTS / "1-assign-form.png"), full_page=True)
    page.click("form[data-test=task-form] button[type=submit]")
    page.wait_for_load_state()
    task_url = page.url.split("?")[0]
    assert re.search(r"/supervision/tasks/\d+$", task_url), page.url
    assert "待签收" in page.content()
    page.screenshot(path=str(SHOTS / "2-assigned.png"), full_page=True)
    # 2. the reporter sees the bell and the notification; the e-mail arrived
    _login(page, base, "rep_fgw")
    assert page.inner_text("[data-test=bell] .count") == "1"
    page.click("[data-test=bell]")
    page.wait_for_load_state()
    assert "新交办任务" in page.inner_text("[data-test=notes]")
    page.screenshot(path=str(SHOTS / "3-reporter-notifications.png"), full_page=True)
    _wait_mail(sink, 1)
    assert len(sink.messages) == 1
    _, rcpts, msg = sink.messages[0]
    assert rcpts == ["wang@fgw.taiyuan.example"] and "新交办任务" in msg["Subject"]
    assert "http://lantu.example/supervision/tasks/" in msg.get_content()
    page.goto(task_url)
    page.click("[data-test=acknowledge]")
    page.wait_for_load_state()
    # 3. the supervisor reminds
    _login(page, base, "supervisor")
    page.goto(task_url)
    page.click("#cycle details:has([data-test=remind]) summary")
    page.fill("#cycle textarea[name=message]", "请于本周五前报送选址进展")
    page.click("[data-test=remind]")
    page.wait_for_load_state()
    assert "已催办" in page.content()
    page.screenshot(path=str(SHOTS / "4-reminded.png"), full_page=True)
    _wait_mail(sink, 2)
    assert "催办" in sink.messages[-1][2]["Subject"]
    # 4. the reporter asks for an extension
    _login(page, base, "rep_fgw")
    page.goto(task_url)
    page.click("#cycle details:has([data-test=ask-extension]) summary")
    page.fill("#cycle input[name=due]", later)
    page.fill("#cycle textarea[name=reason]", "用地预审尚未批复")
    page.click("[data-test=ask-extension]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "5-extension-asked.png"), full_page=True)
    # 5. granted
    _login(page, base, "supervisor")
    page.goto(task_url)
    page.click("[data-test=request-extension] button[value=grant]")
    page.wait_for_load_state()
    assert "已同意延期" in page.content() and later in page.content()
    page.screenshot(path=str(SHOTS / "6-extension-granted.png"), full_page=True)
    # 6. the reporter reports and asks to close
    _login(page, base, "rep_fgw")
    page.goto(task_url)
    page.fill("#report-form textarea[name=text]", "多式联运中心已建成投运")
    page.fill("#report-form input[name=percent]", "100")
    page.click("#report-form button[value=submit]")
    page.wait_for_load_state()
    page.click("#cycle details:has([data-test=ask-closure]) summary")
    page.fill("#cycle textarea[name=comment]", "已建成投运，附竣工验收报告")
    page.click("[data-test=ask-closure]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "7-closure-asked.png"), full_page=True)
    # 7. closed
    _login(page, base, "supervisor")
    page.goto(task_url)
    page.click("[data-test=request-closure] button[value=grant]")
    page.wait_for_load_state()
    assert "任务已销号" in page.content() and "已销号" in page.content()
    page.screenshot(path=str(SHOTS / "8-closed.png"), full_page=True)
    page.goto(task_url.replace("/supervision/tasks/", "/supervision/tasks/") + "/versions")
    assert due in page.content() and later in page.content()
    page.screenshot(path=str(SHOTS / "9-versions.png"), full_page=True)
