"""What a tired analyst or a hostile user feeds the importer — exports that cannot carry formulas, broken quoting, huge cells, and database refusals that are not collisions.
Each file either imports correctly or is refused with its file, row, column and reason, and
nothing is half-written (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from hostile import HEADER, LONG, TODAY, _rows, refused, snapshot, write
from lantu import services
from lantu.ingest import tables
from lantu.store import repo
from lantu.tabular import write_rows, xlsx_frame

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
