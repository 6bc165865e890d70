"""Over HTTPS Lantu's cookies are named with the ``__Host-`` prefix (``__Host-lantu_csrf``,
``__Host-lantu_session``): a browser keeps such a cookie only when it is Secure, has Path=/ and
no Domain, so a sibling subdomain cannot set it. The anonymous CSRF cookie had no prefix, so a
sibling able to set cookies on the parent domain could plant ``lantu_csrf`` and forge a sign-in.
Over plain HTTP (local use, tests) the names stay plain (a browser refuses a prefixed cookie
that is not Secure). Sign-in, a form and sign-out work in both; SQLite and PostgreSQL. Each
test of HTTPS failed on the code before.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from lantu.config import Settings
from lantu.web.app import create_app
from webutil import backend_db, csrf_of, task_ids

SCHEMES = {"https": ("https://testserver", "__Host-"), "http": ("http://testserver", "")}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, web_template_db, tmp_path_factory):
    db = backend_db(request, web_template_db, tmp_path_factory.mktemp("web8c"))
    yield db, tmp_path_factory.mktemp("web8c_home")
    db.dispose()


@pytest.fixture(params=sorted(SCHEMES))
def served(request, database):
    db, home = database
    base, prefix = SCHEMES[request.param]
    with TestClient(create_app(db, Settings(home=home)), base_url=base,
                    follow_redirects=False) as client:
        yield client, prefix, db


def _set_cookies(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def _cookie(response, name: str) -> str:
    (line,) = [c for c in _set_cookies(response) if c.startswith(name + "=")]
    return line


def _attrs(line: str) -> set[str]:
    return {a.strip().split("=")[0].lower() for a in line.split(";")[1:]}


def test_the_cookies_are_named_and_flagged_by_the_scheme(served):
    client, prefix, _db = served
    r = client.get("/login")
    csrf = _cookie(r, prefix + "lantu_csrf")
    assert "path" in _attrs(csrf) and "domain" not in _attrs(csrf)
    assert ("secure" in _attrs(csrf)) == bool(prefix)
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"username": "rep_czj", "password": "rep_czj-demo-2026",
                                    "csrf_token": token, "next": "/supervision"})
    assert r.status_code == 303, r.text[:300]
    session = _cookie(r, prefix + "lantu_session")
    assert {"path", "httponly", "samesite"} <= _attrs(session) and "domain" not in _attrs(session)
    assert "path=/;" in session.lower().replace(" ", "") + ";"
    assert ("secure" in _attrs(session)) == bool(prefix)
    if prefix:  # never the plain names over HTTPS
        assert not any(c.startswith("lantu_") for c in _set_cookies(r))


def test_sign_in_a_form_and_sign_out_work_in_both_modes(served):
    client, prefix, db = served
    client.cookies.clear()
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"username": "rep_czj", "password": "rep_czj-demo-2026",
                                    "csrf_token": token, "next": "/supervision"})
    assert r.status_code == 303 and r.headers["location"] == "/supervision"
    assert client.get("/supervision").status_code == 200  # signed in by the cookie's name
    node = task_ids(db, "czj")[0]
    token = csrf_of(client, f"/supervision/tasks/{node}")  # the session's token in its forms
    r = client.post("/notifications/read-all", data={"csrf_token": token})
    assert r.status_code == 303, (r.status_code, r.text[:300])
    r = client.post("/notifications/read-all", data={"csrf_token": "not-the-token"})
    assert r.status_code == 403
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    gone = _cookie(r, prefix + "lantu_session")
    assert "max-age=0" in gone.lower().replace(" ", "")
    assert ("secure" in _attrs(gone)) == bool(prefix)  # a __Host- deletion must be Secure too
    client.cookies.delete(prefix + "lantu_session")
    assert client.get("/supervision").status_code in (302, 303)  # signed out


def test_a_plain_csrf_cookie_planted_by_a_sibling_cannot_forge_a_sign_in_over_https(database):
    db, home = database
    with TestClient(create_app(db, Settings(home=home)), base_url="https://testserver",
                    follow_redirects=False) as client:
        # what a sibling subdomain can do: set a cookie for the parent domain, no prefix
        client.cookies.set("lantu_csrf", "planted-by-a-sibling-subdomain")
        r = client.post("/login", data={"username": "rep_czj", "password": "rep_czj-demo-2026",
                                        "csrf_token": "planted-by-a-sibling-subdomain"})
        assert r.status_code == 403, r.status_code
        assert not any("lantu_session" in c for c in _set_cookies(r))
        # nor a plain session cookie: over HTTPS only the __Host- one is read
        token = csrf_of(client, "/login")
        r = client.post("/login", data={"username": "rep_czj", "password": "rep_czj-demo-2026",
                                        "csrf_token": token})
        session = client.cookies.get("__Host-lantu_session")
        assert r.status_code == 303 and session
        client.cookies.delete("__Host-lantu_session")
        client.cookies.set("lantu_session", session)
        assert client.get("/supervision").status_code in (302, 303)
