"""Layout of the documents: headings with outline levels (navigation pane, TOC), full-width
punctuation in Chinese prose, year cells that do not wrap, the bulletin's issuing office and its
font notes kept out of the body, and the web download's standard-font option."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.oxml.ns import qn

from lantu.reports.fonts import FontSet
from lantu.reports.gongwen import GongwenDocument
from webutil import login, make_client


def _outline(p) -> int | None:
    ppr = p._p.pPr
    el = None if ppr is None else ppr.find(qn("w:outlineLvl"))
    return None if el is None else int(el.get(qn("w:val")))


def _reopen(doc: GongwenDocument):
    return Document(io.BytesIO(doc.to_bytes()))


def test_headings_carry_outline_levels_and_body_text_none():
    doc = GongwenDocument(FontSet.standard())
    doc.title("关于某事的报告")
    doc.heading1(1, "总体情况")
    doc.paragraph("正文。")
    doc.heading2(1, "分项")
    doc.heading3(1, "细项")
    doc.annex_heading("附：数据来源")
    levels = {p.text: _outline(p) for p in _reopen(doc).paragraphs if p.text}
    assert levels == {"关于某事的报告": None, "一、总体情况": 0, "正文。": None, "（一）分项": 1,
                      "1. 细项": 2, "附：数据来源": 0}


def test_chinese_prose_gets_full_width_punctuation_and_year_cells_do_not_wrap():
    doc = GongwenDocument(FontSet.standard())
    doc.paragraph("补链强链延链,全力推进项目建设;率先形成(试点)。见 https://x.org/a,b")
    doc.table(["年份", "指标", "数值"], [["2022", "地区生产总值", "5571.17（2021年）"],
                                      ["2021–2023", "增速", "3.8"]])
    d = _reopen(doc)
    assert d.paragraphs[0].text == "补链强链延链，全力推进项目建设；率先形成（试点）。见 https://x.org/a,b"
    t = d.tables[0]
    no_wrap = [[c._tc.tcPr is not None and c._tc.tcPr.find(qn("w:noWrap")) is not None
                for c in r.cells] for r in t.rows[1:]]
    assert no_wrap == [[True, False, False], [True, False, False]]
    assert t.rows[1].cells[2].text == "5571.17（2021\u2060年）"  # the year keeps its 年


def test_bulletin_names_its_office_and_keeps_font_notes_out_of_the_body(default_db):
    from lantu.reports.bulletin import build_bulletin_docx
    from lantu.reports.data import bulletin_data

    with default_db.session() as s:
        data = bulletin_data(s, "2023-06", today=date(2024, 3, 1))
    assert data["issuer"] == "太原市人民政府督查室"
    fonts = FontSet.standard()
    d = _reopen(build_bulletin_docx(data, fonts))
    texts = [p.text for p in d.paragraphs]
    assert "太原市人民政府督查室" in texts
    assert not any("字体" in t for t in texts)
    assert "本通报使用字体" in d.core_properties.comments


def test_web_download_offers_the_standard_fonts(web_db, tmp_path):
    with make_client(web_db, tmp_path / "home") as client:
        login(client, "admin")
        page = client.get("/comparison").text
        assert "fonts=standard" in page
        r = client.get("/reports/tasks.xlsx?fonts=standard")
        assert r.status_code == 200
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(r.content)).active
        assert ws["A1"].font.name == FontSet.standard().heading1.name
        assert client.get("/reports/tasks.xlsx?fonts=nope").status_code == 422
