"""Thin routes: roles as dependencies, lists paged and counted by the database, one query per
list (not per row), the signed-in explorer kept out of the anonymous page cache."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from lantu.store import supervision as sv
from lantu.store import users
from lantu.store.models_web import ProgressReportRow
from webutil import login


def _make_reports(db) -> None:
    """A submitted and a draft report of two reporters' departments."""
    today = date.today()
    month = f"{today.year}-{today.month:02d}"
    with db.session() as s:
        reps = sorted((u for u in users.list_users(s) if u.role == "reporter"),
                      key=lambda u: u.username)[:2]
        from lantu.store import repo

        for user, submit in zip(reps, (True, False), strict=True):
            node = next(n for n in repo.plan_node_rows(s, "taiyuan-2021-11")
                        if n.kind == "task" and n.lead_department == user.department_code)
            sv.save_report(s, user, node.id, month=month, text="进展", percent=30,
                           submit=submit, today=today, expected_version=0)


def test_report_visibility_in_sql_is_the_rule_of_can_see_report(web_db) -> None:
    _make_reports(web_db)
    with web_db.session() as s:
        every = list(s.scalars(select(ProgressReportRow)))
        assert {r.status for r in every} >= {"draft", "submitted"}
        for user in users.list_users(s):
            expected = {r.id for r in every if sv.can_see_report(user, r)}
            listed = {r["id"] for r in sv.report_list(s, user, limit=10_000)}
            assert listed == expected, user.username
            assert sv.count_visible_reports(s, user) == len(expected)
            # pages are cut by the database: two pages of one make the first two of the list
            first = [r["id"] for r in sv.report_list(s, user, limit=2)]
            paged = [r["id"] for o in (0, 1) for r in sv.report_list(s, user, limit=1, offset=o)]
            assert paged == first


def _count_queries(db):
    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", before)


def test_targets_list_queries_do_not_grow_with_the_page(client, web_db) -> None:
    with web_db.session() as s:
        token = users.create_api_token(s, "analyst", "test")
    headers = {"Authorization": f"Bearer {token}"}
    counts = {}
    client.get("/api/v1/targets", params={"limit": 1}, headers=headers)  # warm the caches
    for limit in (2, 40):
        seen, stop = _count_queries(web_db)
        try:
            r = client.get("/api/v1/targets", params={"limit": limit}, headers=headers)
        finally:
            stop()
        assert r.status_code == 200 and len(r.json()["data"]) == min(limit, r.json()["total"])
        counts[limit] = len(seen)
    assert r.json()["total"] > 2
    assert counts[40] == counts[2], counts


def test_signed_in_explorer_is_not_put_in_the_anonymous_cache(client) -> None:
    from lantu.web.routes.dashboard import HTML

    login(client, "analyst")
    before = len(HTML._d)
    r = client.get("/indicators")
    assert r.status_code == 200
    assert len(HTML._d) == before


def test_roles_are_dependencies(client) -> None:
    from lantu.web.deps import BulletinReader, QueueUser, Reviewer

    for alias in (BulletinReader, QueueUser, Reviewer):
        assert alias.__metadata__[0].dependency.__name__.startswith("require_role_")
    with client.app.state.database.session() as s:
        reporter = next(u.username for u in users.list_users(s) if u.role == "reporter")
    login(client, reporter)
    assert client.get("/supervision/bulletin").status_code == 403
    assert client.get("/reports/bulletin").status_code == 403
    login(client, "viewer")
    assert client.get("/supervision/queue").status_code == 403
    login(client, "supervisor")
    assert client.get("/supervision/queue").status_code == 200


def test_home_is_the_overview_without_a_fallback_route(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "location" not in r.headers  # the overview, not a redirect
    assert client.get("/?format=json").json()  # the overview's view
