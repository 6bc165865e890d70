"""Every GB/T 2260 division is known (vendored list), one region-code check, and region groups
through the CLI rule, the API and the page."""

from __future__ import annotations

import pytest

from lantu import defaults, services
from lantu.domain import RegionGroup, ValidationError, check_region_code
from lantu.store import queries, users
from webutil import csrf_of, fresh_db, login, make_client


def test_division_list_is_complete_and_consistent() -> None:
    div = defaults.load_divisions()
    levels = {lv: sum(r.level == lv for r in div.values()) for lv in ("province", "city", "county")}
    # 34 provincial divisions, ~333 prefecture level, ~2,840 county level (GB/T 2260 as of 2022)
    assert levels["province"] == 34
    assert 330 <= levels["city"] <= 340 and 2800 <= levels["county"] <= 2900
    assert div["130100"].name_zh == "石家庄市" and div["130100"].parent == "130000"
    assert div["130100"].name_en == "Shijiazhuang"
    assert div["110101"].parent == "110000"  # a district of a municipality hangs on it
    assert div["429004"].parent == "420000"  # 仙桃市: directly under the province
    # the curated regions win (English names, the zone, the country)
    assert div["140100"].name_en == "Taiyuan" and div["Z14001"].level == "zone"
    for r in div.values():
        assert r.parent is None or r.parent in div, r


@pytest.mark.parametrize("bad", ["14010", "1401000", "abcdef", "990100", "", "Z1400"])
def test_one_region_code_rule(bad: str) -> None:
    with pytest.raises(ValidationError, match="GB/T 2260"):
        check_region_code(bad)


@pytest.mark.parametrize("good,expected", [("130100", "130100"), (130100, "130100"),
                                           ("140100.0", "140100"), (" Z14001 ", "Z14001"),
                                           ("000000", "000000")])
def test_region_code_accepted(good, expected) -> None:
    assert check_region_code(good) == expected


def test_import_accepts_any_division(db, tmp_path) -> None:
    services.init_reference(db)
    f = tmp_path / "sjz.csv"
    f.write_text("region,indicator,period,value,unit,source_url\n"
                 "石家庄市,gdp,2023,7534.2,亿元,https://example.org/a\n"
                 "130102,gdp,2023,1000,亿元,https://example.org/a\n", encoding="utf-8")
    services.import_file(db, f, dry_run=True)
    with db.session() as s:
        assert "130100" not in queries.region_names(s)  # a dry run writes nothing
    res = services.import_file(db, f)
    assert len(res.observations.inserted) == 2
    with db.session() as s:
        names = queries.region_names(s)
    assert names["130100"]["zh"] == "石家庄市" and names["130102"]["parent"] == "130100"
    assert names["130000"]["level"] == "province"  # parents come along


