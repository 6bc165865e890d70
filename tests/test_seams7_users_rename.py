"""Renaming a user on the admin's users page (``POST /admin/users/{name}/rename``): the rule of
``lantu user rename`` (``users.rename_user``: the name rule, the look-alike key, audited, the
renamed user's sessions end), Chinese first and English complete, admins only, with CSRF; names
that look like another user's are marked on the page."""

from __future__ import annotations

from sqlalchemy import insert, select

from lantu.store import users
from lantu.store.models import AuditLogRow
from lantu.store.models_web import UserRow
from webutil import csrf_of, login, make_client, post


def test_an_admin_renames_a_user_on_the_page(web_db, tmp_path) -> None:
    with (
        make_client(web_db, tmp_path / "home") as admin,
        make_client(web_db, tmp_path / "home") as viewer,
    ):
        login(viewer, "viewer")
        assert viewer.get("/account").status_code == 200
        login(admin, "admin")
        page = admin.get("/admin/users").text
        assert 'data-test="rename-viewer"' in page and "改名" in page and "新用户名" in page
        english = admin.get("/admin/users", params={"lang": "en"}).text
        assert "Rename" in english and "New username" in english and "改名" not in english
        admin.get("/admin/users", params={"lang": "zh"})  # the language is kept in a cookie

        r = post(
            admin,
            "/admin/users/viewer/rename",
            {"new_name": "wang_viewer"},
            csrf_page="/admin/users",
        )
        assert r.status_code == 303 and r.headers["location"] == "/admin/users?saved=renamed"
        page = admin.get(r.headers["location"]).text
        assert (
            "已改名" in page and "wang_viewer" in page and 'data-test="rename-viewer"' not in page
        )
        assert "Renamed" in admin.get("/admin/users?saved=renamed&lang=en").text
        admin.get("/admin/users", params={"lang": "zh"})

        # the renamed user's session ended; they sign in by the new name only
        assert viewer.get("/account").status_code in (302, 303, 401)
        login(viewer, "wang_viewer", "viewer-demo-2026")
        viewer.cookies.clear()
        r = viewer.post(
            "/login",
            data={
                "username": "viewer",
                "password": "viewer-demo-2026",
                "csrf_token": csrf_of(viewer),
            },
        )
        assert r.status_code == 401

        # the same rule as the CLI: a look-alike of another user is refused, nothing changes
        r = post(
            admin,
            "/admin/users/wang_viewer/rename",
            {"new_name": "Admin"},
            csrf_page="/admin/users",
        )
        assert r.status_code == 422 and "形近" in r.text  # "looks like", in the page's language
        r = post(
            admin, "/admin/users/nobody/rename", {"new_name": "somebody"}, csrf_page="/admin/users"
        )
        assert r.status_code == 422
    with web_db.session() as s:
        audit = s.execute(
            select(AuditLogRow.actor, AuditLogRow.entity_id, AuditLogRow.detail).where(
                AuditLogRow.action == "rename"
            )
        ).all()
        assert [tuple(a) for a in audit] == [("admin", "viewer", {"to": "wang_viewer", "tokens_revoked": 0})]
        assert users.get_user(s, "viewer") is None and users.get_user(s, "wang_viewer")


def test_only_an_admin_with_the_forms_token_renames(web_db, tmp_path) -> None:
    with make_client(web_db, tmp_path / "home") as client:
        login(client, "analyst")
        r = post(client, "/admin/users/viewer/rename", {"new_name": "v2"})
        assert r.status_code == 403
        login(client, "admin")
        r = client.post("/admin/users/viewer/rename", data={"new_name": "v2"})  # no CSRF token
        assert r.status_code == 403
    with web_db.session() as s:
        assert users.get_user(s, "viewer") and users.get_user(s, "v2") is None


def test_a_name_that_looks_like_another_is_marked_and_renamed(web_db, tmp_path) -> None:
    with web_db.session() as s:  # a name kept from before the rule, written around add_user
        s.execute(
            insert(UserRow).values(
                username="Admin",
                display_name="Admin",
                password_hash=users.hash_password("x"),
                role="viewer",
                department_code=None,
                active=True,
            )
        )
    with make_client(web_db, tmp_path / "home") as client:
        # admin shares its key with Admin: the web login refuses both (409) until one is
        # renamed, so another admin renames the old one on the page
        with web_db.session() as s:
            users.add_user(s, "root_ops", "Correct-horse-9-battery", "admin")
        login(client, "root_ops", "Correct-horse-9-battery")
        page = client.get("/admin/users").text
        assert page.count('data-test="lookalike"') == 2 and "与 Admin 外形相同" in page
        assert "Looks like admin" in client.get("/admin/users?lang=en").text
        client.get("/admin/users", params={"lang": "zh"})
        r = post(
            client, "/admin/users/Admin/rename", {"new_name": "admin_old"}, csrf_page="/admin/users"
        )
        assert r.status_code == 303
        assert 'data-test="lookalike"' not in client.get("/admin/users").text
        login(client, "admin")  # one name, one user again
        login(client, "root_ops", "Correct-horse-9-battery")
        r = post(
            client,
            "/admin/users/root_ops/rename",
            {"new_name": "ops_root"},
            csrf_page="/admin/users",
        )
        assert (r.status_code, r.headers["location"]) == (303, "/login")  # own session ended
        assert client.get("/admin/users").status_code in (302, 303, 401)
