"""A rename ends what the renamed user is signed in by — sessions and API tokens — as a password
change does (``users._end_credentials``, one rule for a password change, a rename and disabling).
Before, a rename kept the tokens: an administrator who renamed a look-alike (``Admin`` beside
``admin``) out of the way left every token minted under the look-alike working, for 90 days, with
its role. SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

from sqlalchemy import select  # noqa: E402

from lantu.store import users  # noqa: E402
from lantu.store.models import AuditLogRow  # noqa: E402
from lantu.store.models_web import ApiTokenRow, WebSessionRow  # noqa: E402
from webutil import login, make_client, post  # noqa: E402

PASSWORD = "a-long-enough-password-4-tests"


def test_a_rename_revokes_the_users_tokens_and_ends_their_sessions(db, caplog):
    with db.session() as s:
        for name in ("Admln", "keeper"):
            users.add_user(s, name, PASSWORD, "admin")
        old = users.create_api_token(s, "Admln", "script")
        other = users.create_api_token(s, "keeper", "script")
        users.start_session(s, users.get_user(s, "Admln"), 3600, ip="10.0.0.1")
        assert users.resolve_api_token(s, old) is not None
    caplog.set_level(logging.INFO, logger="lantu.security")
    with db.session() as s:
        users.rename_user(s, "Admln", "admln_old", actor="admin")
    with db.session() as s:
        renamed = users.get_user(s, "admln_old")
        assert users.resolve_api_token(s, old) is None
        assert users.resolve_api_token(s, other) is not None  # nobody else's
        assert s.scalars(select(WebSessionRow).where(WebSessionRow.user_id == renamed.id)).all() == []
        assert all(t.revoked_at is not None for t in s.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == renamed.id)))
        audit = s.scalars(select(AuditLogRow).where(AuditLogRow.action == "rename")).one()
        assert audit.detail == {"to": "admln_old", "tokens_revoked": 1}
        # a new token made after the rename works
        assert users.resolve_api_token(s, users.create_api_token(s, "admln_old", "new")) is not None
    events = [r for r in caplog.records if r.getMessage() == "user_renamed"]
    assert [(r.f_user, r.f_was, r.f_tokens_revoked) for r in events] == [("admln_old", "Admln", 1)]


def test_a_token_of_a_user_renamed_on_the_users_page_is_refused(web_db, tmp_path):
    with web_db.session() as s:
        token = users.create_api_token(s, "viewer", "script")
    bearer = {"Authorization": f"Bearer {token}"}
    with make_client(web_db, tmp_path / "home") as client:
        assert client.get("/api/v1/regions", headers=bearer).status_code == 200
        login(client, "admin")
        r = post(client, "/admin/users/viewer/rename", {"new_name": "viewer_2"},
                 csrf_page="/admin/users")
        assert r.status_code == 303
        assert "API 令牌已撤销" in client.get(r.headers["location"]).text
        client.cookies.clear()
        assert client.get("/api/v1/regions", headers=bearer).status_code == 401
