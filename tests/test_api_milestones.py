"""GET /api/v1/milestones: filters by region, year and plan node, paged like the other lists,
in the OpenAPI schema; an unknown region is a 422 JSON error naming it."""

from __future__ import annotations

import pytest

from lantu.store import users
from lantu.store.evidence import milestones_for
from webutil import fresh_db, make_client


@pytest.fixture(scope="module")
def api(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api_milestones")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "viewer", "test")
    with make_client(db, tmp / "home") as client:
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, db
    db.dispose()


def test_milestones_by_region_year_and_node(api) -> None:
    client, db = api
    with db.session() as s:
        taiyuan = milestones_for(s, "140100")
        hub = milestones_for(s, "140100", node_codes=["P0"])
    assert taiyuan, "the default holds Taiyuan's milestones"
    r = client.get("/api/v1/milestones", params={"region": "140100", "limit": 1000})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(taiyuan) and [m["id"] for m in body["data"]] == [m["id"] for m in taiyuan]
    first = body["data"][0]
    assert set(first) >= {"region_code", "year", "kind", "text", "source_url", "archive", "nodes",
                          "reviewed", "source_quality"}
    year = taiyuan[-1]["year"]
    r = client.get("/api/v1/milestones", params={"region": "140100", "year": year}).json()
    assert r["total"] == sum(m["year"] == year for m in taiyuan) and {m["year"] for m in r["data"]} == {year}
    r = client.get("/api/v1/milestones", params={"region": "140100", "node": "P0", "limit": 1000}).json()
    assert r["total"] == len(hub) and all(any(n == "P0" or n.startswith("P0.") for n in m["nodes"])
                                          for m in r["data"])


def test_paging(api) -> None:
    client, _ = api
    whole = client.get("/api/v1/milestones", params={"limit": 1000}).json()
    page = client.get("/api/v1/milestones", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == whole["total"] and page["limit"] == 2 and page["offset"] == 1
    assert [m["id"] for m in page["data"]] == [m["id"] for m in whole["data"][1:3]]


def test_errors_are_json(api) -> None:
    client, _ = api
    r = client.get("/api/v1/milestones", params={"region": "130100"})  # a division not in the database
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "region" and "130100" in r.text
    r = client.get("/api/v1/milestones", params={"region": "abc"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    r = client.get("/api/v1/milestones", params={"year": 1800})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "year"


def test_in_the_openapi_schema(api) -> None:
    client, _ = api
    schema = client.get("/api/v1/openapi.json")
    if schema.status_code == 404:
        schema = client.get("/openapi.json")
    spec = schema.json()
    op = spec["paths"]["/api/v1/milestones"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"region", "year", "node", "limit", "offset"}
    assert "MilestoneFactListPublic" in str(op["responses"]["200"])
