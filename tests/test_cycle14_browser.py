"""The task page in Chromium, as a department reporter sees it (benchmarks/cycle14_walk.md): a
yellow or red task says why — days left or late, or the progress expected by now — and a
milestone past its date says it is late, in Chinese and in English, at 1280 and 375 px; the
walk found a bare "预警" badge and a milestone a week late shown like any other."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from lantu.store.models import MilestoneRow, PlanNodeRow
from test_web_browser import _login, server  # noqa: F401 - the fixture
from webutil import task_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TODAY = date.today()


def _set(db, node: int, *, start: date, due: date, milestone_due: date | None = None) -> None:
    with db.session() as s:
        n = s.get(PlanNodeRow, node)
        n.start_date, n.due_date, n.progress, n.status = start, due, 0.0, "in_progress"
        if milestone_due is not None:
            first = s.scalar(select(MilestoneRow.id).where(MilestoneRow.node_id == node)
                             .order_by(MilestoneRow.position).limit(1))
            s.execute(update(MilestoneRow).where(MilestoneRow.id == first)
                      .values(due_date=milestone_due, done_on=None))


def test_the_task_page_says_why_it_warns(server, chromium):  # noqa: F811
    base, db = server
    with db.session() as s:
        with_ms = set(s.scalars(select(MilestoneRow.node_id)))
    soon, late, behind = [i for i in task_ids(db, "fgw") if i in with_ms][:3]
    _set(db, soon, start=TODAY - timedelta(days=60), due=TODAY + timedelta(days=3),
         milestone_due=TODAY - timedelta(days=6))
    _set(db, late, start=TODAY - timedelta(days=60), due=TODAY - timedelta(days=1))
    _set(db, behind, start=TODAY - timedelta(days=50), due=TODAY + timedelta(days=50))
    for width in (1280, 375):
        page = chromium.new_page(viewport={"width": width, "height": 900})
        _login(page, base, "rep_fgw")
        page.goto(f"{base}/supervision/tasks/{soon}?lang=zh")
        assert "还有 3 天" in page.inner_text("[data-test=warning-reason]")
        first = page.locator("[data-test=milestone]").first.inner_text()
        assert "逾期 6 天" in first
        page.goto(f"{base}/supervision/tasks/{late}?lang=en")
        assert "by 1 day and not done" in page.inner_text("[data-test=warning-reason]")
        page.goto(f"{base}/supervision/tasks/{behind}?lang=zh")
        reason = page.inner_text("[data-test=warning-reason]")
        assert "进度 0%" in reason and "应达到 50%" in reason
        page.goto(f"{base}/supervision/tasks/{behind}?lang=en")
        assert "50% expected by now" in page.inner_text("[data-test=warning-reason]")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()
