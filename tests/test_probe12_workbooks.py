"""The eighth round (files and CLI, probe12): workbooks. A number format that writes its percent
sign as text (``0.0"%"``, ``0.0\\%``: WPS and Excel users type it so) showed 5.2 as 5.2% while
Lantu read 520 % — a growth rate imported a hundredfold; a ``‰`` written by the format was read as
a percent; a formula linked to another workbook (``[1]Sheet1!B2``) or a DDE call imported the
copy saved with the file; ``--sheet`` naming a chart sheet was "corrupt: AttributeError". Each
test failed on the code before (helpers: tests/hostile.py)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from typer.testing import CliRunner

from hostile import TODAY, patch_sheet_xml, refused, snapshot, values, workbook
from lantu import services
from lantu.cli import app
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.store.active import active_problem

runner = CliRunner()
HEAD = ["region_code", "period", "indicator", "value"]


def _formatted(tmp_path, rows, fmt):
    path = workbook(tmp_path, "f.xlsx", {"数据": [HEAD, *rows]})
    wb = openpyxl.load_workbook(path)
    for r in range(2, len(rows) + 2):
        wb.active.cell(r, 4).number_format = fmt
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ['0.0"%"', "0.0\\%", '#,##0.00"%"', '0.0"%";-0.0"%"'])
def test_a_percent_written_by_the_format_as_text_is_read_as_shown(tmp_path, cat, fmt):
    path = _formatted(tmp_path, [["140100", "2022", "gdp_growth", 5.2],
                                 ["140100", "2021", "urbanization_rate", 65.2]], fmt)
    assert values(parse_file(path, cat)) == {("140100", "2022", "gdp_growth"): 5.2,
                                             ("140100", "2021", "urbanization_rate"): 65.2}


@pytest.mark.parametrize("fmt", ["0.0%", "0.00%;[Red]-0.00%"])
def test_a_real_percent_format_still_scales(tmp_path, cat, fmt):
    path = _formatted(tmp_path, [["140100", "2021", "urbanization_rate", 0.652]], fmt)
    assert values(parse_file(path, cat)) == {("140100", "2021", "urbanization_rate"): 65.2}


def test_a_per_mille_written_by_the_format_is_not_a_percent(tmp_path, cat):
    path = _formatted(tmp_path, [["140100", "2022", "gdp_growth", 5.2]], '0.0"‰"')
    (problem,) = refused(path, cat)
    assert (problem.row, problem.column, problem.value) == (2, "value", "5.2‰")
    assert "unit '‰' does not match" in problem.reason


def _with_formula(tmp_path, formula: str):
    path = workbook(tmp_path, "l.xlsx", {"数据": [HEAD, ["140100", "2022", "gdp", 5571.17]]})
    patch_sheet_xml(path, lambda s: re.sub(r'(<c r="D2"[^>]*)>(<v>)',
                                           lambda m: f"{m.group(1)}><f>{formula}</f>{m.group(2)}", s))
    return path


@pytest.mark.parametrize("formula", ["[1]Sheet1!B2", "'C:\\x\\[gdp.xlsx]S'!A1",
                                     "cmd|'/c calc'!A0", "SUM([2]S!A1:A3)"])
def test_a_figure_linked_to_another_workbook_or_program_is_refused(tmp_path, cat, formula):
    (problem,) = refused(_with_formula(tmp_path, formula.replace("&", "&amp;")), cat)
    assert (problem.row, problem.column) == (2, "D")
    assert problem.value == f"={formula}"
    assert "a link to another workbook or program" in problem.reason


@pytest.mark.parametrize("formula", ["B1*2", 'IF(A2="[1]",1,2)', 'T("a|b")', "Table1[[#This Row],[x]]"])
def test_a_formula_of_the_sheet_itself_is_read_as_saved(tmp_path, cat, formula):
    assert values(parse_file(_with_formula(tmp_path, formula.replace('"', "&quot;")), cat)) == {
        ("140100", "2022", "gdp"): 5571.17}


def test_evidence_keeps_the_one_formula_rule(tmp_path):
    path = _with_formula(tmp_path, "cmd|'/c calc'!A0")
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "calls another program" in active_problem(path.read_bytes(), ct)
    assert active_problem(_with_formula(tmp_path, "[1]Sheet1!B2").read_bytes(), ct) is None


def _with_chart(tmp_path):
    path = workbook(tmp_path, "c.xlsx", {"数据": [HEAD, ["140100", "2022", "gdp", 5571.17]]})
    wb = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb["数据"], min_col=4, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("图表").add_chart(chart)
    wb.save(path)
    return path


def test_a_chart_sheet_is_named_as_a_chart(tmp_path, cat):
    path = _with_chart(tmp_path)
    assert values(parse_file(path, cat)) == {("140100", "2022", "gdp"): 5571.17}  # held
    (problem,) = refused(path, cat, sheet="图表")
    assert "the sheet '图表' is a chart, not a table; the tables are ['数据']" in problem.reason


def test_a_linked_figure_writes_nothing_and_the_command_names_the_cell(ref_db, tmp_path):
    before = snapshot(ref_db)
    path = _with_formula(tmp_path, "[1]Sheet1!B2")
    with pytest.raises(ImportRefused):
        services.import_file(ref_db, path, today=TODAY)
    url = ref_db.engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["import", str(path), "--db", url])
    assert result.exit_code != 0 and "row 2, column 'D'" in result.output
    assert snapshot(ref_db) == before


def test_a_literal_percent_imports_as_shown_on_the_database(ref_db, tmp_path):
    path = _formatted(tmp_path, [["140100", "2022", "gdp_growth", 5.2]], '0.0"%"')
    services.import_file(ref_db, path, today=TODAY)
    with ref_db.engine.connect() as c:
        from sqlalchemy import text

        assert c.execute(text("select value from observation")).scalars().all() == [5.2]


def test_every_cell_of_a_shared_linked_formula_is_refused(tmp_path, cat):
    # a filled-down formula is stored once; its other cells hold only its index
    path = workbook(tmp_path, "s.xlsx", {"数据": [HEAD, ["140100", "2022", "gdp", 5571.17],
                                                 ["140100", "2021", "gdp", 5121.61]]})

    def shared(s: str) -> str:
        s = re.sub(r'(<c r="D2"[^>]*)>(<v>)',
                   r'\1><f t="shared" ref="D2:D3" si="0">[1]Sheet1!B2</f>\2', s)
        return re.sub(r'(<c r="D3"[^>]*)>(<v>)', r'\1><f t="shared" si="0"/>\2', s)

    patch_sheet_xml(path, shared)
    assert [(p.row, p.column) for p in refused(path, cat)] == [(2, "D"), (3, "D")]


def test_a_figure_linked_through_a_defined_name_is_refused(tmp_path, cat):
    path = _with_formula(tmp_path, "GDPX")
    src, buf = zipfile.ZipFile(path), io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"</workbook>", b'<definedNames><definedName name="GDPX">'
                                    b"[1]Sheet1!$B$2</definedName></definedNames></workbook>")
            out.writestr(info, data)
    path.write_bytes(buf.getvalue())
    (problem,) = refused(path, cat)
    assert (problem.row, problem.column, problem.value) == (2, "D", "=GDPX")
