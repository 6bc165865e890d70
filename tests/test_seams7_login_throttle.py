"""The login throttle per name (``users.THROTTLE``): an attacker rotating addresses gets at most
the per-name limit of password checks of one name, in parallel too, on SQLite and PostgreSQL;
the lock spares the addresses the user signed in from, so guesses from elsewhere cannot lock the
user out; it ends a window after the guessing stops."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import update

from lantu.store import users
from lantu.store.models import utcnow
from lantu.store.models_web import LoginAttemptRow
from webutil import count_password_checks, csrf_of, make_client

PASSWORD = "Correct-horse-9-battery"
PER_NAME = next(limit for limit in users.THROTTLE if limit.per == "name")
PER_ADDRESS = next(limit for limit in users.THROTTLE if limit.per == "name_address")


@pytest.fixture
def analyst(db, monkeypatch):
    """A database with the user ``wang`` (signed in once from 10.9.9.9) and a counter of the
    password checks made."""
    with db.session() as s:
        users.add_user(s, "wang", PASSWORD, "analyst")
    assert users.check_login(db, "wang", PASSWORD, "10.9.9.9").user  # a known address
    return db, count_password_checks(monkeypatch)


def test_the_limits_are_one_rule_as_data() -> None:
    assert PER_ADDRESS.failures == users.THROTTLE_FAILURES == 5
    assert PER_NAME.failures == 4 * PER_ADDRESS.failures and PER_NAME.spares_known
    assert not PER_ADDRESS.spares_known and PER_NAME.window <= users.ATTEMPTS_KEPT


def test_rotating_addresses_gets_the_per_name_limit_of_checks(analyst) -> None:
    db, checked = analyst
    # four guesses from each address: never the per-address limit
    outcomes = [
        users.check_login(db, "wang", f"guess-{i}", f"198.51.100.{i // 4}")
        for i in range(3 * PER_NAME.failures)
    ]
    assert len(checked) == PER_NAME.failures
    assert [o.throttled_per for o in outcomes] == [""] * PER_NAME.failures + ["name"] * (
        2 * PER_NAME.failures
    )
    # the right password from an address the user never signed in from waits too ...
    fresh = users.check_login(db, "wang", PASSWORD, "203.0.113.7")
    assert fresh.user is None and fresh.throttled_per == "name"
    assert users.check_login(db, "wang", PASSWORD, "2001:db8:77::1").throttled  # IPv6 too
    # ... but from the address the user signed in from, the user signs in
    assert users.check_login(db, "wang", PASSWORD, "10.9.9.9").user
    # where the per-address limit still holds (an attacker behind the same address)
    for i in range(PER_ADDRESS.failures):
        assert not users.check_login(db, "wang", f"office-{i}", "10.9.9.9").throttled
    known = users.check_login(db, "wang", PASSWORD, "10.9.9.9")
    assert known.user is None and known.throttled_per == "name_address"
    # another name is untouched
    with db.session() as s:
        users.add_user(s, "li", PASSWORD, "viewer")
    assert users.check_login(db, "li", PASSWORD, "198.51.100.1").user


def test_parallel_guesses_from_many_addresses_get_no_more_checks(analyst) -> None:
    db, checked = analyst
    n = 3 * PER_NAME.failures
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(
            pool.map(
                lambda i: users.check_login(db, "wang", f"guess-{i}", f"192.0.2.{i}"), range(n)
            )
        )
    assert len(checked) <= PER_NAME.failures
    assert sum(o.throttled for o in outcomes) >= n - PER_NAME.failures
    assert not any(o.user for o in outcomes)
    assert users.check_login(db, "wang", PASSWORD, "10.9.9.9").user


def test_the_lock_ends_a_window_after_the_guessing_stops(analyst) -> None:
    db, _ = analyst
    for i in range(PER_NAME.failures + 1):
        users.check_login(db, "wang", f"guess-{i}", f"198.51.100.{i}")
    assert users.check_login(db, "wang", PASSWORD, "203.0.113.9").throttled
    with db.session() as s:  # the guesses a window and a minute ago
        s.execute(
            update(LoginAttemptRow)
            .where(LoginAttemptRow.success.is_(False))
            .values(at=utcnow() - PER_NAME.window - timedelta(minutes=1))
        )
    assert users.check_login(db, "wang", PASSWORD, "203.0.113.9").user


def test_a_known_address_is_forgotten_after_known_address_days(analyst) -> None:
    db, _ = analyst
    with db.session() as s:
        s.execute(
            update(LoginAttemptRow)
            .where(LoginAttemptRow.success.is_(True))
            .values(at=utcnow() - users.KNOWN_ADDRESS - timedelta(days=1))
        )
    for i in range(PER_NAME.failures + 1):
        users.check_login(db, "wang", f"guess-{i}", f"198.51.100.{i}")
    assert users.check_login(db, "wang", PASSWORD, "10.9.9.9").throttled_per == "name"


def test_the_login_page_says_why(analyst, tmp_path) -> None:
    db, _ = analyst
    for i in range(PER_NAME.failures + 1):
        users.check_login(db, "wang", f"guess-{i}", f"198.51.100.{i}")
    with make_client(db, tmp_path / "home") as client:
        r = client.post(
            "/login", data={"username": "wang", "password": PASSWORD, "csrf_token": csrf_of(client)}
        )
        assert r.status_code == 429 and "曾经成功登录过的地址" in r.text
        r = client.post(
            "/login?lang=en",
            data={"username": "wang", "password": PASSWORD, "csrf_token": csrf_of(client)},
        )
        assert r.status_code == 429 and "signed in from before" in r.text
