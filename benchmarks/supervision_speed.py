"""The supervision cycle at size: the notification list and the bell with 10,000 notifications
of one user, and ``lantu remind`` over 3,000 open tasks — beside a peer in the same run.

- **bell** (the unread count every page header shows) and **list** (the newest 50, as
  ``/notifications`` and ``GET /api/v1/notifications`` ask): Lantu's store functions, against the
  peer, a bare SQL ``SELECT count(*)`` / ``SELECT … ORDER BY … LIMIT 50`` on the same table
  (no ORM, no mapping to dictionaries).
- **remind**: :func:`lantu.store.cycle.automatic_reminders` over 3,000 tasks of 30 departments,
  deadlines spread so that about half are due a reminder (before the deadline, overdue,
  escalation), each inserted under its unique key with its notification and history event; then
  the second run (everything sent already: nothing to do). Peer: one ``INSERT … SELECT`` that
  writes one reminder row per due task in SQL alone (no rule, no notification, no history).

Run: ``.venv/bin/python benchmarks/supervision_speed.py [--pg URL]`` (PostgreSQL when ``--pg`` or
``LANTU_TEST_POSTGRES_URL`` is set; a scratch schema is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lantu.store import Database
from lantu.store.models import DepartmentRow, PlanNodeRow, PlanRow, utcnow
from lantu.store.models_supervision import NotificationRow
from lantu.store.models_web import UserRow

TODAY = date(2026, 6, 15)


def _timed(fn, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def seed(db: Database, tasks: int, notes: int) -> int:
    with db.session() as s:
        s.add(PlanRow(code="bench", title="bench"))
        for d in range(30):
            s.add(DepartmentRow(code=f"d{d:02d}", name_zh=f"部门{d}"))
        s.flush()
        for d in range(30):
            s.add(UserRow(username=f"rep{d}", password_hash="x", role="reporter",
                          department_code=f"d{d:02d}"))
        s.add(UserRow(username="chief", password_hash="x", role="supervisor"))
        s.flush()
        for i in range(tasks):
            s.add(PlanNodeRow(plan_code="bench", code=f"T{i}", kind="task", title=f"任务{i}",
                              lead_department=f"d{i % 30:02d}", position=i,
                              status="in_progress",
                              due_date=TODAY + timedelta(days=(i % 60) - 30)))
        user = s.query(UserRow).filter_by(username="rep0").one()
        now = utcnow()
        s.add_all(NotificationRow(user_id=user.id, kind="reminder", title=f"催办 {i}",
                                  created_at=now - timedelta(minutes=i),
                                  read_at=None if i % 3 else now) for i in range(notes))
        return user.id


def run(url: str, label: str) -> None:
    from lantu.store import cycle, notify

    db = Database(url)
    db.migrate()
    uid = seed(db, 3000, 10_000)
    with db.session() as s:
        bell = _timed(lambda: notify.unread_count(s, uid))
        lst = _timed(lambda: notify.notifications(s, uid, limit=50))
        conn = s.connection()
        peer_bell = _timed(lambda: conn.execute(text(
            "SELECT count(*) FROM notification WHERE user_id = :u AND read_at IS NULL"),
            {"u": uid}).scalar())
        peer_list = _timed(lambda: conn.execute(text(
            "SELECT * FROM notification WHERE user_id = :u ORDER BY created_at DESC, id DESC "
            "LIMIT 50"), {"u": uid}).all())
    print(f"{label}: bell {bell * 1000:.2f} ms (peer {peer_bell * 1000:.2f} ms); "
          f"list of 50 {lst * 1000:.2f} ms (peer {peer_list * 1000:.2f} ms), 10,000 notifications")
    t = time.perf_counter()
    with db.session() as s:
        first = cycle.automatic_reminders(s, today=TODAY, remind_days=7, escalate_days=7,
                                          ack_days=3)
    t1 = time.perf_counter() - t
    t = time.perf_counter()
    with db.session() as s:
        second = cycle.automatic_reminders(s, today=TODAY, remind_days=7, escalate_days=7,
                                           ack_days=3)
    t2 = time.perf_counter() - t
    with db.session() as s:
        s.execute(text("CREATE TABLE peer_reminder (key VARCHAR(120) UNIQUE, node_id INT)"))
        t = time.perf_counter()
        s.execute(text(
            "INSERT INTO peer_reminder (key, node_id) SELECT 'overdue:' || id || ':' || due_date,"
            " id FROM plan_node WHERE kind = 'task' AND due_date < :d"), {"d": TODAY})
        tp = time.perf_counter() - t
    print(f"{label}: lantu remind over 3,000 tasks: {len(first.sent)} reminders in {t1:.2f} s "
          f"({len(first.sent) / t1:,.0f}/s); second run {len(second.sent)} sent in {t2:.2f} s; "
          f"peer INSERT…SELECT {tp * 1000:.0f} ms")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("LANTU_TEST_POSTGRES_URL"))
    args = ap.parse_args()
    print(f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()}")
    with tempfile.TemporaryDirectory() as d:
        run(f"sqlite:///{d}/bench.db", "SQLite")
    if args.pg:
        name = f"lantu_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            url = make_url(args.pg).update_query_dict({"options": f"-csearch_path={name}"})
            run(url.render_as_string(hide_password=False), "PostgreSQL")
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
