"""probe17 (the eleventh attacker round): a read that a write is decided on is read under the
write's lock on SQLite too.

Two supervisors PATCHing one task with the same ``version`` at once were both taken on SQLite
(the probe: 200, 200, 409 × 6; PostgreSQL 200, 409 × 7): ``assignment.update_task`` locked the
task with its own ``SELECT … FOR UPDATE``, which SQLite ignores — the driver reads outside a
transaction until the first write, so both read the version before either wrote. The same held
for two administrators demoting each other at once (no administrator left). A request decided
twice at once was held by its version column (a 409); its decision now locks the task first too,
as every step does. One rule now, ``store.db.sqlite_write_lock``: the
task's lock (``supervision.locked_task``, which the edit now asks too), a decision (the task
locked first, the request read under it), the last administrator and the user names take
SQLite's write lock before they read.

Each race is made certain, not hoped for: the check both writers pass on the old code waits at
a barrier until the other has read too (or, under the lock, until the barrier gives up).
SQLite and PostgreSQL; the edit and the administrators tests failed on SQLite on the code before
(PostgreSQL held, by its row locks); the decision test is a guard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm.exc import StaleDataError

from lantu.store import assignment, cycle, users
from lantu.supervise import WorkflowError
from webutil import backend_db, task_ids


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, web_template_db, tmp_path):
    database = backend_db(request, web_template_db, tmp_path)
    yield database
    database.dispose()


def paused(monkeypatch, module, name: str) -> None:
    """``module.name`` waits (up to 3 s) for the other writer before it runs."""
    barrier = threading.Barrier(2)
    original = getattr(module, name)

    def waiting(*args, **kwargs):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)


def at_once(db, *steps: Callable) -> list[object]:
    """Run each step in its own thread and transaction; what each returned or raised."""
    out: list[object] = [None] * len(steps)

    def run(i, step):
        try:
            with db.session() as s:
                out[i] = step(s)
        except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, st)) for i, st in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def user(db, name: str):
    with db.session() as s:
        return users.get_user(s, name)


def test_two_edits_of_a_task_with_the_same_version_take_one(db, monkeypatch):
    node = task_ids(db, "fgw")[0]
    sup = user(db, "supervisor")
    with db.session() as s:  # edited once: the race is over a version > 0, as in the probe
        assignment.update_task(s, sup, node, {"title_en": "before"}, reason="probe17",
                               expected_version=assignment.task_version(s, node))
    with db.session() as s:
        version = assignment.task_version(s, node)
    paused(monkeypatch, assignment, "check_version")
    out = at_once(db, *[lambda s, i=i: assignment.update_task(
        s, sup, node, {"title_en": f"race {i}"}, reason="probe17", expected_version=version)
        for i in range(2)])
    refused = [o for o in out if isinstance(o, WorkflowError)]
    assert len(refused) == 1 and refused[0].http_status == 409, out


def test_a_request_decided_twice_at_once_is_decided_once(db, monkeypatch):
    node = task_ids(db, "fgw")[0]
    rep, sup = user(db, "rep_fgw"), user(db, "supervisor")
    with db.session() as s:
        req = cycle.request_extension(s, rep, node, due=date(2027, 6, 30), reason="probe17").id
    paused(monkeypatch, cycle, "check_decision")
    out = at_once(db, lambda s: cycle.decide_extension(s, sup, req, grant=True, comment="ok"),
                  lambda s: cycle.decide_extension(s, sup, req, grant=False, comment="no"))
    # held before too, by the request's version column (StaleDataError, a 409): a guard now
    refused = [o for o in out if isinstance(o, WorkflowError | StaleDataError)]
    assert len(refused) == 1, out


def test_two_administrators_demoting_each_other_at_once_leave_one(db, monkeypatch):
    with db.session() as s:
        users.add_user(s, "admin2", "granite-lantern-orbit-8842", "admin", actor="test")
    paused(monkeypatch, users, "_keep_an_admin")
    # the pause is before the lock is taken: both reach it, then the rule reads the admins
    out = at_once(db, *[lambda s, n=n: users.update_user(s, n, role="viewer", department_code=None, email=None,
                                                       actor="test") for n in ("admin", "admin2")])
    with db.session() as s:
        admins = [u.username for u in users.list_users(s) if u.role == "admin" and u.active]
    assert len(admins) == 1, (admins, out)
