"""One settings object (:mod:`lantu.config`): the only reader of the environment; the web app
checks the schema at start instead of migrating in every worker."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lantu.config import Settings
from lantu.errors import EXIT_USAGE
from lantu.store import Database
from lantu.store.db import SchemaBehind

SRC = Path(__file__).resolve().parents[1] / "src" / "lantu"


def _environment_reads(path: Path) -> list[int]:
    """Lines of ``path`` that read the environment (``os.environ[...]``/``.get``, ``getenv``)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
    writes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            writes.add(node.lineno)  # os.environ[...] = ...: handing a setting to a child process
    return [n for n in lines if n not in writes]


def test_only_the_settings_read_the_environment() -> None:
    readers = {str(p.relative_to(SRC)): lines for p in SRC.rglob("*.py")
               if (lines := _environment_reads(p)) and p.name != "config.py"}
    assert readers == {}


def test_settings_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LANTU_DISPLAY_TZ", "Europe/Paris")
    monkeypatch.setenv("LANTU_PASSWORD_PROFILE", "test")
    monkeypatch.setenv("LANTU_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    s = Settings()
    assert (s.display_tz, s.password_profile) == ("Europe/Paris", "test")
    assert s.resolved_database_url().endswith("x.db")
    assert not hasattr(s, "secret_key")  # unused: gone
    monkeypatch.setenv("LANTU_PASSWORD_PROFILE", "weak")
    with pytest.raises(ValueError, match="password_profile"):
        Settings()


def test_app_refuses_a_database_behind_the_code_and_names_the_upgrade(tmp_path) -> None:
    from lantu.web.app import create_app

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaBehind, match=r"schema revision \(empty\).*lantu init --db") as err:
        create_app(db, Settings(home=tmp_path))
    assert err.value.exit_code == EXIT_USAGE
    assert db.current_revision() is None  # nothing was migrated behind the operator's back
    app = create_app(db, Settings(home=tmp_path), migrate=True)
    assert db.is_up_to_date() and app.state.database is db
    db.dispose()
