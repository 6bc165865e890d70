"""The sixth hand key (tests/gold/verdict/key6.md): 晋中 2023, 大同 2021, 山西 2025, 太原 2018 and 2010,
长治 2023–2025, 合肥 2022–2023 — targets through Taiyuan's verdict or a region's own targets
(lantu.evaluation.verdict.target_statuses), Taiyuan's nodes (status and state), and the monitoring
report's 本期值/上期值 rows (lantu.reports.data.monitoring_data)."""

from __future__ import annotations

import pytest

from lantu.evaluation import evaluate
from verdict_keys import hits, shown

#: id, region, evaluated year, indicator, target year, target value, horizon (G multi_year, Y yearly),
#: expected status (None: no such target shown)
KEY_ROWS = [
 ('JZ2', '140700', 2023, 'fai_growth', 2023, 7.0, 'Y', 'pending'),
 ('JZ3', '140700', 2023, 'industry_growth', 2023, 7.0, 'Y', 'pending'),
 ('JZ4', '140700', 2023, 'new_energy_capacity', 2023, 550.0, 'Y', 'pending'),
 ('JZ5', '140700', 2023, 'new_urban_jobs', 2023, 2.8, 'Y', 'pending'),
 ('JZ6', '140700', 2023, 'afforestation_area', 2023, 35.0, 'Y', 'pending'),
 ('JZ7', '140700', 2023, 'budget_revenue_growth', 2023, 5.0, 'Y', 'no_data'),
 ('JZ8', '140700', 2023, 'cpi', 2023, 3.0, 'Y', 'no_data'),
 ('JZ9', '140700', 2023, 'income_rural_growth', 2023, 6.5, 'Y', 'no_data'),
 ('JZ10', '140700', 2023, 'income_urban_growth', 2023, 6.5, 'Y', 'no_data'),
 ('JZ11', '140700', 2023, 'industrial_enterprises', 2023, 1170.0, 'Y', 'no_data'),
 ('JZ12', '140700', 2023, 'retail_sales_growth', 2023, 7.0, 'Y', 'no_data'),
 ('JZ13', '140700', 2023, 'skilled_worker_share', 2023, 33.0, 'Y', 'no_data'),
 ('JZ14', '140700', 2023, 'unemployment_rate_surveyed', 2023, 5.5, 'Y', 'no_data'),
 ('DG1', '140200', 2021, 'budget_revenue_growth', 2021, 5.0, 'Y', 'achieved'),
 ('DG2', '140200', 2021, 'cpi', 2021, 3.0, 'Y', 'no_data'),
 ('DG5', '140200', 2021, 'good_air_days_ratio', 2021, 85.0, 'Y', 'no_data'),
 ('DG6', '140200', 2021, 'high_tech_enterprises', 2021, 100.0, 'Y', 'pending'),
 ('DG10', '140200', 2021, 'old_communities_renovated', 2021, 88.0, 'Y', 'no_data'),
 ('DG11', '140200', 2021, 'retail_sales_growth', 2021, 12.0, 'Y', 'achieved'),
 ('DG13', '140200', 2021, 'unemployment_rate_registered', 2021, 4.5, 'Y', 'no_data'),
 ('SY4', '140000', 2025, 'fai_growth', 2025, 6.0, 'Y', 'pending'),
 ('SY8', '140000', 2025, 'retail_sales_growth', 2025, 5.0, 'Y', 'pending'),
 ('SY9', '140000', 2025, 'unemployment_rate_surveyed', 2025, 5.5, 'Y', 'pending'),
 ('SY11', '140000', 2025, 'cod_reduction', 2025, 7.19, 'G', 'no_data'),
 ('SY12', '140000', 2025, 'nox_reduction', 2025, 8.01, 'G', 'no_data'),
 ('SY21', '140000', 2025, 'voc_reduction', 2025, 3.4, 'G', 'no_data'),
 ('SY22', '140000', 2025, 'ammonia_reduction', 2025, 0.28, 'G', 'no_data'),
 ('SY13', '140000', 2025, 'gdp', 2027, 35000.0, 'G', 'pending'),
 ('SY20', '140000', 2024, 'gdp', 2027, 35000.0, 'G', 'stagnating'),
 ('SY14', '140000', 2025, 'gdp_per_capita', 2027, 100000.0, 'G', 'pending'),
 ('SY16', '140000', 2025, 'industrial_enterprises', 2027, 10000.0, 'G', 'pending'),
 ('SY17', '140000', 2025, 'market_entities', 2027, 600.0, 'G', 'moderately_improving'),
 ('SY18', '140000', 2025, 'surface_water_good_ratio', 2027, 90.0, 'G', 'achieved'),
 ('T8-1', '140100', 2018, 'afforestation_area', 2018, 30.0, 'Y', 'achieved'),
 ('T8-2', '140100', 2018, 'budget_revenue_growth', 2018, 7.0, 'Y', 'achieved'),
 ('T8-3', '140100', 2018, 'cpi', 2018, 3.0, 'Y', 'achieved'),
 ('T8-4', '140100', 2018, 'fai_growth', 2018, 10.0, 'Y', 'achieved'),
 ('T8-5', '140100', 2018, 'gdp_growth', 2018, 8.0, 'Y', 'achieved'),
 ('T8-6', '140100', 2018, 'gdp_growth', 2020, 7.5, 'G', 'on_track'),
 ('T8-7', '140100', 2018, 'gdp_growth', 2021, 7.5, 'G', 'on_track'),
 ('T8-8', '140100', 2018, 'income_rural_growth', 2018, 6.5, 'Y', 'achieved'),
 ('T8-9', '140100', 2018, 'income_urban_growth', 2018, 6.5, 'Y', 'achieved'),
 ('T8-10', '140100', 2018, 'income_rural', 2020, 20000.0, 'G', 'moderately_improving'),
 ('T8-11', '140100', 2018, 'industry_growth', 2018, 10.0, 'Y', 'achieved'),
 ('T8-12', '140100', 2018, 'retail_sales_growth', 2018, 7.5, 'Y', 'achieved'),
 ('T8-13', '140100', 2018, 'unemployment_rate_registered', 2018, 4.0, 'Y', 'achieved'),
 ('T8-14', '140100', 2018, 'unemployment_rate_registered', 2021, 4.0, 'G', 'on_track'),
 ('T8-15', '140100', 2018, 'forest_coverage', 2021, 30.0, 'G', 'pending'),
 ('T8-16', '140100', 2018, 'good_air_days_ratio', 2020, 80.0, 'G', 'pending'),
 ('T8-17', '140100', 2018, 'good_air_days_ratio', 2021, 80.0, 'G', 'pending'),
 ('T8-18', '140100', 2018, 'green_coverage_built_up', 2020, 42.0, 'G', 'achieved'),
 ('T8-19', '140100', 2018, 'green_coverage_built_up', 2021, 42.0, 'G', 'achieved'),
 ('T8-20', '140100', 2018, 'gdp_share_of_province', 2021, 30.0, 'G', 'pending'),
 ('T8-21', '140100', 2018, 'va_tertiary_growth', 2021, 8.0, 'G', 'pending'),
 ('T8-22', '140100', 2018, 'va_primary_growth', 2021, 3.0, 'G', 'no_data'),
 ('T8-23', '140100', 2019, 'forest_coverage', 2021, 30.0, 'G', 'pending'),
 ('T8-24', '140100', 2020, 'gdp_share_of_province', 2021, 30.0, 'G', 'stagnating'),
 ('T8-25', '140100', 2021, 'gdp_share_of_province', 2021, 30.0, 'G', 'missed'),
 ('T0-1', '140100', 2010, 'gdp_growth', 2010, 8.0, 'Y', 'achieved'),
 ('T0-2', '140100', 2010, 'budget_revenue_growth', 2010, 13.0, 'G', 'achieved'),
 ('T0-3', '140100', 2010, 'budget_revenue_growth', 2010, 8.0, 'Y', 'achieved'),
 ('T0-4', '140100', 2010, 'cpi', 2010, 3.0, 'G', 'pending'),
 ('T0-5', '140100', 2010, 'cpi', 2010, 3.0, 'Y', 'pending'),
 ('T0-6', '140100', 2010, 'energy_intensity_change', 2010, 6.9, 'G', 'missed'),
 ('T0-7', '140100', 2010, 'energy_intensity_change', 2010, 6.0, 'Y', 'pending'),
 ('T0-8', '140100', 2010, 'fai_growth', 2010, 14.0, 'G', 'achieved'),
 ('T0-9', '140100', 2010, 'fai_growth', 2010, 20.0, 'Y', 'missed'),
 ('T0-10', '140100', 2010, 'green_coverage_built_up', 2010, 41.0, 'G', 'missed'),
 ('T0-11', '140100', 2010, 'income_rural_growth', 2010, 11.0, 'G', 'achieved'),
 ('T0-12', '140100', 2010, 'income_rural_growth', 2010, 9.0, 'Y', 'achieved'),
 ('T0-13', '140100', 2010, 'income_urban_growth', 2010, 10.0, 'G', 'achieved'),
 ('T0-14', '140100', 2010, 'income_urban_growth', 2010, 9.0, 'Y', 'achieved'),
 ('T0-15', '140100', 2010, 'industry_growth', 2010, 13.0, 'G', 'missed'),
 ('T0-16', '140100', 2010, 'industry_growth', 2010, 10.0, 'Y', 'achieved'),
 ('T0-17', '140100', 2010, 'new_urban_jobs', 2010, 9.5, 'Y', 'pending'),
 ('T0-18', '140100', 2010, 'rd_intensity', 2010, 2.0, 'G', 'pending'),
 ('T0-19', '140100', 2010, 'rd_intensity', 2010, 2.2, 'Y', 'pending'),
 ('T0-20', '140100', 2010, 'retail_sales_growth', 2010, 15.0, 'G', 'achieved'),
 ('T0-21', '140100', 2010, 'retail_sales_growth', 2010, 16.0, 'Y', 'achieved'),
 ('T0-22', '140100', 2010, 'tourism_revenue', 2010, 163.0, 'G', 'pending'),
 ('T0-23', '140100', 2010, 'trade_growth', 2010, 15.0, 'G', 'achieved'),
 ('T0-24', '140100', 2010, 'trade_growth', 2010, 8.0, 'Y', 'pending'),
 ('T0-25', '140100', 2010, 'unemployment_rate_registered', 2010, 4.0, 'Y', 'achieved'),
 ('T0-26', '140100', 2010, 'urbanization_rate', 2010, 86.0, 'G', 'pending'),
 ('T0-27', '140100', 2010, 'afforestation_area', 2010, 26.89, 'Y', 'pending'),
 ('T0-28', '140100', 2010, 'tertiary_share', 2010, 52.0, 'G', 'pending'),
 ('T0-29', '140100', 2008, 'energy_intensity_change', 2010, 6.9, 'G', 'pending'),
 ('T0-30', '140100', 2009, 'fai_growth', 2010, 14.0, 'G', 'on_track'),
 ('T0-31', '140100', 2009, 'industry_growth', 2010, 13.0, 'G', 'stagnating'),
 ('T0-32', '140100', 2009, 'green_coverage_built_up', 2010, 41.0, 'G', 'deteriorating'),
 ('CZ6', '140400', 2024, 'budget_revenue', 2026, 300.0, 'G', 'achieved'),
 ('CZ7', '140400', 2024, 'gdp', 2025, 2800.0, 'G', 'achieved'),
 ('CZ8', '140400', 2024, 'gdp', 2026, 3000.0, 'G', 'on_track'),
 ('CZ9', '140400', 2024, 'industrial_enterprises', 2025, 1000.0, 'G', 'no_data'),
 ('CZ10', '140400', 2025, 'gdp', 2025, 2800.0, 'G', 'pending'),
 ('CZ11', '140400', 2023, 'gdp', 2026, 3000.0, 'G', 'on_track'),
 ('HF13', '340100', 2022, 'budget_revenue_growth', 2022, 8.0, 'Y', 'achieved'),
 ('HF14', '340100', 2022, 'cpi', 2022, 3.0, 'Y', 'no_data'),
 ('HF15', '340100', 2022, 'fai_growth', 2022, 9.0, 'Y', 'achieved'),
 ('HF17', '340100', 2022, 'income_rural_growth', 2022, 9.0, 'Y', 'missed'),
 ('HF18', '340100', 2022, 'industry_growth', 2022, 9.0, 'Y', 'missed'),
 ('HF19', '340100', 2022, 'new_parking_spaces', 2022, 9.0, 'Y', 'achieved'),
 ('HF20', '340100', 2022, 'new_urban_jobs', 2022, 13.0, 'Y', 'achieved'),
 ('HF21', '340100', 2022, 'retail_sales_growth', 2022, 9.0, 'Y', 'pending'),
 ('HF22', '340100', 2022, 'talents_attracted', 2022, 20.0, 'Y', 'achieved'),
 ('HF23', '340100', 2022, 'gdp', 2025, 16000.0, 'G', 'pending'),
 ('HF24', '340100', 2022, 'gdp', 2026, 18000.0, 'G', 'pending'),
 ('HF25', '340100', 2022, 'high_tech_enterprises', 2026, 12000.0, 'G', 'pending'),
 ('HF26', '340100', 2022, 'industrial_output', 2026, 20000.0, 'G', 'pending'),
 ('HF27', '340100', 2022, 'new_urban_jobs', 2026, 100.0, 'G', 'moderately_improving'),
 ('HF28', '340100', 2022, 'rd_intensity', 2026, 4.0, 'G', 'pending'),
 ('HF29', '340100', 2022, 'tech_contract_value', 2026, 2000.0, 'G', 'pending'),
 ('HF30', '340100', 2022, 'va_tertiary', 2026, 10000.0, 'G', 'no_data'),
 ('HF31', '340100', 2023, 'gdp_growth', 2023, 6.5, 'Y', 'missed'),
]
#: id, year, node, status, state (None: a node judged on its targets)
NODES = [
 ('N1', 2018, 'T6.1.4', 'achieved', None),
 ('N2', 2018, 'T6.1.1', 'on_track', None),
 ('N3', 2018, 'T4.3', 'achieved', None),
 ('N4', 2018, 'T1.2', 'achieved', None),
 ('N5', 2018, 'T1.8', 'on_track', None),
 ('N6', 2018, 'T6.1.3', 'pending', None),
 ('N7', 2018, 'T6', 'on_track', None),
 ('N8', 2018, 'P0.8', 'pending', None),
 ('N9', 2010, 'T6.1.4', 'major_challenges', None),
 ('N10', 2010, 'T6.1.1', 'pending', None),
 ('N11', 2010, 'T6.3', 'major_challenges', None),
 ('N12', 2010, 'T1.2', 'significant_challenges', None),
 ('N13', 2010, 'T4.3', 'achieved', None),
 ('N14', 2010, 'T3.2.4', 'achieved', None),
 ('N15', 2010, 'T1.1', 'significant_challenges', None),
 ('N16', 2010, 'T7.3', 'qualitative', 'no_evidence'),
 ('N17', 2018, 'T7.3', 'qualitative', 'no_evidence'),
]
#: id, year, indicator, field of the report row, expected (None: no figure)
REPORT = [
 ('R1', 2010, 'energy_intensity_change', 'period', None),
 ('R2', 2010, 'afforestation_area', 'period', '2009'),
 ('R3', 2010, 'afforestation_area', 'prev_period', '2008'),
 ('R4', 2018, 'gdp', 'period', '2017'),
 ('R5', 2018, 'gdp', 'prev_period', '2016'),
 ('R6', 2018, 'forest_coverage', 'period', '2016'),
 ('R7', 2018, 'forest_coverage', 'trend', 'stable'),
 ('R8', 2018, 'gdp_share_of_province', 'period', '2017'),
]
#: the key's errors, found by the comparison (comparison6.md): id → corrected status
KEY_ERRORS: dict[str, str | None] = {
    # the key read 2010's trade from the 2011 report's "是“十五”末的2.35倍" (18.6 % a year), a figure
    # derived from a multiple — which its own DG5/T0-22 declined; by the rule the target year's
    # figure is needed (2009 and 2010 have none): pending
    "T0-23": "pending",
}
#: Lantu's errors the branch leaves (comparison6.md): id → why
LEFT: dict[str, str] = {
    "T0-6": "the 2011 report gives only the fall over 2006–2010 (27 %); a figure of a span is not "
            "held (observations are of a year): pending, no longer achieved on 27 % read as 2010's",
    "N11": "T6.3 in 2010 rests on T0-6: pending until a figure of a span can be held",
}


