"""Five-year goals, round two (horizon14): goals in the year's work that name their plan's end in
their own sentence, the count of pillar clusters written before their name, 旅游(总)花费 as the
newer name of tourism revenue, and 工业总产值 without 规上 read as the catalogue's measure only in
reports of 2013 on (before, all industry's output: another measure).

Every test fails on main (0dd7d98): main drops "到“十三五”末…" in the year's work, has no name for the
clusters nor for 旅游总花费, and none for a bare 工业总产值.
"""

from __future__ import annotations

from lantu.ingest.extract import extract_text


def _plan(work: str, year: int) -> str:
    """A report whose year's work (after the list of the year's targets) holds ``work``."""
    return (f"一、{year - 1}年工作回顾\n\n全年地区生产总值1000亿元。\n\n二、{year}年工作安排\n\n"
            f"今年主要预期目标是：地区生产总值增长5%。\n\n{work}\n")


def rows(text: str, year: int, region: str = "140600") -> list[tuple]:
    return [(r.period, r.indicator, r.value, r.qualifier, r.goal)
            for r in extract_text(text, region, year, doc_type="report", horizon=True) if r.kind == "target"]


def test_a_goal_in_the_years_work_that_names_its_plans_end() -> None:
    t = _plan("推进新型城镇化。到“十三五”末，全市城镇化率达到65%。持续植绿，力争到2020年全市森林覆盖率达到33%。", 2016)
    got = rows(t, 2016)
    assert (2020, "urbanization_rate", 65.0, "", "level") in got
    assert (2020, "forest_coverage", 33.0, "力争", "level") in got
    # a flow over the plan's span is its sum
    assert (2020, "new_urban_jobs", 12.5, "", "sum") in rows(_plan("“十三五”期间，新增城镇就业岗位12.5万个。", 2016), 2016)


def test_a_sentence_that_turns_back_to_the_year_stays_the_years() -> None:
    t = _plan("着眼“十三五”，今年全市森林覆盖率达到25%。", 2016)
    assert not any(r[0] == 2020 for r in rows(t, 2016))
    # and without --horizon the plan's goal is no target at all
    plain = [r for r in extract_text(_plan("到“十三五”末，全市城镇化率达到65%。", 2016), "140600", 2016,
                                      doc_type="report") if r.indicator == "urbanization_rate"]
    assert plain == []


def test_pillar_clusters_counted_before_their_name() -> None:
    t = _plan("今后五年，打造6个千亿级工业支柱产业集群，规模以上工业企业数量向3000家奋进。", 2022)
    assert (2026, "industrial_clusters_100bn", 6.0, "", "level") in rows(t, 2022, "140100")
    # neighbours: clusters not named industrial or pillar, and the 五千亿级 ones, are other counts
    for other in ("今后五年，打造5个千亿级产业集群。", "今后五年，培育2个五千亿级支柱产业集群。"):
        assert not any(r[1] == "industrial_clusters_100bn" for r in rows(_plan(other, 2022), 2022, "140100"))


def test_tourism_spending_is_tourism_revenue() -> None:
    t = _plan("今后五年，年旅游接待人数突破1亿人次、旅游总花费突破1000亿元。", 2026)
    assert (2030, "tourism_revenue", 1000.0, "突破", "level") in rows(t, 2026, "140100")
    # a visitor's spending is no total
    assert not any(r[1] == "tourism_revenue" for r in rows(_plan("今后五年，旅游人均花费达到1500元。", 2026), 2026))


def test_bare_industrial_output_only_in_reports_after_the_statistical_reform() -> None:
    t = "今后五年，工业总产值达到7000亿元左右。"
    assert (2030, "industrial_output", 7000.0, "左右", "level") in rows(_plan(t, 2026), 2026, "140100")
    # in an older report 工业总产值 is all industry's output: not the catalogue's 规上 measure
    old = _plan("到2010年，全市工业总产值达到3000亿元。", 2006)
    assert not any(r[1] == "industrial_output" for r in rows(old, 2006, "140100"))
    # 规上 is read in any year
    assert any(r[1] == "industrial_output" for r in rows(_plan("到2010年，全市规模以上工业总产值达到3000亿元。", 2006),
                                                          2006, "140100"))


def test_the_five_years_of_an_earlier_years_plan_are_not_the_reports() -> None:
    t = _plan("2018年，我市出台了人才行动计划，计划在未来五年吸引50万名青年人才在昌创新创业。", 2019)
    assert not any(r[0] > 2019 for r in rows(t, 2019, "360100"))
    # neighbour: a year's figure then 到2025年 in the same sentence is the goal of 2025
    t = _plan("全年新增市场主体3.35万户，到2025年全市市场主体达到39万户。", 2022)
    assert (2025, "market_entities", 39.0, "", "level") in rows(t, 2022, "140900")
