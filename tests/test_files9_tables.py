"""What the seventh round left alone on the file side, closed (files9): tables.

- a January-to-October file saved from a sheet of typed months holds October as ``2023.1``
  beside January's ``2023.1``: the key given twice is named as a month that may be October
  (whether the two values differ or not), never a plain "conflicting duplicate" nor one row
  imported silently; a workbook's number ``2023.1`` formatted ``0.00`` is read as it shows,
  ``2023.10``;
- a number split by the comma in a wide table that kept the row's width (the row's empty last
  cell pushed past the header) is named by row and column, never read as two figures;
- a workbook cell storing ``1E-400`` (which openpyxl reads as 0) is refused as the same number
  in a CSV is, naming row and column.

The answers were written by hand before the code ran; each test failed on the code before
(``PYTHONPATH=/work/main/src``) unless its name ends in ``_held``. SQLite and PostgreSQL
through ``lantu import``; the web import page in Chinese. Helpers: tests/hostile.py.
"""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from hostile import LONG, patch_sheet_xml, refused, snapshot, workbook, write
from lantu.cli import app
from lantu.ingest.bulk import read_plain
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.services import read_checked

H = ",".join(LONG) + "\n"
runner = CliRunner()
#: January to October as typed in a sheet and saved: October comes out as 2023.1 again
JAN_TO_OCT = [f"2023.{m}" for m in range(1, 10)] + ["2023.1"]


def _read(path, cat):
    """What the import reads (the fast lane's frame, else the row reader's observations)."""
    fast = read_checked(path, cat)
    if fast is None:
        return {o.key: o.value for o in parse_file(path, cat).observations}
    return {(r.region_code, r.period, r.indicator_code): r.value for r in fast.frame.itertuples()}


def _problems(path, cat):
    with pytest.raises(ImportRefused) as info:
        _read(path, cat)
    return info.value.problems


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _cumulative(values, quote=False):
    ind = '"gdp"' if quote else "gdp"
    return H + "".join(f"140100,{p},{ind},{v},亿元\n" for p, v in zip(JAN_TO_OCT, values))


# -- January to October -----------------------------------------------------------------------


@pytest.mark.parametrize("october", [5500, 100], ids=["differs", "equals-january"])
@pytest.mark.parametrize("quote", [False, True], ids=["fast-lane", "row-reader"])
def test_a_january_to_october_file_names_the_october_that_collides(tmp_path, cat, october, quote):
    # hand answer: refused; row 11, column 'period', value 2023.1, "may be October"; was a
    # "conflicting duplicate" (differs) or January imported once, October lost (equals)
    values = [100 * m for m in range(1, 10)] + [october]
    p = write(tmp_path, "c.csv", _cumulative(values, quote))
    assert (read_plain(p) is None) == quote
    (problem,) = _problems(p, cat)
    assert (problem.row, problem.column, problem.value) == (11, "period", "2023.1")
    assert problem.reason.startswith("140100 gdp is given twice with the period '2023.1' (row 2 "
                                     "and this row)")
    assert "may be October" in problem.reason and "2023-01 or 2023-10" in problem.reason
    assert "conflicting duplicate" not in problem.reason


def test_a_wide_table_of_months_names_the_collision_once_per_figure(tmp_path, cat):
    text = "地区,时期,地区生产总值,常住人口\n" + "".join(
        f"太原市,{p},{100 * i},{540 + i}\n" for i, p in enumerate(JAN_TO_OCT, start=1))
    problems = refused(write(tmp_path, "w.csv", text), cat)
    assert [(q.row, q.column) for q in problems] == [(11, "时期"), (11, "时期")]
    assert all("may be October" in q.reason for q in problems)


def test_a_january_to_october_workbook_names_its_numbers_not_a_duplicate(tmp_path, cat):
    # each number 2023.1 is refused (the month rule, held); the old third problem, "conflicting
    # duplicate: 140100 2023-01 gdp …", called October January's duplicate: gone
    rows = [["region_code", "period", "indicator", "value"]] + [
        ["140100", float(p), "gdp", 100 * m] for m, p in enumerate(JAN_TO_OCT, start=1)]
    problems = refused(workbook(tmp_path, "m.xlsx", {"s": rows}), cat)
    assert [(q.row, q.column) for q in problems] == [(2, "period"), (11, "period")]
    assert all("a period written as a number" in q.reason for q in problems)


def test_a_month_number_the_sheet_shows_with_two_decimals_is_read_as_shown(tmp_path, cat):
    # 2023.1 formatted 0.00 shows (and was typed) 2023.10: October; 2023.01 is January
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["region_code", "period", "indicator", "value"])
    for value, fmt in [(2023.1, "0.00"), (2023.01, "0.00"), (2023.2, "#,##0.00")]:
        ws.append(["140100", value, "gdp", 1000 * value - 2023000])
        ws.cell(ws.max_row, 2).number_format = fmt
    wb.save(tmp_path / "f.xlsx")
    got = {k[1]: round(v) for k, v in _read(tmp_path / "f.xlsx", cat).items()}
    assert got == {"2023-10": 100, "2023-01": 10, "2023-02": 200}


