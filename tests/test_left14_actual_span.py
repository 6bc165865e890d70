"""left14: a target held over several years shows the actual the verdict judged it on.

The targets page's Actual column said "–" for every plan-period target (a five-year goal, a
"年均增长" over a plan's years), though the verdict had judged it on a figure: the explanation
beside it read "实际年均16.43". The figure and its years now come from the verdict's one rule
(``TargetResult.since`` of the analysis → ``TargetInForce.current_year`` / ``since`` /
``measured``): a level goal by
its year's figure ("2,735.34 (2015)"), an average growth by its span ("16.43 (2006–2010年均)"),
a cumulative change by the years it sums ("35.3 (2022–2025累计)"); the reason calls an average
an average ("2006–2010年年均16.43%", it said "2010年实际16.43%"). The page, its JSON, the API's
``/targets`` and ``/evaluation`` say the same; the Word and Excel outputs show indicator figures
and the verdict's reason, not this column, so they are unchanged."""

from __future__ import annotations

import re

import pytest

from lantu.evaluation.verdict import TargetInForce, region_targets
from lantu.store import users
from lantu.web.dashboard.targets import build_targets
from webutil import fresh_db, make_client


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


def _rows(session, indicator, lang="zh", **kw):
    v = build_targets(session, lang=lang, region="140100", indicator=indicator, **kw)
    return {(r["target_period"], r["value"]): r for r in v["regions"][0]["targets"]}


def test_an_average_growth_over_a_plan_shows_its_average_and_its_span(session):
    # 2006–2010 规划: 一般公共预算收入年均增长13%, judged on the average of 2006–2010: 16.43
    row = _rows(session, "budget_revenue_growth")[("2010", 13.0)]
    assert row["status"] == "achieved"
    assert (row["eval_year"], row["since"], row["measured"]) == (2010, 2006, "2006–2010年均")
    assert row["current"] == pytest.approx(16.43, abs=0.01)
    # the reason names the same figure, and as an average: it said "2010年实际16.43%" beside
    # the row of 2010's own growth, 17.8
    assert "2006–2010年年均16.43%" in row["explanation"], row["explanation"]
    assert "2010年实际16.43" not in row["explanation"]
    en = _rows(session, "budget_revenue_growth", lang="en")[("2010", 13.0)]
    assert en["measured"] == "2006–2010 average"
    assert "2006–2010 average 16.43%" in en["explanation"], en["explanation"]


def test_a_level_goal_of_a_plan_shows_its_years_figure(session):
    # 2011–2015: GDP 3,600亿元 in 2015, missed with 2,735.34
    row = _rows(session, "gdp")[("2015", 3600.0)]
    assert (row["eval_year"], row["since"], row["measured"]) == (2015, None, "2015")
    assert row["current"] == pytest.approx(2735.34)
    assert row["current_quality"]  # one year's figure has its source's quality mark


def test_a_cumulative_change_shows_the_years_it_sums(session):
    row = _rows(session, "new_urban_jobs", as_of=2025)[("2026", 40.0)]
    assert row["status"] == "on_track"
    assert (row["eval_year"], row["since"], row["measured"]) == (2025, 2022, "2022–2025累计")
    assert row["current_quality"] is None  # a sum of years has no one source


def test_every_judged_target_has_a_year_beside_its_figure(session):
    # no target the verdict judged on a figure shows "–" for it any more
    for row, t in region_targets(session, "140100", 2025):
        if t.current is not None:
            assert t.current_year is not None and t.measured("zh"), (row["indicator"], t.year)
        else:
            assert t.current_year is None and t.measured("zh") == ""


def test_the_label_of_a_span():
    base = dict(value=5.0, value_high=None, qualifier=None, year=2025, source_url="u", plan="p",
                binding=False, horizon="multi_year", status="on_track", reason_zh="",
                reason_en="", gap=0.5, stretch=False)
    growth = TargetInForce(kind="annual_growth", current=5.5, current_year=2024, since=2021,
                           **base)
    assert (growth.measured("zh"), growth.measured("en")) == ("2021–2024年均",
                                                              "2021–2024 average")
    one = TargetInForce(kind="cumulative_change", current=1.0, current_year=2021, since=2021,
                        **base)
    assert (one.measured("zh"), one.measured("en")) == ("2021累计", "2021 cumulative")
    assert TargetInForce(kind="level", current=None, **base).measured("zh") == ""


@pytest.fixture(scope="module")
def client(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("left14span")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "left14")
    with make_client(db, tmp / "home") as c:
        yield c, {"Authorization": f"Bearer {token}"}
    db.dispose()


def test_the_page_shows_the_figure_with_its_span_in_both_languages(client):
    c, _ = client
    for lang, label in (("zh", "2006–2010年均"), ("en", "2006–2010 average")):
        html = c.get("/targets", params={"region": "140100", "indicator": "budget_revenue_growth",
                                         "lang": lang}).text
        cells = re.findall(r'<td data-label="[^"]+" class="num nowrap">(.*?)</td>', html, re.S)
        assert any("16.43" in cell and f"({label})" in cell for cell in cells), (lang, cells[:6])


def test_the_api_says_the_figures_years(client):
    c, auth = client
    body = c.get("/api/v1/targets", headers=auth, params={
        "region": "140100", "indicator": "budget_revenue_growth", "lang": "en"}).json()
    ev = next(t["evaluation"] for t in body["data"]
              if t["target_period"] == "2010" and t["value"] == 13.0)
    assert (ev["year"], ev["since"], ev["measured"]) == (2010, 2006, "2006–2010 average")
    assert ev["current"] == pytest.approx(16.43, abs=0.01)
    verdict = c.get("/api/v1/evaluation", headers=auth,
                    params={"region": "140100", "year": 2025}).json()
    targets = [i["target"] for n in verdict["nodes"] for i in n["indicators"] if i["target"]]
    assert targets and all("since" in t and "current_year" in t for t in targets)
    assert any(t["since"] for t in targets)  # a plan target in force, judged over its span
