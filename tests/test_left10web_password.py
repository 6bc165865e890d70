"""A password may not hold its user's context words, at every place it can be checked (left10web).

NIST SP 800-63B (3.1.1.2) has a password compared with "context-specific words, such as the
name of the service, the username, and derivatives thereof". The one rule
(``lantu.store.passwords.context_problem``) now names them: the user name (also with its
separators dropped), the display name and the e-mail address's local part. A rename could only
refuse a new name that *is* the password (a hash cannot say what a password contains): a
password holding the new name is now caught at the next sign-in, where the password is in
hand, and the user must choose a new one before any other page."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

import pytest  # noqa: E402

from lantu.errors import ValidationError  # noqa: E402
from lantu.store import passwords, users  # noqa: E402
from webutil import csrf_of, login  # noqa: E402

OLD = "Granite-lantern-zhaoming-4417"  # holds "zhaoming", the name the user will be given
NEW = "Quiet-harbour-copper-8821"


def test_the_rule_knows_the_users_context_words():
    from lantu.store.passwords import context_problem

    # the name with its separators dropped, in a password that writes it with others
    assert context_problem("Wang-Li-granite-lantern", "wang.li")
    assert context_problem("granite lantern wangli 77", "wang_li")
    # the display name and the e-mail address's local part
    assert context_problem("granite lantern xiaoming 7", "wxm", display_name="Xiaoming")
    assert context_problem("granite-chenfang-lantern", "cf", email="chenfang@fgw.example")
    assert context_problem("Granite lantern 王小明 harbour", "wxm", display_name="王小明")
    assert context_problem("granite lantern harbour 4417", "wxm", display_name="Xiaoming",
                           email="wxm@fgw.example") is None
    # the one rule asks it: at every setting of a password
    assert passwords.password_problem("granite lantern xiaoming 7", "wxm",
                                      display_name="Xiaoming")


def test_adding_and_changing_a_password_ask_the_context_words(db):
    with db.session() as s, pytest.raises(ValidationError):
        users.add_user(s, "wxm", "granite lantern xiaoming 7", "analyst",
                       display_name="Xiaoming")
    with db.session() as s:
        users.add_user(s, "cf", NEW, "analyst", email="chenfang@fgw.example")
    with db.session() as s, pytest.raises(ValidationError):
        users.set_password(s, "cf", "granite-chenfang-lantern")


def test_a_password_holding_the_new_name_is_caught_at_the_next_sign_in(db):
    with db.session() as s:
        users.add_user(s, "chen", OLD, "analyst")
    with db.session() as s:  # the hash cannot tell the rename it holds the new name
        users.rename_user(s, "chen", "zhaoming", actor="admin")
    outcome = users.check_login(db, "zhaoming", OLD, "10.0.0.9")
    assert outcome.user is not None
    with db.session() as s:
        assert users.note_sign_in_password(s, outcome.user, OLD)
    with db.session() as s:
        assert users.get_user(s, "zhaoming").must_change_password
        users.set_password(s, "zhaoming", NEW, actor="zhaoming")
    with db.session() as s:
        assert not users.get_user(s, "zhaoming").must_change_password
        assert not users.note_sign_in_password(s, users.get_user(s, "zhaoming"), NEW)


def test_the_demo_logins_stay_the_one_exception(db):
    with db.session() as s:
        users.add_user(s, "analyst", users.demo_password("analyst"), "analyst", demo=True)
        assert not users.note_sign_in_password(s, users.get_user(s, "analyst"),
                                               users.demo_password("analyst"))


def test_the_pages_ask_for_a_new_password_first(client, web_db):
    with web_db.session() as s:
        users.add_user(s, "chen", OLD, "analyst")
        users.rename_user(s, "chen", "zhaoming", actor="admin")
    login(client, "zhaoming", OLD)
    r = client.get("/account?lang=zh")
    assert r.status_code == 200 and 'data-test="must-change"' in r.text
    assert "您的密码含有您的用户名" in r.text
    for page in ("/supervision", "/notifications", "/import"):
        r = client.get(page, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/account", (page, r.status_code)
    # a new password that holds the name is refused, said in the page's language
    token = csrf_of(client, "/account?lang=zh")
    r = client.post("/account/password", data={"current": OLD, "new": "zhaoming-harbour-2291",
                                               "again": "zhaoming-harbour-2291",
                                               "csrf_token": token})
    assert r.status_code == 422 and "密码不得含有用户名" in r.text, r.text[-800:]
    assert "the password may not" not in r.text
    token = csrf_of(client, "/account")
    r = client.post("/account/password", data={"current": OLD, "new": NEW, "again": NEW,
                                               "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/notifications", follow_redirects=False).status_code == 200


def test_the_reasons_of_the_password_rule_are_said_in_chinese():
    from lantu.reasons import reason_text

    for password, name in (("short", "x"), ("granite-lantern-wangli", "wangli"),
                           ("lantu-granite-harbour", "x"), ("aaaaaaaaaaaaaaaaaaaa", "x"),
                           ("password12345678", "x")):
        why = passwords.password_problem(password, name)
        assert why and reason_text("zh", why) != why, why
