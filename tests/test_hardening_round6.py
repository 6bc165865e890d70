"""Issue 12, the sixth round: the app's workflows walked as each kind of user (anonymous, the
reporters of two departments, supervisor, analyst, viewer, admin), on SQLite and PostgreSQL;
each test failed on the code before its fix.

- an import's preview and confirm: the confirm took the sheet (and the file's name) from its
  form, so a table never previewed was written; and it took the staged file without claiming
  it, so parallel confirms of one preview imported it once each;
- renaming a user: the login throttle's history (failures, the addresses the user signed in
  from) stayed with the old name, so the renamed user could be locked out from anywhere, and a
  new user given the old name inherited the old user's known addresses;
- an API token administered accounts: an admin's token (a credential for scripts, ending in 90
  days or at a password change) added an admin with a password of the holder's choosing,
  reset any password (its own too), renamed and enabled users — a lasting account from a
  token that was to expire; an admin signed in reset their own password on the users page
  without the current one, which the account page asks for (a stolen session cookie).
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pytest
from sqlalchemy import func, select

from lantu.store import users
from lantu.store.models import AuditLogRow, ObservationRow
from webutil import backend_app, csrf_of, login, post

PASSWORD = "Correct-horse-9-battery"
PER_NAME = next(limit for limit in users.THROTTLE if limit.per == "name")
PER_ADDRESS = next(limit for limit in users.THROTTLE if limit.per == "name_address")
HEADER = ["region_code", "period", "indicator", "value", "unit", "flags", "source_url", "excerpt"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(
        request, web_template_db, tmp_path_factory.mktemp("round6"), ("analyst", "admin"), "round6"
    ) as app:
        yield app


def _count(db, row, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(row).where(*where))


def _gdp(db, year: int) -> float | None:
    with db.session() as s:
        return s.scalar(
            select(ObservationRow.value).where(
                ObservationRow.region_code == "140100",
                ObservationRow.indicator_code == "gdp",
                ObservationRow.period == str(year),
            )
        )


def _workbook(shown_year: int, hidden_years: range, value: float) -> bytes:
    """Sheet ``A`` with one figure; sheet ``B`` with others, never to be previewed."""
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "A"
    a.append(HEADER)
    a.append(["140100", str(shown_year), "gdp", value, "亿元", "", "https://example.org/a", "a"])
    b = wb.create_sheet("B")
    b.append(HEADER)
    for year in hidden_years:
        b.append(["140100", str(year), "gdp", 999.0, "亿元", "", "https://example.org/b", "b"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _preview(client, data: bytes, sheet: str, name: str = "t.xlsx") -> str:
    r = post(
        client,
        "/import",
        {"sheet": sheet},
        files={"file": (name, data, "application/octet-stream")},
        csrf_page="/import",
    )
    assert r.status_code == 200, r.text[:300]
    return re.search(r'name="token" value="([^"]+)"', r.text).group(1)


def _imports(db) -> int:
    return _count(db, AuditLogRow, AuditLogRow.action == "import")


def test_a_confirm_writes_the_sheet_that_was_previewed_not_the_one_its_form_names(env):
    client, _auth, db, _home = env
    login(client, "analyst")
    token = _preview(client, _workbook(1989, range(1984, 1989), 1500.25), "A", "预览.xlsx")
    r = post(
        client,
        "/import/confirm",
        {"token": token, "file": "other.xlsx", "sheet": "B"},
        csrf_page="/import",
    )
    assert r.status_code == 200 and "预览.xlsx" in r.text and "other.xlsx" not in r.text
    assert _gdp(db, 1989) == 1500.25  # what the preview showed
    assert all(_gdp(db, y) is None for y in range(1984, 1989))  # sheet B was never shown


def test_a_preview_is_imported_once_however_many_confirms_race(env):
    client, _auth, db, _home = env
    login(client, "analyst")
    token = _preview(client, _workbook(1983, range(0), 1200.5), "A")
    before = _imports(db)
    csrf = csrf_of(client, "/import")

    def confirm(_):
        return client.post(
            "/import/confirm", data={"token": token, "file": "t.xlsx", "csrf_token": csrf}
        )

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(r.status_code for r in pool.map(confirm, range(6)))
    assert codes == [200] + [404] * 5
    assert _imports(db) == before + 1 and _gdp(db, 1983) == 1200.5
    # replayed later, or pointed at another user's preview: gone, nothing written
    assert client.post("/import/confirm", data={"token": token, "csrf_token": csrf}).status_code \
        == 404
    mine = _preview(client, _workbook(1982, range(0), 1100.5), "A")
    login(client, "admin")
    r = post(client, "/import/confirm", {"token": mine, "file": "t.xlsx"}, csrf_page="/import")
    assert r.status_code == 404 and _gdp(db, 1982) is None
    for forged in ("../" + mine, mine.replace("u", "c-u", 1), f"c-{mine}", mine + "/"):
        assert post(client, "/import/confirm", {"token": forged, "file": "t.xlsx"}, csrf_page="/import") \
            .status_code == 404
    login(client, "analyst")  # the owner's preview survived the attempts
    assert post(client, "/import/confirm", {"token": mine, "file": "t.xlsx"}, csrf_page="/import").status_code == 200
    assert _gdp(db, 1982) == 1100.5 and _imports(db) == before + 2


# -- renaming and the login throttle --------------------------------------------------------------


def _rotate(db, name: str, n: int, prefix: str = "198.51.100") -> None:
    """``n`` wrong guesses of ``name``, a few from each address (never the per-address limit)."""
    per = PER_ADDRESS.failures - 1
    for i in range(n):
        users.check_login(db, name, f"guess-{i}", f"{prefix}.{i // per}")


def test_a_renamed_user_keeps_the_addresses_they_signed_in_from(db):
    with db.session() as s:
        users.add_user(s, "wang", PASSWORD, "analyst")
    assert users.check_login(db, "wang", PASSWORD, "10.9.9.9").user  # the office
    with db.session() as s:
        users.rename_user(s, "wang", "wang_li", actor="admin")
    _rotate(db, "wang_li", PER_NAME.failures + 3)  # an attacker locks the new name
    assert users.check_login(db, "wang_li", PASSWORD, "203.0.113.7").throttled_per == "name"
    # from the office the renamed user still signs in, as before the rename
    assert users.check_login(db, "wang_li", PASSWORD, "10.9.9.9").user is not None


def test_a_new_user_of_an_old_name_inherits_no_login_history(db):
    with db.session() as s:
        users.add_user(s, "zhao", PASSWORD, "analyst")
    assert users.check_login(db, "zhao", PASSWORD, "10.8.8.8").user
    with db.session() as s:
        users.rename_user(s, "zhao", "zhao_old", actor="admin")
        users.add_user(s, "zhao", "Another-horse-7-battery", "viewer")
    _rotate(db, "zhao", PER_NAME.failures + 3)
    # the old zhao's office is no known address of the new zhao: the per-name lock holds there
    outcome = users.check_login(db, "zhao", "Another-horse-7-battery", "10.8.8.8")
    assert outcome.user is None and outcome.throttled_per == "name"


def test_guesses_before_a_rename_still_count_after_it(db):
    with db.session() as s:
        users.add_user(s, "sun", PASSWORD, "analyst")
    for i in range(PER_ADDRESS.failures):
        users.check_login(db, "sun", f"guess-{i}", "198.51.100.200")
    with db.session() as s:
        users.rename_user(s, "sun", "sun_wei", actor="admin")
    outcome = users.check_login(db, "sun_wei", PASSWORD, "198.51.100.200")
    assert outcome.user is None and outcome.throttled_per == "name_address"


# -- what a token and a session may do to accounts -------------------------------------------------

NEW_PASSWORD = "Quiet-lantern-41-harbour"


def _password_works(db, name: str, password: str) -> bool:
    with db.session() as s:
        return users.authenticate(s, name, password, "192.0.2.250") is not None


def test_an_api_token_cannot_administer_accounts(env):
    client, auth, db, _home = env
    client.cookies.clear()
    admin = auth["admin"]
    attempts = [
        ("/admin/users", {"username": "mallory", "password": NEW_PASSWORD, "role": "admin"}),
        ("/admin/users/viewer/password", {"password": NEW_PASSWORD}),
        ("/admin/users/admin/password", {"password": NEW_PASSWORD}),
        ("/admin/users/viewer/rename", {"new_name": "viewer_x"}),
        ("/admin/users/viewer/update", {"role": "admin"}),
        ("/admin/users/viewer/active", {"active": "false"}),
        ("/account/password", {"current": "x", "new": NEW_PASSWORD, "again": NEW_PASSWORD}),
        ("/account/tokens", {"name": "more", "password": "admin-demo-2026"}),
    ]
    for path, form in attempts:
        r = client.post(path, data=form, headers=admin)
        assert r.status_code == 403, (path, r.status_code)
    assert client.get("/admin/users", headers=admin).status_code == 403
    with db.session() as s:
        assert users.get_user(s, "mallory") is None
        assert users.get_user(s, "viewer").role == "viewer" and users.get_user(s, "viewer").active
    assert not _password_works(db, "viewer", NEW_PASSWORD)
    assert _password_works(db, "admin", "admin-demo-2026")
    # the token still does what it is for: the API and the pages a script posts to
    assert client.get("/api/v1/progress-reports", headers=admin).status_code == 200
    assert client.get("/account", headers=auth["analyst"]).status_code == 200


def test_an_admin_changes_their_own_password_only_where_the_current_one_is_asked(env):
    client, _auth, db, _home = env
    login(client, "admin")
    r = post(client, "/admin/users/admin/password", {"password": NEW_PASSWORD},
             csrf_page="/admin/users")
    assert r.status_code == 422 and "/account" in r.text
    assert _password_works(db, "admin", "admin-demo-2026")
    assert not _password_works(db, "admin", NEW_PASSWORD)
    # another user's password is still reset here, as before
    with db.session() as s:
        users.add_user(s, "zhou6", PASSWORD, "viewer")
    r = post(client, "/admin/users/zhou6/password", {"password": NEW_PASSWORD},
             csrf_page="/admin/users")
    assert r.status_code == 303 and _password_works(db, "zhou6", NEW_PASSWORD)


# -- two supervisors on one task -------------------------------------------------------------------


def _edit_form(client, node: int) -> dict:
    """The task's edit form as the browser would send it back (every field it shows)."""
    page = client.get(f"/supervision/tasks/{node}/edit").text
    form = {"csrf_token": csrf_of(client, f"/supervision/tasks/{node}/edit")}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page):
        if name in ("title", "start", "due", "version"):
            form[name] = value
    lead = re.search(r'<select name="lead_department".*?<option value="(\w+)" selected', page, re.S)
    form["lead_department"] = lead.group(1)
    form["text"] = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    return form


