"""probe13 (the ninth attacker round): a whole number in a URL is written with the digits 0-9.

web8 gave years one reader (``+2024``, ``2_024``, ``2024.0`` were 2024) and forms another; the
row ids of paths and the ``limit``, ``offset`` and ``page`` of queries were still read by
pydantic's lax integer rule: ``/api/v1/tasks/87.0``, ``/+87``, ``/8_7``, ``/087`` and ``/ 87``
were task 87, ``?limit=10.0``, ``?limit=+10``, ``?limit=1_0`` and ``?limit= 10`` ten — one thing
under many addresses (a cache, a log or an access rule keyed on the path sees different ones).
Now every whole number of a path or a query carries ``api_schemas.WholeNumber`` (the digits 0-9,
no sign, blank, point, underscore or leading zero: 422 naming the parameter); a walk over the
app's routes and their dependencies holds that no parameter is left out.

The database plays no part (422 before it is asked): SQLite. Each test failed on the code before.
"""

from __future__ import annotations

import pytest

from lantu.store import users
from webutil import make_client

SPELLINGS = ("10.0", "+10", "1_0", " 10", "10 ", "010", "１０", "1e1", "0x0a", "-1")


@pytest.fixture(scope="module")
def env(web_template_db, tmp_path_factory):
    from webutil import fresh_db

    tmp = tmp_path_factory.mktemp("p13whole")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "supervisor", "p13")
    with make_client(db, tmp / "home") as client:
        yield client, {"Authorization": f"Bearer {token}"}
    db.dispose()


def test_every_whole_number_of_a_path_or_query_is_read_by_the_one_rule():
    import importlib
    import pkgutil

    from fastapi.routing import APIRoute

    import lantu.web.routes as package
    from lantu.web import api_schemas

    # a year has its own reader (web8: ``domain.periods.read_year``), every other whole number
    # this one
    READERS = {api_schemas.WholeNumber.func, api_schemas._year,  # noqa: N806
               api_schemas._year_or_none}
    from lantu.web.app import create_app  # noqa: F401  (the routers are imported with it)

    missing: list[str] = []

    def walk(dependant, where: str) -> None:
        for param in (*dependant.path_params, *dependant.query_params):
            annotation = param.field_info.annotation
            kinds = set(getattr(annotation, "__args__", ())) or {annotation}
            rules = {getattr(m, "func", None) for m in param.field_info.metadata}
            if int in kinds and not rules & READERS:
                missing.append(f"{where}: {param.name}")
        for sub in dependant.dependencies:
            walk(sub, where)

    routes = [route for info in pkgutil.iter_modules(package.__path__)
              for route in getattr(importlib.import_module(f"{package.__name__}.{info.name}"),
                                   "router", None).routes
              if isinstance(route, APIRoute)]
    assert len(routes) > 80
    for route in routes:
        walk(route.dependant, f"{sorted(route.methods)} {route.path}")
    assert not missing, missing


def test_a_row_id_in_a_path_is_written_with_digits_only(env):
    client, sup = env
    assert client.get("/api/v1/tasks/18", headers=sup).status_code == 200
    for spelling in SPELLINGS:  # the last four were refused before too
        r = client.get(f"/api/v1/tasks/{spelling.replace('10', '18')}", headers=sup)
        assert r.status_code == 422, (spelling, r.status_code)
        assert r.json()["error"] == "validation_error"


def test_limit_offset_and_page_are_written_with_digits_only(env):
    client, sup = env
    for spelling in SPELLINGS:
        for path in (f"/api/v1/observations?limit={spelling}",
                     f"/api/v1/observations?offset={spelling}",
                     f"/api/v1/notifications?limit={spelling}", f"/indicators?page={spelling}"):
            r = client.get(path, headers=sup)
            assert r.status_code == 422, (path, r.status_code)
    assert client.get("/api/v1/observations?limit=10&offset=0", headers=sup).status_code == 200
    assert client.get("/indicators?page=1", headers=sup).status_code == 200
