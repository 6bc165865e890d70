"""One validation gate for every write (issue 12, class 2): the admissible range of each
indicator is catalogue data, and import (CLI, web), the API, the store itself and plan loads
all refuse what it refuses — on SQLite and PostgreSQL. Links are http(s) only (class 6)."""

from __future__ import annotations

import csv
import math
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from lantu import defaults, services
from lantu.domain import Observation, Plan, PlanNode, Source, ValidationError
from lantu.domain.gate import GateRefused, observation_frame_problems
from lantu.domain.links import url_problem
from lantu.ingest.tables import ImportRefused
from lantu.store import repo, users
from lantu.store.models import ObservationRow, PlanRow, TargetRow
from webutil import fresh_db, make_client

TODAY = date(2026, 11, 26)
HEADER = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"


def count(db, model=ObservationRow) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def test_every_indicator_has_its_admissible_range_in_the_catalogue():
    with open(defaults.DATA / "indicators.csv", encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    ranges = defaults.load_indicator_ranges()
    assert sorted(ranges) == sorted(codes)
    inds = {i.code: i for i in defaults.load_indicators()}
    assert inds["population"].minimum == 0
    assert (inds["urbanization_rate"].minimum, inds["urbanization_rate"].maximum) == (0, 100)
    assert inds["gdp_growth"].minimum == -100  # a fall, never below -100 %


def test_every_indicator_has_both_bounds_and_says_why():
    """No open side: an amount without a maximum let ``gdp = 1e300 亿元`` through the API."""
    with open(defaults.DATA / "indicator_ranges.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert row["min"].strip() and row["max"].strip(), row["code"]
        assert len(row["why"].strip()) > 15, row["code"]
    for ind in defaults.load_indicators():
        low, high = ind.bounds
        assert low is not None and high is not None and low < high, ind.code
        assert ind.admissible(high * 10 if high > 0 else 1e300), ind.code


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e300, -1e300])
def test_the_gate_refuses_absurd_and_non_finite_values_column_wise(value):
    """The frame path (the bulk import asks it without building an Observation) refuses a
    value that is not finite or beyond any real figure, for every indicator."""
    inds = {i.code: i for i in defaults.load_indicators() if not i.is_derived}
    frame = pd.DataFrame({"region_code": "140100", "period": "2022",
                          "indicator_code": list(inds), "value": value, "unit": "",
                          "flags": "", "source_url": "", "excerpt": ""})
    problems = observation_frame_problems(frame, inds, TODAY)
    assert sorted(p for p, f, _ in problems if f == "value") == list(range(len(inds)))


def test_the_range_is_stored_with_the_indicator(ref_db):
    with ref_db.session() as s:
        cat = repo.indicator_catalogue(s)
    assert cat["hospital_beds"].minimum == 0 and cat["pm25"].maximum == 1000


@pytest.mark.parametrize("row, column, fragment", [
    ("140100,2022,population,-500,万人,,,", "value", "population must be at least 0"),
    ("140100,2022,hospital_beds,-3,张,,,", "value", "hospital_beds must be at least 0"),
    ("140100,2022,pm25,-40,微克/立方米,,,", "value", "pm25 must be at least 0"),
    ("140100,2022,urbanization_rate,-5,%,,,", "value", "at least 0"),
    ("140100,2022,gdp_growth,-120,%,,,", "value", "at least -100"),
    ("140100,2031,gdp,5000,亿元,,,", "period", "in the future"),
    ("140100,2022,gdp,5000,亿元,,javascript:alert(1),", "source_url", "only http(s)"),
    ("140100,2022,gdp,5000,亿元,,data:text/html;base64,PHNjcmlwdD4=,", "source_url", "only http(s)"),
    ("140100,2022,gdp,5000,亿元,,\" java\tscript:x\",", "source_url", "blanks"),
])
def test_import_refuses_what_is_not_admissible(ref_db, tmp_path, row, column, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "140100,2021,gdp,5121.61,亿元,,,\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, path, today=TODAY)
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, column)], problems
    assert fragment in str(info.value)
    assert count(ref_db) == 0  # the good row of the same file is not written either


