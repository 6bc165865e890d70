"""The eighth round (files and CLI, probe12): a footnote marker or list number glued to a figure
(``5571.17¹``, ``5571.17①``, ``⑤``, a year column ``2022¹``) was made a digit by NFKC and read
as another figure (5571.171, 5, a column skipped). Now every reader of a number, a period and a
year refuses it, naming the mark (``lantu.domain.digits.marker_problem``), through both lanes of
the import, a workbook, a target, the typed number of a form and the command line, with nothing
written on SQLite and PostgreSQL. Each test failed on the code before."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hostile import HEADER, TODAY, refused, snapshot, workbook, write
from lantu import services
from lantu.cli import app
from lantu.domain.errors import ValidationError
from lantu.domain.indicators import read_typed_number
from lantu.domain.periods import Period, read_year
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.services import read_checked

LONG = "region_code,period,indicator,value,unit\n"
runner = CliRunner()


def _read(path, cat):
    """What the import reads, by whichever lane takes the file."""
    fast = read_checked(path, cat)
    if fast is None:
        return {o.key: o.value for o in parse_file(path, cat).observations}
    return {(r.region_code, r.period, r.indicator_code): r.value for r in fast.frame.itertuples()}


@pytest.mark.parametrize(("cell", "char"), [
    ("5571.17¹", "¹"), ("5571.17①", "①"), ("5571.17²", "²"), ("⑤", "⑤"), ("¹5571.17", "¹"),
    ("5571.17₁", "₁"), ("5571.17⒈", "⒈"), ("5571.17⑴", "⑴"), ("5571.17𝟏", "𝟏"),
    ("5571.17¹亿元", "¹"),
])
def test_a_marker_glued_to_a_figure_is_refused_naming_it(tmp_path, cat, cell, char):
    path = write(tmp_path, "m.csv", LONG + f"140100,2022,gdp,{cell},亿元\n")
    with pytest.raises(ImportRefused) as info:
        _read(path, cat)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "value", cell)
    assert f"{char!r} is not a digit of the number but a marker" in problem.reason


def test_a_percent_with_a_marker_after_it_is_refused(tmp_path, cat):
    (problem,) = refused(write(tmp_path, "p.csv", LONG + "140100,2022,urbanization_rate,65.2%¹,\n"),
                         cat)
    assert problem.column == "value" and "'¹' is not a digit" in problem.reason


def test_full_width_digits_and_a_units_power_still_read():
    from lantu.domain.digits import marker_problem

    assert marker_problem("５５７１．１７") is None and marker_problem("120万m²") is None
    assert marker_problem("μg/m³") is None and marker_problem("1,234") is None


def test_full_width_figures_still_import(tmp_path, cat):
    path = write(tmp_path, "f.csv", LONG + "140100,２０２２年,urbanization_rate,６５．２％,\n")
    assert _read(path, cat) == {("140100", "2022", "urbanization_rate"): 65.2}


def test_a_workbooks_text_cell_with_a_marker_is_refused(tmp_path, cat):
    path = workbook(tmp_path, "w.xlsx", {"s": [["region_code", "period", "indicator", "value"],
                                               ["140100", "2022", "gdp", "5571.17①"]]})
    (problem,) = refused(path, cat)
    assert (problem.row, problem.column) == (2, "value") and "'①'" in problem.reason


@pytest.mark.parametrize("period", ["2022¹", "202²", "2⁰²²"])
def test_a_period_with_a_marker_is_refused_naming_it(tmp_path, cat, period):
    (problem,) = refused(write(tmp_path, "p.csv", LONG + f"140100,{period},gdp,1,亿元\n"), cat)
    assert (problem.row, problem.column, problem.value) == (2, "period", period)
    assert "is not a digit of the period but a marker" in problem.reason


def test_a_year_column_with_a_footnote_is_refused_not_skipped(tmp_path, cat):
    # was a table by year of 2021 alone: the column "2022¹" (NFKC 20221) skipped without a word
    path = write(tmp_path, "y.csv", "region,indicator,2021,2022¹\n140100,gdp,5121.61,5571.17\n")
    (problem,) = refused(path, cat)
    assert (problem.row, problem.column) == (1, "2022¹")
    assert "'¹' is not a digit of the year" in problem.reason


def test_a_target_range_with_a_marker_is_refused(tmp_path, cat):
    # NFKC made 8-8.5¹ the range 8–8.51
    path = write(tmp_path, "t.csv", "region,indicator,target_period,kind,value\n"
                                    "140100,gdp_growth,2025,level,8-8.5¹\n")
    (problem,) = refused(path, cat)
    assert problem.column == "value" and "'¹' is not a digit" in problem.reason


def test_the_typed_readers_refuse_markers():
    for reader, text in [(read_typed_number, "5¹"), (read_typed_number, "⑤"),
                         (read_year, "202³"), (read_year, "²⁰²³")]:
        with pytest.raises(ValueError, match="not a digit of the"):
            reader(text)
    with pytest.raises(ValidationError, match="not a digit of the period"):
        Period.parse("202²")
    assert read_typed_number("１２.５") == 12.5 and Period.parse("２０２２年") == Period(2022)


def test_a_refused_marker_writes_nothing_and_the_command_says_where(ref_db, tmp_path):
    good = write(tmp_path, "good.csv", HEADER + "140100,2017,gdp,2000,亿元,,,\n")
    bad = write(tmp_path, "bad.csv", HEADER + "140100,2016,gdp,1000,亿元,,,\n"
                                              "140100,2015,gdp,5571.17¹,亿元,,,\n")
    services.import_file(ref_db, good, today=TODAY)
    before = snapshot(ref_db)
    with pytest.raises(ImportRefused):
        services.import_file(ref_db, bad, today=TODAY)
    assert snapshot(ref_db) == before
    url = ref_db.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["import", str(bad), "--db", url])
    assert result.exit_code != 0 and snapshot(ref_db) == before
    assert "row 3, column 'value'" in result.output and "'¹'" in result.output


# -- a semicolon-separated file: European Excel writes decimal commas -----------------------------


def test_a_comma_before_three_digits_in_a_semicolon_file_is_refused(tmp_path, cat):
    # was read as 5571 (and 4000 亿元); the locale that writes semicolons reads 5.571
    path = write(tmp_path, "eu.csv", "region_code;period;indicator;value;unit\n"
                                     "140100;2022;gdp;5,571;亿元\n140100;2020;gdp;4,000亿元;\n"
                                     "140100;2021;gdp;1,234,567;万元\n")
    problems = refused(path, cat)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "value", "5,571"), (3, "value", "4,000亿元")]
    assert "5,571 may be 5571 or 5.571" in problems[0].reason


def test_a_thousands_comma_stays_read_where_it_cannot_be_a_decimal_one(tmp_path, cat):
    comma = write(tmp_path, "c.csv", LONG + '140100,2022,gdp,"5,571",亿元\n')
    tab = write(tmp_path, "t.csv", "region_code\tperiod\tindicator\tvalue\tunit\n"
                                   "140100\t2022\tgdp\t5,571.17\t亿元\n")
    semi = write(tmp_path, "s.csv", "region_code;period;indicator;value;unit\n"
                                    "140100;2022;gdp;5,571.17;亿元\n")
    assert _read(comma, cat) == {("140100", "2022", "gdp"): 5571.0}
    assert _read(tab, cat) == _read(semi, cat) == {("140100", "2022", "gdp"): 5571.17}
