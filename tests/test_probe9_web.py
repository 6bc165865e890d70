"""Issue 12, the seventh round: the web app and the JSON API probed again as an attacker would,
on SQLite and PostgreSQL (a live ``lantu serve`` on each, PostgreSQL with two workers); each
test failed on the code before its fix.

- credentials (timing): a login naming a disabled account answered without a password check,
  in a quarter of the time of an active or unknown name, so disabled accounts could be told;
- small ones (caching): the login page of a visitor holding the CSRF cookie carried that
  visitor's token and no ``Cache-Control``, so a shared cache could hand it to the next visitor;
- links: the HTML monitoring report rendered a stored link live whenever it began with
  ``http`` (its own rule), so a link stored before the link rule (``https://x.gov.cn@evil``)
  became a live link there while every page showed it as text;
- header injection: a line break in a task title (the text rule keeps CR and LF) reached the
  Subject of the notification's e-mail, which ``email`` refuses: the sender raised at that
  message on every run, so no e-mail after it was ever sent.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, update

from lantu import mail
from lantu.domain import ValidationError, links
from lantu.store import users
from lantu.store.models import ObservationRow, PlanRow
from smtp_sink import SmtpSink
from webutil import backend_app, count_password_checks, csrf_of, login, make_client

WRONG = "not-the-password-of-anyone-9"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("probe9"),
                     ("supervisor", "analyst"), "probe9") as app:
        yield app


def test_a_disabled_account_costs_one_password_check_like_any_name(env, monkeypatch):
    client, _, db, _ = env
    with db.session() as s:
        users.set_active(s, "rep_czj", False, actor="test")
    try:
        client.cookies.clear()
        token = csrf_of(client, "/login")
        checked = count_password_checks(monkeypatch)
        names = ("rep_czj", "rep_gxj", "nobody_probe9")  # disabled, active, no such user
        for name in names:
            r = client.post("/login", data={"username": name, "password": WRONG,
                                            "csrf_token": token})
            assert r.status_code == 401, (name, r.status_code)
        # one check each: the answer takes as long whatever the name names
        assert len(checked) == len(names), checked
        # the right password of a disabled account still signs no one in
        r = client.post("/login", data={"username": "rep_czj", "password": "rep_czj-demo-2026",
                                        "csrf_token": token})
        assert r.status_code == 401 and len(checked) == len(names) + 1
    finally:
        with db.session() as s:
            users.set_active(s, "rep_czj", True, actor="test")


def test_a_page_holding_a_csrf_token_is_never_cached(client):
    first = client.get("/login")  # sets the CSRF cookie: no-store before this round too
    assert first.headers["cache-control"] == "no-store"
    again = client.get("/login")  # the cookie is sent back: no Set-Cookie now
    assert "set-cookie" not in again.headers
    token = client.cookies.get("lantu_csrf")
    assert token and token in again.text
    assert again.headers.get("cache-control") == "no-store"
    # a public page without a form keeps what it had (a visitor's pages stay cacheable)
    page = client.get("/targets")
    assert page.status_code == 200 and token not in page.text
    assert page.headers.get("cache-control") != "no-store"


@pytest.mark.parametrize("url", ["https://tjj.taiyuan.gov.cn@evil.example/x",
                                 "http://еvil.com/", "javascript:alert(1)",
                                 "https://x.gov.cn∕evil.com"])
def test_the_one_link_rule_renders_a_link_stored_before_it_as_no_link(url):
    assert links.live_link(url) == ""
    assert links.live_link("https://tjj.taiyuan.gov.cn/x.html") == "https://tjj.taiyuan.gov.cn/x.html"


def test_the_html_report_renders_a_link_stored_before_the_rule_as_text(env):
    client, _, db, _ = env
    bad = "https://tjj.taiyuan.gov.cn@evil.example/x"
    where = (ObservationRow.region_code == "140100", ObservationRow.indicator_code == "gdp",
             ObservationRow.period == "2024")
    with db.session() as s:  # as a database from before the link rule holds it
        before = s.scalar(select(ObservationRow.source_url).where(*where))
        s.execute(update(ObservationRow).where(*where).values(source_url=bad))
    try:
        login(client, "viewer")
        r = client.get("/reports/monitoring", params={"period": "2024", "format": "html"})
        assert r.status_code == 200
        assert "evil.example" in r.text  # the source is named ...
        assert not re.search(r'href="[^"]*evil\.example', r.text)  # ... but is no link
        assert re.search(r'<a href="https?://', r.text)  # the others stay links
    finally:
        with db.session() as s:
            s.execute(update(ObservationRow).where(*where).values(source_url=before))


def test_a_line_break_in_a_task_title_never_reaches_a_mail_header(env, tmp_path):
    _, headers, db, _ = env
    with db.session() as s:
        users.update_user(s, "rep_fgw", role="reporter", department_code="fgw",
                          email="rep_fgw@example.gov.cn", actor="test")
    try:
        with SmtpSink() as sink, make_client(db, tmp_path / "home", smtp_url=sink.url) as c:
            for title in ("第七轮 任务\r\nBcc: evil@example.com", "第七轮 之后的任务"):
                r = c.post("/api/v1/tasks", headers=headers["supervisor"], json={
                    "plan": "taiyuan-2021-11", "parent": "T1", "title": title,
                    "lead_department": "fgw", "due": "2026-12-31", "reason": "probe9"})
                assert r.status_code == 201, r.text
            subjects = [m["Subject"] for _, _, m in sink.messages]
            rcpts = [rc for _, rc, _ in sink.messages]
        # both were sent, each to its one reader, the first with its title on one line
        assert any("第七轮 任务 Bcc: evil@example.com" in str(x) for x in subjects), subjects
        assert any("之后的任务" in str(x) for x in subjects), subjects
        assert all(rc == ["rep_fgw@example.gov.cn"] for rc in rcpts), rcpts
        assert all("Bcc" not in m for _, _, m in sink.messages)
    finally:
        with db.session() as s:
            users.update_user(s, "rep_fgw", role="reporter", department_code="fgw",
                              email=None, actor="test")


@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
                                 "\u2029"])
def test_a_mail_header_is_one_line_whatever_breaks_the_text(brk):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"] = mail.header_text(f"任务{brk}Bcc: x@example.com")  # raised ValueError before
    assert msg["Subject"] == "任务 Bcc: x@example.com"


def test_a_method_an_api_path_does_not_take_is_405_naming_those_it_does(web_db, tmp_path):
    """Method confusion: a write method on a read route (``PUT /api/v1/groups``) was a 404 "no
    API endpoint" (the catch-all took it), an OPTIONS a 405 whose ``Allow`` named one of the
    path's routes only (``GET`` for ``/api/v1/tasks/1``, which takes ``PATCH`` too)."""
    with web_db.session() as s:
        headers = {"Authorization": f"Bearer {users.create_api_token(s, 'analyst', 'probe9')}"}
    methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    with make_client(web_db, tmp_path / "home") as c:
        paths = c.get("/api/v1/openapi.json").json()["paths"]
        assert len(paths) > 20
        for path, ops in paths.items():
            declared = {m.upper() for m in ops} & methods
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            for method in sorted(methods - declared):
                r = c.request(method, concrete, headers=headers)
                assert r.status_code == 405, (method, concrete, r.status_code, r.text[:200])
                # a GET route takes HEAD too (probe21: HEAD is a GET without its body)
                allowed = declared | ({"HEAD"} if "GET" in declared else set())
                assert set(r.headers["allow"].split(", ")) == allowed, (method, concrete)
                assert r.json()["error"] == "method_not_allowed"
        # what is no endpoint stays a 404, and the door still answers an anonymous write first
        assert c.put("/api/v1/nothing", headers=headers).status_code == 404
        assert c.put("/api/v1/groups").status_code == 401


