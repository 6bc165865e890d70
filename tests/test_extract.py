"""Extraction of figures and targets: each target phrasing, each trap, offsets and validation."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import ExtractError, extract_text, validate_region_code


def rows(text: str, year: int = 2023, region: str = "140100", **kw):
    return extract_text(text, region, year, **kw)


def keys(text: str, year: int = 2023, region: str = "140100", **kw):
    return [(r.period, r.indicator, r.kind, r.value, r.value_high, r.qualifier) for r in rows(text, year, region, **kw)]


TARGET = "今年经济社会发展主要预期目标是："


def test_stretch_target_gives_two_rows() -> None:
    assert keys(TARGET + "地区生产总值增长7%、力争7.5%。", 2022) == [
        (2022, "gdp_growth", "target", 7.0, None, ""),
        (2022, "gdp_growth", "target", 7.5, None, "力争"),
    ]
    assert keys(TARGET + "地区生产总值增长7%、力争实现7.5%。", 2022)[1][-1] == "力争"


@pytest.mark.parametrize(
    "phrase, low, high",
    [("8%—8.5%", 8.0, 8.5), ("8%-8.5%", 8.0, 8.5), ("8.5—9%", 8.5, 9.0), ("4.5%—5%", 4.5, 5.0), ("7.5%～7.8%", 7.5, 7.8)],
)
def test_range_target(phrase: str, low: float, high: float) -> None:
    (r,) = rows(TARGET + f"地区生产总值增长{phrase}。", 2021)
    assert (r.indicator, r.value, r.value_high, r.qualifier) == ("gdp_growth", low, high, "")


@pytest.mark.parametrize(
    "sentence, indicator, value, qualifier",
    [
        ("地区生产总值增长6.5%左右", "gdp_growth", 6.5, "左右"),
        ("固定资产投资增长6%以上", "fai_growth", 6.0, "以上"),
        ("居民消费价格涨幅控制在3%左右", "cpi", 3.0, "左右"),
        ("城镇调查失业率不超过5.5%", "unemployment_rate", 5.5, "以内"),
        ("城镇登记失业率控制在4.5%以内", "unemployment_rate", 4.5, "以内"),
        ("居民消费价格总水平涨幅控制在3%", "cpi", 3.0, "以内"),
        ("居民消费价格指数103左右", "cpi", 3.0, "左右"),
        ("城镇新增就业8万人", "new_urban_jobs", 8.0, ""),
        ("规模以上工业增加值增长8%", "industry_growth", 8.0, ""),
        ("一般公共预算收入增长2%左右", "budget_revenue_growth", 2.0, "左右"),
        ("社会消费品零售总额增长5%以上", "retail_sales_growth", 5.0, "以上"),
        ("进出口总额增长5%左右", "trade_growth", 5.0, "左右"),
        ("全社会研发投入强度达到2.8%", "rd_intensity", 2.8, ""),
        ("单位地区生产总值能耗下降2%", "energy_intensity_change", 2.0, ""),
        ("空气质量优良天数比率不低于86%", "good_air_days_ratio", 86.0, "以上"),
    ],
)
def test_target_phrasings(sentence: str, indicator: str, value: float, qualifier: str) -> None:
    got = keys(TARGET + sentence + "。", 2024)
    assert got == [(2024, indicator, "target", value, None, qualifier)]


def test_pairs_and_lists_with_fenbie() -> None:
    got = keys(TARGET + "城乡居民人均可支配收入分别增长6.5%和6.5%以上，城镇调查失业率、城镇登记失业率分别控制在5.5%、4.5%以内。", 2019)
    assert got == [
        (2019, "income_urban_growth", "target", 6.5, None, ""),
        (2019, "income_rural_growth", "target", 6.5, None, "以上"),
        (2019, "unemployment_rate", "target", 5.5, None, "以内"),
        (2019, "unemployment_rate", "target", 4.5, None, "以内"),
    ]


def test_observed_level_and_growth_of_reviewed_year() -> None:
    got = keys("一年来，全年地区生产总值实现5571.17亿元、增长3.3%，固定资产投资下降6.2%。", 2023)
    assert got == [
        (2022, "gdp", "observed", 5571.17, None, ""),
        (2022, "gdp_growth", "observed", 3.3, None, ""),
        (2022, "fai_growth", "observed", -6.2, None, ""),
    ]


def test_units_are_converted_to_the_catalogue_unit() -> None:
    got = {r.indicator: (r.value, r.unit) for r in rows("2020年全省地区生产总值1.765万亿元。城镇居民人均可支配收入达到4.2万元。", 2021, "140000")}
    assert got == {"gdp": (17650.0, "亿元"), "income_urban": (42000.0, "元")}


def test_trap_five_year_average_and_cumulative() -> None:
    text = (
        "五年来，地区生产总值年均增长6.2%。“十三五”期间累计新增城镇就业45万人。"
        "进出口总额年均增长10.5%。城乡居民人均可支配收入分别增长8965元和4424元。"
    )
    assert rows(text, 2021) == []


def test_trap_growth_is_never_a_level_and_level_never_a_growth() -> None:
    got = keys("一般公共预算收入增长9%。社会消费品零售总额5389.2亿元。", 2022)
    assert got == [
        (2021, "budget_revenue_growth", "observed", 9.0, None, ""),
        (2021, "retail_sales", "observed", 5389.2, None, ""),
    ]
    # a percentage-point change of a rate is not the rate
    assert rows("城镇化率提高1.2个百分点。城镇调查失业率下降0.3%。", 2022) == []


def test_trap_other_periods() -> None:
    text = (
        "一季度，全市地区生产总值增长3.5%。上半年规模以上工业增加值增长8%。"
        "1—11月固定资产投资增长9%。2019年地区生产总值增长6.1%。"
        "比2015年地区生产总值增长40%。"
    )
    got = keys(text, 2023)
    assert got == [(2019, "gdp_growth", "observed", 6.1, None, "")]


def test_sub_annual_clause_does_not_hide_the_annual_figure() -> None:
    got = keys("固定资产投资从一季度负增长81.6%收窄到全年负增长11.8%。", 2021)
    assert got == [(2020, "fai_growth", "observed", -11.8, None, "")]


def test_five_year_goals_are_not_this_years_targets() -> None:
    text = (
        "未来五年主要预期目标：地区生产总值年均增长7%左右；进出口总额年均增长15%。\n"
        "2021年全市经济社会发展主要预期目标是：地区生产总值增长8%。"
    )
    assert keys(text, 2021) == [(2021, "gdp_growth", "target", 8.0, None, "")]


def test_thresholds_and_other_subjects_are_not_figures() -> None:
    text = (
        "地区生产总值突破2000亿元。高新区地区生产总值增长12%。"
        "进出口总额1亿美元以上外贸企业达41家，增长71%。全国GDP增长5.2%。"
    )
    assert rows(text, 2022, "141100") == []


def test_plan_section_targets_after_the_main_list() -> None:
    text = (
        "一、2022年工作回顾\n新增城镇就业8.12万人。\n"
        "二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6%。\n"
        "（三）民生实事。实现城镇新增就业13.7万人，空气优良率达80%。去年城镇新增就业8万人。\n"
    )
    got = keys(text, 2023)
    assert got == [
        (2022, "new_urban_jobs", "observed", 8.12, None, ""),
        (2023, "gdp_growth", "target", 6.0, None, ""),
        (2023, "new_urban_jobs", "target", 13.7, None, ""),
        (2023, "good_air_days_ratio", "target", 80.0, None, ""),
    ]


def test_full_width_digits_and_percent() -> None:
    got = keys(TARGET + "地区生产总值增长６.８％，城镇新增就业４万人。", 2022)
    assert got == [(2022, "gdp_growth", "target", 6.8, None, ""), (2022, "new_urban_jobs", "target", 4.0, None, "")]


def test_excerpt_offsets_point_into_the_text() -> None:
    text = "**政府工作报告**\n\n一年来，地区生产总值实现5571.17亿元、增长3.3%，规模以上工业增加值增长8.5%。\n" + TARGET + "地区生产总值增长6.5%左右。"
    out = rows(text, 2023)
    assert len(out) == 4
    for r in out:
        assert text[r.start : r.end] == r.excerpt
        assert str(r.value).rstrip("0").rstrip(".") in r.excerpt.replace("%", "")


def test_bulletin_figures_belong_to_its_own_year() -> None:
    text = "中华人民共和国2023年国民经济和社会发展统计公报\n全年国内生产总值1260582亿元，比上年增长5.2%。"
    got = keys(text, 2023, "100000")
    assert got == [(2023, "gdp", "observed", 1260582.0, None, ""), (2023, "gdp_growth", "observed", 5.2, None, "")]


@pytest.mark.parametrize("bad", ["14010", "1401000", "abcdef", "990100", ""])
def test_region_code_validation(bad: str) -> None:
    with pytest.raises(ExtractError, match="region code"):
        validate_region_code(bad)


def test_year_and_doc_type_validation() -> None:
    with pytest.raises(ExtractError, match="year"):
        extract_text("x", "140100", 1800)
    with pytest.raises(ExtractError, match="doc_type"):
        extract_text("x", "140100", 2023, doc_type="memo")