def _marks(rid):
    return [pytest.mark.xfail(reason=LEFT[rid], strict=True)] if rid in LEFT else []


ROWS = [pytest.param(*r[:7], KEY_ERRORS.get(r[0], r[7]), id=r[0], marks=_marks(r[0]))
        for r in KEY_ROWS]


def report_field(data, indicator, field):
    """A field of the report's row of ``indicator`` (None when the report shows no such row)."""
    row = next((r for s in data["sections"] for r in s["rows"] if r["code"] == indicator), None)
    return None if row is None else row[field]


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


@pytest.mark.parametrize("rid, region, year, indicator, target_year, value, tag, expected", ROWS)
def test_key6(session, rid, region, year, indicator, target_year, value, tag, expected):
    got = [t.status for t in hits(shown(session, region, year, indicator), target_year, value, tag)]
    assert got == ([] if expected is None else [expected])


@pytest.mark.parametrize("rid, year, node, status, state",
                         [pytest.param(*n, id=n[0], marks=_marks(n[0])) for n in NODES])
def test_key6_nodes(session, rid, year, node, status, state):
    n = next(n for n in evaluate(session, region="140100", year=year).nodes if n.code == node)
    assert (n.status, n.state) == (status, state), n.reason_zh


@pytest.mark.parametrize("rid, year, indicator, field, expected",
                         [pytest.param(*r, id=r[0], marks=_marks(r[0])) for r in REPORT])
def test_key6_report(session, rid, year, indicator, field, expected):
    from lantu.reports.data import monitoring_data

    assert report_field(monitoring_data(session, "140100", str(year)), indicator, field) == expected