@pytest.mark.parametrize("kind", ["xlsx-number", "csv-2023.10", "xlsx-text-2023.10"])
def test_an_october_alone_is_read_as_october_or_refused_never_january_held(tmp_path, cat, kind):
    head = ["region_code", "period", "indicator", "value"]
    if kind == "xlsx-number":
        (problem,) = refused(workbook(tmp_path, "o.xlsx", {"s": [head, ["140100", 2023.1, "gdp",
                                                                       5500]]}), cat)
        assert problem.row == 2 and "may be" not in problem.reason and "October" in problem.reason
        return
    p = (write(tmp_path, "o.csv", "region_code,period,indicator,value\n140100,2023.10,gdp,5500\n")
         if kind == "csv-2023.10" else
         workbook(tmp_path, "o.xlsx", {"s": [head, ["140100", "2023.10", "gdp", 5500]]}))
    assert _read(p, cat) == {("140100", "2023-10", "gdp"): 5500.0}


def test_a_january_to_october_file_through_the_command_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    p = write(tmp_path, "c.csv", _cumulative([100 * m for m in range(1, 10)] + [100]))
    res = runner.invoke(app, ["import", str(p), "--db", _url(ref_db)])
    assert res.exit_code != 0, res.output
    assert "row 11, column 'period': 140100 gdp is given twice with the period '2023.1'" in res.output
    assert snapshot(ref_db) == before


def test_a_january_to_october_file_on_the_web_import_page_in_chinese(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    text = _cumulative([100 * m for m in range(1, 11)])
    r = post(client, "/import", {}, files={"file": ("c.csv", text.encode(), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422
    assert "140100 gdp 的时期 &#39;2023.1&#39; 出现两次" in r.text or \
        "140100 gdp 的时期 '2023.1' 出现两次" in r.text


# -- a number split by the comma that kept a wide row's width -----------------------------------


@pytest.mark.parametrize("text,row,column,number", [
    # by year: 2021 was 5,571 and 2022 empty: the empty cell moved past the header
    ("region,indicator,unit,2021,2022\n太原市,gdp,亿元,5,571,\n", 2, "2021", "5,571"),
    # every line of the file ends with a comma (the header too): one cell more than its fellows
    ("region,indicator,unit,2021,2022,\n太原市,gdp,亿元,5,571,,\n太原市,population,万人,543,545,\n",
     2, "2021", "5,571"),
    # by indicator
    ("地区,年份,地区生产总值(亿元),常住人口(万人)\n太原市,2022,5,571.17,\n太原市,2021,5121,540\n",
     2, "地区生产总值(亿元)", "5,571.17"),
    # a target: 5,571 would read as the range 5–571
    ("region_code,indicator,target_period,kind,value,value_high,qualifier\n"
     "140100,gdp,2025,level,5,571,,\n", 2, "value", "5,571"),
])
def test_a_split_number_that_kept_a_wide_rows_width_is_named(tmp_path, cat, text, row, column,
                                                              number):
    (problem,) = refused(write(tmp_path, "w.csv", text), cat)
    assert (problem.row, problem.column, problem.value) == (row, column, number)
    assert "look like one number" in problem.reason and "quote the cell" in problem.reason


@pytest.mark.parametrize("text", [
    # every row ends with a comma, the header too: the file's shape, 5 and 571 two figures
    "region,indicator,unit,2021,2022,\n太原市,gdp,亿元,5,571,\n太原市,population,万人,543,545,\n",
    # every data row ends with one more comma than the header: the file's shape again
    "region,indicator,unit,2021,2022\n太原市,gdp,亿元,5,571,\n太原市,population,万人,543,545,\n",
])
def test_rows_all_ending_in_a_comma_are_the_files_shape_held(tmp_path, cat, text):
    got = parse_file(write(tmp_path, "t.csv", text), cat)
    assert {o.key: o.value for o in got.observations}[("140100", "2022", "gdp")] == 571.0


def test_a_split_in_a_wide_row_through_the_command_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    p = write(tmp_path, "w.csv", "region,indicator,unit,2021,2022\n太原市,gdp,亿元,5,571,\n")
    res = runner.invoke(app, ["import", str(p), "--db", _url(ref_db)])
    assert res.exit_code != 0 and "row 2, column '2021': '5' and '571' look like one number" in \
        res.output
    assert snapshot(ref_db) == before


# -- a workbook's number stored as 1E-400 ----------------------------------------------------


def _stored_as(tmp_path, text):
    p = workbook(tmp_path, "n.xlsx", {"s": [["region_code", "period", "indicator", "value"],
                                            ["140100", "2021", "gdp", 7777]]})
    patch_sheet_xml(p, lambda xml: xml.replace("<v>7777</v>", f"<v>{text}</v>"))
    return p


@pytest.mark.parametrize("text", ["1E-400", "-1e-400", "0." + "0" * 330 + "7"])
def test_a_workbook_number_too_small_is_refused_as_written(tmp_path, cat, text):
    (problem,) = refused(_stored_as(tmp_path, text), cat)
    assert (problem.row, problem.column) == (2, "value")
    assert problem.value.startswith(text[:40]) and "too small to store exactly" in problem.reason


@pytest.mark.parametrize("text,value", [("0.0", 0.0), ("0E-400", 0.0), ("2.5E-300", 2.5e-300)])
def test_a_workbook_zero_and_small_normal_numbers_are_read_held(tmp_path, cat, text, value):
    assert _read(_stored_as(tmp_path, text), cat) == {("140100", "2021", "gdp"): value}


def test_a_workbook_number_too_small_through_the_command_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    res = runner.invoke(app, ["import", str(_stored_as(tmp_path, "1E-400")), "--db", _url(ref_db)])
    assert res.exit_code != 0 and "row 2, column 'value': too small to store exactly" in res.output
    assert snapshot(ref_db) == before
