"""What the seventh round (files) noticed and left, closed: a cell ``="140100"`` (Excel's and
statistics systems' way of keeping a code as text), a table of a header alone, an unquoted
``5,571.17`` split by the comma, and a CSV period ``2023.1`` a spreadsheet may have made of
October. Each read as a statistics bureau's analyst expects, or refused naming file, row,
column and reason with nothing written — through the row reader and the fast lane, the
command (``lantu import``, SQLite and PostgreSQL) and the web import page. Each test failed on
the code before (helpers: tests/hostile.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hostile import LONG, TODAY, refused, snapshot, workbook, write
from lantu import services
from lantu.cli import app
from lantu.ingest.bulk import read_plain
from lantu.ingest.tables import ImportRefused
from lantu.services import read_checked
from lantu.tabular import csv_frame, escape_text

H = ",".join(LONG) + "\n"
FULL = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
runner = CliRunner()


def _both_lanes(path, cat):
    """What the import reads: the fast lane's frame, else the row reader's observations."""
    from lantu.ingest.tables import parse_file

    fast = read_checked(path, cat)
    if fast is None:
        return {o.key: o.value for o in parse_file(path, cat).observations}
    return {(r.region_code, r.period, r.indicator_code): r.value for r in fast.frame.itertuples()}


def _refused_anyhow(path, cat):
    """The problems of a refused file, by whichever reader the import uses for it."""
    with pytest.raises(ImportRefused) as info:
        _both_lanes(path, cat)
    assert str(path) in str(info.value)
    return info.value.problems


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


# -- ="140100": a cell as the spreadsheet shows it ------------------------------------------------


def test_a_cell_written_as_a_string_formula_is_read_as_its_text(tmp_path, cat):
    # Excel's and statistics systems' way of keeping leading zeros: was "unknown region"
    text = H + '="140100",="2022",="gdp",="5571.17",="亿元"\n' + '"=""140200""",2022,gdp,1000,亿元\n'
    assert _both_lanes(write(tmp_path, "f.csv", text), cat) == {
        ("140100", "2022", "gdp"): 5571.17, ("140200", "2022", "gdp"): 1000.0}


def test_a_header_written_as_string_formulas_is_recognised(tmp_path, cat):
    text = '="region_code",="period",="indicator",="value"\n="140100",2022,gdp,5571.17\n'
    assert _both_lanes(write(tmp_path, "h.csv", text), cat) == {("140100", "2022", "gdp"): 5571.17}


@pytest.mark.parametrize("cell", ["=1+1", '="1"&"2"', "=140100", '=T("140100")'])
def test_any_other_formula_stays_text_and_is_never_evaluated(tmp_path, cat, cell):
    (problem,) = refused(write(tmp_path, "x.csv", H + f"{cell},2022,gdp,5571.17,亿元\n"), cat)
    assert (problem.row, problem.column, problem.value) == (2, "region_code", cell)
    assert "unknown region" in problem.reason


def test_a_string_formula_in_an_excerpt_keeps_what_it_shows_and_exports_escaped(ref_db, tmp_path):
    text = FULL + ('140100,2022,gdp,5571.17,亿元,,,"=""=HYPERLINK(""""http://x"""")"""\n'
                   "140100,2021,gdp,5121.61,亿元,,,=\"'=1+1\"\n")
    services.import_file(ref_db, write(tmp_path, "e.csv", text), today=TODAY)
    frame = _stored(ref_db)
    shown = dict(zip(frame["period"], frame["excerpt"]))
    # the formula's text, not its result and not Lantu's apostrophe convention read twice
    assert shown == {"2022": '=HYPERLINK("http://x")', "2021": "'=1+1"}
    exported = csv_frame(frame[["period", "excerpt"]])
    assert "'=HYPERLINK" in exported  # escaped on the way out: a spreadsheet runs nothing
    # and an export of it imports back unchanged (the escape is undone, the text stays)
    back = FULL + "".join(f"140100,{p},gdp,{v},亿元,,,{_quoted(escape_text(e))}\n"
                          for p, v, e in zip(frame["period"], frame["value"], frame["excerpt"]))
    res = services.import_file(ref_db, write(tmp_path, "back.csv", back), today=TODAY)
    assert not res.observations.inserted and not res.observations.revised


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _stored(db):
    from lantu.store import repo

    with db.session() as s:
        return repo.observations_frame(s).sort_values("period").reset_index(drop=True)


