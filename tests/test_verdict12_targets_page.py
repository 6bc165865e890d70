"""verdict12: the targets page (and the API's /targets) judges every target as of the year the
user evaluates, by the verdict's one rule (lantu.evaluation.verdict.region_targets: figures on
the year's side of a series break, figures stated as bounds judged as bounds) — it used to judge
as of the latest figure, with figures read as exact. And the neighbours of the rules key3 touched:
values exactly at the target, a missing year, a later revision of a figure, a target past its
year beside a newer plan's."""

from __future__ import annotations

import pytest

from lantu.domain import Observation, Source
from lantu.evaluation import evaluate
from lantu.evaluation.verdict import evaluated_year, region_targets, target_statuses
from lantu.services import record_observation
from lantu.web.dashboard.targets import build_targets


def _page(s, region, indicator, **kw):
    v = build_targets(s, lang="zh", region=region, indicator=indicator, **kw)
    return v, {(r["target_period"], r["value"]): r for r in v["regions"][0]["targets"]}


def _verdict(s, region, year, indicator):
    if region == "140100":
        iv = next(i for n in evaluate(s, region=region, year=year).nodes for i in n.indicators
                  if i.indicator == indicator)
    else:
        iv = target_statuses(s, region, year, [indicator])[indicator]
    return {(str(t.year), t.value): t.status for t in [iv.target, *iv.others] if t is not None}


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


@pytest.mark.parametrize("as_of, expected", [(2024, "on_track"), (2025, "on_track"),
                                             (2026, "pending")])
def test_a_plan_target_is_judged_as_of_the_evaluated_year(session, as_of, expected):
    # Taiyuan's 40万 new urban jobs over 2022–2026: as of 2026 its own year has come and has no
    # figure — pending, as the verdict of 2026 says; the page used to say on_track from 2025's
    v, rows = _page(session, "140100", "new_urban_jobs", as_of=as_of)
    assert v["as_of"] == as_of
    assert rows[("2026", 40.0)]["status"] == expected
    assert _verdict(session, "140100", as_of, "new_urban_jobs")[("2026", 40.0)] == expected


def test_a_yearly_target_after_the_evaluated_year_waits(session):
    # 2025's 8万 jobs as of 2024: no figure of 2025 yet (the 2025 figure, 9.7, is later)
    _, rows = _page(session, "140100", "new_urban_jobs", as_of=2024)
    assert rows[("2025", 8.0)]["status"] == "pending"
    assert "尚无2025年数据" in rows[("2025", 8.0)]["explanation"]
    _, rows = _page(session, "140100", "new_urban_jobs", as_of=2025)
    assert rows[("2025", 8.0)]["status"] == "achieved"


def test_a_figure_stated_as_a_bound_is_judged_as_one_on_the_page(session):
    # 长沙 2024: GDP 6%以上 against "增长5%以上" — the bound cannot decide; the page said missed
    _, rows = _page(session, "430100", "gdp_growth", as_of=2024)
    assert rows[("2024", 6.0)]["status"] == "pending"
    assert _verdict(session, "430100", 2024, "gdp_growth")[("2024", 6.0)] == "pending"


def test_the_default_evaluated_year_is_the_verdicts(session):
    v, _ = _page(session, "140100", "gdp_growth")
    assert v["as_of"] == evaluate(session, region="140100").year == evaluated_year(session, ["140100"])
    # a target year filtered on is the evaluated year unless one is asked
    assert _page(session, "140100", "gdp_growth", year=2023)[0]["as_of"] == 2023
    assert _page(session, "140100", "gdp_growth", year=2023, as_of=2025)[0]["as_of"] == 2025


@pytest.mark.parametrize("region, year, indicator", [
    ("140100", 2022, "new_parking_spaces"), ("140100", 2025, "new_urban_jobs"),
    ("430100", 2024, "gdp_growth"), ("360100", 2025, "rd_intensity"),
    ("140000", 2025, "urbanization_rate"), ("410100", 2024, "new_parking_spaces"),
])
def test_page_and_verdict_say_the_same_of_every_target_in_force(session, region, year, indicator):
    _, rows = _page(session, region, indicator, as_of=year)
    for key, status in _verdict(session, region, year, indicator).items():
        assert rows[key]["status"] == status, key


