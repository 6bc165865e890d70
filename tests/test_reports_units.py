"""Pure parts of the reports: target status and trend, fonts, numerals, the document machinery."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from lantu.domain import Target, ValidationError
from lantu.reports import progress
from lantu.reports.data import fmt_number, month_bounds, target_text, warning_colour
from lantu.reports.fonts import FontSet, find_fonts
from lantu.reports.gongwen import GongwenDocument, cell_fill, cn_date, cn_numeral


def T(period, kind, value, **kw):
    return Target("140100", "x", period, kind, value, **kw)


# -- progress ------------------------------------------------------------------------------------


def test_assess_uses_the_figures_up_to_the_period_only():
    from lantu.analysis.targets import evaluate_target

    t = T("2025", "level", 60000.0, base_period="2020", base_value=40000.0)
    series = {"2021": 44000.0, "2023": 52000.0, "2024": 70000.0}
    a = progress.assess(t, series, "2023")
    direct = evaluate_target(progress.spec_of(t), {2021: 44000.0, 2023: 52000.0}, 1)
    assert a.status == direct.status and a.result.current == 52000.0
    assert progress.assess(t, series, "2024").status == "achieved"
    assert a.label and a.fill == progress.FILLS[direct.colour]


def test_assess_annual_target_needs_the_year():
    t = T("2023", "annual_growth", 6.5)
    assert progress.assess(t, {"2023": 6.6}, "2023").status == "achieved"
    a = progress.assess(t, {"2022": 9.0}, "2023")
    assert a.status == "pending" and a.fill is None


def test_assess_refused_target_is_unassessed_with_the_reason():
    # a reduction given as a positive number against a lower-is-better indicator
    t = T("2025", "cumulative_change", 14.5, base_period="2020", base_value=1.0)
    a = progress.assess(t, {"2021": 0.9, "2022": 0.8}, "2022", direction=-1)
    assert a.status == "unassessed" and "against its direction" in a.reason
    assert a.label == "待评估"
    assert progress.assess(None, {"2023": 1.0}, "2023").status == "no_target"


def test_pick_target_prefers_the_period_then_the_nearest_later_and_the_main_value():
    ts = [T("2022", "annual_growth", 7.5, qualifier="力争"), T("2022", "annual_growth", 7.0),
          T("2025", "level", 1.0), T("2026", "level", 2.0), T("2020", "level", 0.5)]
    assert progress.pick_target(ts, "2022").value == 7.0
    assert str(progress.pick_target(ts, "2023").target_period) == "2025"
    assert progress.pick_target(ts, "2027") is None


def test_trend_by_direction_and_stable_band():
    assert progress.trend({"2021": 100.0, "2022": 110.0}, "2022", 1) == ("improving", 0.1)
    assert progress.trend({"2021": 100.0, "2022": 110.0}, "2022", -1)[0] == "worsening"
    assert progress.trend({"2021": 100.0, "2022": 100.4}, "2022", 1)[0] == "stable"
    assert progress.trend({"2021": 100.0, "2022": 90.0}, "2022", 0)[0] == "down"
    # values after the period are not looked at
    assert progress.trend({"2021": 1.0, "2022": 2.0, "2024": 0.0}, "2023", 1)[0] == "improving"
    assert progress.trend({"2022": 2.0}, "2023", 1) == ("n/a", None)


# -- small helpers -------------------------------------------------------------------------------


def test_numerals_dates_numbers():
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 19, 20, 99)] == \
        ["一", "九", "十", "十一", "十九", "二十", "九十九"]
    with pytest.raises(ValueError, match="1–99"):
        cn_numeral(0)
    assert cn_date(date(2024, 3, 1)) == "2024年3月1日"
    assert [fmt_number(v) for v in (5571.17, 64.4, 545.4392, 8.0, None)] == \
        ["5571.17", "64.4", "545.44", "8", "—"]
    assert target_text(T("2021", "annual_growth", 8.0, value_high=8.5)) == "8–8.5"
    assert target_text(T("2026", "cumulative_change", 100.0)) == "累计100"


def test_month_bounds_and_bad_months():
    assert month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    for bad in ("2023", "2023-13", "June"):
        with pytest.raises(ValidationError, match="month"):
            month_bounds(bad)


def test_warning_colours():
    assert [warning_colour(d) for d in (31, 30, 1, 0)] == ["red", "yellow", "yellow", "green"]


# -- fonts ---------------------------------------------------------------------------------------


def test_fonts_prefer_the_standard_faces_then_fall_back_in_order():
    fs = find_fonts({"仿宋_GB2312", "黑体", "楷体", "Noto Serif CJK SC", "Times New Roman"})
    assert fs.body.name == "仿宋_GB2312" and not fs.body.is_fallback
    assert fs.heading1.name == "黑体"
    assert fs.heading2.name == "楷体" and fs.heading2.is_fallback
    assert fs.title.name == "Noto Serif CJK SC" and fs.title.wanted == "方正小标宋简体"
    assert fs.latin == "Times New Roman"
    assert {f.role for f in fs.fallbacks()} == {"title", "heading2", "page_number"}
    assert "代替方正小标宋简体" in fs.describe()


def test_no_cjk_font_keeps_the_standard_names_and_says_what_to_install():
    fs = find_fonts({"DejaVu Sans", "Liberation Serif"})
    assert not fs.has_cjk
    assert fs.body.name == "仿宋_GB2312" and not fs.body.installed
    assert any("fonts-noto-cjk" in n for n in fs.notes)
    assert fs.latin == "Liberation Serif"


# -- the document machinery ----------------------------------------------------------------------


def _reopen(doc: GongwenDocument):
    return Document(io.BytesIO(doc.to_bytes()))


def test_gongwen_page_fonts_and_page_number_field():
    fs = find_fonts({"Noto Serif CJK SC", "Noto Sans CJK SC"})
    doc = GongwenDocument(fs)
    doc.title("关于测试的报告")
    doc.heading1(1, "总体情况")
    doc.heading2(2, "分项")
    doc.heading3(3, "细项")
    doc.paragraph("正文123。")
    t = doc.table(["甲", "乙"], [[1, "x"], [None, "y"]], widths_mm=[100, 56],
                  fills={(1, 0): "FFC7CE"})
    d = _reopen(doc)
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin,
                                  sec.right_margin)] == [37, 35, 28, 26]
    paras = {p.text: p for p in d.paragraphs if p.text}

    def east(p):
        return p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east(paras["关于测试的报告"]) == "Noto Serif CJK SC"
    assert paras["关于测试的报告"].runs[0].font.size.pt == 22
    assert east(paras["一、总体情况"]) == "Noto Sans CJK SC"
    assert east(paras["（二）分项"]) == fs.heading2.name
    assert east(paras["3. 细项"]) == fs.body.name and paras["3. 细项"].runs[0].font.bold
    assert paras["正文123。"].runs[0].font.size.pt == 16
    assert paras["正文123。"].runs[0].font.name == fs.latin
    footer_xml = sec.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    assert "PAGE" in sec.even_page_footer._element.xml
    assert d.settings.odd_and_even_pages_header_footer
    table = d.tables[0]
    assert [c.text for c in table.rows[2].cells] == ["—", "y"]
    assert cell_fill(table.cell(2, 0)) == "FFC7CE" and cell_fill(table.cell(1, 0)) is None
    assert round(table.columns[0].cells[0].width.mm) == 100
    assert t is not None


def test_landscape_turns_the_page_and_keeps_the_margins():
    d = _reopen(GongwenDocument(FontSet.standard(), landscape=True))
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28


def test_table_rejects_a_ragged_row():
    doc = GongwenDocument(FontSet.standard())
    with pytest.raises(ValueError, match="row 2 has 1 cells, expected 2"):
        doc.table(["a", "b"], [[1, 2], [3]], caption="x")


def test_missing_converters_say_what_to_install(monkeypatch):
    from lantu.reports import convert

    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    with pytest.raises(convert.ConversionError, match="libreoffice-writer"):
        convert.docx_to_pdf(b"PK")
    with pytest.raises(convert.ConversionError, match="poppler-utils"):
        convert.pdf_to_png(b"%PDF")


def test_the_bulletin_takes_milestone_lateness_and_department_warnings_from_the_supervision():
    """One rule, one place: lantu.supervise.bulletin says which milestones are late and how a
    department is warned; the bulletin's data only lay them out."""
    from datetime import date

    from lantu.supervise.bulletin import (
        DepartmentScore,
        MilestoneItem,
        department_colour,
        milestones_of_month,
    )

    start, cut = date(2023, 6, 1), date(2023, 6, 30)
    items = [MilestoneItem("T1.1", "a", "fgw", "开工", date(2023, 5, 20), None),  # 41 days late
             MilestoneItem("T1.2", "b", "fgw", "验收", date(2023, 6, 20), None),  # 10 days late
             MilestoneItem("T1.3", "c", "jxj", "签约", date(2023, 6, 10), date(2023, 6, 5)),
             MilestoneItem("T1.4", "d", "jxj", "投产", date(2023, 7, 10), None)]  # not yet due
    late, done = milestones_of_month(items, start, cut)
    assert [(x.milestone.code, x.days_late, x.colour) for x in late] == [
        ("T1.1", 41, "red"), ("T1.2", 10, "yellow")]
    assert [m.code for m in done] == ["T1.3"]

    def dept(late=0, returned=0):
        return DepartmentScore("fgw", tasks=3, finished=0, late=late, returned=returned,
                               parts={}, score=50.0)
    assert department_colour(dept(late=1), 0) == "red"
    assert department_colour(dept(), 1) == "yellow" and department_colour(dept(returned=1), 0) == "yellow"
    assert department_colour(dept(), 0) == "green"