def test_formula_text_reads_one_string_literal_only():
    from lantu.tabular import formula_text

    assert formula_text('="0140"') == "0140"
    assert formula_text('="a""b"') == 'a"b'
    assert formula_text("'=\"x\"") == "'=\"x\""  # Lantu's own escape comes first
    assert formula_text('="x" ') == '="x" '  # the reader strips the cell before it asks


# -- a header alone: refused, nothing written -----------------------------------------------------


@pytest.mark.parametrize("text", [H, H + "\n\n", H + ",,,,\n\n", "表1 主要经济指标\n" + H,
                                  H + "注：数据来源于统计公报\n",
                                  "地区,指标,单位,2021,2022\n", "region_code,year,kind,text\n"])
def test_a_table_of_a_header_alone_is_refused(tmp_path, cat, text):
    p = write(tmp_path, "h.csv", text)
    (problem,) = _refused_anyhow(p, cat)
    assert problem.reason == "the file holds no rows of data below its header"
    assert problem.row == (2 if text.startswith("表") else 1)


def test_a_sheet_of_a_header_alone_is_refused(tmp_path, cat):
    (problem,) = refused(workbook(tmp_path, "h.xlsx", {"数据": [LONG]}), cat)
    assert problem.reason == "the sheet '数据' holds no rows of data below its header"
    assert problem.row == 1


def test_a_header_alone_through_the_command_writes_nothing_and_fails(ref_db, tmp_path):
    before = snapshot(ref_db)
    for name, path in [("h.csv", write(tmp_path, "h.csv", H)),
                       ("h.xlsx", workbook(tmp_path, "h.xlsx", {"S": [LONG]}))]:
        res = runner.invoke(app, ["import", str(path), "--db", _url(ref_db)])
        assert res.exit_code != 0, res.output
        assert name in res.output and "holds no rows of data below its header" in res.output
    assert snapshot(ref_db) == before


