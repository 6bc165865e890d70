"""probe15 (the tenth attacker round): a user who must change their password uses nothing
else — neither the JSON API by their session nor an API token made before — and a throttled
password change answers 429 like the sign-in and the token form.

left10web flags a user whose password holds a word of their account (``password_must_change``,
found at the sign-in after a rename or after an administrator changed the display name or the
e-mail) and sends their pages to ``/account``; the JSON API asked nothing of the flag, so the
session read and wrote through ``/api/v1`` and a token made before the flag kept working. The
one rule is now ``deps.check_password_current``, asked by ``current_user`` and ``api_user``.

SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import pytest

from lantu.store import users
from webutil import backend_app, csrf_of, login

PASSWORD = "granite-lantern-orbit-8842"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p15cred"),
                     ("viewer",), "probe15") as (client, headers, db, _):
        yield client, headers, db


def flagged_user(client, db, name: str) -> str:
    """A viewer holding a token, then flagged at a sign-in: the administrator set an e-mail
    whose local part the password holds. Returns the token made before."""
    with db.session() as s:
        users.add_user(s, name, PASSWORD, "viewer", actor="test")
        token = users.create_api_token(s, name, "before")
        users.update_user(s, name, role="viewer", department_code=None,
                          email="orbit@fgw.example", actor="test")
    login(client, name, PASSWORD)
    with db.session() as s:
        assert users.get_user(s, name).must_change_password
    return token


def test_a_token_made_before_the_flag_is_held_until_the_password_changes(env):
    client, headers, db = env
    token = flagged_user(client, db, "p15flag1")
    bearer = {"Authorization": f"Bearer {token}"}
    client.cookies.clear()
    r = client.get("/api/v1/notifications", headers=bearer)
    assert r.status_code == 403, r.text
    assert r.json()["error"] == "forbidden"
    assert client.post("/api/v1/notifications/1/read", headers=bearer).status_code == 403
    assert client.get("/api/v1/observations?limit=1", headers=bearer).status_code == 403
    # the change ends it for good (revoked), and a token made after works
    login(client, "p15flag1", PASSWORD)
    r = client.post("/account/password", data={
        "current": PASSWORD, "new": "copper-meadow-signal-4410",
        "again": "copper-meadow-signal-4410", "csrf_token": csrf_of(client, "/account")})
    assert r.status_code == 303, r.text[:300]
    client.cookies.clear()
    assert client.get("/api/v1/notifications", headers=bearer).status_code == 401
    with db.session() as s:
        fresh = users.create_api_token(s, "p15flag1", "after")
    assert client.get("/api/v1/notifications",
                      headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_the_json_api_by_the_flagged_session_is_refused_too(env):
    client, headers, db = env
    flagged_user(client, db, "p15flag2")
    r = client.get("/api/v1/notifications")
    assert r.status_code == 403, r.text
    r = client.get("/api/v1/observations?limit=1")
    assert r.status_code == 403, r.text
    # the account page itself still answers, so the password can be changed
    assert client.get("/account").status_code == 200
    client.cookies.clear()


def test_another_users_token_is_not_held(env):
    client, headers, db = env
    assert client.get("/api/v1/notifications", headers=headers["viewer"]).status_code == 200


def test_a_throttled_password_change_is_429(env):
    client, headers, db = env
    with db.session() as s:
        users.add_user(s, "p15thr", PASSWORD, "viewer", actor="test")
    login(client, "p15thr", PASSWORD)
    codes = []
    for i in range(6):
        codes.append(client.post("/account/password", data={
            "current": f"wrong-{i}", "new": "copper-meadow-signal-4410",
            "again": "copper-meadow-signal-4410",
            "csrf_token": csrf_of(client, "/account")}).status_code)
    assert codes[:5] == [422] * 5 and codes[5] == 429, codes
    client.cookies.clear()
