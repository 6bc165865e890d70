"""The fourth hand key (tests/gold/verdict/key4.md): every status Lantu shows for its rows — the
plan's region through its verdict, any other region through its own targets
(lantu.evaluation.verdict.target_statuses), qualitative goals through their node."""

from __future__ import annotations

import pytest

from lantu.evaluation import evaluate
from lantu.evaluation.verdict import target_statuses

#: id, region, evaluated year, indicator, target year, target value, expected status (None: the
#: region has no such target)
KEY_ROWS = [
 ("YQ1","140300",2020,"gdp_growth",2020,6.1,"missed"),("YQ2","140300",2020,"fai_growth",2020,7.0,"achieved"),
 ("YQ3","140300",2020,"high_tech_enterprises",2020,96.0,"achieved"),("YQ4","140300",2020,"new_urban_jobs",2020,2.0,"achieved"),
 ("YQ5","140300",2020,"budget_revenue_growth",2020,1.0,"pending"),("YQ6","140300",2020,"cpi",2020,3.5,"no_data"),
 ("YQ7","140300",2020,"unemployment_rate_registered",2020,4.5,"pending"),("YQ8","140300",2020,"tech_contract_value",2020,5.0,"no_data"),
 ("YQ9","140300",2023,"gdp_growth",2023,6.0,"pending"),("YQ10","140300",2023,"high_tech_enterprises",2023,160.0,"pending"),
 ("JC1","140500",2020,"gdp_growth",2020,6.2,"achieved"),("JC2","140500",2020,"budget_revenue_growth",2020,3.0,"achieved"),
 ("JC3","140500",2020,"retail_sales_growth",2020,7.0,"missed"),("JC4","140500",2020,"high_tech_enterprises",2020,68.0,"no_data"),
 ("JC5","140500",2021,"gdp_growth",2021,9.0,"achieved"),("JC6","140500",2021,"fai_growth",2021,10.0,"achieved"),
 ("JC7","140500",2021,"budget_revenue_growth",2021,5.1,"achieved"),("JC8","140500",2021,"retail_sales_growth",2021,10.5,"pending"),
 ("JC9","140500",2021,"trade_total",2021,67.0,"no_data"),("JC10","140500",2021,"new_urban_jobs",2021,3.9,"no_data"),
 ("JC11","140500",2023,"gdp_growth",2023,8.0,"pending"),
 ("SZ1","140600",2020,"gdp_growth",2020,6.5,"missed"),("SZ2","140600",2020,"fai_growth",2020,8.0,"achieved"),
 ("SZ3","140600",2020,"budget_revenue_growth",2020,3.0,"missed"),("SZ4","140600",2020,"income_urban_growth",2020,6.5,"missed"),
 ("SZ5","140600",2020,"income_rural_growth",2020,7.0,"achieved"),("SZ6","140600",2020,"industry_growth",2020,7.0,"achieved"),
 ("SZ7","140600",2020,"retail_sales_growth",2020,7.0,"missed"),("SZ8","140600",2020,"high_tech_enterprises",2020,55.0,"achieved"),
 ("SZ9","140600",2020,"new_urban_jobs",2020,2.0,"pending"),("SZ10","140600",2022,"market_entities",2022,15.94,"pending"),
 ("SZ11","140600",2022,"unemployment_rate_surveyed",2022,5.5,"no_data"),
 ("LL1","141100",2020,"gdp_growth",2020,6.1,"pending"),("LL2","141100",2021,"gdp_growth",2021,8.0,"pending"),
 ("LL3","141100",2021,"old_communities_renovated",2021,45.0,"missed"),("LL4","141100",2021,"new_urban_jobs",2021,3.9,"pending"),
 ("LL5","141100",2021,"unemployment_rate_surveyed",2021,5.5,"no_data"),("LL6","141100",2022,"gdp",2025,2200.0,"achieved"),
 ("LF1","141000",2021,"gdp_growth",2021,8.5,"pending"),("LF2","141000",2021,"high_tech_enterprises",2021,96.0,"no_data"),
 ("LF3","141000",2021,"new_urban_jobs",2021,4.7,"pending"),
 ("XZ1","140900",2022,"gdp_growth",2022,7.5,"pending"),("XZ2","140900",2022,"unemployment_rate_surveyed",2022,5.5,"no_data"),
 ("XZ3","140900",2022,"afforestation_area",2022,55.0,"pending"),
 ("YC1","140800",2022,"market_entities",2022,47.0,"pending"),("YC2","140800",2022,"rd_intensity",2022,1.41,"no_data"),
 ("YC3","140800",2022,"high_tech_enterprises",2022,220.0,"pending"),
 ("SX1","140000",2019,"energy_intensity_change",2019,3.2,"pending"),("SX2","140000",2023,"energy_intensity_change",2025,14.5,"on_track"),
 ("SX3","140000",2023,"industrial_enterprises",2025,10000.0,"pending"),("SX4","140000",2022,"new_urban_jobs",2022,45.0,"pending"),
 ("SX5","140000",2024,"new_urban_jobs",2024,45.0,"achieved"),("SX6","140000",2021,"afforestation_area",2021,400.0,"achieved"),
 ("SX7","140000",2023,"afforestation_area",2023,400.0,"achieved"),("SX8","140000",2021,"old_communities_renovated",2021,1866.0,"achieved"),
 ("SX9","140000",2025,"digital_economy_growth",2025,10.0,"achieved"),("SX10","140000",2026,"tech_contract_value",2026,350.0,"pending"),
 ("SX11","140000",2024,"skilled_worker_share",2024,33.5,"no_data"),("SX12","140000",2026,"urbanization_rate",2029,70.0,"on_track"),
 ("SX13","140000",2025,"new_high_tech_enterprises",2025,1300.0,"pending"),("SX14","140000",2024,"va_tertiary_growth",2024,6.0,"no_data"),
 ("TY1","140100",2023,"gdp",2025,10000.0,"moderately_improving"),("TY2","140100",2023,"gdp",2026,10000.0,"stagnating"),
 ("TY3","140100",2023,"population",2026,100.0,"stagnating"),("TY4","140100",2023,"old_communities_renovated",2026,3000.0,"on_track"),
 ("TY5","140100",2024,"new_urban_jobs",2026,40.0,"on_track"),("TY6","140100",2024,"new_parking_spaces",2026,5.0,"on_track"),
 ("TY7","140100",2023,"high_tech_enterprises",2025,4500.0,"pending"),("TY8","140100",2024,"tech_contract_value",2026,300.0,"pending"),
 ("TY9","140100",2024,"nursing_bed_share",2026,55.0,"no_data"),("TY10","140100",2023,"income_rural",2025,30000.0,"pending"),
 ("TY11","140100",2023,"va_tertiary",2026,6000.0,"pending"),("TY12","140100",2024,"budget_revenue_growth",2024,3.0,"pending"),
 ("TY13","140100",2024,"trade_growth",2024,5.0,"pending"),("TY14","140100",2023,"reclaimed_water_reuse_rate",2023,25.0,"no_data"),
 ("TY15","140100",2024,"new_energy_capacity",2024,180.0,"no_data"),
 ("CS1","430100",2023,"heavy_pollution_days",2023,2.0,"no_data"),
]
#: id, year, node, status, state
QUALITATIVE = [
 ("Q1", 2024, "P0.1", "qualitative", "evidence"), ("Q2", 2025, "P0.5", "qualitative", "awaiting_review"),
 ("Q3", 2023, "P0.4", "qualitative", "awaiting_review"), ("Q4", 2022, "P0.4", "qualitative", "no_evidence"),
 ("Q5", 2025, "T7", "qualitative", "no_evidence"), ("Q6", 2023, "T4.7", "qualitative", "awaiting_review"),
]
#: the key's errors, found by the comparison (comparison4.md): id → corrected status
KEY_ERRORS: dict[str, str | None] = {
    # the key read the cities' figures from 2020 on only: 阳泉's 2019 CPI (2020 report 居民消费价格上涨2.8%),
    # 晋城's 2019 high-tech firms (突破60家) and new urban jobs (5.76万人) exist — a figure of an
    # earlier year makes the target pending, not no_data
    "YQ6": "pending", "JC4": "pending", "JC10": "pending",
    # the key missed Shanxi's 2023 service-sector growth (2024 report 服务业增加值增长5%)
    "SX14": "pending",
    # the key took docs/analysis.md's worked example for data: Taiyuan's 万亿 GDP "targets" are
    # directions (经济总量奋力向万亿元规模迈进, 2021; 向万亿元迈进, 2022), dropped in overrides.csv
    # since session 11 (comparison2.md, T06): no such target is in force
    "TY1": None, "TY2": None}