@pytest.mark.parametrize("region, year, indicator, value, status", [
    ("360100", 2024, "gdp_growth", 5.0, "achieved"),      # 5.0 against 5.0左右: equal meets
    ("360100", 2025, "rd_intensity", 2.2, "achieved"),    # 2.2 against 突破2.2: a floor, equal meets
    ("410100", 2023, "market_entities", 200.0, "achieved"),  # 突破200 against 突破200 (bounds)
    ("410100", 2024, "new_parking_spaces", 10.0, "pending"),  # no figure of 2024, a later one
    ("410100", 2025, "gdp_growth", 6.0, "missed"),        # 5.4 against 6左右: 0.1 beyond tolerance
])
def test_boundaries_and_a_missing_year(session, region, year, indicator, value, status):
    got = {t.value: t.status for r, t in region_targets(session, region, year, [indicator])
           if int(r["target_period"]) == year}
    assert got[value] == status


def test_a_target_past_its_year_beside_a_newer_plans(session):
    # Taiyuan's 十四五 4500 high-tech firms (2025) and the 2022 report's 4500以上 (2026): in 2026
    # only the newer one is in force — beside the 2026 report's 十五五 goal (3000 by 2030, read since
    # horizon13), whose span 2026–2030 has begun; the page still lists the older one, judged on 2025
    assert set(_verdict(session, "140100", 2026, "high_tech_enterprises")) == {
        ("2026", 4500.0), ("2030", 3000.0)}
    _, rows = _page(session, "140100", "high_tech_enterprises", as_of=2026)
    assert rows[("2025", 4500.0)]["status"] == "pending"


def test_a_later_revision_of_the_figure_moves_page_and_verdict_alike(default_db):
    # 长沙 2024 GDP: the report's "5%以上" (a bound, pending against 6%以上); a bulletin's exact
    # figure, better ranked, decides it — on the page and in the verdict alike
    with default_db.session() as s:
        record_observation(s, Observation("430100", "2024", "gdp_growth", 5.3, "%", source=Source(
            url="https://example.org/bulletin-2024", excerpt="比上年增长5.3%",
            quality="official_statistics", published="2025-03-20")), actor="test")
        s.commit()
    with default_db.session() as s:
        _, rows = _page(s, "430100", "gdp_growth", as_of=2024)
        assert rows[("2024", 6.0)]["status"] == "missed"
        assert rows[("2024", 6.0)]["gap"] == pytest.approx(-0.7)
        assert _verdict(s, "430100", 2024, "gdp_growth")[("2024", 6.0)] == "missed"
        # exactly at the target: met
        record_observation(s, Observation("430100", "2024", "gdp_growth", 6.0, "%", source=Source(
            url="https://example.org/bulletin-2024-rev", excerpt="比上年增长6.0%",
            quality="official_statistics", published="2025-06-30")), actor="test")
        s.commit()
    with default_db.session() as s:
        _, rows = _page(s, "430100", "gdp_growth", as_of=2024)
        assert rows[("2024", 6.0)]["status"] == "achieved"
        assert _verdict(s, "430100", 2024, "gdp_growth")[("2024", 6.0)] == "achieved"


def test_the_api_judges_as_of_the_year_asked(web_template_db, tmp_path):
    from lantu.store import users
    from webutil import fresh_db, make_client

    db = fresh_db(web_template_db, tmp_path)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "test")
    with make_client(db, tmp_path / "home") as client:
        def jobs(**params):
            r = client.get("/api/v1/targets", params={"region": "140100", "indicator": "new_urban_jobs",
                                                       "limit": 500, **params},
                           headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text
            return {(d["target_period"], d["value"]): d["evaluation"]["status"] for d in r.json()["data"]}
        assert jobs(as_of=2025)[("2026", 40.0)] == "on_track"
        assert jobs(as_of=2026)[("2026", 40.0)] == "pending"
        assert jobs(as_of=2024)[("2025", 8.0)] == "pending"
        # no year asked: the verdict's default year, the same as the page's
        with db.session() as s:
            default = evaluated_year(s, ["140100"])
        assert jobs() == jobs(as_of=default)
    db.dispose()


@pytest.mark.parametrize("figure, status", [(4.4, "missed"), (4.5, "achieved"), (5.0, "achieved"),
                                            (7.0, "achieved")])
def test_taiyuan_2025_gdp_target_is_about_5_judged_from_below(session, figure, status):
    # the 2025 report: 地区生产总值增长5%左右 — an expected value with 左右, not a floor; growth is
    # more-is-better, so only the low side of the tolerance (4.5) decides and overshooting meets it
    from lantu.evaluation.verdict import judge_rows
    from lantu.store import queries

    _, rows = queries.target_rows(session, regions=["140100"], indicators=["gdp_growth"])
    row = next(r for r in rows if r["target_period"] == "2025")
    assert (row["value"], row["qualifier"], row["kind"]) == (5.0, "左右", "annual_growth")
    meta = queries.indicator_meta(session)["gdp_growth"]
    [(_, t)] = judge_rows([row], {2025: figure}, {}, meta, 2025)
    assert t.status == status
