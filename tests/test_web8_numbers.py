"""A form's number is a plain decimal as a person types it — one rule,
``lantu.domain.indicators.read_typed_number`` (``FormNumber`` on every number field of a form):
pydantic read form text as Python does, so ``1_0`` was 10 and ``-0`` stayed -0.0 (a part's
history then showed ``-0%``), while full-width digits (``５０``, as an input method types them)
were refused though every other reader of Lantu makes them ASCII. SQLite and PostgreSQL; each
test failed on the code before.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lantu.domain.indicators import read_typed_number
from lantu.store.models import PlanNodeRow
from lantu.store.models_web import ProgressReportRow, TaskEventRow
from lantu.supervise import month_of
from lantu.web.api_schemas import FormNumber
from webutil import backend_app, task_ids, task_with_part

#: what a person does not type as a number (``float`` and pydantic read the first ones)
NOT_TYPED = ["1_0", "0x1A", "nan", "inf", "1,000", "+-5", "5-", "1e", "五十", "٥٠", "1 0"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("web8n"),
                     ("admin", "rep_czj"), "web8n") as app:
        yield app


@pytest.fixture(scope="module")
def part(env):
    client, auth, _db, _home = env
    return task_with_part(client, auth, "表单数字")[1]


def _progress(env, part: int) -> float:
    with env[2].session() as s:
        return s.get(PlanNodeRow, part).progress


def test_the_rule_of_a_typed_number():
    assert read_typed_number("１２.５") == 12.5 and read_typed_number("−3") == -3.0
    assert read_typed_number(" 1e2 ") == 100.0 and read_typed_number(".5") == 0.5
    assert read_typed_number("+5") == 5.0  # one sign, as a person may type it
    assert str(read_typed_number("-0")) == "0.0" and str(read_typed_number("-0.0e3")) == "0.0"
    for text in [*NOT_TYPED, "1e-400", ""]:
        with pytest.raises(ValueError):
            read_typed_number(text)


@pytest.mark.parametrize("text", NOT_TYPED)
def test_a_part_progress_refuses_what_is_not_a_typed_number(env, part, text):
    client, auth, _db, _home = env
    before = _progress(env, part)
    r = client.post(f"/supervision/parts/{part}/progress", headers=auth["rep_czj"],
                    data={"percent": text})
    assert r.status_code == 422, (text, r.status_code)
    assert _progress(env, part) == before


def test_a_part_progress_of_minus_zero_is_zero_and_full_width_digits_are_read(env, part):
    client, auth, db, _home = env
    r = client.post(f"/supervision/parts/{part}/progress", headers=auth["rep_czj"],
                    data={"percent": "５０"})
    assert r.status_code == 303, r.text
    assert _progress(env, part) == 50
    r = client.post(f"/supervision/parts/{part}/progress", headers=auth["rep_czj"],
                    data={"percent": "-0"})
    assert r.status_code == 303, r.text
    assert str(_progress(env, part)) == "0.0"
    with db.session() as s:
        comments = list(s.scalars(select(TaskEventRow.comment).where(
            TaskEventRow.kind == "unit_progress")))
    assert comments and not any("-0%" in c for c in comments), comments


def test_a_parts_weight_is_a_typed_number(env, part):
    client, auth, db, _home = env
    with db.session() as s:
        task = s.get(PlanNodeRow, part).parent_id
    for text in ("1_0", "0x1A"):
        r = client.post(f"/supervision/tasks/{task}/parts", headers=auth["rep_czj"],
                        data={"title": "权重", "unit": "二处", "weight": text})
        assert r.status_code == 422, (text, r.status_code)
    r = client.post(f"/supervision/tasks/{task}/parts", headers=auth["rep_czj"],
                    data={"title": "权重", "unit": "二处", "weight": "１０"})
    assert r.status_code == 303, r.text


def test_a_reports_percent_and_version_are_typed_numbers(env):
    client, auth, db, _home = env
    node = task_ids(db, "czj")[0]
    month = month_of(__import__("datetime").date.today())
    for field, text in (("percent", "1_0"), ("percent", "0x1A"), ("version", "0_0")):
        data = {"month": month, "text": "数字", "percent": "10", "version": "0", field: text}
        r = client.post(f"/supervision/tasks/{node}/report", headers=auth["rep_czj"], data=data)
        assert r.status_code == 422, (field, text, r.status_code, r.text[:300])
    with db.session() as s:
        assert s.scalar(select(ProgressReportRow.id).where(
            ProgressReportRow.node_id == node, ProgressReportRow.month == month)) is None
    r = client.post(f"/supervision/tasks/{node}/report", headers=auth["rep_czj"],
                    data={"month": month, "text": "数字", "percent": "２０", "version": "0"})
    assert r.status_code == 303, r.text
    with db.session() as s:
        assert s.scalar(select(ProgressReportRow.percent).where(
            ProgressReportRow.node_id == node, ProgressReportRow.month == month)) == 20


def test_every_number_field_of_a_form_is_read_by_the_one_rule():
    """Every form parameter of a page route typed as a number carries ``FormNumber``."""
    import typing

    from fastapi.params import Form

    from lantu.web.app import create_app  # noqa: F401  (the routers are imported with it)
    from lantu.web.routes import (
        admin,
        auth,
        blueprint,
        cycle_pages,
        groups,
        reports,
        review,
        split_pages,
        supervision,
        users_admin,
    )

    missing = []
    for module in (admin, auth, blueprint, cycle_pages, groups, reports, review, split_pages,
                   supervision, users_admin):
        for route in module.router.routes:
            hints = typing.get_type_hints(route.endpoint, include_extras=True)
            for name, hint in hints.items():
                meta = getattr(hint, "__metadata__", ())
                if not any(isinstance(m, Form) for m in meta):
                    continue
                base = typing.get_args(hint)[0]
                kinds = set(typing.get_args(base)) or {base}
                if kinds & {int, float} and name != "year" and FormNumber not in meta:
                    missing.append(f"{module.__name__}.{route.endpoint.__name__}: {name}")
    assert not missing, missing
