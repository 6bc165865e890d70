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


# Modules that may touch the environment besides lantu.config, each with its reason; an entry
# that no longer touches it fails the test (the list may only shrink).
ALLOWED: dict[str, str] = {
    "cli/web.py": "writes LANTU_DATABASE_URL for uvicorn's worker processes, which build the app "
                  "from the environment (through Settings); it reads nothing",
}


def _environment_uses(path: Path) -> list[int]:
    """Lines of ``path`` that use the environment: ``os.environ`` (read or write), ``os.getenv``,
    ``os.putenv`` or ``from os import environ/getenv/putenv``."""
    names = {"environ", "getenv", "putenv"}
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in names \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" \
                and any(a.name in names for a in node.names):
            lines.append(node.lineno)
    return lines


def test_only_the_settings_read_the_environment() -> None:
    users = {str(p.relative_to(SRC)): lines for p in SRC.rglob("*.py")
             if (lines := _environment_uses(p)) and p.name != "config.py"}
    assert set(users) - set(ALLOWED) == set(), users
    assert set(ALLOWED) <= set(users), "an allowed module no longer uses the environment: drop it"


def test_the_allowed_module_only_writes() -> None:
    """cli/web.py hands a setting to child processes; it never reads the environment itself."""
    tree = ast.parse((SRC / "cli" / "web.py").read_text(encoding="utf-8"))
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "environ"]
    writes = [n for n in ast.walk(tree) if isinstance(n, ast.Subscript)
              and isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Attribute)
              and n.value.attr == "environ"]
    assert uses and len(uses) == len(writes)


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
