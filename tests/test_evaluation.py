"""The verdict (lantu.evaluation) on the embedded default: the statuses the issue found wrong,
the rule that only targets in force count, primacy for P0.8, and the same JSON from
``lantu evaluate`` and ``GET /api/v1/evaluation``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.evaluation import evaluate
from lantu.store import users
from webutil import fresh_db, make_client

TAIYUAN = "140100"


@pytest.fixture(scope="module")
def db(web_template_db, tmp_path_factory):
    database = fresh_db(web_template_db, tmp_path_factory.mktemp("verdict"))
    yield database
    database.dispose()


def _ind(v, node, code):
    return next(i for i in v.node(node).indicators if i.indicator == code)


def test_taiyuan_2023_gdp_growth_is_missed_by_points(db):
    with db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2023)
    g = _ind(v, "T1.8", "gdp_growth")
    assert g.target.value == 6.5 and g.target.qualifier == "左右" and g.target.year == 2023
    assert g.value == pytest.approx(3.8) and g.period == "2023"
    assert g.status == "missed" and g.target.gap == pytest.approx(3.8 - 6.5)
    assert "差2.7个百分点" in g.reason_zh and "有所改善" not in g.reason_zh


@pytest.mark.parametrize("year", [2022, 2024])
def test_missed_gdp_growth_never_reads_stagnating(db, year):
    with db.session() as s:
        g = _ind(evaluate(s, region=TAIYUAN, year=year), "T1", "gdp_growth")
    assert g.status == "missed" and "停滞" not in g.reason_zh


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_a_node_counts_only_targets_in_force(db, year):
    with db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=year)
    for n in v.nodes:
        for i in n.indicators:
            for t in ([i.target] if i.target else []) + i.others:
                if t.horizon == "yearly":
                    assert t.year == year, (n.code, i.indicator, t.year)
                else:
                    assert t.year >= year, (n.code, i.indicator, t.year)
    # T3's budget-revenue target of 2019 and T4's of 2019 and 2021 are not part of 2023
    t3 = _ind(v, "T3", "budget_revenue_growth")
    assert t3.target is None or t3.target.year == year


def test_p08_shows_the_share_of_the_province_from_primacy(db):
    with db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2022)
    share = _ind(v, "P0.8", "gdp_share_of_province")
    assert share.period == "2022" and share.value == pytest.approx(21.73, abs=0.005)
    assert share.derived == "primacy_share" and "derived" in share.flags
    assert share.quality == v.primacy["current"]["gdp"]["share_quality"] is not None
    gdp = v.primacy["current"]["gdp"]  # the one primacy of lantu.evaluation.primacy
    assert gdp["period"] == "2022" and gdp["share"] == pytest.approx(share.value)
    # S11 needs every city of the province: the default has four of eleven
    assert gdp["n_cities"] < v.primacy["n_cities"] and gdp["S11"] is None


def test_goals_without_measurable_targets_are_qualitative(db):
    with db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2023)
    t7 = v.node("T7")  # party discipline: nothing measurable
    assert t7.status == "qualitative" and t7.colour == "grey" and t7.state == "no_evidence"
    assert v.node("P0.1").status == "qualitative"


def test_cli_and_api_give_the_same_json(db, tmp_path):
    out = tmp_path / "v.json"
    res = CliRunner().invoke(app, ["evaluate", "--region", TAIYUAN, "--year", "2023", "--format",
                                   "json", "--out", str(out), "--db", str(db.engine.url)])
    assert res.exit_code == 0, res.output
    cli = json.loads(out.read_text(encoding="utf-8"))
    assert {"region", "year", "plan", "demo", "nodes", "index", "primacy"} <= set(cli)
    node = cli["nodes"][0]
    assert {"code", "title", "status", "reason", "indicators", "milestones"} <= set(node)
    ind = next(i for n in cli["nodes"] for i in n["indicators"] if i["target"])
    assert {"indicator", "value", "period", "unit", "source_url", "target", "status",
            "reason"} <= set(ind)
    assert {"value", "value_high", "qualifier", "year", "kind", "source_url"} <= set(ind["target"])
    assert cli["demo"] is True
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "test")
    with make_client(db, tmp_path / "home") as client:
        r = client.get("/api/v1/evaluation", params={"region": TAIYUAN, "year": 2023},
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        api = r.json()
        bad = client.get("/api/v1/evaluation", params={"region": "999999", "year": 2023},
                         headers={"Authorization": f"Bearer {token}"})
    assert [(n["code"], n["status"]) for n in api["nodes"]] == \
        [(n["code"], n["status"]) for n in cli["nodes"]]
    assert api["index"] == cli["index"] and api["primacy"] == cli["primacy"]
    assert bad.status_code == 422 and "region" in bad.json()["detail"]


def test_a_milestone_is_evidence_of_a_qualitative_goal(web_template_db, tmp_path):
    from lantu.domain.milestones import MilestoneFact
    from lantu.store.evidence import apply_milestones

    database = fresh_db(web_template_db, tmp_path)
    try:
        with database.session() as s:
            before = evaluate(s, region=TAIYUAN, year=2023).node("P0.1")
            assert before.status == "qualitative"
            n0 = len([m for m in before.milestones if m["year"] == 2023])
            apply_milestones(s, [MilestoneFact(
                TAIYUAN, 2023, "designation", "太原陆港型国家物流枢纽入选国家物流枢纽建设名单",
                nodes=("P0.1",), source_url="https://example.org/hub")])
        with database.session() as s:
            v = evaluate(s, region=TAIYUAN, year=2023)
            early = evaluate(s, region=TAIYUAN, year=2022)
        hub = v.node("P0.1")
        assert hub.status == "qualitative" and hub.colour == "grey"  # never a made-up colour
        mine = [m for m in hub.milestones if m["source_url"] == "https://example.org/hub"]
        assert [m["year"] for m in mine] == [2023] and not mine[0]["before_plan"]
        assert len([m for m in hub.milestones if m["year"] == 2023]) == n0 + 1
        assert hub.state in ("evidence", "mixed") and "规划期内里程碑" in hub.reason_zh
        assert all(m in v.node("P0").milestones for m in mine)  # a goal carries its sub-goals'
        assert not any(m["source_url"] == "https://example.org/hub"
                       for m in early.node("P0.1").milestones)  # not before it happened
        # milestones from before the plan are context: listed, never counted as evidence
        for m in hub.milestones:
            assert m["before_plan"] is (m["year"] < v.plan_start)
    finally:
        database.dispose()


def test_a_series_break_stops_the_pace_and_the_trend_from_running_across_it(web_template_db,
                                                                            tmp_path):
    from lantu.store.evidence import upsert_series_breaks

    database = fresh_db(web_template_db, tmp_path)
    try:
        with database.session() as s:
            before = _ind(evaluate(s, region=TAIYUAN, year=2024), "P0.2", "population")
            assert before.target.reason_zh.count("基期2021年") == 1
            upsert_series_breaks(s, [{"region_code": TAIYUAN, "indicator": "population",
                                      "period": "2023", "reason": "test: a new basis"}])
        with database.session() as s:
            after = _ind(evaluate(s, region=TAIYUAN, year=2024), "P0.2", "population")
    finally:
        database.dispose()
    # the plan's base (2021) is before the break: the pace starts on the break's side, 2023
    assert "基期2021年" not in after.target.reason_zh
    assert "2023" in after.target.reason_zh
    assert "2023年起统计口径变化" in after.reason_zh  # and the verdict says why


def test_a_cumulative_target_sums_the_yearly_figures_of_a_flow_indicator_of_the_catalogue(db):
    from lantu.evaluation.verdict import judge_target
    from lantu.store import queries

    with db.session() as s:
        meta = queries.indicator_meta(s)
    assert meta["new_urban_jobs"]["flow"] is True and meta["gdp"]["flow"] is False
    assert meta["gdp_share_of_province"]["share_of_province"] == "gdp"
    row = {"region_code": TAIYUAN, "indicator": "new_urban_jobs", "target_period": "2025",
           "kind": "cumulative_change", "value": 50.0, "plan": "太原市“十四五”规划",
           "unit": "万人"}
    years = {2021: 11.0, 2022: 11.0, 2023: 11.0}
    summed = judge_target(row, years, meta["new_urban_jobs"], 2023)
    assert summed.current == pytest.approx(33.0)  # 11 a year over three years: flows summed
    assert summed.status == "on_track"
    as_level = judge_target(row, years, {**meta["new_urban_jobs"], "flow": False}, 2023)
    assert as_level.current != pytest.approx(33.0)


def test_taiyuan_population_is_not_compared_across_the_2020_census(db):
    """The 7th census (2020) moved Taiyuan's resident population from 446.19 万 (2019, old base)
    to 539.1 万 (2021): the series break of the default keeps 2019 out of the trend and the
    verdict says so; from 2022 the trend runs on the census base, 2021 → 2022."""
    from lantu.store.evidence import series_breaks

    with db.session() as s:
        breaks = {(b["indicator"], str(b["period"])) for b in series_breaks(s, regions=[TAIYUAN])}
        y21 = _ind(evaluate(s, region=TAIYUAN, year=2021), "P0.2", "population")
        y22 = _ind(evaluate(s, region=TAIYUAN, year=2022), "P0.2", "population")
    assert ("population", "2020") in breaks
    assert dict(y21.series)["2019"] == pytest.approx(446.19) and y21.period == "2021"
    assert y21.trend == "n/a"  # 446.19 → 539.1 would read as +21 %: not a trend, a new basis
    assert "2020年起统计口径变化" in y21.reason_zh and "2019年数据不与此后比较" in y21.reason_zh
    assert "series break in 2020" in y21.reason_en
    assert y22.trend == "up" and "口径变化" not in y22.reason_zh  # 2021 → 2022, one basis
    assert "基期2021年" in y22.target.reason_zh  # the pace starts on the census base
