"""Shared fixtures.

PostgreSQL tests run when ``LANTU_TEST_POSTGRES_URL`` is set (CI sets it) against a fresh database
created for the run; with ``LANTU_REQUIRE_POSTGRES=1`` a missing or unreachable server fails the
tests instead of skipping them.

What a test starts from is built once and copied (docs/testing.md has what each saves): the
default (``default_db_template``), the migrated empty schema (``migrated_db_template``, the
``db`` fixture) and, on PostgreSQL, the migrated and the scenario databases
(``postgres_template_clones``: a template database per worker, copied per test).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from sharedpath import SHARED

# Property tests draw the same examples on every run unless asked otherwise: a suite that goes
# red because a new random draw met an edge nobody changed (twice in the runs of one session: a
# subnormal number, two correlated CRITIC columns) tells nothing about the change under test, and blocks it. ``ci`` (the default) derives
# each test's examples from the test itself; ``explore`` draws new ones every run and keeps what
# fails in .hypothesis/ (docs/testing.md: run it while working on a rule, and turn what it finds
# into a fixed case).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
def _postgres_admin(postgres_server_url):
    """An AUTOCOMMIT engine on the server's test database (skips, or fails with
    ``LANTU_REQUIRE_POSTGRES=1``, when the server is not reachable)."""
    from sqlalchemy import create_engine, text

    try:
        admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any connection failure
        _require("LANTU_REQUIRE_POSTGRES", f"PostgreSQL not reachable: {exc}")
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_db_factory(postgres_server_url, _postgres_admin):
    """Creates fresh, empty PostgreSQL databases for tests, dropped at the end of the session.

    Each "database" is a schema of its own in the server's test database, reached through a URL
    whose connections set ``search_path`` to it: as isolated as a database for Lantu (tables,
    Alembic's version table), and created and dropped in milliseconds where CREATE/DROP
    DATABASE costs a checkpoint each.
    """
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    admin = _postgres_admin
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


class _TemplateClones:
    """Fresh PostgreSQL databases copied from this worker's template databases (see
    :func:`postgres_template_clones`); a database is dropped by a thread of its own, since each
    DROP DATABASE waits for a checkpoint (a fraction of a second) that no test need wait for."""

    def __init__(self, server_url: str, admin) -> None:
        import queue
        import threading

        self.server_url, self.admin = server_url, admin
        self.templates: dict[str, str] = {}
        self.made: list[str] = []
        self.to_drop: queue.Queue[str | None] = queue.Queue()
        self.dropper = threading.Thread(target=self._drop_all, name="drop-databases", daemon=True)
        self.dropper.start()

    def url_of(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> str:
        from sqlalchemy import text

        with self.admin.connect() as c:
            c.execute(
                text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            )
        self.made.append(name)
        return self.url_of(name)

    def __call__(self, kind: str, build) -> str:
        from lantu.store import Database

        if kind not in self.templates:
            name = f"lantu_tpl_{uuid.uuid4().hex[:12]}"
            database = Database(self._create(name))
            try:
                build(database)
            finally:
                database.dispose()  # a template is copied only while nobody is connected
            self.templates[kind] = name
        return self._create(f"lantu_t_{uuid.uuid4().hex[:12]}", self.templates[kind])

    def drop(self, url: str) -> None:
        """Drop a database made here, once its user is done with it (in the background)."""
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        if name in self.made:
            self.made.remove(name)
            self.to_drop.put(name)

    def _drop_all(self) -> None:
        from sqlalchemy import text

        while (name := self.to_drop.get()) is not None:
            with self.admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for name in reversed(self.made):  # the copies first, then their templates
            self.to_drop.put(name)
        self.to_drop.put(None)
        self.dropper.join()


@pytest.fixture(scope="session")
def postgres_template_clones(postgres_server_url, _postgres_admin):
    """``clone(kind, build)``: the URL of a fresh PostgreSQL database copied from this worker's
    template database of ``kind``, which ``build(database)`` fills the first time it is asked
    for (migrations, the default: seconds on PostgreSQL, where a copy takes milliseconds).

    PostgreSQL copies a database with ``CREATE DATABASE … TEMPLATE`` (15+: block by block, no
    checkpoint), and only while nobody is connected to the template: each pytest-xdist worker
    has templates of its own, and the engine that builds one is disposed before it is copied.
    Every database made here is dropped, at the latest at the end of the session.
    """
    clones = _TemplateClones(postgres_server_url, _postgres_admin)
    yield clones
    clones.close()


@pytest.fixture(scope="session")
def postgres_demo_db_factory(postgres_template_clones):
    """Makes fresh PostgreSQL databases as the web scenarios want them (the one place they are
    set up): migrated, holding the embedded default (``figures=False``: only the reference data
    and the default plan, no figures, targets or milestones) and the demo logins. The caller
    disposes the :class:`~lantu.store.Database` it gets.

    Each is a copy of a template built once per worker (see :func:`postgres_template_clones`),
    as the SQLite scenarios copy ``web_template_db``."""
    from lantu import actors, defaults, services
    from lantu.cli.web import demo_logins
    from lantu.store import Database, repo

    def build(db, figures: bool) -> None:
        db.migrate()
        if figures:
            services.init_default(db)
        else:
            services.init_reference(db)
            with db.session() as s:
                repo.save_plan(s, defaults.load_plan(), actor=actors.INIT)
        demo_logins(db)

    def make(*, figures: bool = True):
        kind = "demo" if figures else "demo-plan-only"
        return Database(postgres_template_clones(kind, lambda db: build(db, figures)))

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lantu.db'}"
    return request.getfixturevalue("postgres_db_factory")()


@pytest.fixture(scope="session")
def migrated_db_template(tmp_path_factory):
    """A SQLite file with the newest schema and no rows, made once per session (copy it)."""
    from lantu.store import open_database

    path = tmp_path_factory.mktemp("migrated") / "lantu.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db(request, db_url):
    """A fresh database on each backend, opened as the app opens it (``open_database``: brought
    to the newest schema). It starts as a copy of a migrated, empty template made once per
    session (SQLite) or per worker (PostgreSQL), so the migrations run once, not per test."""
    import shutil

    from sqlalchemy.engine import make_url

    from lantu.store import open_database

    if db_url.startswith("sqlite"):
        shutil.copyfile(request.getfixturevalue("migrated_db_template"), make_url(db_url).database)
        url = db_url
    else:
        clones = request.getfixturevalue("postgres_template_clones")
        url = clones("migrated", _migrate)
    database = open_database(url)
    yield database
    database.dispose()
    if not db_url.startswith("sqlite"):
        clones.drop(url)


def _migrate(database) -> None:
    database.migrate()


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
