"""Five-year goals read in horizon mode (horizon13): each rule of ``lantu.ingest.extract_goals`` and of
the goal window, beside the neighbour sentence it must leave alone.

Every test fails on main (066f529): main drops 年均增长 from goals, has no ``goal`` attribute, reads
培育…高新技术企业4500家 as new firms, misses a plan marker after the figure, a section heading's
plan, a ；item after a zone's, reads 省实验室 as national labs and a clause's own 2025年 as Y+4; and
main's default holds no city's five-year goal (the last two tests read this checkout's default).
"""

from __future__ import annotations

import csv
from pathlib import Path

from lantu.analysis.target_spec import TargetSpec, target_horizon
from lantu.analysis.target_status import evaluate_target
from lantu.ingest.extract import extract_text

ROOT = Path(__file__).resolve().parents[1]


def _report(goals: str, year: int, heading: str = "二、今后五年的目标任务") -> str:
    return (f"一、{year - 1}年工作回顾\n\n全年地区生产总值5571亿元。\n\n{heading}\n\n{goals}\n\n"
            f"三、{year}年工作安排\n\n今年主要预期目标是：地区生产总值增长5%。\n")


def goals(text: str, year: int, region: str = "140100") -> list[tuple]:
    """(period, indicator, value, qualifier, goal) of the rows for a year after ``year``."""
    return [(r.period, r.indicator, r.value, r.qualifier, r.goal)
            for r in extract_text(text, region, year, doc_type="report", horizon=True) if r.period > year]


def test_annual_average_growth_is_a_goal_of_its_kind() -> None:
    t = _report("今后五年，全市地区生产总值年均增长8%以上。", 2022)
    assert goals(t, 2022) == [(2026, "gdp_growth", 8.0, "以上", "annual_avg_growth")]
    # neighbours: a yearly average of a flow, and a figure of every year, are no goal of the end year
    assert goals(_report("今后五年，年均新增城镇就业8万人。", 2022), 2022) == []
    assert goals(_report("今后五年，每年营造林40万亩以上。", 2022), 2022) == []
    # and a change from a base year is not read as a goal
    assert goals(_report("今后五年，地区生产总值比2020年增长50%。", 2022), 2022) == []


def test_a_flows_five_year_figure_is_a_sum() -> None:
    t = _report("未来五年，城镇新增就业40万人，改造完成老旧小区3000个。", 2022)
    assert goals(t, 2022) == [(2026, "new_urban_jobs", 40.0, "", "sum"),
                              (2026, "old_communities_renovated", 3000.0, "", "sum")]
    assert goals(_report("未来五年，每年城镇新增就业8万人。", 2022), 2022) == []  # neighbour: per year


def test_a_rates_change_over_the_span_is_compounded_its_average_is_yearly() -> None:
    assert goals(_report("今后五年，单位GDP能耗下降15.5%以上。", 2022), 2022) == [
        (2026, "energy_intensity_change", 15.5, "以上", "sum")]
    assert goals(_report("今后五年，单位GDP能耗年均下降3%。", 2022), 2022) == [
        (2026, "energy_intensity_change", 3.0, "", "annual_avg_growth")]


def test_a_goal_names_the_stock_unless_it_counts_new_units() -> None:
    t = _report("未来五年，培育新型研发机构350家、高新技术企业4500家以上。", 2022)
    assert (2026, "high_tech_enterprises", 4500.0, "以上", "level") in goals(t, 2022)
    assert not any(g[1] == "new_high_tech_enterprises" for g in goals(t, 2022))
    # neighbour: 新增 counts new firms, summed over the span
    assert goals(_report("未来五年，新增高新技术企业500家。", 2022), 2022) == [
        (2026, "new_high_tech_enterprises", 500.0, "", "sum")]


def test_the_plan_marker_after_the_figure_gives_the_year() -> None:
    text = _report("围绕建设目标，具体任务是：地区生产总值年均增长8％以上，力争“十四五”末达到2200亿元左右，"
                   "竞争力稳步前移。", 2021, heading="二、发展目标")
    assert goals(text, 2021, "141100") == [(2025, "gdp_growth", 8.0, "以上", "annual_avg_growth"),
                                           (2025, "gdp", 2200.0, "左右", "level")]
    # neighbour: without horizon the five-year figure is no target of the year
    assert [r for r in extract_text(text, "141100", 2021, doc_type="report") if r.kind == "target"
            and r.value in (8.0, 2200.0)] == []


