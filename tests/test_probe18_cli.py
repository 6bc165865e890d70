"""The eleventh round (files and CLI, probe18): the command line and its environment. Each test
failed on the code before unless its name ends in ``_held``.

- G12: an environment variable Lantu cannot read (``LANTU_WARN_DAYS=abc``): pydantic's traceback
  (``config.get_settings``, said by the app's callback).
- G13: ``--db sqlite:///data.csv`` (a file that is no database): ``DatabaseError``'s traceback
  (``store.open_database``); the file is left as it was.
- G23: a full disk under the SQLite file: ``OperationalError``'s traceback mid-import
  (``store.machine_refused``, asked by ``cli.common.friendly_errors``); nothing written.
- G1, G20: a symbolic link that loops was "no such file"; ``f.csv/`` was read as ``f.csv``
  (``cli.common.input_file``).
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from lantu.cli import app

runner = CliRunner()
GOOD = "region_code,period,indicator,value,unit\n140100,2022,gdp,5571.17,亿元\n"


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture
def fresh_settings():
    from lantu.config import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_an_unreadable_setting_is_named_by_its_variable(tmp_path, fresh_settings):
    p = tmp_path / "a.csv"
    p.write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["import", str(p), "--db", f"sqlite:///{tmp_path / 'x.db'}"],
                        env={"LANTU_WARN_DAYS": "abc"})
    assert res.exit_code == 2, res.output  # was: pydantic's ValidationError, a traceback
    assert "LANTU_WARN_DAYS: Input should be a valid integer" in _said(res)
    assert "(value 'abc')" in _said(res)


def test_a_nested_setting_is_named_by_its_variable(fresh_settings, monkeypatch):
    from lantu.config import get_settings
    from lantu.errors import UsageError

    monkeypatch.setenv("LANTU_STATUS__ABOUT_TOLERANCE_POINTS", "-1")
    with pytest.raises(UsageError, match="LANTU_STATUS__ABOUT_TOLERANCE_POINTS: Input should be"):
        get_settings()


def test_a_file_that_is_no_database_is_named_and_left_as_it_was(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(GOOD, encoding="utf-8")
    target = tmp_path / "data.csv"
    target.write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["import", str(p), "--db", f"sqlite:///{target}"])
    assert res.exit_code == 3, res.output  # was: DatabaseError's traceback
    assert "the database cannot be opened (file is not a database)" in _said(res)
    assert target.read_text(encoding="utf-8") == GOOD


def _full_error():
    """A real 'database or disk is full' from SQLite (its page limit reached)."""
    engine = create_engine("sqlite://")
    with pytest.raises(Exception) as info, engine.begin() as c:
        c.execute(text("create table t (x text)"))
        c.execute(text("pragma max_page_count = 3"))
        for _ in range(200):
            c.execute(text("insert into t values (:x)"), {"x": "x" * 4000})
    return info.value


def test_a_full_disk_is_said_as_the_machine_refusing():
    from lantu.errors import Unavailable
    from lantu.store import machine_refused

    known = machine_refused(_full_error())
    assert isinstance(known, Unavailable) and known.exit_code == 3
    assert "the database cannot be written (database or disk is full)" in str(known)
    assert machine_refused(ValueError("x")) is None
    assert machine_refused(sqlite3.OperationalError("no such table: t")) is None


def test_a_full_disk_mid_command_exits_3_without_a_traceback():
    from lantu.cli.common import friendly_errors

    error = _full_error()

    def command():
        raise error

    import typer

    with pytest.raises(typer.Exit) as info:
        friendly_errors(command)()  # was: the OperationalError's traceback
    assert info.value.exit_code == 3


def test_another_database_error_stays_a_bug_held():
    from sqlalchemy.exc import OperationalError

    from lantu.cli.common import friendly_errors

    def command():
        raise OperationalError("select", {}, sqlite3.OperationalError("no such table: t"))

    with pytest.raises(OperationalError):
        friendly_errors(command)()


def test_a_symbolic_link_that_loops_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short name: the error panel does not cut it
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    res = runner.invoke(app, ["import", "a.csv", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 3, res.output
    assert "a symbolic link that loops" in _said(res)  # was: "no such file"


def test_a_link_to_nothing_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = tmp_path / "a.csv"
    a.symlink_to(tmp_path / "gone.csv")
    res = runner.invoke(app, ["import", "a.csv", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 3 and "a symbolic link to a file that does not exist" in _said(res)


def test_a_file_name_ending_in_a_slash_is_not_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "a.csv"
    p.write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["import", "a.csv/", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 3, res.output  # was: a.csv imported
    assert "not a directory (the name ends with '/')" in _said(res)
