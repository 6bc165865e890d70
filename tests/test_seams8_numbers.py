"""A number nearer 0 than the smallest normal double (2.2250738585072014e-308) is refused where it
is read, naming where: ``1e-400`` was read as 0 and ``5e-324`` as a subnormal (one significant
bit), silently, by the import (file, row, column), the JSON API (the field) and the pages' number
fields — no statistic is that small and no catalogue range can tell it from 0. One rule,
``lantu.domain.indicators.number_problem`` (and ``outside_bounds`` for a value already read, so
a subnormal is refused column-wise by the gate whatever the route). SQLite and PostgreSQL;
each test failed on the code before.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import func, select

from hostile import HEADER, TODAY, snapshot, write
from lantu import services
from lantu.domain import indicators as ind
from lantu.ingest.tables import ImportRefused
from lantu.store.models import ObservationRow
from webutil import backend_app, task_ids

GOOD = "https://tjj.taiyuan.gov.cn/tjgb/2022.html"
#: written numbers that are not 0 but read as 0 or as a subnormal
TINY = ["1e-400", "1E-400", "-1e-400", "5e-324", "2.5e-310", "0.1e-308", "4.9e-324",
        "0." + "0" * 400 + "1"]
#: and their neighbours that are stored as written
FINE = ["0", "0.0", "0e-400", "-0.0e5", "2.3e-308", "1e-300", "0.000001"]


@pytest.mark.parametrize("text", TINY)
def test_the_rule_refuses_what_is_not_stored_as_written(text):
    assert ind.number_problem(text, float(text)) == ind.TOO_SMALL


@pytest.mark.parametrize("text", FINE)
def test_the_rule_keeps_zero_and_small_normal_numbers(text):
    assert ind.number_problem(text, float(text)) is None


def test_a_subnormal_is_outside_every_range_column_wise():
    values = np.array([0.0, 5e-324, -1e-310, 2.2250738585072014e-308, 1.0, np.nan])
    assert ind.outside_bounds(values, -np.inf, np.inf).tolist() == [False, True, True, False, False,
                                                                 True]
    gdp = ind.Indicator("gdp", "地区生产总值", unit="亿元", minimum=0)
    assert "too small to store exactly" in (gdp.admissible(5e-324) or "")


@pytest.mark.parametrize("text", ["1e-400", "5e-324", "0." + "0" * 330 + "7"])
def test_an_import_refuses_a_number_too_small_naming_file_row_and_column(ref_db, tmp_path, text):
    before = snapshot(ref_db)
    rows = "".join(f"140100,{y},gdp,{1000 + y}.5,亿元,,{GOOD},x\n" for y in range(2000, 2010))
    f = write(tmp_path, "tiny.csv", HEADER + rows + f"140100,2015,gdp,{text},亿元,,{GOOD},x\n")
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, f, today=TODAY)
    (p,) = info.value.problems
    assert (p.row, p.column) == (12, "value") and "too small to store exactly" in p.reason
    assert str(f) in str(info.value)
    assert snapshot(ref_db) == before


def test_an_import_keeps_zero_in_exponent_form(ref_db, tmp_path):
    f = write(tmp_path, "zero.csv", HEADER + f"140100,2015,gdp,0e-400,亿元,,{GOOD},x\n"
              + f"140100,2016,gdp,2.5e-300,亿元,,{GOOD},x\n")
    services.import_file(ref_db, f, today=TODAY)
    with ref_db.session() as s:
        assert sorted(s.scalars(select(ObservationRow.value).where(
            ObservationRow.indicator_code == "gdp", ObservationRow.region_code == "140100",
            ObservationRow.period.in_(["2015", "2016"])))) == [0.0, 2.5e-300]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams8n"),
                     ("analyst", "admin", "rep_czj"), "seams8n") as app:
        yield app


def _raw(client, path: str, body: str, auth: dict):
    """POST the JSON text as written (``json.dumps(1e-400)`` would send 0.0)."""
    return client.post(path, content=body.encode(),
                       headers={**auth, "content-type": "application/json"})


@pytest.mark.parametrize("text", ["1e-400", "5e-324", "-2.5e-310"])
def test_the_api_refuses_a_number_too_small_naming_the_field(env, text):
    client, auth, db, _home = env
    with db.session() as s:
        count = s.scalar(select(func.count()).select_from(ObservationRow))
    body = json.dumps({"region_code": "140100", "period": "2021", "indicator": "gdp",
                       "value": 12345.5, "unit": "亿元", "source_url": GOOD})
    r = _raw(client, "/api/v1/observations", body.replace("12345.5", text), auth["analyst"])
    assert r.status_code == 422, r.text
    (err,) = r.json()["errors"]
    assert err["field"] == "value" and "too small to store exactly" in err["reason"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == count
    # the same body with a number as written is taken, and 0 in exponent form is 0
    assert _raw(client, "/api/v1/observations", body, auth["analyst"]).status_code == 201


def test_every_number_of_the_api_reads_by_the_same_rule(env):
    client, auth, db, _home = env
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={
        "plan": "taiyuan-2021-11", "kind": "task", "title": "数值探针", "lead_department": "czj"})
    assert r.status_code == 201, r.text
    task = r.json()["id"]
    r = _raw(client, "/api/v1/tasks", json.dumps({
        "plan": "taiyuan-2021-11", "parent": task, "title": "分解", "unit": "一处",
        "weight": 5.5}).replace("5.5", "1e-400"), auth["rep_czj"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weight", r.text
    r = client.post("/api/v1/tasks", headers=auth["rep_czj"], json={
        "plan": "taiyuan-2021-11", "parent": task, "title": "分解", "unit": "一处"})
    assert r.status_code == 201, r.text
    part = r.json()["id"]
    r = _raw(client, f"/api/v1/tasks/{part}/unit-progress", '{"percent": 1e-400}', auth["rep_czj"])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "percent", r.text
    # the page's form field too
    r = client.post(f"/supervision/parts/{part}/progress", headers=auth["rep_czj"],
                    data={"percent": "1e-400"})
    # the page reads in Chinese (seams9: its 422 names the field as the form does)
    assert r.status_code == 422 and ("too small to store exactly" in r.text
                                     or "数值过小，无法精确存储" in r.text)
    r = client.post(f"/supervision/parts/{part}/progress", headers=auth["rep_czj"],
                    data={"percent": "0e-5"})
    assert r.status_code == 303
    assert task_ids(db, "czj")  # the database is still answering
