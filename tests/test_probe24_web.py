"""The fourteenth attacker round (probe24, ``benchmarks/probe24_cases.md``) through the web app and
the JSON API. What fell through, each held here on SQLite and PostgreSQL:

- a key given twice in a JSON object was read as its last value (unit progress, an observation,
  a task's milestone): the API's one reading of a body refuses it naming the key
  (``api_schemas.json_object``);
- its neighbours: a single-valued query parameter or form field given twice was read as its
  last value (``?limit=2000&limit=5``; a report's ``percent`` twice): ``web.one_value``;
- user names with a Hangul choseong filler or a Braille blank (``admin\\u115f``,
  ``admin\\u2800``), which show as ``admin``, and an e-mail address with a zero-width space were
  stored: the characters that show nothing are one list (``gate.invisible_problem``);
- two `Authorization` headers were answered as the first one's user (a proxy may read the last):
  `deps._bearer` refuses a request with more than one (400);
- an executable or macro document refused as an upload (415) left no line in the security log:
  ``edge.RefusalLog`` logs every body refused by its size or type.

The ``_held`` tests guard what must stay as it was (and passed before).
"""

from __future__ import annotations

import logging

import pytest

from webutil import backend_app, csrf_of, login, post, task_with_part

SRC = "https://tjj.taiyuan.gov.cn/p24"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("probe24"),
                     ("admin", "analyst", "rep_czj"), "probe24") as app:
        yield app


def _obs(period: str, value: str) -> str:
    return (f'{{"region_code": "140100", "period": "{period}", "indicator": "gdp", '
            f'"value": {value}, "unit": "亿元", "source_url": "{SRC}", "excerpt": "p24"')


def test_a_json_key_given_twice_is_refused_naming_it(env):
    client, auth, *_ = env
    _task, part = task_with_part(client, auth, "重复键")
    rep = {**auth["rep_czj"], "Content-Type": "application/json"}
    for body in ('{"percent": 10, "percent": 90}', '{"percent": 10, "perc\\u0065nt": 90}'):
        r = client.post(f"/api/v1/tasks/{part}/unit-progress", headers=rep, content=body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "percent"
    assert client.get(f"/api/v1/tasks/{part}", headers=auth["admin"]).json()["progress"] in (None, 0, 0.0)
    an = {**auth["analyst"], "Content-Type": "application/json"}
    r = client.post("/api/v1/observations", headers=an,
                    content=_obs("1990", "100.5") + ', "value": 200.5}')
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "value"
    rows = client.get("/api/v1/observations?indicator=gdp&region=140100&from=1990&to=1990",
                      headers=auth["analyst"]).json()["data"]
    assert rows == []
    # nested: a milestone of a new task
    body = ('{"plan": "taiyuan-2021-11", "kind": "task", "title": "重复", "lead_department": "czj",'
            ' "milestones": [{"title": "a", "title": "b", "due": "2027-06-30"}]}')
    r = client.post("/api/v1/tasks", headers={**auth["admin"], "Content-Type": "application/json"},
                    content=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "title"


def test_a_json_body_with_each_key_once_is_read_held(env):
    client, auth, *_ = env
    _task, part = task_with_part(client, auth, "单键")
    r = client.post(f"/api/v1/tasks/{part}/unit-progress", headers=auth["rep_czj"],
                    json={"percent": 40, "note": "x"})
    assert r.status_code == 200, r.text


def test_a_single_valued_field_given_twice_is_refused(env):
    client, auth, db, _home = env
    r = client.get("/api/v1/observations?limit=2000&limit=5", headers=auth["analyst"])
    assert r.status_code == 422 and "limit" in r.text
    login(client, "admin")
    # a proxy reading the first value sees a viewer; the app read the last: an admin
    r = post(client, "/admin/users", {"username": "p24twice", "password": "copper-meadow-signal-4410",
                                      "role": ["viewer", "admin"], "department": ""},
             csrf_page="/admin/users")
    assert r.status_code == 422
    assert "p24twice" not in client.get("/admin/users").text


def test_fields_a_route_declares_as_lists_still_take_many_held(env):
    client, auth, *_ = env
    r = client.get("/api/v1/observations?region=140100&region=140200&limit=5",
                   headers=auth["analyst"])
    assert r.status_code == 200
    login(client, "admin")
    r = post(client, "/supervision/tasks/new", {
        "plan": "taiyuan-2021-11", "title": "多个配合单位", "lead_department": "fgw",
        "supporting_departments": ["czj", "jyj"]}, csrf_page="/supervision/tasks/new")
    assert r.status_code == 303, r.text[:300]


@pytest.mark.parametrize("name", ["admin\u115f", "admin\u2800", "admin\u17b4", "admin\u180b"])
def test_a_user_name_holding_a_character_that_shows_nothing_is_refused(env, name):
    client, *_ = env
    login(client, "admin")
    # a display name of its own: left empty it is the user name, which the label rule refused
    r = post(client, "/admin/users", {"username": name, "password": "copper-meadow-signal-4410",
                                      "role": "viewer", "department": "", "display_name": "探针"},
             csrf_page="/admin/users")
    assert r.status_code == 422


def test_an_email_address_holding_an_invisible_character_is_refused(env):
    client, *_ = env
    login(client, "admin")
    for email in ("a\u200b@fgw.gov.cn", "a\u2800@fgw.gov.cn"):
        r = post(client, "/admin/users/viewer/update", {"role": "viewer", "department": "",
                                                        "email": email}, csrf_page="/admin/users")
        assert r.status_code == 422, email
    r = post(client, "/admin/users/viewer/update", {"role": "viewer", "department": "",
                                                    "email": "王@例子.中国"}, csrf_page="/admin/users")
    assert r.status_code == 303  # an address in Chinese is an address


def test_an_upload_refused_by_its_type_is_logged(env, caplog):
    client, *_ = env
    caplog.set_level(logging.INFO, logger="lantu")
    login(client, "analyst")
    r = client.post("/import", data={"csrf_token": csrf_of(client, "/import")},
                    files={"file": ("p24-name.exe", b"region_code,period\n", "text/csv")})
    assert r.status_code == 415
    refused = [x for x in caplog.records if getattr(x, "event", None) == "refused"
               and getattr(x, "path", None) == "/import"]
    assert refused and refused[-1].reason == "unsupported_type" and refused[-1].user == "analyst"
    assert not any("p24-name" in str(x.__dict__) for x in refused)


def test_two_authorization_headers_are_refused(env):
    client, auth, *_ = env
    two = [("Authorization", auth["rep_czj"]["Authorization"]),
           ("Authorization", auth["analyst"]["Authorization"])]
    r = client.post("/api/v1/observations", headers=two, json={})
    assert r.status_code == 400 and "Authorization" in r.json()["detail"]
    r = client.get("/api/v1/regions", headers=two)
    assert r.status_code == 400
    assert client.get("/api/v1/regions", headers=auth["analyst"]).status_code == 200  # one: held
