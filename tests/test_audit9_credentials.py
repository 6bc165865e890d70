"""What ends a user's credentials, held where no test held it (audit9, a mutation audit of
docs/security.md): a password change ends every *other* session of the user, not only their
API tokens (the browser that changed it gets a new one); disabling a user revokes their tokens
and ends their sessions for good — enabling them again does not bring either back. The named
tests passed with either removed (a disabled user is refused anyway while disabled, which hid
it). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from lantu.store import users
from webutil import backend_db, login, make_client, post

NEW_PASSWORD = "Quince-Harbor-Lantern-93"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path):
    db = backend_db(request, web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as client:
        yield client, db
    db.dispose()


def _signed_in(client, cookie: str) -> bool:
    client.cookies.clear()
    client.cookies.set("lantu_session", cookie)
    return client.get("/account").status_code == 200


def test_a_password_change_ends_the_users_other_sessions(env):
    client, db = env
    login(client, "viewer")
    elsewhere = client.cookies.get("lantu_session")
    login(client, "viewer")
    here = client.cookies.get("lantu_session")
    assert elsewhere != here and _signed_in(client, elsewhere) and _signed_in(client, here)
    r = post(client, "/account/password", {"current": "viewer-demo-2026", "new": NEW_PASSWORD,
                                           "again": NEW_PASSWORD}, csrf_page="/account")
    assert r.status_code == 303, r.text[:300]
    fresh = r.cookies.get("lantu_session")
    assert fresh not in (here, elsewhere)
    assert _signed_in(client, fresh)
    assert not _signed_in(client, elsewhere)
    assert not _signed_in(client, here)


def test_disabling_a_user_ends_their_tokens_and_sessions_for_good(env):
    client, db = env
    login(client, "viewer")
    cookie = client.cookies.get("lantu_session")
    with db.session() as s:
        token = users.create_api_token(s, "viewer", "audit9")
    bearer = {"Authorization": f"Bearer {token}"}
    client.cookies.clear()
    assert client.get("/api/v1/regions", headers=bearer).status_code == 200
    with db.session() as s:
        users.set_active(s, "viewer", False, actor="admin")
    with db.session() as s:
        users.set_active(s, "viewer", True, actor="admin")
    client.cookies.clear()
    assert client.get("/api/v1/regions", headers=bearer).status_code == 401
    assert not _signed_in(client, cookie)
    with db.session() as s:
        assert all(t["revoked_at"] is not None for t in users.api_tokens(s, "viewer"))
