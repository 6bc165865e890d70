"""``lantu check-stored`` (left12): texts stored before a newer text rule may hold what the rules
now refuse, and the write gate sees only new writes. The command lists every stored row that
breaks the current rules — table, row, column, reason — changes nothing, prints only the count
with ``--count``, and exits 1 when there is any. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from lantu.cli import app
from lantu.store.sweep import stored_problems
from webutil import backend_db, task_ids

runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def old_db(request, web_template_db, tmp_path):
    """The demo with three texts written as an older Lantu could (past the ORM's gate)."""
    database = backend_db(request, web_template_db, tmp_path)
    task = task_ids(database, "fgw")[0]
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE plan_node SET title = :t WHERE id = :i"),
                     {"t": "选址论证\u2028", "i": task})
        conn.execute(text("UPDATE user_account SET display_name = :d WHERE username = 'analyst'"),
                     {"d": "分析\u200b员"})
        conn.execute(text("UPDATE observation SET excerpt = :e WHERE id = "
                          "(SELECT min(id) FROM observation)"), {"e": "增长\u202e8%"})
    yield database, task
    database.dispose()


def test_the_sweep_names_each_row_and_changes_nothing(old_db):
    database, task = old_db
    with database.session() as s:
        found = list(stored_problems(s))
    where = {(p.table, p.column): p for p in found}
    assert set(where) == {("plan_node", "title"), ("user_account", "display_name"),
                          ("observation", "excerpt")}, found
    assert where[("plan_node", "title")].row == str(task)
    assert "U+2028" in where[("plan_node", "title")].reason
    assert "U+202E" in where[("observation", "excerpt")].reason
    with database.engine.connect() as conn:  # read only: the text is as it was
        assert conn.execute(text("SELECT title FROM plan_node WHERE id = :i"),
                            {"i": task}).scalar_one() == "选址论证\u2028"


def test_lantu_check_stored_lists_and_counts(old_db):
    database, task = old_db
    res = runner.invoke(app, ["check-stored", "--db", database.url], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    assert "plan_node" in res.output and "display_name" in res.output
    assert f"│ {task} " in res.output and "3 stored texts the current rules refuse" in res.output
    res = runner.invoke(app, ["check-stored", "--count", "--db", database.url])
    assert res.exit_code == 1 and res.output.strip() == "3"


def test_a_clean_database_passes(web_template_db, tmp_path):
    import shutil

    shutil.copyfile(web_template_db, tmp_path / "c.db")
    res = runner.invoke(app, ["check-stored", "--count", "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert res.exit_code == 0 and res.output.strip() == "0", res.output
