"""The eighth round (files and CLI, probe12): what the command line prints. Its consoles read
rich markup in every message, and the messages carry text users chose: a file in a directory
named ``a[`` has the path ``a[/]b.csv``, whose ``[/]`` rich took for a closing tag — ``lantu
import`` wrote the file and then ended in a traceback (exit 1, the next files neither imported
nor named), and a refused file's reasons were lost in one; ``[bold red]x.csv`` was shown as
``x.csv``; a group named ``x[/]y`` was stored and then the command failed. The consoles now
print text as it is (``cli.common.styled`` for style). Each test failed on the code before,
on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from hostile import HEADER, snapshot
from lantu.cli import app

runner = CliRunner()


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _flat(output: str) -> str:
    """Output without blanks and line ends (the console wraps long paths anywhere)."""
    return "".join(output.split())


def _count(db) -> int:
    with db.engine.connect() as c:
        return c.execute(text("select count(*) from observation")).scalar_one()


def test_a_path_that_looks_like_markup_is_imported_and_named_as_it_is(ref_db, tmp_path):
    folder = tmp_path / "a["
    folder.mkdir()
    first, second = folder / "]b.csv", tmp_path / "[bold red]x.csv"  # a[/]b.csv
    first.write_text(HEADER + "140100,2022,gdp,5571.17,亿元,,,\n", encoding="utf-8")
    second.write_text(HEADER + "140100,2021,gdp,5121.61,亿元,,,\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(first), str(second), "--db", _url(ref_db)])
    assert result.exit_code == 0, result.output
    shown = _flat(result.output)
    assert _flat(f"Imported {first} (long") in shown
    assert _flat(f"Imported {second} (long") in shown  # not "x.csv" in red
    assert _count(ref_db) == 2


def test_a_refused_file_with_such_a_path_shows_its_reasons(ref_db, tmp_path):
    folder = tmp_path / "a["
    folder.mkdir()
    bad = folder / "]c.csv"
    bad.write_text(HEADER + "140100,2022,gdp,abc,亿元,,,\n", encoding="utf-8")
    before = snapshot(ref_db)
    result = runner.invoke(app, ["import", str(bad), "--db", _url(ref_db), "--dry-run"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    shown = _flat(result.output)
    assert _flat(f"{bad}: refused") in shown and "Traceback" not in shown
    assert _flat("row 2, column 'value': not a number (value 'abc')") in shown
    assert snapshot(ref_db) == before


def test_a_name_a_user_chose_is_printed_as_it_is(ref_db):
    result = runner.invoke(app, ["group", "add", "probe12", "140100", "--name", "x[/]y[bold]",
                                 "--db", _url(ref_db)])
    assert result.exit_code == 0, result.output
    assert "x[/]y[bold]" in result.output
    listed = runner.invoke(app, ["group", "list", "--db", _url(ref_db)])
    assert listed.exit_code == 0 and "x[/]y[bold]" in listed.output
