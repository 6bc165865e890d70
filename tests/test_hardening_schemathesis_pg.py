"""Schemathesis over the whole API on PostgreSQL (issue 12): generated requests — NUL bytes,
huge ids, odd strings — never give a 5xx and every answer matches the schema."""

from __future__ import annotations

import pytest

from apicheck import check_api_conforms
from lantu import services
from lantu.store import Database, users
from webutil import make_client

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_api(postgres_db_factory, tmp_path_factory):
    from lantu.cli.web import demo_logins

    db = Database(postgres_db_factory())
    db.migrate()
    services.init_default(db)
    demo_logins(db)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "schemathesis")
    with make_client(db, tmp_path_factory.mktemp("stpg") / "home") as client:
        yield client.app, token
    db.dispose()


def test_api_on_postgresql_never_answers_5xx(pg_api):
    app, token = pg_api
    assert check_api_conforms(app, token) >= 12