def test_a_header_alone_on_the_web_import_page_is_refused(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    r = post(client, "/import", {}, files={"file": ("只有表头.csv", H.encode(), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422
    assert "只有表头.csv" in r.text and "表头以下没有数据行" in r.text  # the page speaks Chinese
    staged = client.app.state.settings.home / "imports"
    assert not staged.exists() or not any(staged.iterdir())


def test_a_header_that_is_no_header_is_still_named_as_such(tmp_path, cat):
    (problem,) = refused(write(tmp_path, "w.csv", "地区名,时间点,数量\n"), cat)
    assert "header not recognised" in problem.reason


# -- an unquoted 5,571.17 -------------------------------------------------------------------------


def test_a_number_split_by_the_comma_in_a_row_too_long_is_named(tmp_path, cat):
    # was: "row has 6 cells but the header has 5 (a delimiter inside a value …?)"
    (problem,) = refused(write(tmp_path, "s.csv", H + "140100,2022,gdp,5,571.17,亿元\n"), cat)
    assert (problem.row, problem.column, problem.value) == (2, "value", "5,571.17")
    assert "'5' and '571.17' look like one number, 5,571.17, split by the comma" in problem.reason
    assert 'quote the cell ("5,571.17")' in problem.reason and "(5571.17)" in problem.reason


def test_a_number_split_into_the_unit_column_is_named_by_both_readers(tmp_path, cat):
    # was: "unit '571.17' does not match gdp's unit '亿元' and cannot be converted exactly"
    for name, text in [("short.csv", FULL + "140100,2022,gdp,5,571.17,亿元\n"),
                       ("plain.csv", "region_code,period,indicator,value,unit,flags\n"
                                     "140100,2021,gdp,5121.61,亿元,\n"
                                     "140100,2022,gdp,5,571.17,亿元\n")]:
        p = write(tmp_path, name, text)
        assert (read_plain(p) is None) == (name == "short.csv")  # the fast lane too
        (problem,) = _refused_anyhow(p, cat)
        assert (problem.column, problem.value) == ("value", "5,571.17")
        assert "look like one number" in problem.reason and "columns 'value' and 'unit'" in problem.reason


def test_numbers_split_in_a_wide_row_are_each_named_by_their_column(tmp_path, cat):
    text = "地区,年份,地区生产总值,常住人口,一般公共预算收入\n太原市,2022,5,571.17,543.5,1,001.6\n"
    problems = refused(write(tmp_path, "w.csv", text), cat)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "地区生产总值", "5,571.17"), (2, "一般公共预算收入", "1,001.6")]


@pytest.mark.parametrize("text", [H + "140100,2022,gdp,5571.17,亿元,extra\n",
                                  H + "140100,2022,gdp,5,57,亿元\n",
                                  H.replace(",", "\t") + "140100\t2022\tgdp\t5\t571.17\t亿元\n"])
def test_a_ragged_row_that_is_no_split_number_keeps_its_reason(tmp_path, cat, text):
    (problem,) = refused(write(tmp_path, "r.csv", text), cat)
    assert "a delimiter inside a value that is not quoted?" in problem.reason


def test_a_quoted_thousands_number_is_still_read(tmp_path, cat):
    assert _both_lanes(write(tmp_path, "q.csv", H + '140100,2022,gdp,"5,571.17",亿元\n'), cat) == {
        ("140100", "2022", "gdp"): 5571.17}


SPLIT = H + "140100,2022,gdp,5,571.17,亿元\n"


def test_a_split_number_through_the_command_writes_nothing(ref_db, tmp_path):
    before = snapshot(ref_db)
    res = runner.invoke(app, ["import", str(write(tmp_path, "s.csv", SPLIT)), "--db", _url(ref_db)])
    assert res.exit_code != 0 and "look like one number, 5,571.17" in res.output
    assert snapshot(ref_db) == before


def test_a_split_number_on_the_web_import_page(client, web_db):
    from webutil import login, post

    text = SPLIT
    login(client, "analyst")
    r = post(client, "/import", {}, files={"file": ("s.csv", text.encode(), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422 and "看似同一个数 5,571.17" in r.text  # the page speaks Chinese


# -- 2023.1 in a CSV ------------------------------------------------------------------------------


def _months(rows):
    return H + "".join(f"140100,{p},gdp,{v},亿元\n" for p, v in rows)


def test_a_month_column_a_spreadsheet_wrote_refuses_the_one_that_may_be_october(tmp_path, cat):
    # typed 2023.1 … 2023.12 in Excel, saved as CSV: October comes out as 2023.1 (was January,
    # and two such rows either a "conflicting duplicate" or one silently dropped)
    rows = [(f"2023.{m}" if m != 10 else "2023.1", 100 + m) for m in (1, 2, 3, 10, 11, 12)]
    p = write(tmp_path, "m.csv", _months(rows))
    assert read_plain(p) is not None  # the fast lane reads this file
    problems = _refused_anyhow(p, cat)
    assert [(q.row, q.column, q.value) for q in problems if "October" in q.reason] == [
        (2, "period", "2023.1"), (5, "period", "2023.1")]
    assert "may be October" in problems[0].reason and "2023-01 or 2023-10" in problems[0].reason
    quoted = write(tmp_path, "q.csv", _months(rows).replace("gdp", '"gdp"'))  # the row reader
    assert read_checked(quoted, cat) is None
    assert [q.row for q in _refused_anyhow(quoted, cat) if "October" in q.reason] == [2, 5]


@pytest.mark.parametrize("rows", [[("2023.1", 1), ("2023.2", 2)],
                                  [("2023.1", 1), ("2023.10", 10), ("2023.11", 11)],
                                  [("2023.1", 1), ("2023-11", 11)]])
def test_a_typed_2023_1_is_january(tmp_path, cat, rows):
    got = _both_lanes(write(tmp_path, "j.csv", _months(rows)), cat)
    assert got[("140100", "2023-01", "gdp")] == 1.0


def test_a_month_that_may_be_october_through_the_command(ref_db, tmp_path):
    before = snapshot(ref_db)
    p = write(tmp_path, "m.csv", _months([("2023.1", 1), ("2023.12", 12)]))
    res = runner.invoke(app, ["import", str(p), "--db", _url(ref_db)])
    assert res.exit_code != 0 and "row 2, column 'period': a period that may be October" in res.output
    assert snapshot(ref_db) == before


# the 2023.1 rules (october_lost) moved to their own stage, lantu.ingest.tables_months (left10files)
@pytest.mark.parametrize("name", ["lantu.tabular", "lantu.ingest.tables_months",
                                  "lantu.ingest.tables_values"])
def test_the_examples_of_the_rules_hold(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
