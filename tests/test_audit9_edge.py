"""The net under the edge: a value the database refuses (``sqlalchemy.exc.DataError``: a number
out of its range, a byte it cannot store) is the client's 400 in the API's error shape, not a
500 (issue 12, class 3). audit9: the edge and the schemas refuse every known case first, so no
test reached the handler and removing it failed none; a route that meets such an error shows it."""

from __future__ import annotations

from sqlalchemy.exc import DataError


def _refused_by_the_database():
    raise DataError("INSERT INTO observation (value) VALUES (%(v)s)", {"v": 1e400},
                    ValueError("integer out of range"))


def test_a_value_the_database_refuses_is_a_400_not_a_500(client):
    routes = client.app.router.routes
    for path in ("/api/v1/audit9-data-error", "/audit9-data-error"):
        client.app.add_api_route(path, _refused_by_the_database)
        routes.insert(0, routes.pop())  # before the API's catch-all 404
    r = client.get("/api/v1/audit9-data-error")
    assert r.status_code == 400, r.text[:300]
    assert set(r.json()) >= {"detail", "error"} and "out of range" in r.json()["detail"]
    page = client.get("/audit9-data-error")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert client.get("/healthz").status_code == 200  # and the next request is served
