"""Credentials (issue 12, class 4): a password change ends API tokens; tokens expire; creating one
needs the password; parallel wrong guesses never get past the limit (SQLite and PostgreSQL);
X-Forwarded-For is believed only from configured proxies; the password rule of NIST SP 800-63B
(length, a shipped list of common passwords, not the user name)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from lantu import services
from lantu.domain import ValidationError
from lantu.store import users
from lantu.store.models import utcnow
from lantu.store.models_web import ApiTokenRow
from lantu.store.passwords import password_problem
from webutil import count_password_checks, csrf_of, fresh_db, login, make_client

GOOD = "plum-kettle-orbit-7"


@pytest.fixture
def app_db(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    yield db
    db.dispose()


def bearer(client, token):
    client.cookies.clear()
    return client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})


def test_a_password_change_ends_every_api_token(app_db, tmp_path):
    with app_db.session() as s:
        token = users.create_api_token(s, "analyst", "script")
    with make_client(app_db, tmp_path / "h") as client:
        assert bearer(client, token).status_code == 200
        login(client, "analyst")
        r = client.post("/account/password", data={
            "current": "analyst-demo-2026", "new": GOOD, "again": GOOD,
            "csrf_token": csrf_of(client, "/account")})
        assert r.status_code == 303
        assert bearer(client, token).status_code == 401
    with app_db.session() as s:  # and by the CLI's way (set_password) too
        token = users.create_api_token(s, "viewer", "x")
        users.set_password(s, "viewer", GOOD + "x", actor="cli")
        assert users.resolve_api_token(s, token) is None


def test_tokens_expire(app_db):
    with app_db.session() as s:
        token = users.create_api_token(s, "analyst", "x")
        row = s.scalar(select(ApiTokenRow).order_by(ApiTokenRow.id.desc()))
        assert row.expires_at is not None
        assert timedelta(days=89) < row.expires_at - utcnow() <= timedelta(days=90)
        assert users.resolve_api_token(s, token) is not None
        s.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id)
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
        assert users.resolve_api_token(s, token) is None
        with pytest.raises(ValidationError):
            users.create_api_token(s, "analyst", "x", days=0)


def test_creating_a_token_needs_the_password(app_db, tmp_path):
    with make_client(app_db, tmp_path / "h") as client:
        login(client, "analyst")
        for data in ({"name": "stolen cookie"}, {"name": "x", "password": "wrong-password"}):
            r = client.post("/account/tokens", data=data | {
                "csrf_token": csrf_of(client, "/account")})
            assert r.status_code in (403, 422), r.status_code
            assert 'class="token"' not in r.text
        with app_db.session() as s:
            assert users.api_tokens(s, "analyst") == []
        r = client.post("/account/tokens", data={"name": "ok", "password": "analyst-demo-2026",
                                                 "csrf_token": csrf_of(client, "/account")})
        assert r.status_code == 200 and re.search(r'class="token">lt_', r.text)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_parallel_wrong_guesses_never_pass_the_limit(backend, web_template_db, tmp_path,
                                                     request, monkeypatch):
    if backend == "sqlite":
        db = fresh_db(web_template_db, tmp_path)
    else:
        from lantu.store import Database

        db = Database(request.getfixturevalue("postgres_db_factory")())
        db.migrate()
        services.init_reference(db)
        with db.session() as s:
            users.add_user(s, "analyst", "analyst-demo-2026", "analyst", demo=True)
    # the analyst's own address: 24 guesses also pass the per-name limit (users.THROTTLE),
    # which spares an address the user signed in from
    assert users.check_login(db, "analyst", "analyst-demo-2026", "10.0.0.8").user
    checked = count_password_checks(monkeypatch)
    try:
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(
                lambda i: users.check_login(db, "analyst", f"guess-{i}", "10.0.0.9"), range(24)))
        assert len(checked) <= users.THROTTLE_FAILURES
        assert sum(o.throttled for o in outcomes) >= 24 - users.THROTTLE_FAILURES
        # the right password is refused too while the lock lasts
        assert users.check_login(db, "analyst", "analyst-demo-2026", "10.0.0.9").throttled
        assert users.check_login(db, "analyst", "analyst-demo-2026", "10.0.0.8").user
        assert users.check_login(db, "analyst", "analyst-demo-2026", "10.0.0.7").throttled
    finally:
        db.dispose()


def _fail(client, xff: str | None = None):
    headers = {"X-Forwarded-For": xff} if xff else {}
    return client.post("/login", headers=headers, data={
        "username": "analyst", "password": "wrong-password", "csrf_token": csrf_of(client)})


def test_x_forwarded_for_is_ignored_from_untrusted_peers(app_db, tmp_path):
    client = TestClient(make_client(app_db, tmp_path / "h").app, follow_redirects=False,
                        client=("127.0.0.1", 4000))
    codes = [_fail(client, f"203.0.113.{i}").status_code for i in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_x_forwarded_for_is_believed_from_a_configured_proxy(app_db, tmp_path):
    app = make_client(app_db, tmp_path / "h", trusted_proxies="10.0.0.0/8").app
    proxy = TestClient(app, follow_redirects=False, client=("10.1.2.3", 4000))
    for _ in range(5):
        assert _fail(proxy, "198.51.100.7, 10.1.2.3").status_code == 401
    assert _fail(proxy, "198.51.100.7").status_code == 429  # the same client behind the proxy
    assert _fail(proxy, "198.51.100.8").status_code == 401  # another one is not locked out
    # a spoofed header sent by a client that is not the proxy changes nothing
    direct = TestClient(app, follow_redirects=False, client=("192.0.2.1", 4000))
    for _ in range(5):
        _fail(direct, "198.51.100.99")
    assert _fail(direct, "198.51.100.100").status_code == 429
    r = TestClient(app, client=("10.1.2.3", 1), base_url="http://testserver").get(
        "/healthz", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("password, username, fragment", [
    ("short-pass", "", "at least 15"),
    ("password12345678", "", "common"),
    ("passwordpassword", "", "common"),
    ("123456789012345678", "", "common"),
    ("qwertyuiopasdfghjkl", "", "common"),
    ("!!iloveyou2026!!!!", "", "common"),
    ("aaaaaaaaaaaaaaaaaaaa", "", "too few"),
    ("zhangsan-long-pass-1", "zhangsan", "user name"),
    ("ZHANGSAN-2026-spring", "zhangsan", "user name"),
    ("my-lantu-password-1", "", "service"),
])
def test_the_password_rule(app_db, password, username, fragment):
    assert fragment in (password_problem(password, username) or "")
    with app_db.session() as s, pytest.raises(ValidationError, match="password"):
        users.add_user(s, username or "someone", password, "viewer")
    assert password_problem("correct horse battery staple", "zhangsan") is None
    assert password_problem("长城内外大河上下顿失滔滔", "") is not None  # 12 characters
    assert password_problem("长城内外惟余莽莽大河上下顿失滔滔", "") is None


def test_the_common_password_list_is_shipped_as_data():
    from lantu.defaults import DATA
    from lantu.store.passwords import common_passwords

    assert (DATA / "common_passwords.txt").is_file()
    assert len(common_passwords()) >= 10_000 - 100
    assert {"123456", "password", "qwerty"} <= common_passwords()
