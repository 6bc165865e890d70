"""The login-attempt table keeps the SHA-256 of each typed name (``users.attempt_name``), never
the name: a password typed into the name field is not stored as typed. The throttle counts by
the digest as before, and migration ``0011_attemptname`` converts the rows kept, so failures
still count and known addresses stay known across the upgrade."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

from alembic.command import downgrade, upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from lantu.store import users  # noqa: E402
from lantu.store.db import _alembic_config  # noqa: E402
from lantu.store.models_web import LoginAttemptRow  # noqa: E402

PASSWORD = "Correct-horse-9-battery"
SLIP = "my-Secret-passphrase-typed-as-name"


def _stored(db) -> list[tuple[str, bool]]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(LoginAttemptRow.username,
                                                   LoginAttemptRow.success)).all()]


def test_a_password_typed_as_the_name_is_not_stored(db):
    with db.session() as s:
        users.add_user(s, "wang", PASSWORD, "analyst")
    assert not users.check_login(db, SLIP, PASSWORD, "10.0.0.1").user
    assert users.check_login(db, "wang", PASSWORD, "10.0.0.1").user
    stored = _stored(db)
    assert sorted(stored) == sorted([(users.attempt_name(SLIP), False),
                                     (users.attempt_name("wang"), True)])
    assert all(SLIP not in name and "wang" not in name for name, _ in stored)
    with db.session() as s:  # counted by the digest
        assert users.recent_failures(s, SLIP, None) == 1
        assert users.known_address(s, "wang", "10.0.0.1")


def test_the_throttle_still_stops_a_name_guessed_too_often(db):
    with db.session() as s:
        users.add_user(s, "li", PASSWORD, "analyst")
    for _ in range(users.THROTTLE_FAILURES):
        assert not users.check_login(db, "li", "wrong-guess-of-li-0", "10.0.0.2").throttled
    out = users.check_login(db, "li", PASSWORD, "10.0.0.2")
    assert out.throttled and out.user is None


def test_the_migration_turns_kept_names_into_digests_and_back_forgets_them(db):
    cfg = _alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0010_obsindex")
    with db.engine.begin() as conn:  # rows as the code before kept them: the names typed
        for name, ok in (("wang", True), (SLIP, False), ("li", False)):
            conn.execute(text("INSERT INTO login_attempt (username, ip, at, success) "
                              "VALUES (:n, '10.0.0.3', CURRENT_TIMESTAMP, :ok)"),
                         {"n": name, "ok": ok})
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    assert sorted(_stored(db)) == sorted([(users.attempt_name("wang"), True),
                                          (users.attempt_name(SLIP), False),
                                          (users.attempt_name("li"), False)])
    with db.session() as s:  # the failures still count, the address stays known
        assert users.recent_failures(s, "li", "10.0.0.3") == 1
        assert users.known_address(s, "wang", "10.0.0.3")
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0010_obsindex")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttemptRow)) == 0
