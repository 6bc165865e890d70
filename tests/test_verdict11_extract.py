"""Issue stops (1): 车位 is a parking space with or without 停 ("新增公共车位1万个以上", Taiyuan 2025),
and a 累计 that opens a clause covers the list after it ("累计拆违300多万平米，…，新增车位5.17万个",
Jincheng 2021) — the same rule that made an override of Jincheng 2023's 6.52万 unnecessary."""

from __future__ import annotations

import csv

import pytest

from lantu.defaults import DATA
from lantu.evaluation import evaluate
from lantu.ingest.extract import extract_text
from lantu.ingest.textio import read_text

TAIYUAN = "140100"


def _rows(shared_dir, folder: str, year: int, region: str):
    text = read_text(shared_dir / "corpus" / "work-reports" / folder / f"{year}.md").text
    return extract_text(text, region, year, doc_type="report")


def test_taiyuan_2025_public_parking_target_is_read(shared_dir):
    rows = [r for r in _rows(shared_dir, "140100-taiyuan", 2025, TAIYUAN)
            if r.indicator == "new_parking_spaces" and r.kind != "observed"]
    assert [(r.period, r.value, r.qualifier) for r in rows] == [(2025, 1.0, "以上")]
    assert "新增公共车位1万个以上" in rows[0].excerpt


@pytest.mark.parametrize("year", [2021, 2023])
def test_a_campaign_total_after_lei_ji_is_not_the_years_figure(shared_dir, year):
    got = [(r.period, r.value) for r in _rows(shared_dir, "140500-jincheng", year, "140500")
           if r.indicator == "new_parking_spaces" and r.kind == "observed"]
    assert got == []  # 5.17万 (2021 report) and 6.52万 (2023 report) are totals of 累计 campaigns


def test_lei_ji_does_not_reach_past_a_semicolon_nor_a_rate(shared_dir):
    lv = {(r.indicator, r.value) for r in _rows(shared_dir, "141100-lvliang", 2016, "141100")
          if r.kind == "observed"}
    assert {("retail_sales", 391.0), ("income_rural", 7294.0)} <= lv  # after "累计完成5494亿元；"
    sz = {(r.indicator, r.value) for r in _rows(shared_dir, "140600-shuozhou", 2021, "140600")
          if r.kind == "observed"}
    assert ("forest_coverage", 20.25) in sz  # a rate reached is a level, never a sum


def test_snippets_without_the_corpus():
    text = ("各位代表，2020年是极不平凡的一年。开展了“两下两进两拆”行动，累计拆违300多万平米，"
            "腾出空间建设了一批公共厕所，新增车位5.17万个。全年新增公共车位1.2万个。")
    got = [(r.period, r.value) for r in extract_text(text, "140500", 2021, doc_type="report")
           if r.indicator == "new_parking_spaces"]
    assert got == [(2020, 1.2)]


def test_the_default_holds_the_target_and_judges_it(default_db):
    with open(DATA / "extracted" / "targets.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region_code"] == TAIYUAN
                and r["indicator"] == "new_parking_spaces" and r["target_period"] == "2025"]
    assert [(r["kind"], r["value"], r["qualifier"]) for r in rows] == [("floor", "1", "以上")]
    assert rows[0]["source_url"] == "https://www.taiyuan.gov.cn/zfgzbg/20250303/30200155.html"
    with default_db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2025)
    iv = next(i for n in v.nodes for i in n.indicators if i.indicator == "new_parking_spaces")
    yearly = [t for t in [iv.target, *iv.others] if t is not None and t.year == 2025]
    assert [(t.kind, t.status) for t in yearly] == [("floor", "achieved")]
    assert iv.value == pytest.approx(1.1) and iv.period == "2025"