def test_a_section_headed_by_a_plan_gives_its_paragraphs_the_plans_year() -> None:
    text = _report("未来五年，努力实现以下主要目标。\n\n**（一）创新能力提升。**技术合同成交额达到600亿元。", 2026,
                   heading="二、“十五五”时期目标任务")
    assert goals(text, 2026) == [(2030, "tech_contract_value", 600.0, "", "level")]
    # neighbour: the year's section keeps the year's target
    assert (2026, "gdp_growth", "target", 5.0) in [(r.period, r.indicator, r.kind, r.value)
                                                  for r in extract_text(text, "140100", 2026, horizon=True)]


def test_each_semicolon_item_of_a_goal_list_has_its_own_subject() -> None:
    base = "“十五五”时期目标：综改示范区工业产值力争达到5000亿元左右{}空气质量优良天数比率稳定在70%以上。"
    assert goals(_report(base.format("；"), 2026), 2026) == [(2030, "good_air_days_ratio", 70.0, "以上", "level")]
    assert goals(_report(base.format("，"), 2026), 2026) == []  # neighbour: the zone's clause goes on


def test_the_next_item_of_a_list_is_not_the_indicators() -> None:
    assert goals(_report("未来五年，力争国家级实验室再增加2—4家、省实验室达到20家。", 2026), 2026) == []
    assert goals(_report("未来五年，国家级实验室达到20家。", 2026), 2026) == [  # neighbour
        (2030, "national_labs", 20.0, "", "level")]


def test_a_year_the_clause_names_is_the_goals_year() -> None:
    assert goals(_report("今后五年，实现市场主体倍增，2025年达到20万户。", 2022), 2022) == [
        (2025, "market_entities", 20.0, "", "level")]
    assert goals(_report("今后五年，市场主体达到20万户。", 2022), 2022) == [  # neighbour: Y+4
        (2026, "market_entities", 20.0, "", "level")]


def test_the_default_holds_the_cities_five_year_goals_paced_from_the_report() -> None:
    with open(ROOT / "src/lantu/defaults/data/extracted/targets.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["plan"]]
    lv = [r for r in rows if (r["region_code"], r["indicator"], r["target_period"]) == ("141100", "gdp", "2025")]
    assert [(r["kind"], r["value"], r["qualifier"], r["plan"]) for r in lv] == [
        ("level", "2200", "左右", "2021年政府工作报告·发展目标（2021—2025年）")]
    jobs = [r for r in rows if (r["region_code"], r["indicator"], r["target_period"]) == ("140100", "new_urban_jobs", "2026")]
    assert [r["kind"] for r in jobs] == ["cumulative_change"]
    assert {r["region_code"] for r in rows} >= {"140200", "140400", "140500", "140600", "140800", "141000", "141100"}


def _default_goal(region: str, code: str, period: str) -> dict:
    with open(ROOT / "src/lantu/defaults/data/extracted/targets.csv", encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r.get("plan")
                    and (r["region_code"], r["indicator"], r["target_period"]) == (region, code, period))


def test_the_verdict_paces_such_a_goal_at_a_middle_year() -> None:
    """吕梁 2021: 力争“十四五”末达到2200亿元左右 — 2022's 2418.9 has reached it (the pace rule, not a
    yearly target left pending to 2025)."""
    row = _default_goal("141100", "gdp", "2025")
    spec = TargetSpec("141100", "gdp", None, None, 2025, row["kind"], float(row["value"]),
                      qualifier=row["qualifier"], plan=row["plan"])
    assert target_horizon(spec) == ("multi_year", 2021)
    r = evaluate_target(spec, {2020: 1538.04, 2021: 2071.4, 2022: 2418.9}, as_of=2022)
    assert (r.horizon, r.in_progress, r.status, r.current) == ("multi_year", True, "achieved", 2418.9)
    row = _default_goal("140100", "new_urban_jobs", "2026")  # 太原 2022: 未来五年，城镇新增就业40万人
    jobs = TargetSpec("140100", "new_urban_jobs", None, None, 2026, row["kind"], float(row["value"]),
                      plan=row["plan"])
    r = evaluate_target(jobs, {2022: 8.12, 2023: 8.58, 2024: 8.9}, as_of=2024, accumulate=True)
    assert r.horizon == "multi_year" and round(r.current, 2) == 25.6 and r.status == "on_track"


def test_a_goals_threshold_word_is_its_qualifier() -> None:
    assert goals(_report("今后五年，地区生产总值迈过千亿大关。", 2022), 2022) == [(2026, "gdp", 1000.0, "突破", "level")]
    assert goals(_report("到2026年地区生产总值接近2000亿元。", 2022), 2022) == [(2026, "gdp", 2000.0, "左右", "level")]
    assert goals(_report("今后五年，地区生产总值达到2000亿元。", 2022), 2022) == [  # neighbour: no word
        (2026, "gdp", 2000.0, "", "level")]
