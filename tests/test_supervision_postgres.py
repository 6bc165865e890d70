"""Two workers on PostgreSQL: concurrent reminders, extension decisions and closures lose nothing
and double nothing; ``lantu remind`` run twice at once sends each reminder (and e-mail) once.

Runs when ``LANTU_TEST_POSTGRES_URL`` names a server (conftest's ``postgres_db_factory``)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from lantu.store import Database, cycle, users
from lantu.store.models import PlanNodeRow
from lantu.store.models_supervision import (
    NotificationRow,
    ReminderRow,
    TaskVersionRow,
)
from lantu.store.models_web import TaskEventRow
from lantu.supervise import WorkflowError
from smtp_sink import SmtpSink

pytestmark = pytest.mark.postgres
TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def pg_url(postgres_demo_db_factory):
    db = postgres_demo_db_factory()
    url = db.url
    with db.session() as s:  # every fgw reporter gets an address: reminders are e-mailed
        s.execute(update(users.UserRow).where(users.UserRow.department_code.is_not(None))
                  .values(email="rep@example.cn"))
        s.execute(update(users.UserRow).where(users.UserRow.role == "supervisor")
                  .values(email="chief@example.cn"))
    db.dispose()
    return url


def _user(db, name):
    with db.session() as s:
        return users.get_user(s, name)


def _at_once(*fns):
    """Run the functions in two threads released together; return their results/errors."""
    barrier = threading.Barrier(len(fns))
    out: list = [None] * len(fns)

    def run(i, fn):
        barrier.wait()
        try:
            out[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the loser's error is the result
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_lantu_remind_twice_at_once_sends_each_reminder_and_email_once(pg_url):
    db = Database(pg_url)
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(ReminderRow))
    with SmtpSink() as sink:
        env = {**os.environ, "LANTU_SMTP_URL": sink.url, "LANTU_DATABASE_URL": pg_url}
        cmd = [sys.executable, "-c", "from lantu.cli import main; main()", "remind", "--today",
               TODAY.isoformat()]
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for _ in range(2)]
        outs = [p.communicate(timeout=300)[0] for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        with db.session() as s:
            keys = list(s.scalars(select(ReminderRow.key).where(ReminderRow.key.is_not(None))))
            notes = s.scalar(select(func.count()).select_from(NotificationRow).where(
                NotificationRow.reminder_id.is_not(None)))
            mailed = s.scalar(select(func.count()).select_from(NotificationRow).where(
                NotificationRow.emailed_at.is_not(None)))
            per_reminder = s.execute(select(NotificationRow.reminder_id, func.count()).where(
                NotificationRow.reminder_id.is_not(None)).group_by(
                NotificationRow.reminder_id)).all()
        assert len(keys) > 20 and len(keys) == len(set(keys)) and before == 0
        assert sum(int(o.split("Sent ")[1].split(" ")[0]) for o in outs) == len(keys), outs
        assert all(n == 1 for _, n in per_reminder)  # one reporter (or supervisor) each
        assert notes == len(keys) and mailed == notes
        assert len(sink.messages) == mailed  # every e-mail arrived once
        subjects = [m["Subject"] for _, _, m in sink.messages]
        assert len(set(subjects)) == len(subjects)  # each reminder's own text, once
    db.dispose()


def _open_task(db, lead="gxj"):
    with db.session() as s:
        node = s.scalars(select(PlanNodeRow).where(
            PlanNodeRow.lead_department == lead, PlanNodeRow.kind == "task",
            PlanNodeRow.status != "closed").order_by(PlanNodeRow.id.desc())).first()
        node.due_date = TODAY + timedelta(days=30)
        return node.id


def test_two_supervisors_decide_one_extension_at_once(pg_url):
    a, b = Database(pg_url), Database(pg_url)  # two workers: two pools
    node = _open_task(a)
    rep, chief, admin = _user(a, "rep_gxj"), _user(a, "supervisor"), _user(a, "admin")
    with a.session() as s:
        rid = cycle.request_extension(s, rep, node, due=TODAY + timedelta(days=120),
                                      reason="审批未完成").id

    def decide(db, who, grant):
        def go():
            with db.session() as s:
                return cycle.decide_extension(s, who, rid, grant=grant, comment="意见").status
        return go

    results = _at_once(decide(a, chief, True), decide(b, admin, False))
    wins = [r for r in results if isinstance(r, str)]
    losses = [r for r in results if isinstance(r, WorkflowError)]
    assert len(wins) == 1 and len(losses) == 1 and losses[0].status == 409, results
    with a.session() as s:
        due = s.get(PlanNodeRow, node).due_date
        assert due == (TODAY + timedelta(days=120) if wins[0] == "granted"
                       else TODAY + timedelta(days=30))
        kinds = list(s.scalars(select(TaskEventRow.kind).where(
            TaskEventRow.node_id == node, TaskEventRow.kind.in_(("extended",
                                                                 "extension_refused")))))
        assert len(kinds) == 1
    a.dispose()
    b.dispose()


def test_two_closure_decisions_and_two_requests_at_once(pg_url):
    a, b = Database(pg_url), Database(pg_url)
    node = _open_task(a, "kjj")
    rep, chief, admin = _user(a, "rep_kjj"), _user(a, "supervisor"), _user(a, "admin")

    def ask(db):
        def go():
            with db.session() as s:
                return cycle.request_closure(s, rep, node, comment="已完成").id
        return go

    results = _at_once(ask(a), ask(b))  # the same department asks twice at once
    ids = [r for r in results if isinstance(r, int)]
    assert len(ids) == 1 and any(isinstance(r, WorkflowError) and r.status == 409
                                 for r in results), results

    def close(db, who):
        def go():
            with db.session() as s:
                return cycle.decide_closure(s, who, ids[0], grant=True).status
        return go

    results = _at_once(close(a, chief), close(b, admin))
    assert sorted(map(type, results), key=str) == sorted([str, WorkflowError], key=str), results
    with a.session() as s:
        assert s.get(PlanNodeRow, node).status == "closed"
        assert s.scalar(select(func.count()).select_from(TaskEventRow).where(
            TaskEventRow.node_id == node, TaskEventRow.kind == "closed")) == 1
        # one closing, after the task as loaded (left11web: its baseline comes first)
        assert s.scalar(select(func.count()).select_from(TaskVersionRow).where(
            TaskVersionRow.node_id == node)) == 2
        assert s.scalar(select(func.count()).select_from(TaskVersionRow).where(
            TaskVersionRow.node_id == node, TaskVersionRow.message_key == "ver.closed")) == 1
    a.dispose()
    b.dispose()


def test_concurrent_manual_reminders_are_all_kept(pg_url):
    a, b = Database(pg_url), Database(pg_url)
    node = _open_task(a, "fgw")
    chief, admin = _user(a, "supervisor"), _user(a, "admin")

    def remind(db, who, i):
        def go():
            with db.session() as s:
                return cycle.send_reminder(s, who, node, message=f"催办 {i}")[0].id
        return go

    results = _at_once(*(remind(a if i % 2 else b, chief if i % 2 else admin, i)
                         for i in range(6)))
    assert all(isinstance(r, int) for r in results), results
    with a.session() as s:
        msgs = sorted(s.scalars(select(ReminderRow.message).where(
            ReminderRow.node_id == node, ReminderRow.kind == "manual")))
        assert msgs == [f"催办 {i}" for i in range(6)]
    a.dispose()
    b.dispose()
