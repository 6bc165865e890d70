"""Reading a text in the web, in Debian's Chromium against PostgreSQL (issue 11): the admin adds
an analyst on /admin/users (and renames the mistyped name there) → the analyst uploads Taiyuan's real 2025 work report → accepts two
figures beside their clauses and a milestone (its plan node corrected) → imports them → finds the figures on the
indicator pages and the milestone on its goal's page, each with its clause. The database holds
the reference data and the plan but no figures or milestones, so what the pages show came from
this review. Screenshots of each step go to ``artifacts/review/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from browserutil import need_chromium
from lantu.store.models import MilestoneFactRow, ObservationRow
from test_web_browser import _login, browser_server

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "review"
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]
REPORT = "corpus/work-reports/140100-taiyuan/2025.md"
FIGURES = {"rail_freight_volume_growth|observed": "铁路货运量分别增长6.7%、11.4%",
           "new_urban_jobs|observed": "城镇新增就业8.9万人"}
# read with the node P0.3.4 (开放高地: its keyword 友好城市, a sister city, matches 儿童友好城市);
# the analyst links it to the goal it serves instead
MILESTONE, GOAL = "入选国家儿童友好城市建设名单", "P0.5"
PASSWORD = "Lan-tu-fenxi-2026!"


@pytest.fixture()
def pg_server(postgres_demo_db_factory, tmp_path):
    need_chromium()
    db = postgres_demo_db_factory(figures=False)  # the reference data and the plan only
    with browser_server(db, tmp_path / "home") as base:
        yield base, db
    db.dispose()


def _click(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def test_admin_adds_analyst_who_reviews_a_report_in_chromium(pg_server, shared_dir, chromium):
    base, db = pg_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with db.session() as s:
        assert not s.scalar(select(func.count()).select_from(ObservationRow))
        assert not s.scalar(select(func.count()).select_from(MilestoneFactRow))
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    # 1. the admin adds an analyst
    _login(page, base, "admin")
    page.goto(f"{base}/admin/users")
    form = "form[data-test=add-user]"
    page.fill(f"{form} input[name=username]", "li_fx")  # a name mistyped, renamed below
    page.fill(f"{form} input[name=display_name]", "李分析")
    page.select_option(f"{form} select[name=role]", "analyst")
    page.fill(f"{form} input[name=password]", PASSWORD)
    page.screenshot(path=str(SHOTS / "1-admin-adds-analyst.png"), full_page=True)
    _click(page, f"{form} button[type=submit]")
    page.fill("form[data-test=rename-li_fx] input[name=new_name]", "li_fenxi")
    _click(page, "form[data-test=rename-li_fx] button[type=submit]")
    assert "li_fenxi" in page.inner_text("[data-test=users]")
    assert "li_fx" not in page.inner_text("[data-test=users]") and "已改名" in page.inner_text("main")
    # 2. the analyst signs in and uploads the report
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "li_fenxi")
    page.fill("input[name=password]", PASSWORD)
    _click(page, "form.form button[type=submit]")
    page.goto(f"{base}/review")
    page.set_input_files("input[name=file]", str(shared_dir / REPORT))
    page.fill("input[name=region]", "140100")
    page.fill("input[name=year]", "2025")
    page.screenshot(path=str(SHOTS / "2-upload.png"), full_page=True)
    _click(page, "form[data-test=review-upload] button[type=submit]")
    assert "/review/r-u" in page.url
    # 3. each item beside its clause: choosing one marks it in the text
    row = f'tr[data-key="{MILESTONE}"]'
    page.click(f"{row} .to-clause")
    assert page.inner_text("#rv-text mark.on") == MILESTONE
    page.screenshot(path=str(SHOTS / "3-review-clause-marked.png"))
    # 4. accept two figures and the milestone, then import with the source
    for key, clause in FIGURES.items():
        assert clause in page.inner_text(f'tr[data-key="{key}"] .rv-clause')
        _click(page, f'tr[data-key="{key}"] [data-test=accept]')
    assert "P0.3.4" in page.inner_text(row)
    page.click(f"{row} details.rv-edit summary")
    page.fill(f"{row} input[name=nodes]", GOAL)
    _click(page, f"{row} [data-test=edit-form] button[type=submit]")
    # (the full-width colon of a Chinese page, left10web)
    assert "已修改" in page.inner_text(row) and f"规划节点：{GOAL}" in page.inner_text(row)
    assert "已采纳 3 条" in page.inner_text("[data-test=counts]")
    page.evaluate("window.scrollTo(0, 0)")
    source = page.input_value("form[data-test=review-import] input[name=source_url]")
    assert source.startswith("https://www.taiyuan.gov.cn/")
    page.screenshot(path=str(SHOTS / "4-accepted.png"), full_page=True)
    _click(page, "[data-test=import-accepted]")
    assert "已导入" in page.inner_text("[data-test=review-done]")
    page.screenshot(path=str(SHOTS / "5-imported.png"), full_page=True)
    # 5. the figures on their indicator pages, with the clause
    for n, (key, clause) in enumerate(FIGURES.items(), start=1):
        page.goto(f"{base}/indicators?indicator={key.split('|')[0]}&region=140100")
        assert clause in page.inner_text("table.obs"), key
        if n == 1:
            page.screenshot(path=str(SHOTS / "6-indicator-page.png"), full_page=True)
    # 6. the milestone on its goal's page, reviewed, with its clause
    page.goto(f"{base}/plan/{GOAL}")
    item = page.locator("#milestones li.reviewed", has_text=MILESTONE)
    assert item.count() == 1 and "城市建设名单" in item.inner_text()
    item.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "7-goal-page.png"), full_page=True)
    with db.session() as s:
        obs = s.scalars(select(ObservationRow)).all()
        assert {o.indicator_code for o in obs} == {k.split("|")[0] for k in FIGURES}
        assert all(o.created_by == "li_fenxi" and o.period == "2024" for o in obs)
        ms = s.scalars(select(MilestoneFactRow)).one()
        assert ms.text == MILESTONE and ms.reviewed and ms.reviewed_by == "li_fenxi"
        assert [n.node_code for n in ms.nodes] == [GOAL]
