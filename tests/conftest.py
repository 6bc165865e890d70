"""Shared fixtures.

PostgreSQL tests run when ``LANTU_TEST_POSTGRES_URL`` is set (CI sets it) against a fresh database
created for the run; with ``LANTU_REQUIRE_POSTGRES=1`` a missing or unreachable server fails the
tests instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

# fixtures of the web tests (client, web_db, …) live in tests/webutil.py
pytest_plugins = ["webutil"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LANTU_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"shared material not found at {SHARED} (set LANTU_SHARED)")
    return SHARED


def _require(flag: str, reason: str) -> None:
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason} (and {flag}=1 requires it)")
    print(f"SKIP: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """URL of the PostgreSQL server's test database (given by LANTU_TEST_POSTGRES_URL)."""
    url = os.environ.get("LANTU_TEST_POSTGRES_URL")
    if not url:
        _require("LANTU_REQUIRE_POSTGRES", "LANTU_TEST_POSTGRES_URL is not set")
    return url


@pytest.fixture(scope="session")
def postgres_db_factory(postgres_server_url):
    """Creates fresh, empty PostgreSQL databases for tests, dropped at the end of the session.

    Each "database" is a schema of its own in the server's test database, reached through a URL
    whose connections set ``search_path`` to it: as isolated as a database for Lantu (tables,
    Alembic's version table), and created and dropped in milliseconds where CREATE/DROP
    DATABASE costs a checkpoint each.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure
        _require("LANTU_REQUIRE_POSTGRES", f"PostgreSQL not reachable: {exc}")
    created: list[str] = []

    def make() -> str:
        name = f"lantu_t_{uuid.uuid4().hex[:12]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{name}"'))
        created.append(name)
        url = make_url(postgres_server_url).update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    yield make
    with admin.connect() as c:
        for name in created:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lantu.db'}"
    return request.getfixturevalue("postgres_db_factory")()


@pytest.fixture
def db(db_url):
    from lantu.store import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def default_db_template(tmp_path_factory):
    """A SQLite file with the embedded default loaded once per session (copy it, don't write it)."""
    from lantu import services
    from lantu.store import open_database

    path = tmp_path_factory.mktemp("default") / "lantu.db"
    database = open_database(f"sqlite:///{path}")
    services.init_default(database)
    database.dispose()
    return path


@pytest.fixture
def default_db(default_db_template, tmp_path):
    """A fresh copy of the default database (SQLite)."""
    import shutil

    from lantu.store import open_database

    path = tmp_path / "lantu.db"
    shutil.copy(default_db_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()
