"""The seventh round (files): a .docx brought for review, for a plan or to ``lantu extract`` is
read as Word shows it — tabs and line breaks inside a paragraph, the paragraphs of a table cell,
a table nested in a cell, content controls, tracked deletions. Each test failed on the code
before (numbers of two lines read as one, nested tables read twice, content controls lost)."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml

from lantu.ingest.extract import extract_text
from lantu.ingest.textio import read_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_table_cells_paragraphs_stay_apart(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "地区生产总值（亿元）"
    table.cell(0, 1).text = "5571"
    table.cell(0, 1).add_paragraph("12.3%")  # was read as 557112.3%
    d.save(tmp_path / "t.docx")
    text = read_text(tmp_path / "t.docx").text
    assert "557112" not in text
    assert text == "地区生产总值（亿元）\t5571\n12.3%"


def test_tabs_and_line_breaks_inside_a_paragraph_keep_numbers_apart(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("常住人口543")
    p.add_run().add_tab()
    p.add_run("12.3万人")
    p2 = d.add_paragraph()
    p2.add_run("增长5571")
    p2.add_run().add_break()
    p2.add_run("2023年")
    d.save(tmp_path / "t.docx")
    assert read_text(tmp_path / "t.docx").text == "常住人口543\t12.3万人\n\n增长5571\n2023年"


def test_a_nested_table_is_read_once(tmp_path):
    d = docx.Document()
    inner = d.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "常住人口", (0, 1): "543万人", (1, 0): "增长",
                         (1, 1): "1.2%"}.items():
        inner.cell(r, c).text = text
    d.save(tmp_path / "t.docx")
    text = read_text(tmp_path / "t.docx").text
    assert text == "常住人口\t543万人\n增长\t1.2%"  # not merged, not twice


def test_text_in_a_content_control_is_read_and_deleted_text_is_not(tmp_path):
    d = docx.Document()
    d.add_paragraph("前言")
    d.element.body.insert(1, parse_xml(
        f'<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>地区生产总值5571.17亿元</w:t></w:r>'
        '</w:p></w:sdtContent></w:sdt>'))
    d.element.body.insert(2, parse_xml(
        f'<w:p {W}><w:r><w:t>常住人口</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>'
        '999</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>543万人</w:t></w:r>'
        '</w:ins></w:p>'))
    d.save(tmp_path / "t.docx")
    assert read_text(tmp_path / "t.docx").text == "前言\n\n地区生产总值5571.17亿元\n\n常住人口543万人"


def test_no_figure_is_made_of_two_paragraphs_of_a_cell(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "全年地区生产总值"
    table.cell(0, 1).text = "5571"
    table.cell(0, 1).add_paragraph("12.3亿元")
    d.save(tmp_path / "t.docx")
    rows = extract_text(read_text(tmp_path / "t.docx").text, "140100", 2022)
    assert 557112.3 not in [r.value for r in rows]  # the two lines were read as one number
