"""The tenth round (files and CLI, probe16): what fell through among the tables users bring,
each fixed at the one place of its rule. The answers were written first
(benchmarks/probe16_cases.md); each test failed on the code before unless its name ends in
``_held``. SQLite and PostgreSQL where an import writes (``ref_db``).

- A3: UTF-32 with its byte-order mark was read as UTF-16 (the marks share FF FE): every cell
  a run of NULs (``textcodec.decode_text``).
- A6: a GBK table with a row pasted from a UTF-8 file: the row read as GBK gibberish and its
  excerpt stored as ``澶…`` (``textcodec._utf8_line``).
- C1–C5: ``2023年末`` and ``上年`` said only "not a period" (``periods.period_words_problem``).
- C12–C14: a target file's ``target_period`` and ``base_period`` did not get the October rule of
  an observation file's ``period``: a lone ``2025.1`` was stored as January
  (``tables._check_month_numbers`` asks ``tables_months.october_doubts`` for every period column).
- E2/H2: a file that cannot be used as a whole (empty, of a type not read) exited 1, not 2 as
  docs/cli.md says (``tables_read.ImportRefused``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from hostile import snapshot
from lantu.cli import app

runner = CliRunner()
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
T = "region_code,indicator,target_period,kind,value,unit,base_period\n"


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _import(db, path):
    res = runner.invoke(app, ["import", str(path), "--db", _url(db)])
    return res, " ".join(res.output.split())


def _observations(db) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "select period, value, excerpt from observation order by period"))]


def _targets(db) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "select target_period, base_period, value from target where import_batch_id is not null"))]


def test_utf32_with_its_mark_is_read_as_utf32(ref_db, tmp_path):
    p = tmp_path / "u32.csv"
    p.write_bytes(b"\xff\xfe\x00\x00" + (L + "140100,2022,gdp,5571.17,亿元,,,太原\n").encode("utf-32-le"))
    res, said = _import(ref_db, p)
    assert res.exit_code == 0, said  # was: every cell "a control character (U+0000)"
    assert "(long, utf-32)" in said
    assert _observations(ref_db) == [("2022", 5571.17, "太原")]


def test_a_utf8_row_in_a_gbk_table_is_named_not_stored_as_gibberish(ref_db, tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes((L + "140100,2021,gdp,5121.61,亿元,,,太原市统计局\n").encode("gbk")
                  + "140100,2022,gdp,5571.17,,,,太原统计公报\n".encode())
    before = snapshot(ref_db)
    res, said = _import(ref_db, p)
    assert res.exit_code == 1, said  # was: imported, the excerpt stored as 澶師缁熻鍏姤
    assert "row 3" in said and "mixes encodings" in said and "line 3 is UTF-8" in said
    assert snapshot(ref_db) == before


def test_gbk_text_is_not_taken_for_utf8_held():
    from lantu.domain.textcodec import decode_text

    data = ("地区,年份,指标,数值,单位\n" + "太原市,2022,地区生产总值,5571.17,亿元\n" * 50).encode("gbk")
    assert decode_text(data) == (data.decode("gbk"), "gbk")


@pytest.mark.parametrize(("period", "words"), [
    ("2023年末", "a year's end (2023年末) is no period"),
    ("２０２３年底", "a year's end (2023年底) is no period"),
    ("上年", "上年 names a year only from where it stands"),
])
def test_a_year_end_or_a_relative_year_is_refused_by_name(ref_db, tmp_path, period, words):
    p = tmp_path / "p.csv"
    p.write_text(L + f"140100,{period},population,539.1,万人,,,\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 1, said
    assert f"row 2, column 'period': {words}" in said  # was: "not a period (2023, …)"
    assert _observations(ref_db) == []


def test_period_parse_says_the_same_for_the_api():
    from lantu.domain import Period, ValidationError

    with pytest.raises(ValidationError, match="a year's end") as info:
        Period.parse("2023年末")
    assert info.value.field == "period"


@pytest.mark.parametrize(("body", "column", "row"), [
    ("140100,gdp,2025.1,level,6000,亿元,\n", "target_period", 2),
    ("140100,gdp,2025.9,level,6000,亿元,\n140100,gdp,2025.1,level,6100,亿元,\n", "target_period", 3),
    ("140100,gdp,2025,level,6000,亿元,2020.1\n", "base_period", 2),
])
def test_a_target_files_periods_get_the_october_rule(ref_db, tmp_path, body, column, row):
    p = tmp_path / "t.csv"
    p.write_text(T + body, encoding="utf-8")
    before = snapshot(ref_db)
    res, said = _import(ref_db, p)
    assert res.exit_code == 1, said  # was: stored as January
    assert f"row {row}, column '{column}': a period that may be October" in said
    assert snapshot(ref_db) == before


def test_a_target_files_january_beside_february_is_january_held(ref_db, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(T + "140100,gdp,2025.1,level,6000,亿元,\n140100,gdp,2025.2,level,6100,亿元,\n",
                 encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 0, said
    assert sorted(_targets(ref_db)) == [("2025-01", None, 6000.0), ("2025-02", None, 6100.0)]


@pytest.mark.parametrize(("name", "data", "words"), [
    ("empty.csv", b"", "the file is empty"),
    ("x.xlsb", b"PK\x03\x04" + b"\0" * 200, "unsupported file type .xlsb"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "an old .xls workbook"),
])
def test_a_file_that_cannot_be_used_exits_2(ref_db, tmp_path, name, data, words):
    p = tmp_path / name
    p.write_bytes(data)
    res, said = _import(ref_db, p)
    assert res.exit_code == 2, said  # was: 1 (docs/cli.md: a file that cannot be used is 2)
    assert words in said


def test_a_refused_row_still_exits_1_held(ref_db, tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(L + "140100,2022,gdp,abc,亿元,,,\n", encoding="utf-8")
    res, said = _import(ref_db, p)
    assert res.exit_code == 1, said
