"""probe13 (the ninth attacker round): ``-0.0`` in a JSON number is 0, as ``-0`` in a form.

web8 made a form's ``-0`` read as 0 (a part's history had shown ``0% → -0%``). Through the JSON
API ``{"percent": -0.0}`` still wrote ``-0%`` into the history on both databases, and
``{"value": -0.0}`` was stored as −0.0 by PostgreSQL (SQLite makes it 0: the two answered
apart). ``api_schemas.Number``, the one number of every write, reads ``-0.0`` as 0.

SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from lantu.store.models import ObservationRow
from lantu.store.models_web import TaskEventRow
from webutil import backend_app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p13numbers"),
                     ("rep_fgw", "supervisor", "analyst"), "probe13") as (client, headers, db, _):
        yield client, headers, db


def test_a_parts_progress_of_minus_zero_is_zero_in_its_history(env):
    client, headers, db = env
    r = client.post("/api/v1/tasks", headers=headers["supervisor"], json={
        "plan": "taiyuan-2021-11", "parent": "P0", "title": "probe13 负零", "lead_department": "fgw",
        "start": "2024-01-01", "due": "2026-12-31"})
    assert r.status_code == 201, r.text
    task = r.json()["id"]
    r = client.post("/api/v1/tasks", headers=headers["rep_fgw"], json={
        "plan": "taiyuan-2021-11", "parent": task, "title": "处室部分", "unit": "综合处",
        "weight": 50})
    assert r.status_code == 201, r.text
    part = r.json()["id"]
    r = client.post(f"/api/v1/tasks/{part}/unit-progress", content=b'{"percent": -0.0}',
                    headers={**headers["rep_fgw"], "content-type": "application/json"})
    assert r.status_code == 200, r.text
    with db.session() as s:
        comments = list(s.scalars(select(TaskEventRow.comment).where(
            TaskEventRow.node_id == task, TaskEventRow.kind == "unit_progress")))
    assert comments and all("-0%" not in c for c in comments), comments


def test_an_observation_of_minus_zero_is_stored_as_zero(env):
    client, headers, db = env
    r = client.post("/api/v1/observations", headers={**headers["analyst"],
                                                      "content-type": "application/json"},
                    content=b'{"region_code": "140100", "indicator": "urbanization_rate", '
                            b'"period": "2003", "value": -0.0, "unit": "%", '
                            b'"source_url": "https://tjj.taiyuan.gov.cn/x"}')
    assert r.status_code == 201, r.text
    assert math.copysign(1, r.json()["observation"]["value"]) == 1
    with db.session() as s:
        value = s.scalar(select(ObservationRow.value).where(
            ObservationRow.region_code == "140100", ObservationRow.period == "2003",
            ObservationRow.indicator_code == "urbanization_rate"))
    assert value == 0 and math.copysign(1, value) == 1
