"""Look-alike user names written at the same moment: the look-alike key is checked in code
(names from before the rule may share one), so two transactions that each found none of the
other's name would both write theirs. The check holds the write of names until its transaction
ends (``users._claim_name``): one of them is created, the others are refused."""

from __future__ import annotations

import os
import threading
import time

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

from lantu.domain.errors import ValidationError  # noqa: E402
from lantu.store import users  # noqa: E402

#: one name in four spellings that share its look-alike key: Latin, capitals, all Cyrillic
SPELLINGS = ["ops", "Ops", "OPS", "орѕ"]
PASSWORD = "a-long-enough-password-4-tests"


def _slow_hash(monkeypatch) -> None:
    """The password is hashed between the names' check and the insert: a slow hash holds
    that window open long enough for every thread to be in it."""
    real = users.hash_password

    def slow(password: str) -> str:
        time.sleep(0.4)
        return real(password)

    monkeypatch.setattr(users, "hash_password", slow)


def _at_once(work, args) -> list[str]:
    barrier = threading.Barrier(len(args))
    outcomes: list[str] = []

    def run(arg) -> None:
        barrier.wait()
        try:
            work(arg)
            outcomes.append("written")
        except ValidationError as exc:
            assert "looks like" in str(exc) or "exists already" in str(exc), exc
            outcomes.append("refused")

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _holders(db) -> list[str]:
    with db.session() as s:
        return [u.username for u in users.list_users(s)
                if users.username_key(u.username) == "ops"]


def test_look_alike_names_added_at_once_make_one_user(db, monkeypatch):
    _slow_hash(monkeypatch)

    def add(name: str) -> None:
        with db.session() as s:
            users.add_user(s, name, PASSWORD, "analyst")

    outcomes = _at_once(add, SPELLINGS)
    assert sorted(outcomes) == ["refused"] * 3 + ["written"]
    assert len(_holders(db)) == 1


def test_renames_to_look_alike_names_at_once_leave_one_holder(db, monkeypatch):
    with db.session() as s:
        for k in range(len(SPELLINGS)):
            users.add_user(s, f"clerk{k}", PASSWORD, "analyst")
    _slow_hash(monkeypatch)  # not asked by a rename: the window is the rename's own

    def rename(k: int) -> None:
        with db.session() as s:
            users.rename_user(s, f"clerk{k}", SPELLINGS[k])
            time.sleep(0.4)  # the transaction stays open after the check

    outcomes = _at_once(rename, range(len(SPELLINGS)))
    assert sorted(outcomes) == ["refused"] * 3 + ["written"]
    assert len(_holders(db)) == 1