def test_the_last_active_administrator_keeps_the_role(env):
    """The users page refused an admin disabling themself but let them make themself a viewer:
    the only admin did, and no one could open the users page again."""
    client, _, db, _ = env
    login(client, "admin")
    token = csrf_of(client, "/admin/users")
    r = client.post("/admin/users/admin/update", data={"role": "viewer", "csrf_token": token})
    assert r.status_code == 422 and "最后一位启用的管理员" in r.text  # the page's language
    with db.session() as s:
        assert users.get_user(s, "admin").role == "admin"
        with pytest.raises(ValidationError):  # the store's rule: the command line too
            users.set_active(s, "admin", False, actor="test")
    with db.session() as s:
        users.add_user(s, "second_admin_p9", "Correct-horse-9-battery-staple", "admin",
                       actor="test")
    try:
        r = client.post("/admin/users/admin/update", data={"role": "viewer",
                                                            "csrf_token": token})
        assert r.status_code == 303  # another admin remains: a role like any other
        with db.session() as s:
            assert users.get_user(s, "admin").role == "viewer"
            with pytest.raises(ValidationError):  # now the second is the last one
                users.set_active(s, "second_admin_p9", False, actor="test")
    finally:
        with db.session() as s:
            users.update_user(s, "admin", role="admin", department_code=None, email=None,
                              actor="test")
            users.set_active(s, "second_admin_p9", False, actor="test")