def test_ambiguous_name_is_refused(db, tmp_path) -> None:
    from lantu.ingest.tables import ImportRefused

    services.init_reference(db)
    f = tmp_path / "cy.csv"
    f.write_text("region,indicator,period,value,unit\n朝阳区,gdp,2023,1,亿元\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="unknown region"):
        services.import_file(db, f)


def test_group_rules() -> None:
    with pytest.raises(ValidationError, match="code"):
        RegionGroup("Bad Code", "组", members=("140100",))
    with pytest.raises(ValidationError, match="at least one"):
        RegionGroup("empty", "组", members=())
    with pytest.raises(ValidationError, match="twice: 140100"):
        RegionGroup("dup", "组", members=("140100", "140100"))


def test_save_group(db) -> None:
    services.init_reference(db)
    g = services.save_group(db, "north", "北方省会", ["石家庄", "140100", "370100"], name_en="North")
    assert g.members == ("130100", "140100", "370100")
    got = {x.code: x for x in services.list_groups(db)}
    assert got["north"].members == g.members and "central_capitals" in got
    g2 = services.save_group(db, "north", "北方省会", ["140100"])
    assert {x.code: x for x in services.list_groups(db)}["north"].members == ("140100",) == g2.members
    with pytest.raises(ValidationError, match="unknown region.*999999"):
        services.save_group(db, "x2", "坏", ["140100", "999999"])


def test_group_cli(tmp_path, monkeypatch, request) -> None:
    from typer.testing import CliRunner

    from lantu.cli import app
    from lantu.config import get_settings

    monkeypatch.setenv("LANTU_HOME", str(tmp_path))
    get_settings.cache_clear()  # the settings are read once per process: read this home
    request.addfinalizer(get_settings.cache_clear)
    r = CliRunner().invoke(app, ["init"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["group", "add", "north", "--name", "北方省会", "130100", "140100"])
    assert r.exit_code == 0 and "130100 140100" in r.output, r.output
    r = CliRunner().invoke(app, ["group", "list"])
    assert r.exit_code == 0 and "north" in r.output and "石家庄市" in r.output
    r = CliRunner().invoke(app, ["group", "add", "x", "--name", "坏", "999999"])
    assert r.exit_code != 0 and "999999" in r.output


@pytest.fixture(scope="module")
def web(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("groups")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        tokens = {n: users.create_api_token(s, n, "test") for n in ("analyst", "viewer")}
    with make_client(db, tmp / "home") as client:
        yield client, db, tokens
    db.dispose()


def test_groups_api(web) -> None:
    client, _, tokens = web
    client.cookies.clear()
    body = {"code": "api_peers", "name_zh": "对标城市", "members": ["130100", "太原市"]}
    r = client.post("/api/v1/groups", json=body, headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert r.status_code == 403
    r = client.post("/api/v1/groups", json=body, headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert r.status_code == 201 and r.json()["members"] == ["130100", "140100"]
    r = client.post("/api/v1/groups", json={**body, "members": ["999999"]},
                    headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "members"
    r = client.get("/api/v1/groups", headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert "api_peers" in {g["code"] for g in r.json()["data"]}


def test_posting_an_existing_group_is_a_conflict_and_put_replaces_it(web) -> None:
    """POST creates only: a second POST of the same code is a 409 in the JSON error shape and
    leaves the group as it was; PUT /api/v1/groups/{code} replaces it (200)."""
    client, db, tokens = web
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {tokens['analyst']}"}
    body = {"code": "dup_peers", "name_zh": "原组", "members": ["130100", "140100"]}
    assert client.post("/api/v1/groups", json=body, headers=auth).status_code == 201
    r = client.post("/api/v1/groups", json={**body, "name_zh": "覆盖", "members": ["140200"]},
                    headers=auth)
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "conflict" and "dup_peers" in r.json()["detail"]
    kept = {g.code: g for g in services.list_groups(db)}["dup_peers"]
    assert (kept.name_zh, kept.members) == ("原组", ("130100", "140100"))
    r = client.put("/api/v1/groups/dup_peers", json={**body, "members": ["140200"]}, headers=auth)
    assert r.status_code == 200 and r.json()["members"] == ["140200"], r.text
    r = client.put("/api/v1/groups/other", json=body, headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "code"
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    assert client.put("/api/v1/groups/dup_peers", json=body, headers=viewer).status_code == 403


def test_groups_page(web) -> None:
    client, _, _ = web
    login(client, "analyst")
    token = csrf_of(client, "/groups")
    r = client.post("/groups", data={"code": "page_peers", "name_zh": "页面组", "members": "130100, 140100",
                                     "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/groups?saved=page_peers"
    page = client.get("/groups?saved=page_peers")
    assert page.status_code == 200 and "页面组" in page.text and "石家庄市" in page.text
    r = client.post("/groups", data={"code": "page_bad", "name_zh": "坏", "members": "999999",
                                     "csrf_token": token})
    assert r.status_code == 422 and "999999" in r.text
    page_en = client.get("/groups?lang=en")
    assert "Region groups (peer groups)" in page_en.text and "Shijiazhuang" in page_en.text
    login(client, "viewer")
    assert client.get("/groups").status_code in (303, 403)


def test_the_gate_takes_in_any_division_and_refuses_other_codes(db) -> None:
    """The one region lookup of every write (lantu.store.repo.admissible_regions, asked by the
    gate): a GB/T 2260 division not yet stored comes in with its parents; another code is refused."""
    from lantu.domain import Observation, Source
    from lantu.domain.gate import GateRefused
    from lantu.store import repo

    services.init_reference(db)
    src = Source(url="https://example.org/hrb")
    with db.session() as s:
        assert "230100" not in queries.region_names(s)
        done = repo.apply_observations(s, [Observation("230100", "2023", "gdp", 5576.3, "亿元", source=src)],
                                       actor="test")
        assert len(done.inserted) == 1
        names = queries.region_names(s)
        assert names["230100"]["zh"] == "哈尔滨市" and "230000" in names
    with db.session() as s, pytest.raises(GateRefused) as exc:
        repo.apply_observations(s, [Observation("149999", "2023", "gdp", 1.0, "亿元", source=src)], actor="test")
    assert exc.value.field == "region_code" and "149999" in str(exc.value)


def test_api_writes_a_figure_of_any_division(web) -> None:
    """POST /api/v1/observations takes a GB/T 2260 division the database lacks, like `lantu import`."""
    client, _, tokens = web
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {tokens['analyst']}"}
    regions = {r["code"] for r in client.get("/api/v1/regions", headers=auth).json()["data"]}
    assert "220100" not in regions
    body = {"region_code": "220100", "period": "2023", "indicator": "gdp", "value": 7002.1, "unit": "亿元",
            "source_url": "https://example.org/cc2023", "excerpt": "全年地区生产总值7002.1亿元"}
    r = client.post("/api/v1/observations", json=body, headers=auth)
    assert r.status_code == 201 and r.json()["action"] == "inserted", r.text
    regions = {r["code"]: r for r in client.get("/api/v1/regions", headers=auth).json()["data"]}
    assert regions["220100"]["name_zh"] == "长春市" and regions["220100"]["parent"] == "220000"
    r = client.post("/api/v1/observations", json={**body, "region_code": "149999"}, headers=auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "region_code", r.text
    assert "149999" in r.text
