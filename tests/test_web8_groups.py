"""``PUT /api/v1/groups/{code}`` creates a group that does not exist — and answered 200 as if it
had replaced one. Per RFC 9110 §9.3.4 a PUT that creates says so: **201** with ``Location``, and
200 when it replaced; ``POST /api/v1/groups`` (201) names the group it made too, and the
``Location`` of both can be read (``GET /api/v1/groups/{code}``). Whether it existed is asked in
the transaction that writes it (``services.write_group``). SQLite and PostgreSQL; each test
failed on the code before.
"""

from __future__ import annotations

import pytest

from webutil import backend_app

BODY = {"name_zh": "北方省会八", "members": ["140100", "130100"]}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("web8g"),
                     ("admin", "analyst", "viewer"), "web8g") as app:
        yield app


def test_a_put_that_creates_is_201_with_location_and_one_that_replaces_200(env):
    client, auth, _db, _home = env
    r = client.put("/api/v1/groups/north8", headers=auth["analyst"],
                   json={**BODY, "code": "north8"})
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/api/v1/groups/north8"
    assert r.json()["members"] == ["140100", "130100"]
    got = client.get(r.headers["location"], headers=auth["viewer"])
    assert got.status_code == 200 and got.json() == r.json()
    again = client.put("/api/v1/groups/north8", headers=auth["admin"],
                       json={**BODY, "code": "north8", "members": ["140100"]})
    assert again.status_code == 200 and "location" not in again.headers
    assert client.get("/api/v1/groups/north8", headers=auth["viewer"]).json()["members"] == [
        "140100"]
    # a refused PUT creates nothing
    r = client.put("/api/v1/groups/north9", headers=auth["viewer"],
                   json={**BODY, "code": "north9"})
    assert r.status_code == 403
    assert client.get("/api/v1/groups/north9", headers=auth["viewer"]).status_code == 404


def test_a_post_that_creates_names_where(env):
    client, auth, _db, _home = env
    r = client.post("/api/v1/groups", headers=auth["analyst"], json={**BODY, "code": "post8"})
    assert r.status_code == 201 and r.headers["location"] == "/api/v1/groups/post8"
    assert client.post("/api/v1/groups", headers=auth["analyst"],
                       json={**BODY, "code": "post8"}).status_code == 409


def test_the_api_document_says_put_answers_201_or_200(env):
    client = env[0]
    doc = client.get("/api/v1/openapi.json").json()
    put = doc["paths"]["/api/v1/groups/{code}"]["put"]
    assert {"200", "201"} <= set(put["responses"])
    assert "201" in put["description"] and "Location" in put["description"]
    assert "get" in doc["paths"]["/api/v1/groups/{code}"]
