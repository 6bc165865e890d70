"""Hostile bytes and numbers at the edge (issue 12, class 3) on SQLite and PostgreSQL: a NUL byte
in the path, query, JSON, form or multipart field and ids beyond the database's integer range are
answered 4xx (the API's JSON error shape), never 500; an unexpected error is a clean 500 that
leaves the keep-alive connection usable. Also class 7: a chunked body over the limit is a 413."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from lantu.store import users
from webutil import backend_db, csrf_of, fresh_db, login, make_client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("edge")
    db = backend_db(request, web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "edge")
    with make_client(db, tmp / "home", upload_max_bytes=20_000) as client:
        yield client, {"Authorization": f"Bearer {token}"}, db
    db.dispose()


def is_api_error(r, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) >= {"detail", "error"}, body


@pytest.mark.parametrize("path", [
    "/api/v1/observations?indicator=gdp%00",
    "/api/v1/observations?region=140100&period=20%0022",
    "/api/v1/observations?group=%00",
    "/api/v1/targets?indicator=%00",
    "/api/v1/regions/%00",
    "/api/v1/indicators/gdp%00",
    "/api/v1/plans/x%00y",
    "/api/v1/progress-reports?department=%00",
    "/indicators?indicator=gdp%00",
    "/login?next=/%00",
])
def test_nul_in_the_address_is_a_400(env, path):
    client, auth, _ = env
    is_api_error(client.get(path, headers=auth), 400)


@pytest.mark.parametrize("field", ["excerpt", "source_url", "unit", "period", "indicator"])
def test_nul_in_a_json_string_is_a_400(env, field):
    client, auth, _ = env
    body = {"region_code": "140100", "period": "2022", "indicator": "gdp", "value": 1.0,
            "source_url": "https://x.gov.cn/a", "excerpt": "ok"}
    body[field] = body.get(field, "") + "\u0000"
    r = client.post("/api/v1/observations", content=json.dumps(body),
                    headers=auth | {"content-type": "application/json"})
    is_api_error(r, 400)


def test_nul_in_a_form_field_is_a_400(env):
    client, _, _ = env
    client.cookies.clear()
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"username": "admin\x00", "password": "x",
                                    "csrf_token": token})
    assert r.status_code == 400
    # the same in a multipart form (an evidence upload form, say)
    login(client, "admin")
    token = csrf_of(client, "/account")
    r = client.post("/account/tokens", data={"name": "a\x00b", "csrf_token": token},
                    files={"x": ("a.txt", b"\x00\x01 binary is fine in a file")})
    assert r.status_code == 400


@pytest.mark.parametrize("path", [
    "/api/v1/observations/2147483648", "/api/v1/observations/9223372036854775808",
    "/api/v1/observations/99999999999999999999999", "/api/v1/observations/-1",
    "/api/v1/observations/0",
])
def test_ids_beyond_the_integer_range_are_4xx_json(env, path):
    client, auth, _ = env
    is_api_error(client.get(path, headers=auth), (404, 422))


@pytest.mark.parametrize("path", ["/supervision/tasks/2147483648",
                                  "/supervision/evidence/99999999999",
                                  "/audit?page=99999999999999999999"])
def test_page_ids_beyond_the_integer_range_are_4xx(env, path):
    client, _, _ = env
    login(client, "admin")
    r = client.get(path)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])


def test_ids_beyond_range_in_forms_are_4xx(env):
    client, _, _ = env
    login(client, "admin")
    token = csrf_of(client, "/account")
    r = client.post("/account/tokens/2147483648/revoke", data={"csrf_token": token})
    assert 400 <= r.status_code < 500


def test_a_chunked_body_over_the_limit_is_413(env):
    client, _, _ = env
    login(client, "admin")
    token = csrf_of(client, "/account")

    def chunks():
        yield f"csrf_token={token}&name=".encode()
        for _ in range(200):
            yield b"a" * 1000

    r = client.post("/account/tokens", content=chunks(),
                    headers={"content-type": "application/x-www-form-urlencoded",
                             "x-csrf-token": token})
    assert r.status_code == 413


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unexpected_error_does_not_reset_the_connection(web_template_db, tmp_path):
    """Served by uvicorn: after a 500 the next request on the same connection is answered."""
    import uvicorn

    db = fresh_db(web_template_db, tmp_path)
    client = make_client(db, tmp_path / "home")
    app = client.app

    def boom():
        raise RuntimeError("a bug")

    app.router.add_api_route("/api/v1/boom-test", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # before the API's catch-all
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/v1/boom-test")
        r = conn.getresponse()
        body = json.loads(r.read())
        assert r.status == 500 and body["error"] == "internal_error" and "a bug" not in body["detail"]
        conn.request("GET", "/api/v1/regions")  # same connection
        r = conn.getresponse()
        r.read()
        assert r.status == 401
        conn.request("GET", "/api/v1/observations?indicator=%00")
        r = conn.getresponse()
        r.read()
        assert r.status == 400
        conn.request("GET", "/api/v1/regions")
        assert conn.getresponse().status == 401
        conn.close()
    finally:
        server.should_exit = True
        thread.join(10)
        db.dispose()
