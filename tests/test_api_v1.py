"""The JSON API ``/api/v1`` by hand: bearer tokens, filters, pagination, errors as JSON with the
field named, the department line for progress reports, writes by role only."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from lantu import defaults
from lantu.store import queries, repo, supervision, users
from webutil import fresh_db, make_client


def raw_rows() -> list[dict[str, str]]:
    out = []
    for name in defaults.RAW_OBSERVATION_FILES:
        with open(defaults.DATA / "raw" / name, encoding="utf-8") as fh:
            out += list(csv.DictReader(fh))
    return out


def default_keys() -> set[tuple[str, str, str]]:
    """(region code, period, indicator) of every observation the default loads: the raw files
    and the figures read from work reports (a raw figure wins over an extracted one)."""
    regions, _ = defaults.load_regions()
    names = {r.name_zh: r.code for r in regions}
    keys = {(names[r["region"]], r["year"], r["indicator"]) for r in raw_rows()}
    extracted = defaults.DATA / "extracted" / "observations.csv"
    if extracted.exists():
        with open(extracted, encoding="utf-8") as fh:
            keys |= {(r["region_code"], r["period"], r["indicator"]) for r in csv.DictReader(fh)}
    return keys


def _stored(api):
    with api[1].session() as s:
        return repo.observations_frame(s)


@pytest.fixture(scope="module")
def api(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        tokens = {name: users.create_api_token(s, name, "test")
                  for name in ("analyst", "viewer", "supervisor")}
        reporters = sorted(u.username for u in users.list_users(s) if u.role == "reporter")
        for name in reporters[:2]:
            tokens[name] = users.create_api_token(s, name, "test")
    with make_client(db, tmp / "home") as client:
        yield client, db, tokens, reporters[:2]
    db.dispose()


def get(api, path, who="analyst", **params):
    client, _, tokens, _ = api
    client.cookies.clear()
    return client.get(path, params=params, headers={"Authorization": f"Bearer {tokens[who]}"})


def test_needs_a_token(api):
    client = api[0]
    client.cookies.clear()
    r = client.get("/api/v1/regions")
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized" and "Bearer" in r.json()["detail"]
    assert r.headers["www-authenticate"] == "Bearer"
    r = client.get("/api/v1/regions", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_regions_and_indicators(api):
    r = get(api, "/api/v1/regions", level="city")
    body = r.json()
    assert r.status_code == 200 and body["count"] == len(body["data"])
    assert {"code": "140100", "name_zh": "太原市", "name_en": "Taiyuan", "level": "city",
            "parent": "140000"} in body["data"]
    assert all(x["level"] == "city" for x in body["data"])
    assert get(api, "/api/v1/regions/140100").json()["name_en"] == "Taiyuan"
    nf = get(api, "/api/v1/regions/999999")
    assert nf.status_code == 404 and nf.json() == {"detail": "no region '999999'",
                                                   "error": "not_found"}
    inds = get(api, "/api/v1/indicators", with_data="true").json()
    assert {i["code"] for i in inds["data"]} == {k[2] for k in default_keys()}
    assert get(api, "/api/v1/indicators/gdp").json()["unit"] == "亿元"
    groups = get(api, "/api/v1/region-groups").json()["data"]
    assert next(g for g in groups if g["code"] == "central_shanxi")["members"][0] == "140100"


def test_observation_filters(api):
    r = get(api, "/api/v1/observations", region="140100", indicator="gdp")
    body = r.json()
    stored = _stored(api)  # what the store holds: the better source of each key (issue 10)
    mine = stored[(stored.region_code == "140100") & (stored.indicator == "gdp")]
    expected = sorted(mine.period.astype(str))
    assert len(expected) > 4  # the work reports give Taiyuan's GDP back to 2000
    assert body["total"] == len(expected) == len(body["data"])
    assert [o["period"] for o in body["data"]] == expected
    o22 = next(o for o in body["data"] if o["period"] == "2022")
    row22 = mine[mine.period.astype(str) == "2022"].iloc[0]
    assert o22["value"] == pytest.approx(float(row22["value"]))
    assert o22["source"]["url"] == row22["source_url"]
    assert o22["source"]["excerpt"] == row22["excerpt"]
    # comma lists, periods and year ranges
    two = get(api, "/api/v1/observations", region="140100,140700", indicator="gdp",
              period=["2021", "2022"]).json()
    assert {(o["region_code"], o["period"]) for o in two["data"]} <= {
        (r, p) for r in ("140100", "140700") for p in ("2021", "2022")}
    ranged = get(api, "/api/v1/observations", indicator="population", **{"from": "2021",
                                                                           "to": "2022"}).json()
    assert ranged["total"] == int(((stored.indicator == "population")
                                   & stored.period.astype(str).isin(["2021", "2022"])).sum())
    grp = get(api, "/api/v1/observations", group="central_shanxi", indicator="population").json()
    assert {o["region_code"] for o in grp["data"]} <= {"140100", "140700", "140900", "141100",
                                                        "140300"}
    assert "140000" not in {o["region_code"] for o in grp["data"]}


def test_pagination(api):
    total = len(_stored(api))
    full = {"total": total, "data": []}
    for offset in range(0, total, 1000):  # the largest page the API gives
        page = get(api, "/api/v1/observations", limit=1000, offset=offset).json()
        assert page["total"] == total
        full["data"] += page["data"]
    assert len(full["data"]) == total and total > 1000
    pages = []
    for offset in range(0, full["total"], 40):
        page = get(api, "/api/v1/observations", limit=40, offset=offset).json()
        assert page["total"] == full["total"] and page["limit"] == 40
        assert page["offset"] == offset
        pages += page["data"]
    assert [o["id"] for o in pages] == [o["id"] for o in full["data"]]
    beyond = get(api, "/api/v1/observations", offset=full["total"] + 5).json()
    assert beyond["data"] == [] and beyond["total"] == full["total"]


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 5000}, "limit"), ({"offset": -1}, "offset"),
    ({"region": "999999"}, "region"), ({"indicator": "nope"}, "indicator"),
    ({"group": "nowhere"}, "group"), ({"from": "abc"}, "from"), ({"limit": "ten"}, "limit"),
])
def test_bad_parameters_are_422_naming_the_field(api, params, field):
    r = get(api, "/api/v1/observations", **params)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == [field]
    assert field in body["detail"]


def test_observation_detail_and_unknown(api):
    first = get(api, "/api/v1/observations", limit=1).json()["data"][0]
    d = get(api, f"/api/v1/observations/{first['id']}").json()
    assert d["id"] == first["id"] and d["history"] == []
    r = get(api, "/api/v1/observations/99999999")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert get(api, "/api/v1/observations/abc").status_code == 422
    assert get(api, "/api/v1/no/such/thing").json()["error"] == "not_found"


def test_write_an_observation_by_role(api):
    client, _, tokens, _ = api
    body = {"region_code": "140700", "period": "2023", "indicator": "gdp", "value": 2222.2,
            "unit": "亿元", "flags": ["preliminary"], "source_url": "https://example.org/jz2023",
            "excerpt": "全年地区生产总值2222.2亿元"}
    r = client.post("/api/v1/observations", json=body,
                    headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    r = client.post("/api/v1/observations", json=body,
                    headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert r.status_code == 201 and r.json()["action"] == "inserted"
    obs = r.json()["observation"]
    assert obs["value"] == 2222.2 and obs["flags"] == ["preliminary"]
    r = client.post("/api/v1/observations", json={**body, "value": 2230.0},
                    headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert r.json()["action"] == "revised"
    detail = r.json()["observation"]
    assert detail["version"] == 2 and detail["history"][0]["value"] == 2222.2
    bad = client.post("/api/v1/observations", json={**body, "flags": ["guessed"]},
                      headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "flags"
    bad = client.post("/api/v1/observations", json={**body, "period": "23"},
                      headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period"


def test_targets_carry_their_status(api):
    body = get(api, "/api/v1/targets", region="140100", indicator="gdp_growth", lang="en").json()
    assert body["total"] == len(body["data"]) > 0
    y2022 = next(t for t in body["data"] if t["target_period"] == "2022"
                 and t["qualifier"] is None)
    actual = next(float(x["value"]) for x in raw_rows() if (x["region"], x["year"], x["indicator"])
                  == ("太原市", "2022", "gdp_growth"))
    ev = y2022["evaluation"]
    assert ev["current"] == pytest.approx(actual)
    assert ev["gap"] == pytest.approx(actual - y2022["value"])
    assert ev["outcome"] == ("met" if actual >= y2022["value"] else "missed")
    page = get(api, "/api/v1/targets", limit=5, offset=5).json()
    assert len(page["data"]) == 5 and page["offset"] == 5


def test_plan_tree(api):
    plans = get(api, "/api/v1/plans").json()["data"]
    code = plans[0]["code"]
    tree = get(api, f"/api/v1/plans/{code}").json()
    tops = [c["code"] for c in tree["children"]]
    assert tops[0] == "P0" and "T7" in tops
    t1 = next(c for c in tree["children"] if c["code"] == "T1")
    assert t1["children"] and all(c["code"].startswith("T1.") for c in t1["children"])
    n = 0
    stack = list(tree["children"])
    while stack:
        node = stack.pop()
        n += 1
        stack += node["children"]
    assert n == plans[0]["nodes"]
    assert get(api, "/api/v1/plans/nope").status_code == 404


def test_progress_reports_only_own_department_for_reporters(api):
    client, db, tokens, reps = api
    today = date.today()
    month = f"{today.year}-{today.month:02d}"
    with db.session() as s:
        made = {}
        for name in reps:
            user = users.get_user(s, name)
            node = next(n for n in repo.plan_node_rows(s, "taiyuan-2021-11")
                        if n.kind == "task" and n.lead_department == user.department_code)
            made[name] = supervision.save_report(s, user, node.id, month=month,
                                                 text=f"{name} 本月进展", percent=40,
                                                 submit=True, today=today,
                                                 expected_version=0).id
    for name in reps:
        body = get(api, "/api/v1/progress-reports", who=name).json()
        deps = {r["department_code"] for r in body["data"]}
        user_dep = name.removeprefix("rep_")
        assert deps == {user_dep} and body["total"] == len(body["data"])
        assert made[name] in {r["id"] for r in body["data"]}
    everyone = get(api, "/api/v1/progress-reports", who="supervisor").json()
    assert set(made.values()) <= {r["id"] for r in everyone["data"]}
    one = get(api, "/api/v1/progress-reports", who="supervisor", limit=1).json()
    assert one["total"] == everyone["total"] and len(one["data"]) == 1
    assert get(api, "/api/v1/progress-reports", month="2024/01").status_code == 422


def test_index_results(api):
    body = get(api, "/api/v1/index", year=2022).json()
    ranks = [r["rank"] for r in body["results"] if r["rank"] is not None]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert all(r["q5"] <= r["q95"] for r in body["results"] if r["q5"] is not None)
    assert body["uncertainty"]["n"] > 0 and body["data_version"]
    with api[1].session() as s:
        assert body["data_version"] == queries.data_version(s)
