"""The supervision workflow on PostgreSQL, and two worker processes writing progress reports at
the same time with nothing lost.

Runs when ``LANTU_TEST_POSTGRES_URL`` names a server (a fresh database ``lantu_t_<random>`` is
created for the run and dropped at the end, by ``postgres_db_factory`` of conftest.py); with
``LANTU_REQUIRE_POSTGRES=1`` a missing or unreachable server is a failure, otherwise the tests are
skipped with the reason printed."""

from __future__ import annotations

import threading
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from lantu.store.models import PlanNodeRow
from lantu.store.models_web import ProgressReportRow
from webutil import (
    CSRF_RE,
    foreign_task,
    login,
    make_client,
    post,
    report_id,
    report_version,
    review,
    served_workers,
    task_ids,
)

pytestmark = pytest.mark.postgres
MONTH = date.today().strftime("%Y-%m")


@pytest.fixture(scope="module")
def pg_db(postgres_demo_db_factory):
    """A fresh PostgreSQL database (conftest's factory: skipped, or failed with
    LANTU_REQUIRE_POSTGRES=1, when no server) with the default and the demo users."""
    db = postgres_demo_db_factory()
    try:
        yield db
    finally:
        db.dispose()


def test_the_scenarios_database_is_made_in_one_place(pg_db, postgres_demo_db_factory):
    """conftest's ``postgres_demo_db_factory`` (every PostgreSQL web scenario's set-up): the
    default and the demo logins, or with ``figures=False`` the same plan and logins with no
    figures, targets or milestones (what the text review scenario starts from)."""
    from lantu.store import users
    from lantu.store.models import MilestoneFactRow, ObservationRow, TargetRow

    def state(db):
        with db.session() as s:
            count = {m.__name__: s.scalar(select(func.count()).select_from(m))
                     for m in (PlanNodeRow, ObservationRow, TargetRow, MilestoneFactRow)}
            return count, sorted(u.username for u in users.list_users(s))

    full, logins = state(pg_db)
    bare_db = postgres_demo_db_factory(figures=False)
    try:
        bare, bare_logins = state(bare_db)
    finally:
        bare_db.dispose()
    assert {"admin", "analyst", "supervisor", "rep_fgw"} <= set(logins) and bare_logins == logins
    assert bare["PlanNodeRow"] == full["PlanNodeRow"] > 0
    assert all(full[m] > 0 for m in ("ObservationRow", "TargetRow", "MilestoneFactRow"))
    assert all(bare[m] == 0 for m in ("ObservationRow", "TargetRow", "MilestoneFactRow"))


def test_workflow_on_postgres(pg_db, tmp_path):
    node = task_ids(pg_db, "gxj")[0]
    with make_client(pg_db, tmp_path / "home") as client:
        login(client, "rep_gxj")
        r = post(client, f"/supervision/tasks/{node}/report",
                 {"month": MONTH, "text": "完成技改项目备案", "percent": "60", "action": "submit",
                  "version": 0})
        assert r.status_code == 303
        rid = report_id(pg_db, node, "gxj", MONTH)
        login(client, "supervisor")
        assert review(client, pg_db, rid,
                      {"decision": "return", "comment": "请附备案清单"}).status_code == 303
        login(client, "rep_gxj")
        other = foreign_task(pg_db, "gxj")
        assert client.get(f"/supervision/tasks/{other}").status_code == 404
        assert post(client, f"/supervision/tasks/{node}/report",
                    {"month": MONTH, "text": "附清单", "percent": "100", "action": "submit",
                     "version": report_version(pg_db, node, "gxj", MONTH)}).status_code == 303
        login(client, "supervisor")
        assert review(client, pg_db, rid, {"decision": "approve"}).status_code == 303
        assert client.get("/supervision/bulletin").status_code == 200
    with pg_db.session() as s:
        assert s.get(ProgressReportRow, rid).status == "approved"
        assert s.get(PlanNodeRow, node).status == "done"


@pytest.mark.slow
def test_two_workers_write_reports_concurrently(pg_db, tmp_path):
    with served_workers(pg_db.url, tmp_path, workers=2) as base:

        with pg_db.session() as s:
            before = s.scalar(select(func.count()).select_from(ProgressReportRow))
        # each thread is a reporter of its own department, writing reports for past months
        depts = ["fgw", "kjj", "sthjj", "rsj"]
        months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)][:12]
        results: dict[str, list[int]] = {d: [] for d in depts}
        errors: list[str] = []

        def hammer(dept: str) -> None:
            try:
                with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as c:
                    page = c.get("/login")
                    tok = CSRF_RE.search(page.text).group(1)
                    r = c.post("/login", data={"username": f"rep_{dept}",
                                               "password": f"rep_{dept}-demo-2026",
                                               "csrf_token": tok})
                    assert r.status_code == 303, r.text[:300]
                    nodes = task_ids(pg_db, dept)
                    tok = CSRF_RE.search(c.get(f"/supervision/tasks/{nodes[0]}").text).group(1)
                    for node in nodes[:2]:
                        for month in months:
                            r = c.post(f"/supervision/tasks/{node}/report", data={
                                "month": month, "text": f"{dept} {month} 进展", "percent": "10",
                                "action": "submit", "csrf_token": tok, "version": 0})
                            results[dept].append(r.status_code)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(f"{dept}: {exc!r}")

        threads = [threading.Thread(target=hammer, args=(d,)) for d in depts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        sent = sum(len(v) for v in results.values())
        assert sent == len(depts) * 2 * len(months)
        assert all(code == 303 for v in results.values() for code in v), results
        with pg_db.session() as s:
            after = s.scalar(select(func.count()).select_from(ProgressReportRow))
            submitted = s.scalar(select(func.count()).select_from(ProgressReportRow).where(
                ProgressReportRow.status == "submitted", ProgressReportRow.month.in_(months)))
        assert after - before == sent
        assert submitted == sent

        # two reviewers approve the same report at the same moment: exactly one wins
        rid = report_id(pg_db, task_ids(pg_db, "fgw")[0], "fgw", months[0])
        codes: list[int] = []
        barrier = threading.Barrier(2)
        with pg_db.session() as s:
            shown = s.get(ProgressReportRow, rid).version  # both pages show this version

        def approve(username: str) -> None:
            with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as c:
                tok = CSRF_RE.search(c.get("/login").text).group(1)
                c.post("/login", data={"username": username,
                                       "password": f"{username}-demo-2026", "csrf_token": tok})
                tok = CSRF_RE.search(c.get("/supervision/queue").text).group(1)
                barrier.wait(timeout=30)
                codes.append(c.post(f"/supervision/reports/{rid}/review",
                                    data={"decision": "approve", "csrf_token": tok,
                                          "version": shown}).status_code)

        reviewers = [threading.Thread(target=approve, args=(u,)) for u in ("supervisor", "admin")]
        for t in reviewers:
            t.start()
        for t in reviewers:
            t.join(timeout=60)
        assert sorted(codes) == [303, 409], codes
        with pg_db.session() as s:
            assert s.get(ProgressReportRow, rid).status == "approved"

