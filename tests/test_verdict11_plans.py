"""Issue stops (3): one rule for which plan applies to which region (a plan applies to its own
region: :func:`lantu.evaluation.verdict.plan_for`), asked by the verdict and the monitoring report
alike; a region without a plan of its own has its own targets judged by the verdict's rule
(:func:`lantu.evaluation.verdict.target_statuses`), which the maps and the explorer ask. And the
second key's class (key2 SX9): a target whose year has no figure while a later one exists is
``pending``, never "no figure for any year"."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.analysis.targets import TargetSpec, evaluate_target
from lantu.cli import app
from lantu.domain import ValidationError
from lantu.evaluation import evaluate, maps
from lantu.evaluation.verdict import plan_for, target_statuses
from lantu.reports.data import monitoring_data

TAIYUAN, SHANXI, DATONG = "140100", "140000", "140200"


def test_the_verdict_and_the_report_refuse_a_region_the_plan_is_not_for(default_db):
    with default_db.session() as s:
        plan = plan_for(s, TAIYUAN)["code"]
        with pytest.raises(ValidationError, match="no plan of region 140000 is stored") as a:
            evaluate(s, region=SHANXI, year=2023)
        with pytest.raises(ValidationError, match="no plan of region 140000 is stored") as b:
            monitoring_data(s, SHANXI, "2023")
        with pytest.raises(ValidationError, match=f"plan {plan} is the plan of region 140100, "
                                                  "not of region 140000"):
            evaluate(s, region=SHANXI, year=2023, plan=plan)
        assert evaluate(s, region=TAIYUAN, year=2023, plan=plan).region == TAIYUAN
    assert str(a.value) == str(b.value) and a.value.field == b.value.field == "region"


def test_the_command_says_it_as_a_usage_error(default_db, monkeypatch):
    monkeypatch.setenv("LANTU_DATABASE_URL", str(default_db.url))
    res = CliRunner().invoke(app, ["evaluate", "--region", SHANXI, "--year", "2023"])
    assert res.exit_code == 2 and "no plan of region 140000" in " ".join(res.output.split())


def test_a_goal_layer_paints_only_the_plans_region_and_a_status_layer_each_citys_target(default_db):
    with default_db.session() as s:
        goal = maps.map_data(s, province="140000", year=2021, layer="goal:T1")
        st = maps.map_data(s, province="140000", year=2021, layer="status:gdp_growth")
    judged = {c["region"] for c in goal["cities"] if c["status"] is not None}
    assert judged == {TAIYUAN}
    by = {c["region"]: c["status"] for c in st["cities"]}
    assert by[DATONG] == "missed"  # key2 C01: 7.5 % against 8.5 %左右
    assert by["140500"] == "achieved" and by["140700"] == "missed"  # 11.6 ≥ 9 以上; 6.8 < 9


def test_target_statuses_equal_the_verdicts_for_the_plans_region(default_db):
    with default_db.session() as s:
        for year in (2022, 2025):
            v = evaluate(s, region=TAIYUAN, year=year)
            shown = {i.indicator: i for n in v.nodes for i in n.indicators}
            own = target_statuses(s, TAIYUAN, year, sorted(shown))
            assert {c: (i.status, i.reason_zh.split("（")[0]) for c, i in shown.items()} == \
                {c: (i.status, i.reason_zh.split("（")[0]) for c, i in own.items()}


def test_a_later_figure_only_is_pending_not_no_data(default_db):
    spec = TargetSpec(region_code=SHANXI, indicator_code="new_high_tech_enterprises",
                      base_period=None, base_value=None, target_period=2022, kind="level",
                      value=1000.0)
    r = evaluate_target(spec, pd.Series({2024: 1599.0}), 1, as_of=2022)
    assert r.status == "pending" and "2024年起才有数据" in r.explanation_zh
    assert "figures only from 2024" in r.explanation_en
    assert evaluate_target(spec, pd.Series(dtype=float), 1, as_of=2022).status == "no_data"
    with default_db.session() as s:  # key2 SX9: Shanxi's 2022 target, only a 2024 figure
        got = target_statuses(s, SHANXI, 2022, ["new_high_tech_enterprises"])
    t = got["new_high_tech_enterprises"].target
    assert t is not None and t.status == "pending" and "没有任何年份的数据" not in t.reason_zh
