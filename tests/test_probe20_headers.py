"""The twelfth round (files and command line, probe20): columns the import does not know, and
worksheet rows numbered outside 1…1,048,576. The answers were written first
(benchmarks/probe20_cases.md); each test failed on the code before unless its name ends in
``_held``. SQLite and PostgreSQL where an import writes (``ref_db``).

- H1–H15: a header cell no layout reads was ignored without a word — a tired analyst's
  ``vlaue``, ``exerpt`` or ``指标代码x`` lost its column (``exerpt``: the excerpts; ``vlaue``:
  read as an indicator). One rule, ``tables_headers.unread_columns``, asked by both readers
  (``tables.parse_table`` and ``bulk.read_plain``): a slip of a known name is refused naming
  both names; another column (``备注2``, ``审核人``) is noted, in the dry run too.
- I1–I6: a row numbered ``r="0"``, ``r="-1"``, past 1,048,576 or twice: "corrupt" or a row
  read under another number (``tables_read.row_number_problem``).
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from lantu.cli import app

runner = CliRunner()
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt"
ROW = "140100,2022,gdp,5571.17,亿元,,,"
SHEET = "xl/worksheets/sheet1.xml"


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _import(db, path, *opts):
    res = runner.invoke(app, ["import", str(path), *opts, "--db", _url(db)])
    return res, " ".join(res.output.split())


def _count(db) -> int:
    with db.engine.connect() as c:
        return c.execute(text("select count(*) from observation")).scalar_one()


@pytest.mark.parametrize(("header", "typo", "meant"), [
    (L.replace("value", "vlaue"), "vlaue", "value"),  # was: "unknown indicator 'vlaue'"
    (L.replace("excerpt", "exerpt"), "exerpt", "excerpt"),  # was: imported, excerpts lost
    (L.replace("unit", "untis"), "untis", "unit"),
    (L.replace("source_url", "source_ulr"), "source_ulr", "source_url"),
    (L.replace("indicator", "指标代码x"), "指标代码x", "指标代码"),
    ("地区,年份,指标,数值,单未,来源网址", "单未", "单位"),
    ("region_code,period,indicator,value,notes", "notes", "note"),
])
def test_a_slip_of_a_column_name_is_refused_naming_both(ref_db, tmp_path, header, typo, meant):
    p = tmp_path / "h.csv"
    cells = len(header.split(","))
    p.write_text(header + "\n" + ",".join((ROW.split(",") + ["见表1"] * 9)[:cells]) + "\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 1, said
    assert (f"row 1, column '{typo}': no column Lantu knows, but close to '{meant}' (a typo?): "
            "its cells would be lost") in said
    assert _count(ref_db) == 0


def test_a_slip_in_a_target_table_is_refused(ref_db, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("region_code,indicator,target_period,target_vaule,target_kind\n140100,gdp,2025,7000,level\n",
                 encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 1 and "close to 'target_value'" in said, said


def test_a_slip_in_a_workbook_header_is_refused(ref_db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["region_code", "period", "indicator", "Vaule", "unit"])
    wb.active.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    p = tmp_path / "h.xlsx"
    wb.save(p)
    res, said = _import(ref_db, p)
    assert res.exit_code == 1 and "column 'Vaule': no column Lantu knows, but close to 'value'" in said, said


@pytest.mark.parametrize("quoted", [False, True])  # the column-wise reader and the row reader
def test_another_column_is_noted_not_lost_without_a_word(ref_db, tmp_path, quoted):
    p = tmp_path / "h1.csv"
    note = '"见年鉴"' if quoted else "见年鉴"
    p.write_text(f"{L},备注2\n{ROW},{note}\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 0, said
    assert "column '备注2' is not read (no column Lantu knows): 1 filled cell left out" in said
    assert _count(ref_db) == 1


def test_the_dry_run_notes_a_column_it_will_not_read(ref_db, tmp_path):
    p = tmp_path / "h8.csv"
    p.write_text(f"{L},审核人\n{ROW},张三\n", encoding="utf-8")
    res, said = _import(ref_db, p, "--dry-run")
    assert res.exit_code == 0 and "column '审核人' is not read" in said, said
    assert _count(ref_db) == 0


def test_a_table_by_year_notes_its_other_columns(ref_db, tmp_path):
    p = tmp_path / "wy.csv"
    p.write_text("region_code,indicator,2021,2022,审核人\n140100,gdp,5121.61,5571.17,张三\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 0 and "column '审核人' is not read" in said, said
    assert _count(ref_db) == 2


def test_known_names_numbered_and_foreign_columns_are_no_slips():
    from lantu.ingest.tables_headers import _canon, unread_columns

    header = [*L.split(","), "备注2", "数值2", "value.1", "审核人", "省份", "code", "name", "date", "序号"]
    assert [u.meant for u in unread_columns(header, _canon(header))] == [""] * 9


def test_an_empty_extra_column_says_nothing_and_imports_held(ref_db, tmp_path):
    p = tmp_path / "h2.csv"
    p.write_text(f"{L},审核人\n{ROW},\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 0 and "not read" not in said, said


def test_notes_are_said_in_chinese_on_the_pages():
    from lantu.ingest.tables_headers import unknown_column_reason, unread_note
    from lantu.reasons import reason_text

    assert reason_text("zh", unread_note("备注2", 3)) == "列“备注2”未被读取（不是 Lantu 认识的列名）：其中 3 个非空单元格未导入"
    assert "拼写错误" in reason_text("zh", unknown_column_reason("excerpt"))


# -- worksheet rows ----------------------------------------------------------------------------
def _workbook_row(r: str) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["region_code", "period", "indicator", "value", "unit"])
    wb.active.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    b = io.BytesIO()
    wb.save(b)
    src = zipfile.ZipFile(io.BytesIO(b.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == SHEET:
                body = re.sub(rb'<row r="2"', f'<row r="{r}"'.encode(), body)
            z.writestr(info.filename, body)
    return out.getvalue()


@pytest.mark.parametrize("r", ["0", "-1", "1048577", "abc", "1"])
def test_a_row_numbered_outside_the_sheet_is_named_as_written(ref_db, tmp_path, r):
    p = tmp_path / "i.xlsx"
    p.write_bytes(_workbook_row(r))
    res, said = _import(ref_db, p)
    assert res.exit_code == 2, said  # the workbook as a whole: its rows are not numbered
    if r == "1":  # row 1 twice: the header's number given again
        assert 'gives row r="1" after row 1 (twice, or out of order)' in said, said
    else:
        assert f'numbers a row r="{r}": rows are numbered 1 to 1,048,576' in said, said
    assert _count(ref_db) == 0


def test_a_cell_in_row_zero_is_named(tmp_path):
    from lantu.ingest.tables import ImportRefused, read_raw

    p = tmp_path / "i6.xlsx"
    data = _workbook_row("2")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            z.writestr(info.filename, body.replace(b'<c r="E2"', b'<c r="D0"', 1) if info.filename == SHEET else body)
    p.write_bytes(out.getvalue())
    with pytest.raises(ImportRefused) as info:
        read_raw(p)
    assert "names a cell D0 in row 0" in str(info.value)


def test_a_text_cell_past_the_shared_strings_is_named(tmp_path):
    from lantu.ingest.tables import ImportRefused, read_raw

    data = _workbook_row("2")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == SHEET:
                body = re.sub(rb'<c r="A2"[^>]*>.*?</c>', b'<c r="A2" t="s"><v>999</v></c>', body)
            z.writestr(info.filename, body)
    p = tmp_path / "i7.xlsx"
    p.write_bytes(out.getvalue())
    with pytest.raises(ImportRefused) as info:
        read_raw(p)
    said = str(info.value)  # was: "not a readable XLSX workbook (truncated or corrupt: IndexError)"
    assert "row 2, column 'A': a text cell points at shared string 999" in said, said


def test_the_web_preview_notes_a_column_it_will_not_read(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    body = f"{L},备注2\n{ROW},见年鉴\n".encode()
    r = post(client, "/import", {}, files={"file": ("h1.csv", body, "text/csv")}, csrf_page="/import")
    assert r.status_code == 200, r.text[:500]
    assert "列“备注2”未被读取（不是 Lantu 认识的列名）：其中 1 个非空单元格未导入" in r.text  # the page speaks Chinese


def test_a_header_not_recognised_says_which_names_are_close(ref_db, tmp_path):
    from lantu.reasons import reason_text

    p = tmp_path / "w.csv"
    p.write_text("地区名,时间点,数量\n140100,2022,1\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 1 and "header not recognised" in said, said
    assert "close to known names (a typo?): '地区名' → '地区', '时间点' → '时间', '数量' → '数值'" in said
    reason = said[said.index("header not recognised"):said.index(" (value")]
    assert reason_text("zh", reason).endswith("；与已知列名相近（拼写错误？）：'地区名' → '地区', '时间点' → '时间', '数量' → '数值'")
