"""What a tired analyst or a hostile user feeds the importer: each file either imports
correctly or is refused with its file, row, column and reason, and nothing is half-written."""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lantu import defaults, services
from lantu.ingest import tables
from lantu.ingest.tables import Catalogue, ImportRefused, parse_file, parse_quantity
from lantu.store import repo
from lantu.store.models import ObservationRevisionRow, ObservationRow
from lantu.tabular import csv_frame, write_rows, xlsx_frame
from test_import import HEADER, TODAY, snapshot

# -- helpers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    regions, _ = defaults.load_regions()
    return Catalogue({r.code: r for r in regions}, {i.code: i for i in defaults.load_indicators()},
                     TODAY, defaults.load_indicator_aliases())


@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def workbook(tmp_path: Path, name: str, sheets: dict[str, list[list]], *,
             hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    p = tmp_path / name
    wb.save(p)
    return p


def patch_sheet_xml(path: Path, edit) -> None:
    """Rewrite the first sheet's XML (to make what openpyxl cannot write: cached formula
    results, error cells, a lying dimension)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            out.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())


def values(parsed) -> dict[tuple[str, str, str], float]:
    return {o.key: o.value for o in parsed.observations}


def refused(path: Path, cat: Catalogue, **kw) -> list[tables.Problem]:
    with pytest.raises(ImportRefused) as info:
        parse_file(path, cat, **kw)
    assert str(path) in str(info.value)
    return info.value.problems


LONG = ["region_code", "period", "indicator", "value", "unit"]

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
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    (problem,) = refused(p, cat)
    assert "more than 5 rows" in problem.reason
    c = write(tmp_path, "x.csv", HEADER + "".join(f"140100,{y},gdp,{y},亿元,,,\n"
                                                  for y in range(2000, 2010)))
    assert "more than 5 rows" in refused(c, cat)[0].reason
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED_BYTES", 2000)
    assert "zip bomb" in refused(p, cat)[0].reason
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    assert "over the limit" in refused(c, cat)[0].reason


def test_a_real_zip_bomb_is_refused_before_unpacking(tmp_path, cat, monkeypatch):
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED_BYTES", 64 * 2**20)
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


# -- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delim", [";", "\t", "|"])
def test_other_delimiters(tmp_path, cat, delim):
    text = "\n".join(delim.join(r) for r in [LONG, ["140100", "2022", "gdp", "5571,17" if delim == ";"
                                                    else "5571.17", "亿元"]]) + "\n"
    p = write(tmp_path, "d.csv", text)
    if delim == ";":  # a decimal comma is not guessed at
        (problem,) = refused(p, cat)
        assert (problem.row, problem.column, problem.reason) == (2, "value", "not a number")
    else:
        assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_gbk_with_full_width_commas_and_odd_header(tmp_path, cat):
    text = ("地区，年份，地区生产总值（亿元） ，常住人口 ( 万人 )\n"
            "太原市，２０２２，５５７１．１７，５４３．５\n")
    parsed = parse_file(write(tmp_path, "g.csv", text, "gbk"), cat)
    assert parsed.encoding.startswith("gbk")
    assert values(parsed) == {("140100", "2022", "gdp"): 5571.17,
                              ("140100", "2022", "population"): 543.5}
    text = "地区,年份,地区生产总值（亿元）\n太原市,2022,\"5，571.17\"\n"
    assert values(parse_file(write(tmp_path, "h.csv", text, "gbk"), cat)) == {
        ("140100", "2022", "gdp"): 5571.17}


def test_quoted_newlines_mixed_line_ends_and_a_bom_in_the_middle(tmp_path, cat):
    text = (HEADER + '140100,2022,gdp,5571.17,亿元,,https://x/a,"第一行\r\n第二行"\r\n'
            "\ufeff140100,2021,gdp,5121.61,亿元,,,\r"
            "140100,2020,gdp,4153.25,亿元,,,\n"
            "140100,2019,gdp,abc,亿元,,,\n")
    problems = refused(write(tmp_path, "m.csv", text), cat)
    assert [(q.row, q.column) for q in problems] == [(5, "value")]  # records, as Excel numbers
    parsed = parse_file(write(tmp_path, "m.csv", text.replace(",abc,", ",4000,")), cat)
    assert len(parsed.observations) == 4
    assert parsed.observations[0].source.excerpt == "第一行\n第二行"
    assert parsed.observations[1].region_code == "140100"


def test_utf16_text_from_excel(tmp_path, cat):
    text = "\t".join(LONG) + "\n" + "\t".join(["140100", "2022", "gdp", "5571.17", "亿元"]) + "\n"
    p = tmp_path / "u.txt"
    p.write_bytes(text.encode("utf-16"))
    assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_ragged_rows(tmp_path, cat):
    text = (HEADER + "140100,2022,gdp,5571.17,亿元,,,,extra\n"
            "140100,2021,gdp\n"
            "140100,2020,gdp,4153.25\n")  # optional columns may be left off
    problems = refused(write(tmp_path, "r.csv", text), cat)
    assert [(q.row, q.reason.split(" (")[0]) for q in problems] == [
        (2, "row has 9 cells but the header has 8"), (3, "row has 3 cells but the header has 8")]
    wide = "地区,年份,地区生产总值(亿元),常住人口(万人)\n太原市,2021,5121.61\n"
    (problem,) = refused(write(tmp_path, "w.csv", wide), cat)
    assert problem.row == 2 and "3 cells" in problem.reason


def test_joined_files_repeat_the_header(tmp_path, cat):
    text = HEADER + "140100,2022,gdp,5571.17,亿元,,,\n" + "\ufeff" + HEADER + \
        "140100,2021,gdp,5121.61,亿元,,,\n"
    (problem,) = refused(write(tmp_path, "j.csv", text), cat)
    assert problem.row == 3 and "header is repeated" in problem.reason


def test_control_characters_are_refused(tmp_path, cat):
    (problem,) = refused(write(tmp_path, "c.csv", HEADER + "140100,2022,gdp,1,亿元,,,a\x07b\n"), cat)
    assert (problem.row, problem.column) == (2, "excerpt") and "U+0007" in problem.reason


VALUE_CASES = [
    # (indicator, value cell, unit cell) -> stored value, or the words of the refusal
    ("gdp", "5,571.17亿元", "", 5571.17),
    ("gdp", "5,571.17 亿元", "亿元", 5571.17),
    ("gdp", "55,711,700万元", "", 5571.17),
    ("gdp", "5571.17亿元", "万元", "the value says '亿元' but the unit given is '万元'"),
    ("gdp", "约5500", "亿元", "approximate value"),
    ("gdp", "5500左右", "亿元", "approximate value"),
    ("gdp", "5500多", "亿元", "approximate value"),
    ("gdp", ">5500", "亿元", "approximate value"),
    ("gdp", "5500-5600", "亿元", "a range"),
    ("safety_deaths", "5.5万", "", 55000.0),
    ("population", "539.1万", "", 539.1),
    ("population", "539.1万", "万人", "scale word '万' but the unit is already '万人'"),
    ("patents_granted", "1.2万件", "", 12000.0),
    ("gdp", "3.3%", "", "a percentage, but gdp is measured in 亿元"),
    ("gdp_growth", "3.3%", "", 3.3),
    ("gdp_growth", "3.3%", "%", 3.3),
    ("gdp_growth", "3‰", "", "unit '‰' does not match"),
    ("gdp_growth", "-0", "%", 0.0),
    ("gdp", "5.57117e3", "亿元", 5571.17),
    ("gdp", "1e308", "亿元", 1e308),
    ("gdp_per_capita", "1e308", "万元", "too large once converted"),
    ("gdp", "1e999", "亿元", "not a finite number"),
    ("gdp", "Infinity", "亿元", "not a finite number"),
    ("gdp", "-inf", "亿元", "not a finite number"),
    ("gdp", "#N/A", "亿元", "spreadsheet error #N/A"),
    ("gdp", "12a", "亿元", "the value says 'a' but the unit given is '亿元'"),
    ("gdp", "12a", "", "unit 'a' does not match"),
    ("gdp", "五千", "亿元", "not a number"),
    ("population", "5,304,061", "人", 530.4061),
]


@pytest.mark.parametrize("ind,cell,unit,expected", VALUE_CASES)
def test_values_with_units_scales_and_oddities(tmp_path, cat, ind, cell, unit, expected):
    text = f'region_code,period,indicator,value,unit\n140100,2022,{ind},"{cell}",{unit}\n'
    p = write(tmp_path, "v.csv", text)
    if isinstance(expected, float):
        (o,) = parse_file(p, cat).observations
        assert o.value == expected and str(o.value) != "-0.0"
        assert o.unit == cat.indicators[ind].unit
    else:
        (problem,) = refused(p, cat)
        assert problem.row == 2 and problem.column in ("value", "unit")
        assert expected in problem.reason, problem.reason


def test_nan_text_is_a_gap_not_a_value(tmp_path, cat):
    parsed = parse_file(write(tmp_path, "n.csv", HEADER + "140100,2022,gdp,NaN,亿元,,,\n"
                                                         "140100,2021,gdp,1,亿元,,,\n"), cat)
    assert parsed.gaps == 1 and list(values(parsed)) == [("140100", "2021", "gdp")]


def test_parse_quantity_keeps_the_unit_it_read():
    assert parse_quantity("7.5%").unit == "%"
    assert parse_quantity("１，２３４．５万元").value == 1234.5
    assert parse_quantity("１，２３４．５万元").unit == "万元"
    assert parse_quantity(-0.0).value == 0.0 and str(parse_quantity("-0.0").value) == "0.0"


# -- all or nothing, collisions, concurrency (SQLite and PostgreSQL) -----------------------------


def _rows(years, value, region="140100", ind="gdp"):
    return "".join(f"{region},{y},{ind},{value},亿元,,,\n" for y in years)


def test_a_failure_after_rows_were_flushed_leaves_nothing(ref_db, tmp_path, monkeypatch):
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2021], 5121.61)),
                         today=TODAY)
    before = snapshot(ref_db)
    monkeypatch.setattr(repo, "CHUNK", 3)
    real, seen = repo._insert_chunk, []

    def failing(session, table, rows):
        if len(seen) == 2:  # two chunks are in the database (uncommitted) by now
            seen.append(session.scalar(select(func.count()).select_from(ObservationRow)))
            raise RuntimeError("disk full")
        seen.append(len(rows))
        real(session, table, rows)

    monkeypatch.setattr(repo, "_insert_chunk", failing)
    text = HEADER + _rows([2021], 5200) + _rows(range(2000, 2010), 1)
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_file(ref_db, write(tmp_path, "b.csv", text), today=TODAY)
    assert seen == [3, 3, 1 + 6]  # the revision and six new rows had been written…
    assert snapshot(ref_db) == before  # …and are gone


def test_a_stale_read_collides_on_insert_and_is_retried(ref_db, tmp_path, monkeypatch):
    f = write(tmp_path, "a.csv", HEADER + _rows([2022], 5571.17))
    services.import_file(ref_db, f, today=TODAY)
    real, calls = repo._existing_observations, []

    def stale_once(session, observations):
        calls.append(1)
        return {} if len(calls) == 1 else real(session, observations)

    monkeypatch.setattr(repo, "_existing_observations", stale_once)
    res = services.import_file(ref_db, f, today=TODAY)
    assert len(calls) == 2 and res.observations.unchanged == 1 and not res.observations.changed


def test_a_row_revised_meanwhile_is_retried_and_history_stays_whole(ref_db, tmp_path,
                                                                    monkeypatch):
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2022], 1)), today=TODAY)
    services.import_file(ref_db, write(tmp_path, "b.csv", HEADER + _rows([2022], 2)), today=TODAY)
    real, calls = repo._existing_observations, []

    def old_version_once(session, observations):
        calls.append(1)
        out = {k: dict(v) for k, v in real(session, observations).items()}
        if len(calls) == 1:
            for row in out.values():
                row["version"] -= 1  # as read before the second import committed
        return out

    monkeypatch.setattr(repo, "_existing_observations", old_version_once)
    res = services.import_file(ref_db, write(tmp_path, "c.csv", HEADER + _rows([2022], 3)),
                               today=TODAY)
    assert len(calls) == 2 and res.observations.revised == [(("140100", "2022", "gdp"), 2.0, 3.0)]
    with ref_db.session() as s:
        oid = s.scalar(select(ObservationRow.id))
        assert [(h["version"], h["value"]) for h in repo.observation_history(s, oid)] == [
            (1, 1.0), (2, 2.0), (3, 3.0)]


def test_endless_collisions_give_a_clear_error_and_change_nothing(ref_db, tmp_path, monkeypatch):
    f = write(tmp_path, "a.csv", HEADER + _rows([2022], 5571.17))
    services.import_file(ref_db, f, today=TODAY)
    before = snapshot(ref_db)
    monkeypatch.setattr(repo, "_existing_observations", lambda session, observations: {})
    monkeypatch.setattr(services, "IMPORT_ATTEMPTS", 2)
    with pytest.raises(services.LantuError, match="collided with other changes .* 2 times"):
        services.import_file(ref_db, f, today=TODAY)
    assert snapshot(ref_db) == before


def test_two_imports_of_overlapping_files_at_once(ref_db, tmp_path, monkeypatch):
    monkeypatch.setattr(repo, "CHUNK", 7)  # many statements, so the two really interleave
    regions = ["140100", "140200", "140700"]
    only_a, both, only_b = range(1950, 1970), range(1970, 2000), range(2000, 2020)
    a = HEADER + "".join(_rows([*only_a, *both], 1, r) for r in regions)
    b = HEADER + "".join(_rows([*both, *only_b], 2, r) for r in regions)
    files = [write(tmp_path, "a.csv", a), write(tmp_path, "b.csv", b)]
    start, errors, results = threading.Barrier(2), [], []

    def run(path):
        start.wait()
        try:
            results.append(services.import_file(ref_db, path, actor=path.stem, today=TODAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with ref_db.session() as s:
        df = repo.observations_frame(s, with_ids=True)
        revs = s.execute(select(ObservationRevisionRow.observation_id,
                                ObservationRevisionRow.value)).all()
    assert len(df) == len(regions) * (len(only_a) + len(both) + len(only_b))
    df["year"] = df["period"].astype(int)
    overlap = df[df["year"].isin(both)]
    assert set(df[df["year"].isin(only_a)]["value"]) == {1.0}
    assert set(df[df["year"].isin(only_b)]["value"]) == {2.0}
    # one import came second for every shared key: its value stands, the other is history
    (winner,) = set(overlap["value"])
    assert set(overlap["version"]) == {2}
    assert sorted(oid for oid, _ in revs) == sorted(overlap["id"])
    assert {v for _, v in revs} == {3.0 - winner}
    assert sorted(len(r.observations.inserted) for r in results) == [
        len(regions) * 20, len(regions) * 50]


# -- round trip: random valid observations export and import back unchanged ---------------------

_CATALOGUE_INDICATORS = [i for i in defaults.load_indicators() if not i.is_derived]
_REGIONS = [r.code for r in defaults.load_regions()[0] if r.level in ("province", "city")]
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
                | st.sampled_from(list("=+-@'\n,\";，、")), max_size=40).map(str.strip)
_PERIOD = st.one_of(st.integers(1900, 2025).map(str),
                    st.tuples(st.integers(1900, 2025), st.integers(1, 4)).map(
                        lambda t: f"{t[0]}Q{t[1]}"),
                    st.tuples(st.integers(1900, 2025), st.integers(1, 12)).map(
                        lambda t: f"{t[0]}-{t[1]:02d}"))


def _value(ind):
    low, high = ind.bounds  # the admissible range of the catalogue (indicator_ranges.csv)
    low = -1e300 if low is None else low
    high = 1e300 if high is None else high
    return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.floats(
        max(low, -1e6), min(high, 1e6))


# a stored link is http(s) only (lantu.domain.links): any other text is refused, not kept
_URL = st.one_of(st.just(""), st.from_regex(
    r"https?://[a-z]{1,10}\.gov\.cn/[A-Za-z0-9_\-./?=&%~]{0,30}", fullmatch=True))


@st.composite
def observation_frames(draw):
    keys = draw(st.lists(st.tuples(st.sampled_from(_REGIONS), _PERIOD,
                                   st.sampled_from(_CATALOGUE_INDICATORS)),
                         min_size=1, max_size=20, unique_by=lambda k: (k[0], k[1], k[2].code)))
    rows = []
    for region, period, ind in keys:
        flags = draw(st.sets(st.sampled_from(["preliminary", "revised", "estimated",
                                              "weak_source"])))
        rows.append({"region_code": region, "period": period, "indicator": ind.code,
                     "value": draw(_value(ind)) + 0.0, "unit": ind.unit,
                     "flags": ";".join(f for f in ("preliminary", "revised", "estimated",
                                                   "weak_source") if f in flags),
                     "source_url": draw(_URL), "excerpt": draw(_TEXT)})
    return pd.DataFrame(rows, columns=repo.OBSERVATION_COLUMNS)


def _frame_file(tmp_path: Path, df: pd.DataFrame, fmt: str, name: str) -> Path:
    p = tmp_path / f"{name}.{fmt}"
    if fmt == "csv":
        p.write_text(csv_frame(df), encoding="utf-8")
    else:
        p.write_bytes(xlsx_frame(df, "observations"))
    return p


def _stored(db) -> pd.DataFrame:
    with db.session() as s:
        return repo.observations_frame(s)


def _key_sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["region_code", "indicator", "period"]).reset_index(drop=True)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(df=observation_frames(), fmt=st.sampled_from(["csv", "xlsx"]), data=st.data())
def test_round_trip_is_exact_idempotent_and_revises_only_what_changed(ref_db, tmp_path, df, fmt,
                                                                      data):
    with ref_db.session() as s:
        repo.delete_all_observations(s)
    first = services.import_file(ref_db, _frame_file(tmp_path, df, fmt, "in"), today=TODAY)
    assert len(first.observations.inserted) == len(df)
    stored = _stored(ref_db)
    expected = _key_sorted(df)
    pd.testing.assert_frame_equal(_key_sorted(stored), expected, check_exact=True)
    # what Lantu exports imports back unchanged: no change, no revision
    before = snapshot(ref_db)
    again = services.import_file(ref_db, _frame_file(tmp_path, stored, fmt, "out"), today=TODAY)
    assert not again.observations.changed and again.observations.unchanged == len(df)
    assert {k: v for k, v in snapshot(ref_db).items() if k not in ("import_batch", "audit_log")} \
        == {k: v for k, v in before.items() if k not in ("import_batch", "audit_log")}
    # change a random subset: exactly those become revisions
    changed = data.draw(st.sets(st.sampled_from(range(len(expected)))), label="changed")
    edited = expected.copy()
    for i in changed:
        old = edited.at[i, "value"]
        # another value within the admissible range (every range holds 0 … 1 and is closed
        # below at 0 or -100 when at all)
        edited.at[i, "value"] = old / 2 if old > 0 else old + 1 if old > -1e15 else old / 4
    res = services.import_file(ref_db, _frame_file(tmp_path, edited, fmt, "edit"), today=TODAY)
    want = {(expected.at[i, "region_code"], expected.at[i, "period"], expected.at[i, "indicator"])
            for i in changed}
    assert {k for k, _, _ in res.observations.revised} == want
    assert not res.observations.inserted and res.observations.unchanged == len(df) - len(want)
    with ref_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRevisionRow)) == len(want)


# -- export safety -------------------------------------------------------------------------------

HOSTILE_TEXT = ['=HYPERLINK("http://evil.example","点击")', "+cmd|' /C calc'!A0", "-2+3+cmd",
                "@SUM(1+1)", "'=already quoted", "=1+1\n第二行"]


def test_exports_never_write_formulas_and_import_back_unchanged(ref_db, tmp_path):
    from typer.testing import CliRunner

    from lantu.cli import app

    src = tmp_path / "src.xlsx"
    rows = [LONG + ["flags", "source_url", "excerpt"]] + [
        ["140100", 2000 + i, "gdp", i + 1, "亿元", "", f"https://x.gov.cn/{i}", e]
        for i, e in enumerate(HOSTILE_TEXT)]  # a link is http(s) only: hostile text is refused
    wb = openpyxl.Workbook()
    write_rows(wb.active, rows)  # text cells, so the hostile text arrives as data
    wb.save(src)
    services.import_file(ref_db, src, today=TODAY)
    runner = CliRunner()
    out_x, out_c = tmp_path / "obs.xlsx", tmp_path / "obs.csv"
    for fmt, out in (("xlsx", out_x), ("csv", out_c)):
        res = runner.invoke(app, ["export", "observations", "--format", fmt, "--out", str(out),
                                  "--db", ref_db.url])
        assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out_x).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row[7:8]]
    assert sorted(c.value for c in cells) == sorted(HOSTILE_TEXT)
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula ("f")
    sheet_xml = zipfile.ZipFile(out_x).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    text = out_c.read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text)):
        for cell in row[6:8]:
            assert not cell or cell[0] not in "=+-@", cell  # a spreadsheet sees text
    before = snapshot(ref_db)
    for out in (out_x, out_c):
        res = services.import_file(ref_db, out, today=TODAY)
        assert not res.observations.changed and res.observations.unchanged == len(HOSTILE_TEXT)
    assert snapshot(ref_db)["observation"] == before["observation"]


def test_xlsx_export_survives_control_characters_in_stored_text():
    data = xlsx_frame(pd.DataFrame({"excerpt": ["a\x07b", "=x"]}), "s")
    ws = openpyxl.load_workbook(io.BytesIO(data))["s"]
    assert [ws["A2"].value, ws["A3"].value] == ["a\ufffdb", "=x"]


@pytest.mark.parametrize("body,row,fragment", [
    ('140100,2022,gdp,1,亿元,,,"never closed\n140100,2021,gdp,2,亿元,,,\n', 2, "never closed"),
    ('140100,2022,gdp,1,亿元,,,ok\n140100,2021,gdp,2,亿元,,,"a"b\n', 3, "after a closing quote"),
])
def test_broken_quoting_does_not_swallow_rows(tmp_path, cat, body, row, fragment):
    (problem,) = refused(write(tmp_path, "q.csv", HEADER + body), cat)
    assert problem.row == row and fragment in problem.reason


def test_a_huge_cell_is_refused_not_read(tmp_path, cat):
    (problem,) = refused(write(tmp_path, "h.csv", HEADER + "140100,2022,gdp,1,亿元,,,"
                               + "x" * 200_000 + "\n"), cat)
    assert problem.row == 2 and "too long to be a value" in problem.reason


def test_sheet_scan_names_the_right_cell_after_an_empty_self_closed_one():
    xml = (b'<sheetData><row r="2"><c r="A2" s="1"/><c r="B2"><f>A2*2</f></c>'
           b'<c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="str"><f>""</f><v></v></c></row>'
           b'</sheetData>')
    assert tables._scan_sheet_xml(xml).uncached == [(2, 2, "A2*2")]


def test_a_database_refusal_that_is_not_a_collision_is_a_clear_error(ref_db, tmp_path,
                                                                     monkeypatch):
    before = snapshot(ref_db)
    real = repo._insert_chunk

    def dangling(session, table, rows):  # as if the region were deleted meanwhile
        real(session, table, [dict(r, region_code="999999") for r in rows])

    monkeypatch.setattr(repo, "_insert_chunk", dangling)
    with pytest.raises(services.LantuError, match="(?s)database refused the import.*nothing was"):
        services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2022], 1)),
                             today=TODAY)
    assert snapshot(ref_db) == before


# -- fuzz: whatever the bytes, the reader refuses cleanly or reads -------------------------------

_CSV_PIECES = st.sampled_from([HEADER, "region_code,period,indicator,value\n", "地区,年份,地区生产总值(亿元)\n",
                               "140100", "太原市", "2022", "2022Q5", "gdp", "5,571.17", "约5", "5.5万",
                               "%", ",", ";", "\t", '"', "\n", "\r", "\ufeff", "\x00", "—", "=1+1",
                               "1e999", "#N/A", "单位：万元\n", "注：x\n", " ", "２０２２"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_CSV_PIECES, max_size=60), raw=st.binary(max_size=64),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_any_csv_is_read_or_refused_with_reasons(tmp_path_factory, cat, pieces, raw, encoding):
    p = tmp_path_factory.mktemp("fuzz") / "f.csv"
    p.write_bytes("".join(pieces).encode(encoding, "replace") + raw)
    try:
        parsed = parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.file == str(p) and q.reason for q in exc.problems)
    else:
        assert all(o.region_code in cat.regions for o in parsed.observations)


@pytest.fixture(scope="module")
def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    write_rows(wb.active, [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"],
                           ["太原市", "2021", "地区生产总值", "5,121.61", "亿元"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_damaged_xlsx_is_read_or_refused_with_reasons(tmp_path_factory, cat, xlsx_bytes, data):
    b = bytearray(xlsx_bytes)
    for _ in range(data.draw(st.integers(1, 8), label="flips")):
        i = data.draw(st.integers(0, len(b) - 1), label="at")
        b[i] = data.draw(st.integers(0, 255), label="byte")
    cut = data.draw(st.integers(len(b) // 2, len(b)), label="cut")
    p = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    p.write_bytes(bytes(b[:cut]))
    try:
        parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.reason for q in exc.problems)


def test_merged_ranges_huge_or_too_many(tmp_path, cat, monkeypatch):
    p = workbook(tmp_path, "m.xlsx", {"s": [["地区", "年份", "地区生产总值(亿元)"],
                                            ["太原市", 2021, 5121.61], [None, 2022, 5571.17]]})
    patch_sheet_xml(p, lambda x: x.replace(
        "</sheetData>", '</sheetData><mergeCells count="2"><mergeCell ref="A2:A3"/>'
                        '<mergeCell ref="B1:XFD1048576"/></mergeCells>'))
    assert values(parse_file(p, cat)) == {("140100", "2021", "gdp"): 5121.61,
                                          ("140100", "2022", "gdp"): 5571.17}
    monkeypatch.setattr(tables, "MAX_MERGED_CELLS", 1)
    assert "merges more than 1 cells" in refused(p, cat)[0].reason


_XML_EDITS = st.sampled_from([
    ("<row r=\"2\"", "<row r=\"2\" hidden=\"1\""), ("<row r=\"3\"", "<row r=\"0\""),
    ("</sheetData>", "</sheetData><mergeCells><mergeCell ref=\"A1:E9\"/></mergeCells>"),
    ("</sheetData>", "<row r=\"9\"><c r=\"D9\"><f>1+</f></c></row></sheetData>"),
    ("</sheetData>", "<row r=\"9\"><c r=\"D9\" t=\"e\"><v>#REF!</v></c></row></sheetData>"),
    ("</sheetData>", "<row r=\"8\"><c r=\"A1048577\"><v>1</v></c></row></sheetData>"),
    ("<c r=\"D2\"", "<c r=\"D2\" t=\"s\""), ("<is><t>", "<is><t>\u200b"), ("<sheetData>", ""),
    ("</worksheet>", ""), ("<c r=\"A2\"", "<c r=\"AAAA2\""), ("t=\"inlineStr\"", "t=\"d\""),
])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_XML_EDITS, min_size=1, max_size=4))
def test_any_odd_sheet_xml_is_read_or_refused_with_reasons(tmp_path_factory, cat, xlsx_bytes,
                                                           edits):
    p = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    p.write_bytes(xlsx_bytes)

    def edit(xml: str) -> str:
        for old, new in edits:
            xml = xml.replace(old, new, 1)
        return xml

    patch_sheet_xml(p, edit)
    try:
        parse_file(p, cat)
    except ImportRefused as exc:
        assert exc.problems and all(q.reason for q in exc.problems)


def test_hostile_files_change_nothing_in_the_database(ref_db, tmp_path):
    """The refusals above happen before any write; through the service, on each backend, the
    database stays exactly as it was."""
    services.import_file(ref_db, write(tmp_path, "good.csv", HEADER + _rows([2021], 5121.61)),
                         today=TODAY)
    before = snapshot(ref_db)
    two = workbook(tmp_path, "two.xlsx", {"a": [LONG, ["140100", 2022, "gdp", 1, "亿元"]],
                                          "b": [LONG, ["140100", 2022, "gdp", 2, "亿元"]]})
    uncached = workbook(tmp_path, "f.xlsx", {"s": [LONG, ["140100", 2022, "gdp", "=1+1", "亿元"]]})
    ole = tmp_path / "enc.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    files = [two, uncached, ole,
             write(tmp_path, "approx.csv", HEADER + _rows([2022], 1) + "140100,2020,gdp,约5500,亿元,,,\n"),
             write(tmp_path, "pct.csv", HEADER + "140100,2022,gdp,3.3%,,,,\n"),
             write(tmp_path, "quote.csv", HEADER + '140100,2022,gdp,1,亿元,,,"open\n'),
             write(tmp_path, "ragged.csv", HEADER + _rows([2022], 1) + "140100,2020,gdp,1,亿元,,,,x\n"),
             write(tmp_path, "joined.csv", HEADER + _rows([2022], 1) + HEADER + _rows([2020], 1))]
    for f in files:
        with pytest.raises(ImportRefused):
            services.import_file(ref_db, f, today=TODAY)
    assert snapshot(ref_db) == before


def test_task_table_and_review_sheet_keep_hostile_text_as_text(tmp_path):
    from lantu.ingest.extract import ExtractedRow
    from lantu.ingest.extract_io import write_review_xlsx
    from lantu.reports.tasks import build_task_workbook

    row = {"no": 1, "title": "=HYPERLINK(\"http://x\")", "text": "+cmd", "lead": "@SUM(1)",
           "supporting": "-1+2", "due": None, "progress": "=1+1", "status": "推进中", "depth": 0}
    ws = build_task_workbook({"plan": {"title": "=plan"}, "rows": [row]}).active
    cells = [ws.cell(3, j) for j in range(2, 8)] + [ws["A1"]]
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]
    path = write_review_xlsx([ExtractedRow("140100", 2022, "gdp", "observed", 1.0, None, "",
                                           "亿元", "=cmd|' /C calc'!A0", 0, 5)],
                             tmp_path / "r.xlsx", source_url="=evil", source_path="x.txt",
                             region_code="140100", year=2022)
    assert b"<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(2, 9).value == "=cmd|' /C calc'!A0" and ws.cell(2, 9).data_type == "s"


def test_percent_formatted_cells_are_read_as_shown(tmp_path, cat):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(LONG)
    ws.append(["140900", 2022, "good_air_days_ratio", 0.814, ""])
    ws.append(["140100", 2022, "gdp_growth", 0.033, "%"])
    ws.append(["140100", 2021, "gdp", 0.5, "亿元"])
    for r in (2, 3, 4):
        ws.cell(r, 4).number_format = "0.0%"
    p = tmp_path / "pct.xlsx"
    wb.save(p)
    (problem,) = refused(p, cat)
    assert problem.row == 4 and problem.value == "50.0%"
    assert problem.reason == "the value says '%' but the unit given is '亿元'"
    ws.delete_rows(4)
    wb.save(p)
    assert values(parse_file(p, cat)) == {("140900", "2022", "good_air_days_ratio"): 81.4,
                                          ("140100", "2022", "gdp_growth"): 3.3}


def test_a_device_named_csv_is_not_read(tmp_path, cat):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    (problem,) = refused(link, cat)
    assert "not a regular file" in problem.reason
