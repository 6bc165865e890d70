"""A rename asks the password rule's "not the user name" of the new name: an administrator
renaming a user to a name that is the user's password (checked against the stored hash: the new
name verified as the password, case aside) is refused, on the users page and by
``lantu user rename`` alike, and the user keeps their name, sessions and tokens. Before, the
rename went through and the account could be signed in to by its own name. Refused rather than
"change the password at the next sign-in": that sign-in is made with the password that is now
the public name. SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from lantu.cli import app as cli_app  # noqa: E402
from lantu.domain import ValidationError  # noqa: E402
from lantu.reasons import reason_text  # noqa: E402
from lantu.store import users  # noqa: E402
from lantu.store.models_web import ApiTokenRow  # noqa: E402
from webutil import login, make_client, post  # noqa: E402

PASSWORD = "Granite-Lantern-4417"


@pytest.mark.parametrize("new_name", [PASSWORD, PASSWORD.lower(), PASSWORD.upper()])
def test_a_rename_to_the_users_password_is_refused(db, new_name):
    with db.session() as s:
        users.add_user(s, "zhang.wei", PASSWORD, "viewer")
        token = users.create_api_token(s, "zhang.wei", "script")
    with db.session() as s, pytest.raises(ValidationError) as caught:
        users.rename_user(s, "zhang.wei", new_name, actor="admin")
    assert caught.value.field == "username"
    assert "password may not be the user name" in str(caught.value)
    assert new_name not in str(caught.value)  # the password is not repeated back
    with db.session() as s:  # nothing happened: the name, the token
        assert users.get_user(s, "zhang.wei") is not None
        assert users.get_user(s, new_name) is None
        assert users.resolve_api_token(s, token) is not None
        assert s.scalars(select(ApiTokenRow.revoked_at)).all() == [None]


def test_another_name_and_the_same_name_after_a_new_password_rename(db):
    with db.session() as s:
        users.add_user(s, "li.na", PASSWORD, "viewer")
    with db.session() as s:
        users.rename_user(s, "li.na", "li.na.2026", actor="admin")  # not the password
    with db.session() as s:
        users.set_password(s, "li.na.2026", "Copper-Meadow-9921", actor="admin")
    with db.session() as s:
        users.rename_user(s, "li.na.2026", PASSWORD, actor="admin")  # no longer the password
    with db.session() as s:
        assert users.get_user(s, PASSWORD) is not None


def test_the_users_page_refuses_it_in_the_readers_language(web_db, tmp_path):
    with web_db.session() as s:
        users.add_user(s, "wang.fang", PASSWORD, "viewer")
    with make_client(web_db, tmp_path / "home") as client:
        login(client, "admin")
        r = post(client, "/admin/users/wang.fang/rename", {"new_name": PASSWORD},
                 csrf_page="/admin/users")
        assert r.status_code == 422, r.text[:300]
        assert "新用户名与该用户的密码相同" in r.text and PASSWORD not in r.text
        r = post(client, "/admin/users/wang.fang/rename?lang=en", {"new_name": PASSWORD},
                 csrf_page="/admin/users")
        assert r.status_code == 422
    with web_db.session() as s:
        assert users.get_user(s, "wang.fang") is not None


def test_the_command_line_refuses_it(web_db):
    with web_db.session() as s:
        users.add_user(s, "zhao.lei", PASSWORD, "viewer")
    r = CliRunner().invoke(cli_app, ["user", "rename", "zhao.lei", PASSWORD, "--db", web_db.url])
    assert r.exit_code != 0
    assert "password may not be the user name" in r.output
    with web_db.session() as s:
        assert users.get_user(s, "zhao.lei") is not None


def test_the_reason_reads_in_chinese():
    # the reason names the user name already: not named twice (left10web)
    why = f"username: {users.RENAME_IS_PASSWORD}"
    assert reason_text("zh", why) == ("新用户名与该用户的密码相同，而密码不得为用户名："
                                      "请先为该用户设置新密码，或另选用户名")
    assert reason_text("en", why) == users.RENAME_IS_PASSWORD
