"""One login rule (``lantu.store.users._verify``) for the throttled web login
(:func:`users.check_login`) and the unthrottled check of scripts and tests
(:func:`users.authenticate`): a name two users share under the look-alike key signs no one in,
by either door."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from lantu.store import users
from lantu.store.models_web import LoginAttemptRow, UserRow

PASSWORD = "Correct-horse-9-battery"


@pytest.fixture
def people(db):
    with db.session() as s:
        users.add_user(s, "admin", PASSWORD, "admin")
        users.add_user(s, "wang", PASSWORD, "viewer")
        users.add_user(s, "li", PASSWORD, "viewer")
        users.set_active(s, "li", False)
        # a look-alike of admin (all Cyrillic) kept from before the rule, written around add_user
        s.execute(
            insert(UserRow).values(
                username="\u0430\u0501\u043c\u0456\u043f",
                display_name="x",
                password_hash=users.hash_password(PASSWORD),
                role="viewer",
                department_code=None,
                active=True,
            )
        )
    return db


CASES = [
    ("wang", PASSWORD, "wang"),
    ("wang", "wrong-password-1", None),
    ("li", PASSWORD, None),
    ("nobody", PASSWORD, None),
    ("admin", PASSWORD, None),
    ("\u0430\u0501\u043c\u0456\u043f", PASSWORD, None),
]


@pytest.mark.parametrize(("name", "password", "signed_in"), CASES)
def test_both_doors_ask_one_rule(people, name, password, signed_in) -> None:
    db = people
    with db.session() as s:
        by_script = users.authenticate(s, name, password, "10.1.1.1")
    by_web = users.check_login(db, name, password, "10.1.1.2")
    assert (by_script.username if by_script else None) == signed_in
    assert (by_web.user.username if by_web.user else None) == signed_in
    assert by_web.lookalike == (name in ("admin", "\u0430\u0501\u043c\u0456\u043f"))
    with db.session() as s:  # both recorded the attempt the same way
        outcomes = s.scalars(
            select(LoginAttemptRow.success)
            .where(LoginAttemptRow.username == users.attempt_name(name))
            .order_by(LoginAttemptRow.id)
        ).all()
        last = s.scalar(select(UserRow.last_login_at).where(UserRow.username == name))
    assert outcomes == [signed_in is not None] * 2
    assert (last is not None) == (signed_in is not None)
