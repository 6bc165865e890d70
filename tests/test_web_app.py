"""The app skeleton: login, logout, sessions, CSRF, throttling, security headers, language."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from lantu.store.models import utcnow
from lantu.store.models_web import WebSessionRow
from lantu.store.users import THROTTLE_FAILURES
from webutil import csrf_of, login, make_client


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/nope"):
        r = client.get(path)
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"]


def test_anonymous_page_redirects_to_login_and_back(client):
    r = client.get("/supervision?dept=fgw")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=%2Fsupervision%3Fdept%3Dfgw")
    token = csrf_of(client)
    r = client.post("/login", data={"username": "admin", "password": "admin-demo-2026",
                                    "csrf_token": token, "next": "/supervision?dept=fgw"})
    assert r.status_code == 303 and r.headers["location"] == "/supervision?dept=fgw"
    assert "lantu_session" in r.cookies


def test_login_refuses_open_redirect(client):
    token = csrf_of(client)
    r = client.post("/login", data={"username": "admin", "password": "admin-demo-2026",
                                    "csrf_token": token, "next": "//evil.example/x"})
    assert r.headers["location"] == "/"


def test_wrong_password_then_throttled(client):
    token = csrf_of(client)
    for _ in range(THROTTLE_FAILURES):
        r = client.post("/login", data={"username": "admin", "password": "wrong-password",
                                        "csrf_token": token})
        assert r.status_code == 401
    # now even the right password is refused for this name and address
    r = client.post("/login", data={"username": "admin", "password": "admin-demo-2026",
                                    "csrf_token": token})
    assert r.status_code == 429
    # another user from the same address is not affected
    r = client.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                                    "csrf_token": token})
    assert r.status_code == 303


def test_login_without_or_with_forged_csrf_is_refused(client):
    csrf_of(client)
    r = client.post("/login", data={"username": "admin", "password": "admin-demo-2026"})
    assert r.status_code == 403
    r = client.post("/login", data={"username": "admin", "password": "admin-demo-2026",
                                    "csrf_token": "forged"})
    assert r.status_code == 403


def test_logout_needs_session_csrf_and_ends_session(client):
    login(client, "viewer")
    # the anonymous double-submit token is not the session's token
    r = client.post("/logout", data={"csrf_token": client.cookies.get("lantu_csrf") or "x"})
    assert r.status_code == 403
    token = csrf_of(client, "/supervision")
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    assert client.get("/supervision").status_code == 303


def test_expired_session_is_refused(client, web_db):
    login(client, "viewer")
    assert client.get("/supervision").status_code == 200
    with web_db.session() as s:
        s.execute(update(WebSessionRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = client.get("/supervision")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_session_max_age_from_settings(web_db, tmp_path):
    with make_client(web_db, tmp_path / "h", session_max_age=60) as c:
        token = csrf_of(c)
        r = c.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                                   "csrf_token": token})
        assert "Max-Age=60" in r.headers["set-cookie"]


def test_disabled_user_loses_session(client, web_db):
    from lantu.store import users

    login(client, "analyst")
    assert client.get("/supervision").status_code == 200
    with web_db.session() as s:
        users.set_active(s, "analyst", False)
    assert client.get("/supervision").status_code == 303


def test_language_switch_by_query_and_cookie(client):
    r = client.get("/login")
    assert "登录" in r.text
    r = client.get("/login?lang=en")
    assert "Sign in" in r.text and "登录</h1>" not in r.text
    assert client.cookies.get("lantu_lang") == "en"
    assert "Sign in" in client.get("/login").text


def test_healthz_is_trivial(client):
    assert client.get("/healthz").json() == {"ok": True}


def test_oversized_body_is_refused_before_parsing(web_db, tmp_path):
    with make_client(web_db, tmp_path / "h", upload_max_bytes=1000) as c:
        token = csrf_of(c)
        r = c.post("/login", data={"username": "x" * 100_000, "password": "y",
                                   "csrf_token": token})
        assert r.status_code == 413
        assert r.headers["x-frame-options"] == "DENY"


def test_change_own_password(client, web_db):
    login(client, "analyst")
    other = make_client(web_db, client.app.state.settings.home)
    login(other, "analyst")

    def change(current, new, again):
        return client.post("/account/password", data={
            "current": current, "new": new, "again": again,
            "csrf_token": csrf_of(client, "/account")})

    assert change("wrong-password", "quiet-lantern-harbor-9", "quiet-lantern-harbor-9").status_code == 422
    assert change("analyst-demo-2026", "quiet-lantern-harbor-9", "other-password").status_code == 422
    assert change("analyst-demo-2026", "short", "short").status_code == 422
    r = change("analyst-demo-2026", "quiet-lantern-harbor-9", "quiet-lantern-harbor-9")
    assert r.status_code == 303
    assert client.get("/account").status_code == 200  # this browser stays signed in
    assert other.get("/account").status_code == 303  # the other session ended
    login(client, "analyst", "quiet-lantern-harbor-9")


def test_hsts_only_over_https(web_db, tmp_path):
    from fastapi.testclient import TestClient

    app = make_client(web_db, tmp_path / "h").app
    assert "strict-transport-security" not in TestClient(app).get("/healthz").headers
    https = TestClient(app, base_url="https://testserver")
    assert https.get("/healthz").headers["strict-transport-security"].startswith("max-age=")