def test_a_stale_edit_form_does_not_undo_another_supervisors_change(env):
    from datetime import date

    from lantu.store.models import PlanNodeRow
    from webutil import task_ids

    client, _auth, db, _home = env
    node = task_ids(db, "fgw")[2]
    login(client, "supervisor")
    stale = _edit_form(client, node)  # opened before the other change
    fresh = _edit_form(client, node)
    fresh["due"], fresh["reason"] = "2030-06-30", "延期获批"
    assert client.post(f"/supervision/tasks/{node}/edit", data=fresh).status_code == 303
    stale["title"], stale["reason"] = stale["title"] + "（修订）", "改标题"
    r = client.post(f"/supervision/tasks/{node}/edit", data=stale)
    assert r.status_code == 409
    with db.session() as s:
        row = s.get(PlanNodeRow, node)
        assert row.due_date == date(2030, 6, 30) and not row.title.endswith("（修订）")
    # reloaded, the same change goes through
    again = _edit_form(client, node)
    again["title"], again["reason"] = again["title"] + "（修订）", "改标题"
    assert client.post(f"/supervision/tasks/{node}/edit", data=again).status_code == 303


def test_an_api_patch_with_the_version_read_is_refused_once_the_task_changed(env):
    from webutil import task_ids

    client, auth, db, _home = env
    with db.session() as s:
        users.add_user(s, "sup6", PASSWORD, "supervisor")
        token = users.create_api_token(s, "sup6", "round6")
    sup = {"Authorization": f"Bearer {token}"}
    node = task_ids(db, "fgw")[3]
    read = client.get(f"/api/v1/tasks/{node}", headers=sup).json()["version"]
    body = {"reason": "a", "due": "2029-12-31", "version": read}
    assert client.patch(f"/api/v1/tasks/{node}", json=body, headers=sup).status_code == 200
    stale = {"reason": "b", "due": "2027-01-31", "version": read}
    r = client.patch(f"/api/v1/tasks/{node}", json=stale, headers=sup)
    assert r.status_code == 409 and "error" in r.json()
    assert client.get(f"/api/v1/tasks/{node}", headers=sup).json()["due"] == "2029-12-31"
    for bad in (True, -1, "1", 2**31):  # the version is a JSON whole number like a row id
        r = client.patch(f"/api/v1/tasks/{node}", json={"reason": "c", "version": bad},
                         headers=sup)
        assert r.status_code == 422, bad


