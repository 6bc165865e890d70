"""Every option that takes a date, month, year or region, and every input file, is read by one
shared parser (``lantu.cli.common``) and answers a bad value as docs/cli.md's table says: a
value that cannot be used is a usage error (exit 2, the option named, no traceback), a missing
input file the system's refusal (exit 3)."""

from __future__ import annotations

import typing

import pytest
from typer.testing import CliRunner

from lantu.cli import app as cli_app
from lantu.cli import common
from lantu.errors import EXIT_SYSTEM, EXIT_USAGE

runner = CliRunner()

#: the kinds of value with one parser each, by the option's name
SHARED = {"--today": common.parse_date, "--date": common.parse_date,
          "--month": common.parse_month, "--year": common.parse_year,
          "--region": common.parse_region, "file": common.input_file, "files": common.input_file,
          "--idata": common.input_file, "--imeta": common.input_file,
          "--spec": common.input_file, "--uncertainty": common.input_file}


def _commands(typer_app, prefix=()):
    for info in typer_app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        yield (*prefix, name), info.callback
    for group in typer_app.registered_groups:
        yield from _commands(group.typer_instance, (*prefix, group.name))


def _options():
    for name, fn in _commands(cli_app):
        hints = typing.get_type_hints(getattr(fn, "__wrapped__", fn), include_extras=True)
        for param, hint in hints.items():
            for meta in getattr(hint, "__metadata__", ()):
                decls = [d for d in (getattr(meta, "default", None),
                                     *(getattr(meta, "param_decls", None) or ()))
                         if isinstance(d, str)]
                opt = next((d for d in decls if d.startswith("--")), f"--{param.replace('_', '-')}")
                if type(meta).__name__ == "ArgumentInfo":
                    opt = param
                yield " ".join(name), opt, meta


def test_every_date_year_region_and_input_file_uses_the_shared_parser():
    found = [(cmd, opt, meta) for cmd, opt, meta in _options() if opt in SHARED]
    # the input files of import, extract, plan parse/load, index build/ua/analyse are all here
    assert {c for c, o, _ in found if SHARED[o] is common.input_file} >= {
        "import", "extract", "plan parse", "plan load", "index build", "index ua", "index analyse"}
    assert {c for c, o, _ in found if o == "--today"} == {"remind"}
    wrong = [(c, o) for c, o, meta in found if getattr(meta, "parser", None) is not SHARED[o]]
    assert not wrong, wrong


@pytest.mark.parametrize("args, code, fragment", [
    (["remind", "--today", "2026-13-01"], EXIT_USAGE, "'2026-13-01' is not a date"),
    (["remind", "--today", "yesterday"], EXIT_USAGE, "'yesterday' is not a date"),
    (["report", "bulletin", "--month", "2026-11", "--date", "31/12/2026"], EXIT_USAGE, "not a date"),
    (["report", "monitoring", "--region", "140100", "--period", "2023", "--date", "x"],
     EXIT_USAGE, "not a date"),
    (["report", "bulletin", "--month", "2026-13"], EXIT_USAGE, "not a month"),
    (["report", "bulletin", "--month", "November"], EXIT_USAGE, "not a month"),
    (["evaluate", "--region", "999999", "--year", "2023"], EXIT_USAGE, "province"),
    (["evaluate", "--region", "140100", "--year", "99999"], EXIT_USAGE, "not a year"),
    (["evaluate", "--region", "140100", "--year", "二〇二三"], EXIT_USAGE, "not a year"),
    (["report", "monitoring", "--region", "1401", "--period", "2023"], EXIT_USAGE, "6-digit"),
    (["show", "coverage", "--region", "999999"], EXIT_USAGE, "province"),
    (["extract", "{tmp}/r.md", "--region", "140100", "--year", "12"], EXIT_USAGE, "not a year"),
    (["plan", "parse", "{tmp}/r.md", "--region", "abc"], EXIT_USAGE, "region code"),
    (["index", "inputs", "--out", "{tmp}/o", "--year", "3000"], EXIT_USAGE, "not a year"),
    (["import", "{tmp}/missing.csv"], EXIT_SYSTEM, "no such file"),
    (["import", "{tmp}"], EXIT_SYSTEM, "is a directory"),
    (["extract", "{tmp}/missing.md", "--region", "140100", "--year", "2023"], EXIT_SYSTEM,
     "no such file"),
    (["plan", "parse", "{tmp}/missing.md"], EXIT_SYSTEM, "no such file"),
    (["plan", "load", "{tmp}/missing.yaml"], EXIT_SYSTEM, "no such file"),
    (["index", "build", "--idata", "{tmp}/i.csv", "--imeta", "{tmp}/m.csv", "--spec",
      "{tmp}/s.yaml", "--out", "{tmp}/o"], EXIT_SYSTEM, "no such file"),
])
def test_a_bad_value_is_a_usage_error_and_a_missing_file_a_system_one(tmp_path, args, code,
                                                                      fragment):
    (tmp_path / "r.md").write_text("# 报告\n\n全年地区生产总值5000亿元。\n", encoding="utf-8")
    res = runner.invoke(cli_app, [a.format(tmp=tmp_path) for a in args])
    assert res.exit_code == code, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert fragment in " ".join(res.output.replace("│", " ").split()), res.output


@pytest.mark.parametrize("args, option", [
    (["evaluate", "--region", "140200", "--year", "2023", "--group", "nope"], "--group"),
    (["evaluate", "--region", "140100", "--year", "2023", "--plan", "nope"], "--plan"),
    (["evaluate", "--region", "440100", "--year", "2023"], "--region"),
    (["report", "monitoring", "--region", "140100", "--period", "x"], "--period"),
    (["index", "inputs", "--out", "{tmp}/o", "--year", "2001"], "--year"),
])
def test_a_value_the_database_does_not_know_is_a_usage_error(default_db_module, tmp_path,
                                                             args, option):
    """A well-formed value naming what is not there (a group, a plan, a region without data, a
    year the index cannot be built for) is still a bad option value: exit 2, the option named."""
    db = str(default_db_module.engine.url)
    res = runner.invoke(cli_app, [a.format(tmp=tmp_path) for a in args] + ["--db", db])
    assert res.exit_code == EXIT_USAGE, res.output
    assert f"error: {option}:" in res.output and "Traceback" not in res.output
