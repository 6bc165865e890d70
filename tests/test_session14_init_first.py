"""An import into a database made without ``lantu init`` says to run it (left by probe22): the
default file in LANTU_HOME is made on first use, and every row of a table was then refused as an
"unknown indicator". (main) fails on main."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lantu.cli import app

runner = CliRunner()


@pytest.fixture
def fresh_home(tmp_path, monkeypatch):
    monkeypatch.delenv("LANTU_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANTU_HOME", str(tmp_path / "home"))
    from lantu.config import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_an_import_before_init_says_run_init(fresh_home):  # (main)
    table = fresh_home / "t.csv"
    table.write_text("region_code,period,indicator,value\n140100,2023,gdp,5573.7\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(table)])
    said = (res.output or "") + str(res.exception or "")
    assert res.exit_code == 2, said
    assert "lantu init" in said and "unknown indicator" not in said


def test_after_init_it_imports(fresh_home):
    assert runner.invoke(app, ["init"]).exit_code == 0
    table = fresh_home / "t.csv"
    table.write_text("region_code,period,indicator,value\n140100,2023,gdp,5573.7\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(table)])
    assert res.exit_code == 0, res.output
