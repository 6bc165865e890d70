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

from sharedpath import SHARED

# fixtures of the web tests (client, web_db, …) live in tests/webutil.py, the browser of the
# browser tests (chromium) in tests/browserutil.py
pytest_plugins = ["webutil", "hostile", "browserutil"]

ROOT = Path(__file__).resolve().parents[1]


def _need_shared() -> None:
    """Tests that read ``../shared`` (the corpus, the data, the seed) skip with the reason
    outside CI and fail in CI (``CI=true``), where the copy beside the clone must be there."""
    reason = f"shared material not found at {SHARED} (set LANTU_SHARED)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI runs with a copy of shared/ beside the clone")
    print(f"SKIP: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material (``$LANTU_SHARED`` or ``../shared``); see :func:`_need_shared`."""
    if not SHARED.exists():
        _need_shared()
    return SHARED


def pytest_runtest_setup(item) -> None:
    # a module that reads ../shared at import time marks itself `needs_shared`
    if item.get_closest_marker("needs_shared") and not SHARED.exists():
        _need_shared()


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


@pytest.fixture(scope="session")
def postgres_demo_db_factory(postgres_db_factory):
    """Makes fresh PostgreSQL databases as the web scenarios want them (the one place they are
    set up): migrated, holding the embedded default (``figures=False``: only the reference data
    and the default plan, no figures, targets or milestones) and the demo logins. The caller
    disposes the :class:`~lantu.store.Database` it gets."""
    from lantu import defaults, services
    from lantu.cli.web import demo_logins
    from lantu.store import Database, repo

    def make(*, figures: bool = True):
        db = Database(postgres_db_factory())
        db.migrate()
        if figures:
            services.init_default(db)
        else:
            services.init_reference(db)
            with db.session() as s:
                repo.save_plan(s, defaults.load_plan(), actor="init")
        demo_logins(db)
        return db

    return make


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


def copy_of(template, directory):
    """An open database on a fresh copy of a template file (the one way tests get the default:
    load it once per session in :func:`default_db_template`, copy it per test or module)."""
    import shutil

    from lantu.store import Database

    path = directory / "lantu.db"
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def default_db(default_db_template, tmp_path):
    """A fresh copy of the default database (SQLite)."""
    database = copy_of(default_db_template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def default_db_module(default_db_template, tmp_path_factory):
    """A copy of the default database shared by the tests of one module (read it, or write only
    what the module's tests expect to share)."""
    database = copy_of(default_db_template, tmp_path_factory.mktemp("default-module"))
    yield database
    database.dispose()
