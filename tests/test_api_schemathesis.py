"""Property-based tests of ``/api/v1`` against its own OpenAPI schema (schemathesis, in-process
ASGI, a fresh default database): for every operation, generated requests never crash the
server and every response matches the documented status codes and response models."""

from __future__ import annotations

import pytest

from apicheck import check_api_conforms
from lantu.store import users
from webutil import fresh_db, make_client


@pytest.fixture(scope="module")
def api_env(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("schemathesis")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "schemathesis")
    with make_client(db, tmp / "home") as client:
        yield client.app, token
    db.dispose()


@pytest.mark.slow
def test_api_conforms_to_its_schema(api_env):
    app, token = api_env
    assert check_api_conforms(app, token) >= 12


def test_schema_lists_every_resource(api_env):
    app, _ = api_env
    paths = app.openapi()["paths"]
    for p in ("/api/v1/regions", "/api/v1/indicators", "/api/v1/observations",
              "/api/v1/targets", "/api/v1/plans", "/api/v1/plans/{code}",
              "/api/v1/progress-reports", "/api/v1/index"):
        assert p in paths, p
    obs = paths["/api/v1/observations"]["get"]
    assert {"401", "422"} <= set(obs["responses"])
    err = obs["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert err.endswith("/ErrorPublic")
