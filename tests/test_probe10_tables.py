"""The seventh round (files): tables a tired analyst or a hostile user brings to ``lantu import``
and the web import page, read right or refused naming file, row, column and reason — digits of
other scripts, period columns the wide-by-year layout does not read, a sheet of empty rows, a
binary workbook renamed, a month typed as a number, a number too small to store. Each test
failed on the code before (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import pytest

from hostile import LONG, TODAY, refused, snapshot, values, workbook, write
from lantu import services
from lantu.domain import Period, ValidationError
from lantu.ingest.tables import ImportRefused, parse_quantity

H = ",".join(LONG) + "\n"

# -- digits of other scripts ----------------------------------------------------------------------


@pytest.mark.parametrize("cell, digit", [("৪৪", "৪"), ("৪৪.5", "৪"), ("५४३", "५"), ("٥٤٣", "٥"),
                                         ("5৪3", "৪"), (""'"1,2৪4"'"", "৪")])
def test_a_value_in_digits_of_another_script_is_refused(tmp_path, cat, cell, digit):
    # Bengali ৪ is 4 and looks like 8: the file shows 88, Lantu stored 44
    p = write(tmp_path, "d.csv", H + f"140100,2022,population,{cell},万人\n")
    (problem,) = refused(p, cat)
    assert (problem.row, problem.column) == (2, "value")
    assert f"a digit of another script ({digit!r}" in problem.reason


def test_full_width_digits_are_still_read(tmp_path, cat):
    p = write(tmp_path, "f.csv", H + "140100,２０２２,population,５４３．５,万人\n"
                                     "140100,２０２１Ｑ４,gdp,１２３４,亿元\n")
    assert values(services_parse(p, cat)) == {("140100", "2022", "population"): 543.5,
                                             ("140100", "2021Q4", "gdp"): 1234.0}


def services_parse(path, cat):
    from lantu.ingest.tables import parse_file
    from lantu.services import read_checked

    fast = read_checked(path, cat)
    if fast is None:
        return parse_file(path, cat)
    return _FromFrame(fast.frame)


class _FromFrame:
    def __init__(self, frame):
        from lantu.domain import Observation

        self.observations = [Observation(r.region_code, r.period, r.indicator_code, r.value)
                             for r in frame.itertuples()]


@pytest.mark.parametrize("text", ["٢٠٢٢", "২০২২", "२०२२Q1", "2022-০৩"])
def test_a_period_in_digits_of_another_script_is_refused(tmp_path, cat, text):
    with pytest.raises(ValidationError):
        Period.parse(text)
    (problem,) = refused(write(tmp_path, "p.csv", H + f"140100,{text},population,543,万人\n"), cat)
    assert (problem.row, problem.column) == (2, "period")
    # named like a value's digit, the period's own way: which digit, and what it stands for
    assert problem.reason.startswith("a digit of another script (")
    assert problem.reason.endswith("write the period with the digits 0-9")


def test_a_workbook_cell_in_digits_of_another_script_is_refused(tmp_path, cat):
    p = workbook(tmp_path, "d.xlsx", {"S": [LONG, ["140100", 2022, "population", "৪৪", "万人"]]})
    (problem,) = refused(p, cat)
    assert (problem.row, problem.column) == (2, "value")


def test_a_target_range_in_digits_of_another_script_is_refused(tmp_path, cat):
    text = ("region_code,indicator,target_period,kind,value,unit\n"
            "140100,gdp_growth,2025,annual_growth,৪-৫,%\n")
    (problem,) = refused(write(tmp_path, "t.csv", text), cat)
    assert (problem.row, problem.column) == (2, "value")


def test_an_import_of_digits_of_another_script_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    text = H + "140100,2021,population,543,万人\n" * 1 + "140100,2022,population,৪৪,万人\n"
    with pytest.raises(ImportRefused, match="row 3, column 'value': a digit of another script"):
        services.import_file(ref_db, write(tmp_path, "d.csv", text), today=TODAY)
    assert snapshot(ref_db) == before


def test_parse_quantity_names_the_digit():
    with pytest.raises(ValueError, match="BENGALI DIGIT FOUR"):
        parse_quantity("৪৪")


# -- a table by year: no column of values is skipped ---------------------------------------------


# 2022年度 is the year 2022 since left10files (the one period rule); a half-year is none
@pytest.mark.parametrize("header", ["2022年上半年", "2023Q1", "2022E", "2023-03", "2022（预计）"])
def test_a_column_of_values_under_a_header_that_is_not_a_year_is_refused(tmp_path, cat, header):
    # it was skipped: the file said 2021 and another figure, one was imported, the report fine
    text = f"地区,指标,单位,2021,{header}\n太原市,地区生产总值,亿元,5121.61,5571.17\n"
    (problem,) = refused(write(tmp_path, "w.csv", text), cat)
    assert (problem.row, problem.column) == (1, header)
    assert "not a year" in problem.reason
    p = workbook(tmp_path, "w.xlsx", {"S": [["地区", "指标", "单位", 2021, header],
                                            ["太原市", "地区生产总值", "亿元", 5121.61, 5571.17]]})
    (problem,) = refused(p, cat)
    assert (problem.row, problem.column) == (1, header)


def test_a_table_by_year_still_skips_an_empty_odd_column_and_reads_its_years(tmp_path, cat):
    text = "地区,指标,单位,2021,2022年,2023Q1\n太原市,地区生产总值,亿元,5121.61,5571.17,\n"
    assert values(services_parse(write(tmp_path, "w.csv", text), cat)) == {
        ("140100", "2021", "gdp"): 5121.61, ("140100", "2022", "gdp"): 5571.17}


# -- a workbook of empty rows ---------------------------------------------------------------------


def _with_rows(path, rows: str) -> None:
    from hostile import patch_sheet_xml

    patch_sheet_xml(path, lambda x: x.replace("</sheetData>", rows + "</sheetData>"))


@pytest.mark.parametrize("rows, reason", [
    ("<row/>" * 3000, "holds more than 2,000 rows"),
    ('<row r="3"/>' * 3000, "holds more than 2,000 rows"),
    # a row numbered past any sheet's last is named as written (probe20's row-number rule)
    ('<row r="3000000"><c r="A3000000"><v>1</v></c></row>', 'numbers a row r="3000000"'),
])
def test_a_sheet_of_more_rows_than_a_sheet_has_is_refused(tmp_path, cat, monkeypatch, rows,
                                                          reason):
    # 3 million <row/> without numbers in a 31 KB file took 24 s; nothing bounded them
    from lantu.ingest import tables_read

    monkeypatch.setattr(tables_read, "MAX_XLSX_ROWS", 2000)
    p = workbook(tmp_path, "e.xlsx", {"S": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]})
    _with_rows(p, rows)
    (problem,) = refused(p, cat)
    assert reason in problem.reason


def test_a_sheet_with_empty_rows_below_the_table_within_the_limit_is_read(tmp_path, cat,
                                                                           monkeypatch):
    from lantu.ingest import tables_read

    monkeypatch.setattr(tables_read, "MAX_XLSX_ROWS", 2000, raising=False)
    p = workbook(tmp_path, "e.xlsx", {"S": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]})
    _with_rows(p, "".join(f'<row r="{i}"/>' for i in range(3, 2001)))
    assert values(services_parse(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_review_sheets_on_the_command_line_meet_the_same_row_limit(tmp_path, monkeypatch):
    from lantu.ingest import tables_read
    from lantu.tabular import read_sheet

    monkeypatch.setattr(tables_read, "MAX_XLSX_ROWS", 2000)
    p = workbook(tmp_path, "r.xlsx", {"S": [["kind", "region"], ["observed", "140100"]]})
    _with_rows(p, "<row/>" * 3000)
    with pytest.raises(Exception, match="more than 2,000 rows"):
        list(read_sheet(p, "S", ["kind", "region"], ValueError))


def test_a_binary_workbook_renamed_xlsx_is_named_as_such(tmp_path, cat):
    import zipfile

    p = tmp_path / "b.xlsx"
    with zipfile.ZipFile(p, "w") as z:  # what Excel writes for .xlsb, under a .xlsx name
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/xl/workbook.bin" '
                   'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
                   '</Types>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    (problem,) = refused(p, cat)
    assert "an .xlsb workbook" in problem.reason  # was "truncated or corrupt: OSError"


def test_a_macro_enabled_workbook_renamed_xlsx_is_read_as_a_workbook(tmp_path, cat):
    import io
    import zipfile


    p = workbook(tmp_path, "m.xlsx", {"S": [LONG, ["140100", 2022, "gdp", 5571.17, "亿元"]]})
    src = zipfile.ZipFile(io.BytesIO(p.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml"
                                    b".sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            out.writestr(info.filename, data)
    p.write_bytes(buf.getvalue())
    assert values(services_parse(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_a_month_typed_as_a_number_that_may_be_october_is_refused(tmp_path, cat):
    # Excel keeps a typed 2023.10 as the number 2023.1: it was imported as January
    p = workbook(tmp_path, "m.xlsx", {"S": [LONG, ["140100", 2023.1, "gdp", 5571.17, "亿元"],
                                            ["140100", 2023.02, "gdp", 5121.61, "亿元"],
                                            ["140100", 2023.11, "gdp", 5000, "亿元"],
                                            ["140200", "2023.1", "gdp", 4000, "亿元"]]})
    (problem,) = refused(p, cat)
    assert (problem.row, problem.column, problem.value) == (2, "period", "2023.1")
    assert "October" in problem.reason
    p = workbook(tmp_path, "n.xlsx", {"S": [LONG, ["140100", 2023.02, "gdp", 5121.61, "亿元"],
                                            ["140100", 2023.11, "gdp", 5000, "亿元"],
                                            ["140100", "2023.1", "gdp", 4000, "亿元"]]})
    assert values(services_parse(p, cat)) == {  # text is read as written
        ("140100", "2023-02", "gdp"): 5121.61, ("140100", "2023-11", "gdp"): 5000.0,
        ("140100", "2023-01", "gdp"): 4000.0}


# -- the web import page answers as the command does ----------------------------------------------


def test_the_web_import_page_names_the_problem_and_stages_nothing(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    home = client.app.state.settings.home
    text = "region_code,period,indicator,value,unit\n140100,2022,population,৪৪,万人\n"
    r = post(client, "/import", {}, files={"file": ("p.csv", text.encode(), "text/csv")},
             csrf_page="/import")
    assert r.status_code in (200, 422)
    assert "含其他文字的数字" in r.text and "p.csv" in r.text
    staged = home / "imports"
    assert not staged.exists() or not any(staged.iterdir())
