"""The tenth round (probe16): the command line and YAML plans. Each test failed on the code
before unless its name ends in ``_held``; SQLite and PostgreSQL where a plan is written.

- H2–H4: a file whose name is not UTF-8 (GBK bytes), refused before it is read (empty, missing,
  a directory), was shown as ``\\udcb5\\udcd8`` (``textcodec.name_text`` in ``say_error`` and
  ``input_file``).
- H5: ``lantu import -`` said "-: no such file" (exit 3).
- H10: ``--db`` naming a SQLite file in a missing folder ended in a traceback
  (``store.open_database``: exit 3 naming the database without its password).
- G5, G7, G10: a plan titled with a million characters was loaded; ``title: !!binary aGk=`` was
  stored as ``b'hi'``; an empty plan exited 1 (``gate.plan_problems``, ``yamlio``, the exit
  table for ``plan load``).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from lantu.cli import app

runner = CliRunner()
PLAN = """code: p16
title: 测试规划
region: "140100"
children:
  - code: T1
    kind: task
    title: {title}
    due: 2026-12-31
"""


def _gbk_name(tmp_path, name: bytes):
    return os.fsdecode(os.fsencode(str(tmp_path)) + b"/" + name)


@pytest.mark.parametrize(("make", "code", "words"), [
    ("empty", 2, "the file is empty"),
    ("missing", 3, "no such file"),
    ("directory", 3, "is a directory"),
])
def test_a_gbk_file_name_refused_before_it_is_read_is_shown_as_gbk(tmp_path, make, code, words):
    name = _gbk_name(tmp_path, b"h\xb5\xd8.csv")
    if make == "empty":
        open(name, "wb").close()
    elif make == "directory":
        os.mkdir(name)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0  # a missing file is refused (probe22)
    res = runner.invoke(app, ["import", name, "--db", url], env={"COLUMNS": "1000"})
    said = " ".join(res.output.replace("│", " ").split())  # Typer's box around a bad argument
    assert res.exit_code == code, said
    assert "h地.csv" in said and words in said  # was: h\udcb5\udcd8.csv
    assert "\\udc" not in said and "\udcb5" not in said


def test_standard_input_is_refused_as_such(tmp_path):
    res = runner.invoke(app, ["import", "-", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 2, res.output  # was: "-: no such file", exit 3
    assert "standard input (-) is not read" in " ".join(res.output.split())


def test_a_database_that_cannot_be_opened_is_named_not_a_traceback(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("region_code,period,indicator,value\n140100,2022,gdp,5571.17\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(p), "--db", "sqlite:////nonexistent/dir/x.db"])
    assert res.exit_code == 3, res.output  # was: OperationalError's traceback
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert ("sqlite:////nonexistent/dir/x.db: the database cannot be opened (unable to open "
            "database file)") in " ".join(res.output.split())


def test_a_server_that_cannot_be_reached_is_named_without_its_password():
    from lantu.errors import Unavailable
    from lantu.store import open_database

    with pytest.raises(Unavailable) as info:
        open_database("postgresql+psycopg://u:secret@127.0.0.1:1/x")
    assert "secret" not in str(info.value) and "u:***@127.0.0.1:1/x" in str(info.value)


def _url(db) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _load(db, tmp_path, body: bytes):
    p = tmp_path / "plan.yaml"
    p.write_bytes(body)
    res = runner.invoke(app, ["plan", "load", str(p), "--db", _url(db)])
    return res, " ".join(res.output.split())


def _nodes(db) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text("select code, title from plan_node"))]


def test_a_plan_title_of_a_million_characters_is_refused(ref_db, tmp_path):
    res, said = _load(ref_db, tmp_path, PLAN.format(title="长" * 1_000_000).encode())
    assert res.exit_code == 1, said[:300]  # was: loaded
    assert "T1.title" in said and "at most 2000 characters, not 1,000,000" in said
    assert str(tmp_path / "plan.yaml") in said
    assert _nodes(ref_db) == []


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]"])
def test_a_binary_or_set_in_a_plan_is_refused_as_a_tag(ref_db, tmp_path, tag):
    res, said = _load(ref_db, tmp_path, PLAN.format(title=tag).encode())
    assert res.exit_code == 1, said  # was: !!binary stored as the title "b'hi'"
    assert f"the tag !!{tag[2:].split()[0]} is not read" in said and "line 7" in said
    assert _nodes(ref_db) == []


def test_an_empty_plan_exits_2(ref_db, tmp_path):
    res, said = _load(ref_db, tmp_path, b"")
    assert res.exit_code == 2, said  # was: 1
    assert "the file is empty" in said


def test_a_plan_refused_at_a_line_exits_1_held(ref_db, tmp_path):
    res, said = _load(ref_db, tmp_path, PLAN.format(title="一\n    title: 二").encode())
    assert res.exit_code == 1, said
    assert "given twice" in said


def test_a_plan_loads_held(ref_db, tmp_path):
    res, said = _load(ref_db, tmp_path, b"\xef\xbb\xbf" + PLAN.format(title="推进城市更新").encode())
    assert res.exit_code == 0, said
    assert _nodes(ref_db) == [("T1", "推进城市更新")]


def test_a_plan_for_a_region_the_database_lacks_is_refused_not_a_traceback(db, tmp_path):
    res, said = _load(db, tmp_path, PLAN.format(title="一").encode())  # no `lantu init`
    assert res.exit_code == 1, said  # was: IntegrityError (PostgreSQL: fk_plan_region_code_region)
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "unknown region '140100': not a region of the database" in said
    assert _nodes(db) == []


def test_the_security_log_writes_a_gbk_file_name_as_its_text():
    import json
    import logging

    from lantu.security_log import JsonFormatter

    record = logging.makeLogRecord({"event": "import_refused", "f_file": "h\udcb5\udcd8.csv"})
    line = JsonFormatter().format(record)  # the full run's CI log showed "h\udcb5\udcd8.csv"
    assert json.loads(line)["file"] == "h地.csv" and "\\udc" not in line
