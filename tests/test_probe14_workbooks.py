"""The ninth round (files and CLI, probe14): workbooks. What a sheet shows is what is imported,
or the import is refused naming the cells (``lantu.ingest.tables_read``, ``tables._Rows``):

- a value merged across two columns (a figure over the cells of 2022 and 2023) was imported for
  both years; a header merged over two columns made the second the first's duplicate (refused
  as a "conflicting duplicate", not as what it is);
- a figure merged down its column (over the rows of 2021 and 2022) was imported for both rows;
- a row 0 points high or a column 0 characters wide (a border dragged shut) is as hidden as a
  hidden one, and was imported;
- a spreadsheet error in the region, period or indicator column was "unknown region '#N/A'".

The answers were written first (benchmarks/probe14_cases.md E1–E3, E8, E14); each test failed
on the code before unless its name ends in ``_held``. SQLite and PostgreSQL through ``lantu
import``."""

from __future__ import annotations

import re

import openpyxl
from sqlalchemy import text
from typer.testing import CliRunner

from hostile import patch_sheet_xml, snapshot, workbook
from lantu.cli import app

runner = CliRunner()
LONG = ["region_code", "period", "indicator", "value", "unit"]


def _import(db, path):
    before = snapshot(db)
    res = runner.invoke(app, ["import", str(path), "--db", db.engine.url.render_as_string(
        hide_password=False)])
    return res, " ".join(res.output.split()), before


def _values(db) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "select region_code, period, value from observation order by period"))]


def test_a_figure_merged_across_two_years_is_refused(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "指标", "单位", "2022", "2023"])
    ws.append(["太原市", "gdp", "亿元", 5571.17, None])
    ws.merge_cells("D2:E2")
    wb.save(tmp_path / "m.xlsx")
    res, said, before = _import(ref_db, tmp_path / "m.xlsx")
    assert res.exit_code == 1, res.output  # was: 5571.17 imported for 2022 and for 2023
    assert ("row 2, column 'D': the cells D2:E2 are merged across columns, so one value would "
            "stand in each column") in said
    assert snapshot(ref_db) == before


def test_a_header_merged_over_two_columns_is_named(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "年份", "地区生产总值(亿元)", None])
    ws.append(["太原市", "2022", 5571.17, 9999])
    ws.merge_cells("C1:D1")
    wb.save(tmp_path / "h.xlsx")
    res, said, before = _import(ref_db, tmp_path / "h.xlsx")
    assert res.exit_code == 1, res.output
    assert "row 1, column 'C': the cells C1:D1 are merged across columns" in said
    assert snapshot(ref_db) == before


def test_a_region_merged_down_its_years_and_a_title_merged_above_are_read_held(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["表1 主要经济指标"])
    ws.append(["地区", "年份", "地区生产总值(亿元)"])
    ws.append(["太原市", "2021", 5121.61])
    ws.append([None, "2022", 5571.17])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "ok.xlsx")
    res, said, _ = _import(ref_db, tmp_path / "ok.xlsx")
    assert res.exit_code == 0, res.output
    assert _values(ref_db) == [("140100", "2021", 5121.61), ("140100", "2022", 5571.17)]


def test_a_row_shut_to_no_height_is_refused_as_hidden(ref_db, tmp_path):
    p = workbook(tmp_path, "r.xlsx", {"数据": [LONG, ["140100", "2021", "gdp", 5121.61, "亿元"],
                                               ["140100", "2022", "gdp", 5571.17, "亿元"]]})
    patch_sheet_xml(p, lambda s: s.replace('<row r="3"', '<row r="3" ht="0" customHeight="1"'))
    res, said, before = _import(ref_db, p)
    assert res.exit_code == 1, res.output  # was: the row no one sees imported
    assert "row 3: the row is hidden in the sheet" in said
    assert snapshot(ref_db) == before


def test_a_column_shut_to_no_width_is_refused_as_hidden(ref_db, tmp_path):
    p = workbook(tmp_path, "c.xlsx", {"数据": [LONG + ["备注"],
                                               ["140100", "2022", "gdp", 5571.17, "亿元", "旧口径9999"]]})
    patch_sheet_xml(p, lambda s: s.replace(
        "<sheetData>", '<cols><col min="6" max="6" width="0.0" customWidth="1"/></cols><sheetData>'))
    res, said, before = _import(ref_db, p)
    assert res.exit_code == 1, res.output  # was: imported, the note "旧口径9999" stored
    assert "column 'F': the column is hidden in the sheet" in said
    assert snapshot(ref_db) == before