def test_a_target_outside_the_range_is_refused(ref_db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("region_code,indicator,target_period,kind,value,unit\n"
                    "140100,urbanization_rate,2025,level,120,%\n"
                    "140100,gdp,2025,annual_growth,-3,%\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, path, today=TODAY)
    assert [p.row for p in info.value.problems] == [2]  # a fall of GDP may be a growth target
    assert "at most 100" in str(info.value) and count(ref_db, TargetRow) == 0


def test_the_store_refuses_even_when_a_caller_skips_the_parser(ref_db):
    bad = Observation("140100", "2022", "population", -500.0, "万人")
    with ref_db.session() as s, pytest.raises(GateRefused) as info:
        repo.apply_observations(s, [bad], actor="x")
    assert info.value.field == "value" and "140100/2022/population" in str(info.value)
    assert count(ref_db) == 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x",
                                 "vbscript:x", "file:///etc/passwd", "//evil.example/x",
                                 "java\nscript:x", "\u200bjavascript:x", "https:\\\\evil", "http://"])
def test_links_other_than_http_are_refused_everywhere(url):
    assert url_problem(url)
    with pytest.raises(ValidationError):
        Source(url=url)


def test_a_plan_passes_the_gate(ref_db):
    plan = Plan("p1", "计划", source_url="javascript:alert(1)",
                children=[PlanNode("t1", "任务", lead="no_such_department")])
    with pytest.raises(GateRefused) as info:
        services.load_plan(ref_db, plan)
    assert {f for _, f, _ in info.value.problems} == {"source_url", "lead"}
    assert count(ref_db, PlanRow) == 0


# -- the API: the same gate, answered as 422 naming the field ---------------------------------


@pytest.fixture(scope="module")
def api(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gate")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "test")
    with make_client(db, tmp / "home") as client:
        yield client, db, {"Authorization": f"Bearer {token}"}
    db.dispose()


GOOD = {"region_code": "140100", "period": "2022", "indicator": "urbanization_rate",
        "value": 90.0, "unit": "%", "source_url": "https://tjj.taiyuan.gov.cn/x"}


@pytest.mark.parametrize("change, field", [
    ({"value": -5.0}, "value"),
    ({"value": 100.5}, "value"),
    ({"period": "2031"}, "period"),
    ({"period": f"{date.today().year + 1}-01"}, "period"),
    ({"indicator": "population", "unit": "万人", "value": -500.0}, "value"),
    ({"indicator": "hospital_beds", "unit": "万张", "value": -3.0}, "value"),
    ({"indicator": "pm25", "unit": "微克/立方米", "value": -40.0}, "value"),
    ({"source_url": "javascript:alert(document.cookie)"}, "source_url"),
    ({"source_url": "data:text/html,<script>alert(1)</script>"}, "source_url"),
    ({"unit": "万人"}, "unit"),
    ({"indicator": "gdp", "unit": "亿元", "value": 1e300}, "value"),
    ({"indicator": "income_urban", "unit": "元", "value": 1e12}, "value"),
    ({"indicator": "hospital_beds", "unit": "万张", "value": 1e9}, "value"),
    ({"indicator": "cod_reduction", "unit": "万吨", "value": -1e9}, "value"),
])
def test_the_api_refuses_what_import_refuses(api, change, field):
    client, db, auth = api
    before = count(db)
    r = client.post("/api/v1/observations", json=GOOD | change, headers=auth)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "validation_error"
    assert field in {e["field"] for e in body["errors"]}
    assert count(db) == before


def test_the_api_still_writes_what_is_admissible(api):
    client, db, auth = api
    r = client.post("/api/v1/observations", json=GOOD, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["action"] in ("inserted", "revised")
