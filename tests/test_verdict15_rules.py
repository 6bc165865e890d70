"""What reading Taiyuan's 2010 and 2018 monitoring reports as a leader would (verdict15): a node is
已完成 only when every target in force is met; a derived indicator's figures reach the verdict; a
five-year review's figures are not the last year's; the graduates a city draws are read; the
report's sentences name every target of a row and the years a trend compares."""

from __future__ import annotations

import pytest

from lantu.analysis.target_rollup import node_status
from lantu.evaluation import evaluate
from lantu.evaluation.verdict import target_statuses
from lantu.ingest.extract import extract_text
from lantu.reports.monitoring import _indicator_sentence, summary_sentences
from lantu.store import repo


@pytest.fixture(scope="module")
def session(default_db_module):
    with default_db_module.session() as s:
        yield s


@pytest.mark.parametrize("statuses, expected", [
    (["achieved", "pending"], "on_track"),  # a target awaits its figure: not 已完成
    (["achieved", "no_data"], "on_track"),
    (["achieved", "achieved"], "achieved"),  # unchanged
    (["achieved", "missed", "pending"], "significant_challenges"),  # unchanged
    (["pending", "no_data"], "pending"),  # unchanged
])
def test_a_node_is_achieved_only_when_every_target_is(statuses, expected):
    assert node_status(statuses) == expected


def test_taiyuan_2018_mountains_are_not_called_done_while_forest_cover_is_unknown(session):
    n = next(n for n in evaluate(session, region="140100", year=2018).nodes if n.code == "T6.1.1")
    assert n.status == "on_track"
    assert "不称已完成" in n.reason_zh and "not achieved" in n.reason_en


def test_a_derived_indicator_reaches_the_verdict(session):
    t = target_statuses(session, "140100", 2010, ["tertiary_share"])["tertiary_share"].target
    assert t.value == 52 and t.status == "pending"  # was no_data: "没有任何年份的数据"
    assert "2008" in t.reason_zh  # 706 / 1,468.1 = 48.1 % of 2008, the latest
    later = target_statuses(session, "140100", 2012, ["tertiary_share"])["tertiary_share"]
    assert later.period == "2011" and later.value == pytest.approx(1097.1 / 2080 * 100)
    assert "derived" in later.flags


def test_a_five_year_review_is_not_read_as_its_last_year(session):
    obs = repo.observations_frame(session, regions=["140100"],
                                  indicators=["energy_intensity_change", "fdi_actual"])
    assert not (obs["period"] == "2010").any()  # 27 % and 12.3亿美元 are 2006–2010's
    iv = target_statuses(session, "140100", 2010, ["energy_intensity_change"])["energy_intensity_change"]
    goal = next(t for t in [iv.target, *iv.others] if t.horizon == "multi_year")
    assert goal.status == "pending"  # was achieved on 27 % a year
    fdi = evaluate(session, region="140100", year=2011)
    iv = next(i for n in fdi.nodes for i in n.indicators if i.indicator == "fdi_actual")
    assert iv.trend == "improving"  # 2.62 (2009) → 6.8, not 12.3 → 6.8


@pytest.mark.parametrize("text, year, expected", [
    ("过去一年，引进高层次人才团队127个，新招引大学生首超30万人。", 2023,
     [(2022, "talents_attracted", "observed", 30.0, "突破")]),
    ("今年经济社会发展主要预期目标是：培育高技能人才2.5万人，引进大学生30万人。", 2023,
     [(2023, "talents_attracted", "target", 30.0, "")]),
])
def test_the_graduates_a_city_draws_are_read(text, year, expected):
    got = [(r.period, r.indicator, r.kind, r.value, r.qualifier) for r in extract_text(text, "340100", year)]
    assert got == expected


def test_hefei_2022_graduates_target_is_judged(session):
    t = target_statuses(session, "340100", 2022, ["talents_attracted"])["talents_attracted"].target
    assert (t.value, t.status) == (20, "achieved")  # was no_data


def _row(name, status, targets, period="2010", prev="2009", trend="n/a"):
    return {"name": name, "status": status, "targets": targets, "trend": trend,
            "period": period, "prev_period": prev}


def test_the_sentence_names_every_target_of_a_row():
    sec = {"period": "2010", "rows": [_row("地区生产总值增速", "achieved", [
        {"status": "achieved", "horizon": "yearly", "year": 2010, "stretch": False},
        {"status": "missed", "horizon": "multi_year", "year": 2010, "stretch": False}])]}
    text = _indicator_sentence(sec)
    assert "地区生产总值增速（年度）达到目标" in text
    assert "地区生产总值增速（2010年规划目标）未完成目标" in text


def test_the_sentence_names_the_years_a_trend_compares():
    sec = {"period": "2018", "rows": [
        _row("实际使用外资", None, [], period="2011", prev="2009", trend="improving"),
        _row("一般公共预算收入增速", None, [], period="2018", prev="2017", trend="improving")]}
    text = _indicator_sentence(sec)
    assert "实际使用外资（2011年较2009年）" in text
    assert "一般公共预算收入增速较上期向好" in text


def test_taiyuan_2010_report_tells_the_missed_five_year_goals(session):
    from lantu.reports.data import monitoring_data

    data = monitoring_data(session, "140100", "2010")
    t1 = next(s for s in data["sections"] if s["code"] == "T1")
    missed = _indicator_sentence(t1).split("未完成目标")[0].rsplit("；", 1)[-1]
    assert "地区生产总值增速（2010年规划目标）" in missed  # 年均12%: 9.4 on the years there are
    assert "规模以上工业增加值增速（2010年规划目标）" in missed
    summary = summary_sentences(data)[1]
    assert "按在效目标计" in summary and "未完成4项" in summary


def test_the_report_shows_the_derived_figure_the_verdict_judged(session):
    from lantu.reports.data import monitoring_data

    rows = [r for s in monitoring_data(session, "140100", "2010")["sections"] for r in s["rows"]
            if r["code"] == "tertiary_share"]
    assert rows and rows[0]["period"] == "2008" and rows[0]["value"] == pytest.approx(706 / 1468.1 * 100)
    assert rows[0]["status"] == "pending"