def test_empty_rows_shut_or_hidden_are_no_matter_held(ref_db, tmp_path):
    p = workbook(tmp_path, "e.xlsx", {"数据": [LONG, ["140100", "2022", "gdp", 5571.17, "亿元"]]})
    patch_sheet_xml(p, lambda s: s.replace("</sheetData>", '<row r="5" ht="0" customHeight="1"/>'
                                           '<row r="6" hidden="1"/></sheetData>'))
    res, _, _ = _import(ref_db, p)
    assert res.exit_code == 0, res.output


def test_a_spreadsheet_error_in_any_column_is_named_as_one(ref_db, tmp_path):
    p = workbook(tmp_path, "x.xlsx", {"数据": [LONG, ["140100", "2021", "gdp", 5121.61, "亿元"],
                                               ["140100", "2022", "gdp", 5571.17, "亿元"]]})

    def errors(s: str) -> str:
        for col, e in zip("ABCD", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!"]):
            s = re.sub(f'<c r="{col}3"[^>]*>.*?</c>', f'<c r="{col}3" t="e"><v>{e}</v></c>', s)
        return s

    patch_sheet_xml(p, errors)
    res, said, before = _import(ref_db, p)
    assert res.exit_code == 1, res.output
    for col, e in (("region_code", "#N/A"), ("period", "#DIV/0!"), ("indicator", "#REF!")):
        assert f"row 3, column '{col}': the cell holds the spreadsheet error {e} (its formula failed)" in said
    assert "unknown region" not in said  # was: "unknown region … (value '#N/A')"
    assert "row 3, column 'value': the cell holds the spreadsheet error #VALUE!, not a number" in said
    assert snapshot(ref_db) == before


def test_a_figure_merged_down_its_column_is_refused(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "年份", "地区生产总值(亿元)", "常住人口(万人)"])
    ws.append(["太原市", "2021", 5121.61, 539.1])
    ws.append([None, "2022", 5571.17, None])
    ws.merge_cells("A2:A3")  # the region down its years: read
    ws.merge_cells("D2:D3")  # a figure down two years: one figure, not two
    wb.save(tmp_path / "d.xlsx")
    res, said, before = _import(ref_db, tmp_path / "d.xlsx")
    assert res.exit_code == 1, res.output  # was: 539.1 imported for 2021 and 2022
    assert ("row 3, column '常住人口(万人)': the cells D2:D3 are merged down the column, so the "
            "figure of its first row would stand in this row too") in said
    assert "column '地区'" not in said
    assert snapshot(ref_db) == before


def test_keys_merged_down_a_table_by_year_are_read_held(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "指标", "单位", "2021", "2022"])
    ws.append(["太原市", "gdp", "亿元", 5121.61, 5571.17])
    ws.append([None, "population", "万人", 539.1, 543.5])
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "k.xlsx")
    res, _, _ = _import(ref_db, tmp_path / "k.xlsx")
    assert res.exit_code == 0, res.output
    assert len(_values(ref_db)) == 4


def test_rows_shut_by_the_sheets_default_height_are_refused_as_hidden(ref_db, tmp_path):
    # a neighbour found after the round: <sheetFormatPr zeroHeight="1"> hides every row not
    # given a height of its own
    p = workbook(tmp_path, "z.xlsx", {"数据": [LONG, ["140100", "2021", "gdp", 5121.61, "亿元"],
                                               ["140100", "2022", "gdp", 5571.17, "亿元"]]})
    patch_sheet_xml(p, lambda s: re.sub(r"<sheetFormatPr ([^/]*)/>", r'<sheetFormatPr \1 zeroHeight="1"/>', s)
                    .replace('<row r="1"', '<row r="1" ht="15" customHeight="1"')
                    .replace('<row r="2"', '<row r="2" ht="15" customHeight="1"'))
    res, said, before = _import(ref_db, p)
    assert res.exit_code == 1, res.output  # was: the row no one sees imported
    assert "row 3: the row is hidden in the sheet" in said and "row 2:" not in said
    assert snapshot(ref_db) == before
