"""Source-quality badges wherever a verdict number is shown: the overview, a goal page, the
targets page, the comparison page (primacy) and the monitoring report's tables (a short mark
and its legend) — all from the one helper, lantu.evaluation.quality."""

from __future__ import annotations

import re

import pytest

from lantu.evaluation import evaluate
from lantu.evaluation.quality import legend_note, quality_badge, quality_mark, weakest
from lantu.reports.service import monitoring_report
from webutil import fresh_db, make_client

TAIYUAN, YEAR = "140100", 2023


def test_the_helper_names_every_quality_in_both_languages_with_a_short_mark():
    from lantu.domain.observations import SOURCE_QUALITIES

    for lang in ("zh", "en"):
        marks = [quality_mark(q, lang) for q in SOURCE_QUALITIES]
        assert all(len(m) == 1 for m in marks) and len(set(marks)) == len(marks)
        assert all(quality_badge(q, lang)["label"] for q in SOURCE_QUALITIES)
    assert quality_badge(None, "zh") is None and quality_badge("rumour", "zh") is None
    assert weakest("official_statistics", "official_report") == "official_report"
    assert weakest(None, None) is None
    assert legend_note(["official_report", None, "official_report"]) == "来源质量标记：报＝工作报告。"
    assert legend_note([], "en") == ""


@pytest.fixture(scope="module")
def pages(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quality")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        verdict = evaluate(s, region=TAIYUAN, year=YEAR)
    out = {"verdict": verdict}
    with make_client(db, tmp / "home") as client:
        for lang in ("zh", "en"):
            out[("overview", lang)] = client.get("/", params={"year": YEAR, "lang": lang}).text
            out[("goal", lang)] = client.get("/plan/T1", params={"year": YEAR, "lang": lang}).text
            out[("targets", lang)] = client.get("/targets", params={
                "year": YEAR, "lang": lang, "region": TAIYUAN}).text
            out[("compare", lang)] = client.get("/comparison", params={"lang": lang}).text
    out["report"] = monitoring_report(db, TAIYUAN, str(YEAR), fmt="html").content.decode()
    db.dispose()
    return out


def _badges(page: str) -> list[str]:
    return re.findall(r'<span class="qbadge q-([a-z_]+)"', page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_showing_a_verdict_number_marks_its_source(pages, lang):
    v = pages["verdict"]
    gdp_growth = next(i for n in v.nodes for i in n.indicators if i.indicator == "gdp_growth")
    assert gdp_growth.quality  # the 2023 figure has a source
    label = quality_badge(gdp_growth.quality, lang)["label"]
    for page in ("overview", "goal", "targets", "compare"):
        html = pages[(page, lang)]
        found = _badges(html)
        assert found, page
        assert set(found) <= {"official_statistics", "official_report", "official_other",
                              "third_party", "none"}
        assert 'class="muted small quality-legend"' in html, page  # the legend
    # the overview's GDP-growth line carries the verdict's own figure's quality
    ov = pages[("overview", lang)]
    line = ov.split('href="/indicators?indicator=gdp_growth"', 1)[1].split("</li>", 1)[0]
    assert f'q-{gdp_growth.quality}"' in line and label in line
    goal = pages[("goal", lang)].split('href="/indicators?indicator=gdp_growth"', 1)[1]
    assert f'q-{gdp_growth.quality}"' in goal.split("</tr>", 1)[0]


def test_the_reports_tables_carry_the_marks_and_their_legend(pages):
    report = pages["report"]
    marks = re.findall(r"〔(.)〕", report)
    assert marks and set(marks) <= {"统", "报", "官", "三", "无"}
    assert report.count("来源质量标记：") >= 1
    for m in set(marks):
        assert re.search(rf"{m}＝[^；。]+", report)