# -- a closed task (销号) --------------------------------------------------------------------------


def test_a_closed_task_takes_no_more_reports(env):
    from datetime import date

    from lantu.store.models import PlanNodeRow
    from lantu.store.models_web import ProgressReportRow
    from lantu.supervise import month_of
    from webutil import task_ids

    client, _auth, db, _home = env
    with db.session() as s:
        rep = users.create_api_token(s, "rep_fgw", "round6")
        if users.get_user(s, "sup7") is None:
            users.add_user(s, "sup7", PASSWORD, "supervisor")
        sup = users.create_api_token(s, "sup7", "round6")
    rep, sup = ({"Authorization": f"Bearer {t}"} for t in (rep, sup))
    node = task_ids(db, "fgw")[5]
    r = client.post(f"/api/v1/tasks/{node}/closure-requests", json={"comment": "完成"},
                    headers=rep)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/closure-requests/{r.json()['id']}/decision",
                    json={"grant": True, "comment": "同意销号"}, headers=sup)
    assert r.status_code == 200, r.text
    with db.session() as s:
        progress = s.get(PlanNodeRow, node).progress
        reports = s.scalar(select(func.count()).select_from(ProgressReportRow)
                           .where(ProgressReportRow.node_id == node))
    client.cookies.clear()
    r = client.post(
        f"/supervision/tasks/{node}/report",
        data={"month": month_of(date.today()), "text": "销号后又报", "percent": 10,
              "action": "submit"},
        headers=rep,
    )
    assert r.status_code == 409
    with db.session() as s:
        assert s.get(PlanNodeRow, node).status == "closed"
        assert s.get(PlanNodeRow, node).progress == progress
        assert s.scalar(select(func.count()).select_from(ProgressReportRow)
                        .where(ProgressReportRow.node_id == node)) == reports


def test_a_closed_tasks_parts_take_no_more_progress():
    from lantu.supervise import WorkflowError
    from lantu.supervise.split import check_unit_progress

    check_unit_progress(role="reporter", department="fgw", lead="fgw", percent=5,
                        task_status="in_progress")
    with pytest.raises(WorkflowError) as exc:
        check_unit_progress(role="reporter", department="fgw", lead="fgw", percent=5,
                            task_status="closed")
    assert exc.value.status == 409
