"""A day typed in the task form's milestones (``title | YYYY-MM-DD``) was read by
``date.fromisoformat``: ``banana`` and full-width digits (``２０２６-１２-３１``) were a 500 for the
supervisor, and ``20261231`` and the ISO week date ``2026-W52-1`` (21 December) were taken as
dates; a plan's dates and the commands' ``--today`` read the same way. Now one reader of a typed
day (``lantu.domain.periods.read_day``: ``YYYY-MM-DD``, digits 0-9 after NFKC, a day of the
calendar, the one year rule) is asked by the three; the form's refusal is a 422 naming the line,
in Chinese on a Chinese page. SQLite and PostgreSQL; failed on the code before.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lantu.domain import ValidationError
from lantu.store.models import PlanNodeRow
from webutil import backend_app, csrf_of, login

FORM = {"plan": "taiyuan-2021-11", "title": "核查节点日期", "kind": "task",
        "lead_department": "fgw"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams9d"), (),
                     "seams9d") as app:
        yield app


def _new_task(env, milestones: str):
    client, _, db, _ = env
    login(client, "supervisor")
    with db.session() as s:
        before = s.scalar(select(PlanNodeRow.id).order_by(PlanNodeRow.id.desc()).limit(1))
    r = client.post("/supervision/tasks/new", data={
        **FORM, "milestones": milestones,
        "csrf_token": csrf_of(client, "/supervision/tasks/new")})
    with db.session() as s:
        after = s.scalar(select(PlanNodeRow.id).order_by(PlanNodeRow.id.desc()).limit(1))
    return r, after != before


@pytest.mark.parametrize("typed", ["banana", "20261231", "2026-W52-1", "2026-02-30",
                                   "২০২৬-১২-৩১", "2026-12-31T00:00", "3000-01-01"])
def test_a_milestone_date_that_is_none_is_refused_naming_its_line(env, typed):
    r, made = _new_task(env, f"调研 | 2026-06-30\n验收 | {typed}")
    assert r.status_code == 422, (r.status_code, r.text[-400:])
    assert not made
    assert "节点第 2 行" in r.text, r.text[-800:]


def test_a_milestone_date_in_full_width_digits_is_read(env):
    r, made = _new_task(env, "验收 | ２０２６-１２-３１")
    assert r.status_code == 303 and made, r.text[-400:]


def test_a_plans_dates_and_the_commands_today_ask_the_same_reader():
    import typer

    from lantu.cli.common import parse_date
    from lantu.domain.plans import Milestone

    assert Milestone("m", "２０２６-０６-３０").due == date(2026, 6, 30)
    for bad in ("20260630", "2026-W26-2", "2026-6-30"):
        with pytest.raises(ValidationError):
            Milestone("m", bad)
        with pytest.raises(typer.BadParameter):
            parse_date(bad)
    assert parse_date("2026-11-30") == date(2026, 11, 30)