#: Lantu's errors the branch leaves (comparison4.md): id → why. LL6 (吕梁's 十四五 GDP goal, not read by
#: lantu extract) was fixed by a person-read row in defaults/data/reviewed/targets.csv.
LEFT: dict[str, str] = {}
ROWS = [pytest.param(*r[:6], KEY_ERRORS.get(r[0], r[6]), id=r[0],
                     marks=[pytest.mark.xfail(reason=LEFT[r[0]], strict=True)] if r[0] in LEFT else [])
        for r in KEY_ROWS]
QROWS = [q for q in QUALITATIVE]


def _targets(s, region, year, indicator):
    if region == "140100":
        v = evaluate(s, region=region, year=year)
        iv = next((i for n in v.nodes for i in n.indicators if i.indicator == indicator), None)
    else:
        iv = target_statuses(s, region, year, [indicator])[indicator]
    return [t for t in ([iv.target, *iv.others] if iv else []) if t is not None]


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


@pytest.mark.parametrize("rid, region, year, indicator, target_year, value, expected", ROWS)
def test_key4(session, rid, region, year, indicator, target_year, value, expected):
    hit = [t.status for t in _targets(session, region, year, indicator)
           if t.year == target_year and abs(t.value - value) < 1e-9]
    assert hit == ([] if expected is None else [expected])


@pytest.mark.parametrize("rid, year, node, status, state", QROWS, ids=[q[0] for q in QROWS])
def test_key4_qualitative(session, rid, year, node, status, state):
    n = next(n for n in evaluate(session, region="140100", year=year).nodes if n.code == node)
    assert (n.status, n.state) == (status, state), n.reason_zh
