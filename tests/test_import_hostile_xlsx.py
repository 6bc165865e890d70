"""What a tired analyst or a hostile user feeds the importer — workbooks: several sheets, statistical layouts, merged cells, formulas, errors, hidden parts, size limits and zip bombs, files that lie about their type.
Each file either imports correctly or is refused with its file, row, column and reason, and
nothing is half-written (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from hostile import HEADER, LONG, patch_sheet_xml, refused, values, workbook, write
from lantu.ingest import tables_read
from lantu.ingest.tables import parse_file

# -- XLSX ----------------------------------------------------------------------------------------


def test_several_sheets_need_a_choice_and_the_error_lists_them(tmp_path, cat):
    p = workbook(tmp_path, "two.xlsx", {"2021": [LONG, ["140100", 2021, "gdp", 5121.61, "亿元"]],
                                        "2022": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]})
    (problem,) = refused(p, cat)
    assert "2 sheets with data" in problem.reason and "'2021'" in problem.reason
    assert "--sheet" in problem.reason
    assert values(parse_file(p, cat, sheet="2022")) == {("140100", "2022", "gdp"): 5571.17}
    (problem,) = refused(p, cat, sheet="2023")
    assert "no sheet '2023'" in problem.reason and "['2021', '2022']" in problem.reason


def test_the_one_data_sheet_is_found_beside_notes_and_hidden_sheets(tmp_path, cat):
    p = workbook(tmp_path, "book.xlsx", {
        "说明": [["本表数据来自统计公报"]],
        "Sheet2": [],
        "旧数据": [LONG, ["140100", 2020, "gdp", 1, "亿元"]],
        "数据": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]}, hidden=("旧数据",))
    assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_title_row_unit_note_and_footnote_of_a_statistical_table(tmp_path, cat):
    p = workbook(tmp_path, "表1.xlsx", {"表1": [
        ["表1 主要经济指标"], ["单位：万元"], [],
        ["地区", "年份", "地区生产总值", "一般公共预算收入"],
        ["太原市", 2022, 55711700, "5,000,000"],
        ["注：地区生产总值按当年价格计算。"]]})
    parsed = parse_file(p, cat)
    assert values(parsed) == {("140100", "2022", "gdp"): 5571.17,
                              ("140100", "2022", "budget_revenue"): 500.0}
    assert parsed.lines == [5, 5]  # the sheet's own row numbers


def test_merged_region_cells_belong_to_each_row(tmp_path, cat):
    p = workbook(tmp_path, "merged.xlsx", {"s": [["地区", "年份", "地区生产总值(亿元)"],
                                                 ["太原市", 2021, 5121.61],
                                                 [None, 2022, 5571.17]]})
    wb = openpyxl.load_workbook(p)
    wb.active.merge_cells("A2:A3")
    wb.save(p)
    assert values(parse_file(p, cat)) == {("140100", "2021", "gdp"): 5121.61,
                                          ("140100", "2022", "gdp"): 5571.17}


def test_formulas_read_their_saved_result_and_a_missing_result_is_named(tmp_path, cat):
    p = workbook(tmp_path, "f.xlsx", {"s": [LONG, ["140100", 2022, "gdp", "=2000+3571.17", "亿元"],
                                            ["140100", 2021, "gdp", "=B3*2", "亿元"]]})
    # give the first formula a cached value, as Excel would have saved it
    patch_sheet_xml(p, lambda x: x.replace("<f>2000+3571.17</f><v></v>",
                                           "<f>2000+3571.17</f><v>5571.17</v>", 1))
    problems = refused(p, cat)
    assert [(q.row, q.column) for q in problems] == [(3, "D")]
    assert "formula with no saved result" in problems[0].reason and problems[0].value == "=B3*2"
    patch_sheet_xml(p, lambda x: x.replace("<f>B3*2</f><v></v>", "<f>B3*2</f><v>5121.61</v>"))
    assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17,
                                          ("140100", "2021", "gdp"): 5121.61}


def test_excel_error_cell_is_named(tmp_path, cat):
    p = workbook(tmp_path, "e.xlsx", {"s": [LONG, ["140100", 2022, "gdp", 1, "亿元"]]})
    patch_sheet_xml(p, lambda x: re.sub(r'<c r="D2"[^>]*>.*?</c>',
                                        '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', x))
    (problem,) = refused(p, cat)
    assert (problem.row, problem.column) == (2, "value")
    assert "spreadsheet error #DIV/0!" in problem.reason


def test_date_cells_in_the_period_column(tmp_path, cat):
    p = workbook(tmp_path, "d.xlsx", {"s": [LONG, ["140100", datetime(2022, 3, 1), "gdp", 1, "亿元"],
                                            ["140100", datetime(1905, 7, 14), "gdp", 2, "亿元"],
                                            ["140100", datetime(2022, 3, 15), "gdp", 3, "亿元"]]})
    problems = refused(p, cat)
    assert [(q.row, q.column) for q in problems] == [(3, "period"), (4, "period")]
    assert "looks like the year 2022 in a cell formatted as a date" in problems[0].reason
    assert "a date (2022-03-15), not a period" in problems[1].reason
    wb = openpyxl.load_workbook(p)
    wb.active.delete_rows(3, 2)
    wb.save(p)
    assert values(parse_file(p, cat)) == {("140100", "2022-03", "gdp"): 1.0}


def test_hidden_rows_and_columns_are_refused(tmp_path, cat):
    p = workbook(tmp_path, "h.xlsx", {"s": [LONG + ["note"], ["140100", 2022, "gdp", 1, "亿元", ""],
                                            ["140100", 2021, "gdp", 2, "亿元", "x"]]})
    wb = openpyxl.load_workbook(p)
    wb.active.row_dimensions[3].hidden = True
    wb.active.column_dimensions["F"].hidden = True
    wb.save(p)
    problems = refused(p, cat)
    assert [(q.row, q.column) for q in problems] == [(3, None), (None, "F")]
    assert all("hidden" in q.reason for q in problems)


def test_a_declared_full_size_sheet_and_a_last_row_far_down(tmp_path, cat):
    p = workbook(tmp_path, "big.xlsx", {"s": [LONG, ["140100", 2022, "gdp", 1, "亿元"]]})
    patch_sheet_xml(p, lambda x: x.replace('<dimension ref="A1:E2"/>',
                                           '<dimension ref="A1:XFD1048576"/>'))
    assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 1.0}


def test_a_row_at_1048576(tmp_path, cat):
    p = workbook(tmp_path, "far.xlsx", {"s": [LONG, ["140100", 2022, "gdp", 1, "亿元"]]})
    patch_sheet_xml(p, lambda x: x.replace(
        "</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>140100</t></is>'
                        '</c></row></sheetData>'))
    (problem,) = refused(p, cat)
    assert problem.row == 1048576 and "cells" in problem.reason


def test_size_limits(tmp_path, cat, monkeypatch):
    p = workbook(tmp_path, "x.xlsx", {"s": [LONG] + [["140100", y, "gdp", y, "亿元"]
                                                    for y in range(2000, 2010)]})
    monkeypatch.setattr(tables_read, "MAX_ROWS", 5)
    (problem,) = refused(p, cat)
    assert "more than 5 rows" in problem.reason
    c = write(tmp_path, "x.csv", HEADER + "".join(f"140100,{y},gdp,{y},亿元,,,\n"
                                                  for y in range(2000, 2010)))
    assert "more than 5 rows" in refused(c, cat)[0].reason
    monkeypatch.setattr(tables_read, "MAX_XLSX_UNPACKED_BYTES", 2000)
    assert "zip bomb" in refused(p, cat)[0].reason
    monkeypatch.setattr(tables_read, "MAX_FILE_BYTES", 100)
    assert "over the limit" in refused(c, cat)[0].reason


def test_a_real_zip_bomb_is_refused_before_unpacking(tmp_path, cat, monkeypatch):
    monkeypatch.setattr(tables_read, "MAX_XLSX_UNPACKED_BYTES", 64 * 2**20)
    p = workbook(tmp_path, "bomb.xlsx", {"s": [LONG]})
    src = zipfile.ZipFile(p)
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        with out.open("xl/media/padding.bin", "w") as f:
            chunk = b"\0" * 2**20
            for _ in range(80):  # 80 MiB of zeros, about 80 KiB packed
                f.write(chunk)
    assert (tmp_path / "b.xlsx").stat().st_size < 2 * 2**20
    assert "zip bomb" in refused(tmp_path / "b.xlsx", cat)[0].reason


@pytest.mark.parametrize("name,data,fragment", [
    ("enc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100, "password-protected"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old .xls"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old .xls"),
    ("csv.xlsx", HEADER.encode() + b"140100,2022,gdp,1,,,,\n", "rename it to .csv"),
    ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML page"),
    ("docs.xlsx", None, "not an XLSX workbook"),
    ("notes.md", b"# hi\n", "unsupported file type .md"),
])
def test_files_that_are_not_what_their_name_says(tmp_path, cat, name, data, fragment):
    p = tmp_path / name
    if data is None:
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("readme.txt", "not a workbook")
    else:
        p.write_bytes(data)
    (problem,) = refused(p, cat)
    assert fragment in problem.reason


def test_a_workbook_renamed_csv_is_read_as_a_workbook(tmp_path, cat):
    p = workbook(tmp_path, "x.xlsx", {"s": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]})
    q = p.rename(tmp_path / "x.csv")
    parsed = parse_file(q, cat)
    assert parsed.encoding == "xlsx" and values(parsed) == {("140100", "2022", "gdp"): 5571.17}