@pytest.mark.parametrize("kept", ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                                  '{"1": {"text": ' + "[" * 3000 + "]" * 3000 + "}}",
                                  '{"1": ' + "[" * 3000 + "]" * 3000 + "}"])
def test_the_outline_editor_refuses_kept_json_nested_past_the_parser(env, kept):
    """The outline editor read ``kept`` (JSON the browser carries back) with a bare
    ``json.loads``: 3,000 brackets (6 KB) were a RecursionError, a 500, on both databases."""
    client, _, db, _ = env
    login(client, "supervisor")
    token = csrf_of(client, "/supervision/plans/new")
    for action in ("preview", "save"):
        r = client.post("/supervision/plans/new/save", data={
            "outline": "- [任务] 甲 {1}", "kept": kept, "code": "probe9-deep", "title": "探针",
            "action": action, "csrf_token": token})
        assert r.status_code == 422, (action, r.status_code, r.text[:200])
        assert "changed in transit" in r.text
    with db.session() as s:
        assert s.get(PlanRow, "probe9-deep") is None


def test_a_sign_in_ends_the_session_the_browser_held_before(env):
    """Signing in again in a browser signed in already (switching accounts on a shared
    computer) started a new session but left the old one good for its hours, for whoever had
    copied its cookie; only a logout ended it."""
    client, _, _, _ = env
    login(client, "viewer")
    old = client.cookies.get("lantu_session")
    assert client.get("/api/v1/notifications").status_code == 200
    token = csrf_of(client, "/account")
    r = client.post("/login", data={"username": "supervisor",
                                    "password": "supervisor-demo-2026", "csrf_token": token})
    assert r.status_code == 303
    new = client.cookies.get("lantu_session")
    assert new and new != old
    client.cookies.clear()
    client.cookies.set("lantu_session", old)
    assert client.get("/api/v1/notifications").status_code == 401  # the replaced one is dead
    client.cookies.set("lantu_session", new)
    assert client.get("/api/v1/notifications").status_code == 200


TARGET = {"region_code": "140100", "indicator": "gdp", "target_period": "2030", "kind": "level",
          "value": 1, "source_url": "https://www.taiyuan.gov.cn/x.html", "plan": "probe9"}


@pytest.mark.parametrize("field", ["value", "value_high", "base_value"])
@pytest.mark.parametrize("raw", ["true", "false", '"1e5"', '" 5"', '"7"'])
def test_a_targets_numbers_are_json_numbers(env, field, raw):
    """The second round made every number of a write a JSON number (``Number``), but
    ``POST /api/v1/targets`` kept lax floats: ``true`` was stored as a target of 1, ``"1e5"``
    as 100,000, ``" 5"`` as 5."""
    client, headers, _, _ = env
    body = {**TARGET, "base_period": "2020"} if field == "base_value" else dict(TARGET)
    body.pop(field, None)
    text = json.dumps(body)[:-1] + f', "{field}": {raw}}}'
    r = client.post("/api/v1/targets", content=text, headers={
        **headers["analyst"], "Content-Type": "application/json"})
    assert r.status_code == 422, (r.status_code, r.text[:200])
    assert field in {e["field"] for e in r.json()["errors"]}


@pytest.mark.parametrize("raw", ["1", "0", '"yes"', '"on"', '"true"'])
def test_a_writes_yes_or_no_is_json_true_or_false(env, raw):
    """Flags were lax too: a target's ``binding`` and ``machine_read`` and a decision's
    ``grant`` took ``1``, ``"yes"``, ``"on"`` for true."""
    client, headers, _, _ = env
    for field in ("binding", "machine_read"):
        text = json.dumps(TARGET)[:-1] + f', "{field}": {raw}}}'
        r = client.post("/api/v1/targets", content=text, headers={
            **headers["analyst"], "Content-Type": "application/json"})
        assert r.status_code == 422 and field in r.text, (field, r.status_code, r.text[:200])
    from lantu.web.api_schemas_cycle import Decision

    with pytest.raises(ValueError):
        Decision.model_validate_json(f'{{"grant": {raw}}}')
    assert Decision.model_validate_json('{"grant": true}').grant is True
