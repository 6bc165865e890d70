"""The indicator explorer's status filter: each region carries the status of the indicator's
target in force in the year shown (its verdict's), the filter keeps the regions with that status,
and the values are grouped by region and paged like the targets page."""

from __future__ import annotations

import pytest

from lantu.evaluation import evaluate
from lantu.evaluation.verdict import target_statuses
from lantu.web.dashboard import explorer
from webutil import fresh_db, make_client

TAIYUAN = "140100"


@pytest.fixture(scope="module")
def db(web_template_db, tmp_path_factory):
    database = fresh_db(web_template_db, tmp_path_factory.mktemp("explorer_status"))
    yield database
    database.dispose()


def _verdict_status(s, region, indicator, year):
    if region == TAIYUAN:  # the plan's region: its verdict
        v = evaluate(s, region=region, year=year)
        return next((i.status for n in v.nodes for i in n.indicators
                     if i.indicator == indicator and i.status), None) or "no_target"
    # a city without a plan of its own: its own target, by the verdict's rule (plan_for)
    return target_statuses(s, region, year, [indicator])[indicator].status or "no_target"


def test_each_region_shows_its_verdicts_status_and_the_filter_keeps_those_with_it(db):
    q = explorer.ExplorerQuery(indicator="gdp_growth", group="central_shanxi", period_to="2023")
    with db.session() as s:
        view = explorer.build_explorer(s, q, "zh")
        expect = {r["region_code"]: _verdict_status(s, r["region_code"], "gdp_growth", 2023)
                  for r in view["table"]}
        missed = explorer.build_explorer(
            s, explorer.ExplorerQuery(indicator="gdp_growth", group="central_shanxi",
                                      period_to="2023", status="missed"), "zh")
    assert view["status_year"] == 2023 and len(view["table"]) == 5
    assert {r["region_code"]: r["status"]["key"] for r in view["table"]} == expect
    assert expect[TAIYUAN] == "missed"  # 3.8 % against 6.5 %左右
    kept = {r["region_code"] for r in missed["table"]}
    assert kept == {c for c, st in expect.items() if st == "missed"} and TAIYUAN in kept
    assert {r["region_code"] for r in missed["rows"]} <= kept
    assert all(g["status"]["key"] == "missed" for g in missed["groups"])


def test_the_values_are_grouped_by_region_and_paged(db, monkeypatch):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 4)
    monkeypatch.setattr(explorer, "CACHE", type(explorer.CACHE)())  # a cold cache
    base = {"indicator": "gdp", "group": "central_shanxi"}
    with db.session() as s:
        first = explorer.build_explorer(s, explorer.ExplorerQuery(**base, page=1), "en")
        pages = first["pages"]
        seen = [r["id"] for p in range(1, pages + 1) for g in explorer.build_explorer(
            s, explorer.ExplorerQuery(**base, page=p), "en")["groups"] for r in g["rows"]]
        with pytest.raises(Exception, match="past the last page"):
            explorer.build_explorer(s, explorer.ExplorerQuery(**base, page=pages + 1), "en")
        with pytest.raises(Exception, match="unknown status"):
            explorer.build_explorer(s, explorer.ExplorerQuery(**base, status="great"), "en")
    assert pages == -(-len(first["rows"]) // 4) and pages > 1
    assert seen == [r["id"] for r in first["rows"]]  # every value once, in order
    assert sum(len(g["rows"]) for g in first["groups"]) == 4
    for g in first["groups"]:
        assert {r["region_code"] for r in g["rows"]} == {g["region_code"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_offers_the_status_filter(db, tmp_path, lang):
    with make_client(db, tmp_path / "home") as client:
        page = client.get("/indicators", params={"indicator": "gdp_growth", "to": "2023",
                                                 "status": "missed", "lang": lang})
        bad = client.get("/indicators", params={"status": "great"})
    assert page.status_code == 200 and bad.status_code == 422
    html = page.text
    assert '<select name="status">' in html and '<option value="missed" selected>' in html
    assert ('太原市' if lang == "zh" else "Taiyuan") in html.split('class="group-head"', 1)[1]
    assert ('未完成' if lang == "zh" else "missed") in html.split('class="group-head"', 1)[1]
