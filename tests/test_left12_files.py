"""Files and the CLI (left12): ``lantu import --dry-run`` fills the "new" column of what it would
insert (it was empty: only a revision said its values), for observations (read column-wise and
row by row) and targets; reading a PDF silences pypdf's warnings for that reading only (the
``pypdf`` logger had been left at ERROR for the whole process)."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.ingest.textio import pypdf_quiet

runner = CliRunner()


@pytest.fixture
def dburl(default_db_template, tmp_path):
    shutil.copyfile(default_db_template, tmp_path / "cli.db")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _rows(output: str) -> list[list[str]]:
    """The preview table's rows (its cells between the box characters)."""
    return [[c.strip() for c in line.strip("│┃ ").split("│")]
            for line in output.splitlines() if line.count("│") >= 5]


def test_a_dry_run_says_the_value_it_would_insert(dburl, tmp_path):
    f = tmp_path / "new.csv"
    src = "https://tjj.taiyuan.gov.cn/x,official_statistics"
    f.write_text("region_code,period,indicator,value,unit,source_url,source_quality\n"
                 f"140100,1960,gdp,5418.31,亿元,{src}\n140100,2024,gdp,9999,亿元,{src}\n",
                 encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--dry-run", "--db", dburl],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    rows = {r[0]: r for r in _rows(res.output)}
    assert rows["insert"][-1] == "5418.31", res.output  # was: an empty cell
    assert rows["revise"][-2:] == ["5418.87", "9999.0"], res.output


def test_a_dry_run_of_targets_says_their_values(dburl, tmp_path):
    f = tmp_path / "targets.csv"
    f.write_text("region_code,indicator,target_period,kind,value,unit,base_period,source_url\n"
                 "140100,gdp,2035,level,12000,亿元,2020,https://example.gov.cn/t\n",
                 encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--dry-run", "--db", dburl],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    inserted = [r for r in _rows(res.output) if r[0] == "insert target"]
    assert inserted and re.fullmatch(r"12000(\.0)?", inserted[0][-1]), res.output


def test_pypdfs_warnings_are_silenced_only_while_a_pdf_is_read():
    log = logging.getLogger("pypdf")
    before = log.level
    log.setLevel(logging.WARNING)
    try:
        with pypdf_quiet():
            assert log.getEffectiveLevel() == logging.ERROR
            with pypdf_quiet():  # a second reading at once (another thread)
                pass
            assert log.getEffectiveLevel() == logging.ERROR
        assert log.level == logging.WARNING  # was: ERROR for the rest of the process
    finally:
        log.setLevel(before)


def test_reading_a_pdf_leaves_pypdfs_logger_as_it_was(tmp_path):
    from pypdf import PdfWriter

    from lantu.ingest.textio import TextReadError, read_text

    path = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as fh:
        writer.write(fh)
    log = logging.getLogger("pypdf")
    before = log.level
    log.setLevel(logging.INFO)
    try:
        with pytest.raises(TextReadError):
            read_text(path)
        assert log.level == logging.INFO
    finally:
        log.setLevel(before)


def test_a_title_ending_in_a_line_separator_is_refused_not_stripped(web_db):
    """The text rule (gate.text_problem) refuses U+2028 in a title; at its end it had been
    stripped by str.strip and the title stored — one rule now (gate.trim leaves it, the gate
    refuses it), and blanks a person typed at the ends are still trimmed."""
    from lantu.errors import ValidationError
    from lantu.store import assignment, users
    from webutil import task_ids

    task = task_ids(web_db, "fgw")[0]
    for title in ("选址论证\u2028", "选址\u2028论证", "选址论证\u2029"):
        with pytest.raises(ValidationError, match="U\\+202[89]"), web_db.session() as s:
            chief = users.get_user(s, "supervisor")
            assignment.update_task(s, chief, task, {"title": title}, reason="改名",
                                   expected_version=assignment.task_version(s, task))
    with web_db.session() as s:
        chief = users.get_user(s, "supervisor")
        assignment.update_task(s, chief, task, {"title": " 选址论证\u3000\n"}, reason="改名",
                               expected_version=assignment.task_version(s, task))
    from lantu.store.models import PlanNodeRow

    with web_db.session() as s:
        assert s.get(PlanNodeRow, task).title == "选址论证"


def test_a_file_name_with_a_newline_stays_one_line_in_the_message(dburl, tmp_path):
    """A newline (or another control character) in a file's name split the refusal's line:
    every message names a file by one rule now (textcodec.shown_name: its escape)."""
    from lantu.domain.textcodec import shown_name

    f = tmp_path / "bad\nname\x1b.csv"
    f.write_text("region_code,period,indicator,value\n140100,2022,gdp,五千\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--db", dburl], env={"COLUMNS": "300"})
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert any(line.endswith("bad\\nname\\x1b.csv: refused — 1 problem; nothing was imported.")
               for line in lines), res.output
    assert any("bad\\nname\\x1b.csv, row 2, column 'value': not a number" in line
               for line in lines), res.output
    assert not [line for line in lines if line.startswith("name")], res.output
    assert shown_name("a\u2028b.csv") == "a\\u2028b.csv"


@pytest.mark.parametrize(("header", "row", "said"), [
    ("，", ",", "the header is split by full-width commas (U+FF0C) and this row by commas (,)"),
    (",", "，", "the header is split by commas (,) and this row by full-width commas (U+FF0C)"),
])
def test_a_header_split_by_the_other_comma_is_named_by_its_delimiter(dburl, tmp_path, header,
                                                                      row, said):
    from lantu.reasons import reason_text

    f = tmp_path / "mixed.csv"
    f.write_text(header.join(["region_code", "period", "indicator", "value"]) + "\n"
                 + row.join(["140100", "2024", "gdp", "5"]) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--db", dburl], env={"COLUMNS": "300"})
    assert res.exit_code == 1 and said in res.output, res.output
    line = next(x for x in res.output.splitlines() if said in x)
    zh = reason_text("zh", line.split("row 2: ", 1)[1])
    assert "全角逗号（，）" in zh and "半角逗号（,）" in zh, zh
