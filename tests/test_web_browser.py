"""The browser test of the supervision workflow: Playwright for Python driving Debian's chromium
(never ``playwright install``). A department reporter submits progress, the supervisor returns
it, the reporter resubmits, the supervisor approves; the supervision page and the overview show
the new status. Screenshots go to ``artifacts/screenshots/``.

Skipped with a printed reason when chromium or playwright is missing, except with
``LANTU_REQUIRE_BROWSER=1`` (CI), where that is a failure."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from browserutil import need_chromium
from lantu.config import Settings
from lantu.web.app import create_app
from webutil import fresh_db, live_server, task_ids

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@contextlib.contextmanager
def browser_server(db, home: Path, **settings) -> Iterator[str]:
    """The app on ``db`` (``settings`` beside ``home``) served for Chromium by a uvicorn thread;
    yields its base URL. The caller disposes ``db``."""
    with live_server(create_app(db, Settings(home=home, **settings))) as base:
        yield base


@pytest.fixture()
def server(web_template_db, tmp_path):
    """A uvicorn thread on a fresh copy of the default (SQLite) with the demo logins."""
    need_chromium()
    db = fresh_db(web_template_db, tmp_path)
    with browser_server(db, tmp_path / "home") as base:
        yield base, db
    db.dispose()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/logout-page-does-not-exist")  # any page: reset to a known state
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-demo-2026")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def _report(page, base: str, node: int, text: str, percent: int, month: str, *,
            expect: str | None = None) -> None:
    """As the reporter of fgw: fill the monthly progress form of a task and submit it."""
    _login(page, base, "rep_fgw")
    page.goto(f"{base}/supervision/tasks/{node}")
    if expect:
        assert expect in page.content()
    page.fill("textarea[name=text]", text)
    page.fill("input[name=percent]", str(percent))
    page.fill("input[name=month]", month)
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()


def _review(page, base: str, decision: str, comment: str, *, expect: str) -> None:
    """As the supervisor: approve or return the first report of the review queue."""
    _login(page, base, "supervisor")
    page.goto(f"{base}/supervision/queue")
    assert expect in page.content()
    if comment:
        page.fill("form.review-form textarea[name=comment]", comment)
    page.click(f"form.review-form button[value={decision}]")
    page.wait_for_load_state()


def test_report_return_resubmit_approve_in_chromium(server, chromium):
    base, db = server
    node = task_ids(db, "fgw")[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    month = date.today().strftime("%Y-%m")
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    # 1. the reporter of the development and reform commission submits progress
    _report(page, base, node, "本月完成物流枢纽规划编制初稿", 35, month)
    assert "已提交" in page.content()
    # 2. the supervisor returns it with a comment
    _review(page, base, "return", "请补充规划评审时间",
            expect="本月完成物流枢纽规划编制初稿")
    assert "已退回" in page.content()
    # 3. the reporter sees the comment and resubmits
    _report(page, base, node, "规划初稿已完成，定于下月组织专家评审", 100, month,
            expect="请补充规划评审时间")
    # 4. the supervisor approves
    _review(page, base, "approve", "", expect="规划初稿已完成")
    # the supervision page shows the new status; the task's history has every step
    page.goto(f"{base}/supervision?dept=fgw&status=done")
    table = page.content()
    assert f"/supervision/tasks/{node}\"" in table and "已完成" in table
    page.screenshot(path=str(SHOTS / "supervision.png"), full_page=True)
    page.goto(f"{base}/supervision/tasks/{node}")
    history = page.inner_text("ol.timeline")
    for step in ("提交进展报告", "退回修改", "重新提交", "审核通过", "任务完成"):
        assert step in history
    page.screenshot(path=str(SHOTS / "task.png"), full_page=True)
    # the overview (home page) renders with the new state of the plan
    resp = page.goto(f"{base}/")
    page.wait_for_load_state()
    assert resp is not None and resp.ok, resp and resp.status
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
    # phone width: the table is still usable
    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{base}/supervision?dept=fgw")
    phone.screenshot(path=str(SHOTS / "supervision-phone.png"), full_page=False)
    assert (SHOTS / "overview.png").stat().st_size > 10_000
    assert (SHOTS / "supervision.png").stat().st_size > 10_000
