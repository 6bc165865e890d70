"""Migration 0002 matches the models, downgrades cleanly; ``lantu demo`` prints the logins."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lantu.store import Database
from lantu.store.db import _alembic_config
from lantu.store.models import Base

WEB_TABLES = {"user_account", "web_session", "login_attempt", "api_token", "progress_report",
              "evidence_file", "task_event"}


def test_models_match_migrations(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 's.db'}")
    db.migrate()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert WEB_TABLES <= set(inspect(db.engine).get_table_names())
    assert db.is_up_to_date()
    with db.engine.begin() as conn:
        cfg = _alembic_config(db.url)
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0001")
    assert not WEB_TABLES & set(inspect(db.engine).get_table_names())
    db.migrate()
    assert db.is_up_to_date()
    db.dispose()


def test_demo_prints_a_login_per_role(web_db, monkeypatch, capsys):
    from lantu.cli import web

    served = {}
    monkeypatch.setattr(web, "_run", lambda database, host, port, workers=1: served.update(
        host=host, port=port))
    web.serve_app(web_db, host="127.0.0.1", port=8123)
    out = capsys.readouterr().out
    for role in ("admin", "supervisor", "analyst", "viewer", "reporter"):
        assert role in out
    assert "rep_fgw-demo-2026" in out or "rep_" in out
    assert served == {"host": "127.0.0.1", "port": 8123}
    # running it again creates nobody twice
    web.serve_app(web_db, host="127.0.0.1", port=8123)


def test_seams_migration_drops_the_unused_framework_tables_and_restores_them(tmp_path):
    """0006 drops ``framework``/``framework_node`` (never written), refuses when they hold rows
    (nothing is lost silently), and its downgrade recreates them as 0001 made them."""
    from alembic.command import upgrade
    from sqlalchemy import text

    from lantu.errors import Conflict

    db = Database(f"sqlite:///{tmp_path / 'f.db'}")
    db.migrate()
    assert not {"framework", "framework_node"} & set(inspect(db.engine).get_table_names())
    cfg = _alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0005_hardening")
    columns = {c["name"] for c in inspect(db.engine).get_columns("framework_node")}
    assert {"framework_code", "code", "weight", "is_indicator", "position"} <= columns
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO framework (code, name_zh, name_en) VALUES ('f', '框架', 'f')"))
    with pytest.raises(Conflict, match=r"'framework' holds 1 row"), db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM framework"))
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    assert db.is_up_to_date()
    assert "framework" not in inspect(db.engine).get_table_names()
    db.dispose()
